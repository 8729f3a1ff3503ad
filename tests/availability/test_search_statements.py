"""A page of search results is one statement: the rows and, joined to them, what each shows of
its officer (council, skills). The cards were a second statement, a round trip of their own
(issue 16)."""

from __future__ import annotations

import uuid

from app.auth import service as auth
from app.availability import search
from app.core.pagination import PageParams
from tests.factories import approved_week
from tests.statements import statements


def test_a_page_of_results_and_its_officer_cards_are_one_statement(make, db, connection):
    word = "st" + uuid.uuid4().hex[:10]
    lender = make.council()
    manager = make.user(lender, "manager")
    ann = make.officer(lender, name=f"Ann {word}", skills=["town-planning", "data-analyst"])
    bob = make.officer(lender, name=f"Bob {word}")
    for officer, hours, weeks in ((ann, 4, ("2026-W50", "2026-W51")), (bob, 3, ("2026-W50",))):
        for week in weeks:  # most free hours first: Ann's two weeks, then Bob's
            approved_week(db, officer, manager, week, hours)
    booker = auth.actor_for(make.user(make.council(), "booker").user, "token")
    filters = search.SearchFilters(q=word)
    with statements(connection) as seen:
        hits, cursor = search.search(db, booker, filters, PageParams(limit=2))
    assert [s for s in seen if s.startswith("SELECT")] == seen
    assert len(seen) == 2, "\n".join(seen)  # the agreement check, then the page
    assert cursor is not None
    assert [(h.officer.display_name, h.week) for h in hits] == [
        (f"Ann {word}", "2026-W50"),
        (f"Ann {word}", "2026-W51"),
    ]
    assert hits[0].officer is hits[1].officer  # one card per officer
    card = hits[0].officer
    assert [skill.slug for skill in card.skills] == ["data-analyst", "town-planning"]
    assert (card.council.id, card.council.name) == (lender.id, lender.name)
    assert card.rate_pence_per_hour == hits[0].rate_pence_per_hour
    with statements(connection) as seen:
        [hit], cursor = search.search(db, booker, filters, PageParams(cursor=cursor))
    assert len(seen) == 2 and cursor is None
    assert (hit.officer.display_name, hit.officer.skills) == (f"Bob {word}", [])
