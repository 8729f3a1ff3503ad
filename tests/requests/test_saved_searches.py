"""Saved searches and their daily digest (email and in-app) from the worker: only hours approved
after saving, at most one digest a day, never the same officer-week twice."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.core import clock
from app.core.isoweek import week_text
from app.notifications.models import OutboxMessage
from app.requests import service
from app.requests.models import AlertSent
from tests.factories import approved_week

TODAY = date(2026, 11, 25)
WEEKS = ["2026-W50", "2026-W51", "2026-W52", "2027-W01", "2027-W02"]


def _digests(db, member):
    # Emails only: other tests commit outbox rows of their own kinds to the shared database.
    rows = db.scalars(select(OutboxMessage.payload).where(OutboxMessage.kind == "email")).all()
    return [p for p in rows if p["to"] == member.user.email and "saved search" in p["subject"]]


def _save(client, member, word, **query):
    response = client.post(
        "/api/v1/saved-searches",
        json={"name": "Planners", "query": {"q": word, **query}},
        headers=member.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def world(make):
    lender = make.council()
    word = "ss" + uuid.uuid4().hex[:8]
    officer = make.officer(lender, skills=["town-planning"], name=f"Sam {word}")
    return {
        "officer": officer,
        "manager": make.user(lender, "manager"),
        "booker": make.user(make.council(), "booker"),
        "word": word,
    }


def test_a_digest_tells_only_of_new_hours_once(client, db, world):
    booker, officer, manager, word = (world[k] for k in ("booker", "officer", "manager", "word"))
    approved_week(db, officer, manager, WEEKS[0], 3)  # before saving: not news
    saved = _save(client, booker, word, skill=["town-planning"])
    assert saved["find_path"] == f"/find?skill=town-planning&q={word}"
    approved_week(db, officer, manager, WEEKS[1], 4)
    assert service.send_digests(db) == 0  # saved today: the first digest is tomorrow
    with clock.travel_to(TODAY + timedelta(days=1)):
        assert service.send_digests(db) >= 1
        assert service.send_digests(db) == 0  # once a day
    [digest] = _digests(db, booker)
    assert "1 new week" in digest["subject"]
    assert week_line(WEEKS[1]) in digest["body"] and week_line(WEEKS[0]) not in digest["body"]
    notes = client.get("/api/v1/notifications", headers=booker.headers).json()["items"]
    assert any(n["kind"] == "alert" and n["link"] == saved["find_path"] for n in notes)
    with clock.travel_to(TODAY + timedelta(days=2)):
        service.send_digests(db)
    assert len(_digests(db, booker)) == 1  # nothing new: no second digest


def week_line(week: str) -> str:
    return week_text(week)


def test_saved_searches_are_ones_own(client, make, world):
    saved = _save(client, world["booker"], world["word"])
    listed = client.get("/api/v1/saved-searches", headers=world["booker"].headers).json()
    assert [s["id"] for s in listed["items"]] == [saved["id"]]
    colleague = make.user(make.council(), "booker")
    assert client.get("/api/v1/saved-searches", headers=colleague.headers).json()["items"] == []
    assert (
        client.delete(
            f"/api/v1/saved-searches/{saved['id']}", headers=colleague.headers
        ).status_code
        == 404
    )
    assert (
        client.delete(
            f"/api/v1/saved-searches/{saved['id']}", headers=world["booker"].headers
        ).status_code
        == 204
    )


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "query": {}},
        {"name": "x", "query": {"skill": ["no-such-skill"]}},
        {"name": "x", "query": {"min_hours": -1}},
        {"name": "x", "query": {"from": "2026-W50"}},
        {"name": "x"},
    ],
)
def test_bad_saved_searches_are_refused(client, world, body):
    response = client.post("/api/v1/saved-searches", json=body, headers=world["booker"].headers)
    assert response.status_code == 422, response.text
    listed = client.get("/api/v1/saved-searches", headers=world["booker"].headers).json()
    assert listed["items"] == []


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plan=st.lists(st.lists(st.sampled_from(WEEKS), max_size=3), min_size=1, max_size=4))
def test_alerts_never_repeat_an_officer_week(client, db, make, plan):
    """Property: whatever is approved on whichever days, each officer-week is sent at most once
    and every one approved after saving is sent."""
    lender = make.council()
    word = "hp" + uuid.uuid4().hex[:8]
    officer = make.officer(lender, name=f"Hal {word}")
    manager = make.user(lender, "manager")
    booker = make.user(make.council(), "booker")
    saved = _save(client, booker, word)
    hours = 1
    for day, weeks in enumerate(plan, start=1):
        for week in weeks:
            hours += 1
            approved_week(db, officer, manager, week, hours)  # raising hours too
        with clock.travel_to(TODAY + timedelta(days=day)):
            service.send_digests(db)
    sent = db.scalars(
        select(AlertSent.availability_id).where(AlertSent.saved_search_id == uuid.UUID(saved["id"]))
    ).all()
    assert len(sent) == len(set(sent)) == len({w for weeks in plan for w in weeks})
    bodies = "\n".join(d["body"] for d in _digests(db, booker))
    for week in {w for weeks in plan for w in weeks}:
        assert bodies.count(week_line(week)) == 1
