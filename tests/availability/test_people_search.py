"""Search that shows people: one result per officer with their matching weeks in date order,
ordered by match then free hours in the range; the total number of officers; bad input 422."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.availability import summary
from tests.factories import approved_week

WEEKS = ["2026-W50", "2026-W51", "2026-W52", "2027-W01"]


def _word() -> str:
    return "ps" + uuid.uuid4().hex[:10]


def _people(client, member, **params):
    response = client.get("/api/v1/search/people", params=params, headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def lender(make):
    council = make.council()
    return council, make.user(council, "manager")


def _officer(make, db, lender, word, name, weeks, skills=()):
    council, manager = lender
    officer = make.officer(council, name=f"{name} {word}", skills=skills)
    for week, hours in weeks.items():
        approved_week(db, officer, manager, week, hours)
    return officer


def test_one_result_per_officer_weeks_in_date_order(client, make, db, lender):
    word = _word()
    # Listed out of date order, with most hours late: the strip still comes in date order.
    _officer(make, db, lender, word, "Ada", {"2027-W01": 9, "2026-W50": 2, "2026-W52": 4})
    _officer(make, db, lender, word, "Ben", {"2026-W51": 3})
    booker = make.user(make.council(), "booker")
    body = _people(client, booker, q=word, **{"from": "2026-W49", "to": "2027-W02"})
    assert body["total"] == 2
    [ada, ben] = body["items"]  # most free hours first
    assert ada["officer"]["display_name"].startswith("Ada")
    assert [w["week"] for w in ada["weeks"]] == ["2026-W50", "2026-W52", "2027-W01"]
    assert [w["available_hours"] for w in ada["weeks"]] == [2, 4, 9]
    assert ada["free_hours"] == 15 and ben["free_hours"] == 3
    assert ada["weeks"][0]["week_start"] == "2026-12-07"


def test_results_show_the_officer_as_their_profile_does(client, make, db, lender):
    """A search card (people and per-week search) is the officer's public profile: council,
    skills by name with slug and family, none for an officer with none, the effective rate."""
    word = _word()
    skilled = _officer(
        make,
        db,
        lender,
        word,
        "Sal",
        {"2026-W50": 5},
        skills=["town-planning", "highways-engineering", "licensing"],
    )
    bare = _officer(make, db, lender, word, "Ned", {"2026-W50": 2})
    booker = make.user(make.council(), "booker")
    profiles = {
        m.user.id: client.get(
            f"/api/v1/officers/{_officer_id(client, m)}", headers=booker.headers
        ).json()
        for m in (skilled, bare)
    }
    people = _people(client, booker, q=word)["items"]
    weeks = client.get(
        "/api/v1/search/officers", params={"q": word, "week": "2026-W50"}, headers=booker.headers
    ).json()["items"]
    for items in (people, weeks):
        [sal, ned] = [item["officer"] for item in items]
        assert [s["name"] for s in sal["skills"]] == sorted(s["name"] for s in sal["skills"])
        assert len(sal["skills"]) == 3 and ned["skills"] == []
        assert sal == profiles[skilled.user.id] and ned == profiles[bare.user.id]


def _officer_id(client, member):
    return client.get("/api/v1/officers/me", headers=member.headers).json()["id"]


def test_better_match_comes_before_more_hours(client, make, db, lender):
    word = _word()
    _officer(make, db, lender, word, "Many", {"2026-W50": 30}, skills=["town-planning"])
    _officer(
        make,
        db,
        lender,
        word,
        "Both",
        {"2026-W50": 1},
        skills=["town-planning", "highways-engineering"],
    )
    booker = make.user(make.council(), "booker")
    body = _people(client, booker, q=word, skill=["town-planning", "highways-engineering"])
    names = [item["officer"]["display_name"].split()[0] for item in body["items"]]
    assert names == ["Both", "Many"]
    assert [item["matched_skills"] for item in body["items"]] == [2, 1]


def test_the_range_limits_weeks_and_hours(client, make, db, lender):
    word = _word()
    _officer(make, db, lender, word, "Cy", {"2026-W50": 2, "2027-W01": 5})
    booker = make.user(make.council(), "booker")
    body = _people(client, booker, q=word, **{"from": "2026-W50", "to": "2026-W52"})
    [cy] = body["items"]
    assert [w["week"] for w in cy["weeks"]] == ["2026-W50"] and cy["free_hours"] == 2
    assert _people(client, booker, q=word, **{"from": "2027-W02", "to": "2027-W05"})["total"] == 0


def test_own_council_and_min_hours(client, make, db, lender):
    word = _word()
    _officer(make, db, lender, word, "Di", {"2026-W50": 2, "2026-W51": 6})
    colleague = make.user(lender[0], "booker")
    assert _people(client, colleague, q=word)["total"] == 0  # never one's own council
    booker = make.user(make.council(), "booker")
    [di] = _people(client, booker, q=word, min_hours=4)["items"]
    assert [w["week"] for w in di["weeks"]] == ["2026-W51"]


@pytest.mark.parametrize("kept", [False, True], ids=["adding weeks up", "kept rows"])
def test_pages_of_people_never_repeat_and_total_is_all(client, make, db, lender, today, kept):
    if kept:  # the default range read from the rows the database keeps (migration 0019)
        summary.refresh_window(db, today)
        db.commit()
    word = _word()
    for n, hours in enumerate([5, 3, 5, 1, 8]):
        _officer(make, db, lender, word, f"P{n}", {"2026-W50": hours})
    booker = make.user(make.council(), "booker")
    seen, cursor = [], None
    while True:
        params = {"q": word, "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = _people(client, booker, **params)
        assert body["total"] == 5
        seen += [(item["officer"]["id"], item["free_hours"]) for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len({officer for officer, _ in seen}) == 5
    assert [hours for _, hours in seen] == [8, 5, 5, 3, 1]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-W60"},
        {"from": "2027-W05", "to": "2027-W01"},
        {"skill": "no-such-skill"},
        {"min_hours": "-1"},
        {"max_rate_pence": "lots"},
        {"cursor": "!!!"},
        {"limit": "0"},
    ],
)
def test_bad_input_is_a_clear_problem(client, make, params):
    booker = make.user(make.council(), "booker")
    response = client.get("/api/v1/search/people", params=params, headers=booker.headers)
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(hours=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=4))
def test_free_hours_are_the_sum_of_the_weeks_shown(client, make, db, hours):
    """Property: for any listing, the result's free hours are its weeks' hours added up, and the
    weeks are in date order."""
    council = make.council()
    word = _word()
    _officer(
        make,
        db,
        (council, make.user(council, "manager")),
        word,
        "Hy",
        dict(zip(WEEKS, hours, strict=False)),
    )
    booker = make.user(make.council(), "booker")
    [item] = _people(client, booker, q=word)["items"]
    assert item["free_hours"] == sum(w["available_hours"] for w in item["weeks"]) == sum(hours)
    assert [w["week"] for w in item["weeks"]] == sorted(w["week"] for w in item["weeks"])
