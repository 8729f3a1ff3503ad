"""People search's order from the figures the database keeps (`officer_free_minutes`,
migration 0019): triggers keep each officer's free minutes in the 12 weeks after this one
through every change to their weeks, people search in that range answers exactly as when it
adds the weeks up itself, and a window left behind by a new week is never used."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import delete, event, select, update

from app.auth import service as auth
from app.auth.models import User
from app.availability import search, summary
from app.availability.models import Availability, OfficerFreeMinutes, SearchWindow
from app.core import clock
from app.councils import agreement
from app.officers.models import Officer
from tests.factories import approved_week

# Today is Wednesday 2026-11-25 (2026-W48): the default range is 2026-W49 to 2027-W07 (2026
# has a week 53).
FIRST, LAST = "2026-W49", "2027-W07"


@pytest.fixture
def window(db, today):
    summary.refresh_window(db, today)
    db.commit()
    return summary.window_for(today)


def _people(client, member, **params):
    response = client.get("/api/v1/search/people", params=params, headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _kept(db, officer) -> int | None:
    db.expire_all()
    officer_id = select(Officer.id).where(Officer.user_id == officer.user.id)
    return db.scalar(
        select(OfficerFreeMinutes.free_minutes).where(
            OfficerFreeMinutes.officer_id == officer_id.scalar_subquery()
        )
    )


def _book(client, booker, week, hours) -> dict:
    body = {"officer_id": str(week.officer_id), "week": week.week, "hours": hours}
    response = client.post(
        "/api/v1/bookings",
        json={**body, "purpose": "Kept figures"},
        headers={**booker.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    return response.json()


def _same_as_adding_up(client, booker, word) -> dict:
    """The default range (kept figures) and the same weeks named (added up) agree."""
    kept = _people(client, booker, q=word)
    added = _people(client, booker, q=word, **{"from": FIRST, "to": LAST})
    assert kept == added
    return kept


def test_window_is_the_twelve_weeks_after_this_one(db, today):
    assert summary.window_for(today) == (today + timedelta(days=5), today + timedelta(days=82))
    assert summary.refresh_window(db, today) is True
    assert summary.refresh_window(db, today) is False  # already there: nothing recomputed
    assert summary.is_current(db, today)
    assert not summary.is_current(db, today + timedelta(days=7))


def test_kept_figures_follow_every_change(client, make, db, window):
    word = "kept" + uuid.uuid4().hex[:8]
    lender = make.council()
    manager = make.user(lender, "manager")
    ada = make.officer(lender, name=f"Ada {word}")
    ben = make.officer(lender, name=f"Ben {word}")
    booker = make.user(make.council(), "booker")

    first = approved_week(db, ada, manager, "2026-W49", 8)
    approved_week(db, ada, manager, "2026-W52", 2)
    approved_week(db, ada, manager, "2027-W09", 30)  # after the range: not counted
    single = approved_week(db, ben, manager, "2026-W50", 6, single_booking=True)
    assert (_kept(db, ada), _kept(db, ben)) == (600, 360)
    body = _same_as_adding_up(client, booker, word)
    assert body["total"] == 2
    assert [(p["officer"]["display_name"].split()[0], p["free_hours"]) for p in body["items"]] == [
        ("Ada", 10),
        ("Ben", 6),
    ]

    # A booking takes hours off; a part-booked single-booking week no longer counts at all.
    booking = _book(client, booker, first, 7.75)
    _book(client, booker, single, 1)
    assert (_kept(db, ada), _kept(db, ben)) == (135, 0)
    body = _same_as_adding_up(client, booker, word)
    assert body["total"] == 1 and body["items"][0]["free_hours"] == 2.25

    # Cancelling gives the hours back.
    response = client.post(
        f"/api/v1/bookings/{booking['id']}/cancel",
        json={"reason": "No longer needed"},
        headers={**booker.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 200, response.text
    assert _kept(db, ada) == 600
    # A week withdrawn, and hours asked for but not yet approved, do not count.
    response = client.delete("/api/v1/officers/me/availability/2026-W52", headers=ada.headers)
    assert response.status_code == 200, response.text
    response = client.put(
        "/api/v1/officers/me/availability/2027-W01", json={"hours": 5}, headers=ada.headers
    )
    assert response.status_code == 200, response.text
    assert _kept(db, ada) == 480
    body = _same_as_adding_up(client, booker, word)
    assert [p["free_hours"] for p in body["items"]] == [8]


def test_a_window_left_behind_is_not_used(client, make, db, window, today):
    word = "stale" + uuid.uuid4().hex[:8]
    lender = make.council()
    manager = make.user(lender, "manager")
    cy = make.officer(lender, name=f"Cy {word}")
    approved_week(db, cy, manager, "2026-W49", 3)
    approved_week(db, cy, manager, "2027-W08", 4)
    booker = make.user(make.council(), "booker")
    assert _people(client, booker, q=word)["items"][0]["free_hours"] == 3
    # A week later nobody has moved the window yet: the answer adds the new range up (this
    # week is over, 2027-W08 has come into range).
    with clock.travel_to(today + timedelta(days=7)):
        assert not summary.is_current(db, clock.today())
        [item] = _people(client, booker, q=word)["items"]
        assert item["free_hours"] == 4
        assert [w["week"] for w in item["weeks"]] == ["2027-W08"]
        # Moving it recomputes every officer for the new weeks.
        assert summary.refresh_window(db, clock.today())
        db.commit()
        assert db.get(SearchWindow, 1).first_monday == summary.window_for(clock.today())[0]
        assert _kept(db, cy) == 240
        assert _people(client, booker, q=word)["items"][0]["free_hours"] == 4


def test_kept_rows_follow_who_is_listed(client, make, db, window):
    word = "listed" + uuid.uuid4().hex[:8]
    lender = make.council()
    manager = make.user(lender, "manager")
    admin = make.user(lender, "council_admin")
    people = {name: make.officer(lender, name=f"{name} {word}") for name in "ABCD"}
    for member in people.values():
        approved_week(db, member, manager, "2026-W50", 2)
    booker = make.user(make.council(), "booker")

    def names() -> list[str]:
        body = _same_as_adding_up(client, booker, word)
        assert body["total"] == len(body["items"])
        return sorted(item["officer"]["display_name"][0] for item in body["items"])

    assert names() == ["A", "B", "C", "D"]
    db.execute(update(Officer).where(Officer.user_id == people["A"].user.id).values(visible=False))
    db.execute(update(User).where(User.id == people["B"].user.id).values(active=False))
    db.execute(
        update(Officer).where(Officer.user_id == people["C"].user.id).values(consent_version=None)
    )
    db.commit()
    assert names() == ["D"]
    db.execute(update(User).where(User.id == people["B"].user.id).values(active=True))
    db.commit()
    assert names() == ["B", "D"]
    # The council leaves the pool: none of its officers is found, by either way of searching.
    agreement.leave_pool(db, auth.actor_for(admin.user, "token"), lender.id)
    db.commit()
    assert names() == []


def test_officer_gone_takes_their_row(make, db, window):
    lender = make.council()
    manager = make.user(lender, "manager")
    member = make.officer(lender)
    approved_week(db, member, manager, "2026-W50", 2)
    officer = db.scalar(select(Officer).where(Officer.user_id == member.user.id))
    assert _kept(db, member) == 120
    db.execute(delete(Availability).where(Availability.officer_id == officer.id))
    assert _kept(db, member) == 0
    db.execute(delete(Officer).where(Officer.id == officer.id))
    assert db.get(OfficerFreeMinutes, officer.id) is None


def test_counting_named_officers_looks_them_up(client, make, db, window, today):
    """With a word or a skill, the total counts the officers they name; SQLite looks those up
    by officer instead of walking every listed officer (`Unindexed`), and the answer is the
    same as adding the weeks up."""
    word = "named" + uuid.uuid4().hex[:8]
    lender = make.council()
    manager = make.user(lender, "manager")
    for n, skills in enumerate([["town-planning"], ["town-planning", "licensing"], []]):
        officer = make.officer(lender, name=f"Officer{n} {word}", skills=skills)
        approved_week(db, officer, manager, "2026-W50", 2 + n)
    booker = make.user(make.council(), "booker")
    assert _same_as_adding_up(client, booker, word)["total"] == 3
    kept = _people(client, booker, q=word, skill=["town-planning"])
    added = _people(client, booker, q=word, skill=["town-planning"], **{"from": FIRST, "to": LAST})
    assert kept == added and kept["total"] == 2

    actor = auth.actor_for(booker.user, "token")
    filters = search.SearchFilters(
        skills=["town-planning"],
        week=None,
        to_week=None,
        min_minutes=15,
        nation=None,
        region=None,
        max_rate_pence=None,
        q=word,
    )
    shape, values = search._shape(
        actor, filters, search.skill_ids_for(db, ["town-planning"]), today
    )
    count = search._people_count_statement(shape, True)
    bind = db.get_bind()
    ran: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, *_):
        ran.append((statement, parameters))

    event.listen(bind, "before_cursor_execute", capture)
    try:
        assert db.scalar(count, values) == 2
    finally:
        event.remove(bind, "before_cursor_execute", capture)
    if bind.dialect.name == "sqlite":
        statement, parameters = ran[-1]
        plan = db.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        looked_up = [row[3] for row in plan if "officer_free_minutes" in row[3]]
        assert looked_up and all("(officer_id=?)" in step for step in looked_up), looked_up
