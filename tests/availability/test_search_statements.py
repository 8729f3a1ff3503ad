"""A page of search results is one statement: the rows and, joined to them, what each shows of
its officer (council, skills), for a searcher whose council is in the pool. The cards were a
second statement, a round trip of their own, and the searcher's agreement a third (issue 16).
Whoever is outside the pool is refused whatever the search would find."""

from __future__ import annotations

import uuid

from app.auth import service as auth
from app.availability import search
from app.core.pagination import PageParams
from app.councils import agreement
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
    assert len(seen) == 1, "\n".join(seen)  # the page, which checks the searcher's agreement
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
    assert len(seen) == 1 and cursor is None
    assert (hit.officer.display_name, hit.officer.skills) == (f"Bob {word}", [])


def test_a_searcher_outside_the_pool_is_refused_whatever_the_search_would_find(
    client, make, db, connection
):
    word = "po" + uuid.uuid4().hex[:10]
    lender = make.council()
    officer = make.officer(lender, name=f"Ann {word}", skills=["town-planning"])
    approved_week(db, officer, make.user(lender, "manager"), "2026-W50", 4)
    leaving, never = make.council(), make.council(accepted=False)
    bookers = {c: make.user(c, "booker") for c in (leaving, never)}

    def answer(booker, **params) -> tuple[int, str]:
        response = client.get("/api/v1/search/officers", params=params, headers=booker.headers)
        return response.status_code, response.json().get("detail", "")

    finds, finds_nothing = {"q": word}, {"q": "nothing" + word}
    unknown_skill = {"q": word, "skill": "no-such-skill"}
    assert answer(bookers[leaving], **finds)[0] == 200
    assert answer(bookers[leaving], **finds_nothing)[0] == 200
    assert answer(bookers[leaving], **unknown_skill)[0] == 422
    admin = make.user(leaving, "council_admin")
    agreement.leave_pool(db, auth.actor_for(admin.user, "token"), leaving.id)
    db.commit()
    for booker in bookers.values():
        for params in (finds, finds_nothing, unknown_skill):
            status, detail = answer(booker, **params)
            assert status == 403 and "section 113 agreement" in detail, params
    # Inside the pool, an empty page asks why (it may be the agreement) in a second statement.
    searcher = auth.actor_for(make.user(make.council(), "booker").user, "token")
    with statements(connection) as seen:
        hits, cursor = search.search(
            db, searcher, search.SearchFilters(q="nothing" + word), PageParams()
        )
    assert (hits, cursor, len(seen)) == ([], None, 2)
