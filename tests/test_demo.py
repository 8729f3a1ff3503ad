"""The demo works on any day: seeded with the server's today set to awkward dates (the 30th and
31st of a month, New Year's Day, a week of bank holidays), every journey the README describes
is walked through the API, and bookings are there in every state around today."""

from __future__ import annotations

from datetime import date

import pyotp
import pytest
from sqlalchemy import select

from app.bookings import service as bookings
from app.core import clock
from app.core.isoweek import Week
from app.demo import (
    DEMO_PASSWORD,
    demo_calendar,
    demo_totp_secret,
    seed_demo,
    weeks_of_month,
)
from app.invoicing.service import month_bounds
from app.notifications import service as notifications
from app.notifications.models import OutboxMessage

PETER = "peter.planner@westberks.example.gov.uk"
MARK = "mark.manager@westberks.example.gov.uk"
BOB = "bob.booker@reading.example.gov.uk"
OLIVIA = "olivia.officer@westberks.example.gov.uk"
ALICE = "alice.admin@westberks.example.gov.uk"
FIONA = "fiona.finance@westberks.example.gov.uk"
FRANK = "frank.finance@reading.example.gov.uk"
EILIDH = "eilidh.manager@edinburgh.example.gov.uk"

DAYS = [
    date(2026, 11, 30),  # a Monday, the 30th: October done, November's weeks nearly all gone
    date(2026, 12, 31),  # the 31st, in the week of the Christmas bank holidays
    date(2027, 1, 1),  # New Year's Day (a bank holiday): no week of January has started
    date(2027, 3, 31),  # the 31st, the Wednesday before Easter
    date(2027, 4, 1),  # Easter week: Good Friday and Easter Monday around it
]


class Api:
    """The test client signed in as one demo person at a time."""

    def __init__(self, client) -> None:
        self.client = client
        self.headers: dict[str, str] = {}
        # Each person signs in once and comes back to their session, as in a browser of their
        # own: a second sign-in in the same 30 seconds would need a code not used yet.
        self.sessions: dict[str, tuple[str, dict[str, str], dict]] = {}

    def as_(self, email: str) -> dict:
        if email in self.sessions:
            cookie, self.headers, user = self.sessions[email]
            self.client.cookies.clear()
            self.client.cookies.set("tp_session", cookie)
            return user
        self.client.cookies.clear()
        body = {"email": email, "password": DEMO_PASSWORD}
        login = self.client.post("/api/v1/auth/login", json=body)
        if login.json().get("type") == "/problems/second-factor-required":
            code = pyotp.TOTP(demo_totp_secret(email)).now()  # as printed by `make run`
            login = self.client.post("/api/v1/auth/login", json={**body, "totp": code})
        assert login.status_code == 200, login.text
        self.headers = {"X-CSRF-Token": login.json()["csrf_token"]}
        self.sessions[email] = (
            login.cookies["tp_session"], self.headers, login.json()["user"]
        )
        return login.json()["user"]

    def get(self, path: str, status: int = 200):
        answer = self.client.get(f"/api/v1{path}", headers=self.headers)
        assert answer.status_code == status, f"GET {path}: {answer.text}"
        return answer.json() if "json" in answer.headers.get("content-type", "") else answer

    def send(self, method: str, path: str, body=None, status: int = 200):
        answer = self.client.request(method, f"/api/v1{path}", json=body, headers=self.headers)
        assert answer.status_code == status, f"{method} {path}: {answer.text}"
        return answer.json() if answer.content else None


@pytest.fixture(params=DAYS, ids=str)
def demo_day(request, db) -> date:
    with clock.travel_to(request.param):
        seed_demo(db)
        db.commit()
    return request.param


def _next_week(week: str) -> str:
    return str(Week(week).plus(1))


def test_every_readme_journey_works_on_any_day(client, demo_day: date) -> None:
    api = Api(client)
    with clock.travel_to(demo_day):
        _bookings_in_every_state(api, demo_day)  # before the journeys change them
        _peter_lists_mark_signs_off_bob_books(api)
        _olivia_consents_and_alice_invites(api)
        _fiona_recharges_last_month(api, demo_day)


def _peter_lists_mark_signs_off_bob_books(api: Api) -> None:
    me = api.as_(PETER)
    first = _next_week(me["current_week"])
    listed = api.send("POST", "/officers/me/availability/plan",
                      {"from_week": first, "weeks": 12, "hours": 3, "single_booking": False})
    assert [row["status"] for row in listed["items"]] == ["pending"] * 12
    api.as_(MARK)
    queue = api.get("/approvals?status=pending&limit=200")["items"]
    peters = [row["id"] for row in queue if row["officer"]["display_name"] == "Peter Price"]
    assert len(peters) == 12
    approved = api.send("POST", "/approvals/approve", {"ids": peters})
    assert len(approved["approved"]) == 12
    bob = api.as_(BOB)
    assert bob["council"]["po_required"] is True  # the form says so before he sends it
    hits = api.get(f"/search/officers?q=peter&week={first}")["items"]
    assert [hit["available_hours"] for hit in hits] == [3]
    body = {"officer_id": hits[0]["officer"]["id"], "week": first, "hours": 3,
            "purpose": "Householder applications backlog"}
    api.send("POST", "/bookings", body, status=422)  # Reading needs a purchase order number
    booking = api.send("POST", "/bookings", {**body, "purchase_order": "PO-1"}, status=201)
    api.as_(PETER)
    assert api.send("POST", f"/bookings/{booking['id']}/confirm")["status"] == "confirmed"


def _olivia_consents_and_alice_invites(api: Api) -> None:
    api.as_(OLIVIA)
    assert api.get("/officers/me")["consent_current"] is False
    assert api.send("POST", "/officers/me/consent", {})["consent_current"] is True
    alice = api.as_(ALICE)
    api.send("POST", f"/councils/{alice['council']['id']}/invitations",
             {"email": "nina.new@westberks.example.gov.uk", "name": "Nina New",
              "roles": ["officer"]}, status=201)


def _fiona_recharges_last_month(api: Api, today: date) -> None:
    api.as_(FIONA)
    calendar = demo_calendar(today)
    last_month = calendar.last_month
    drafts = api.send("POST", "/invoice-runs", {"period": last_month}, status=201)["invoices"]
    to_reading = [d for d in drafts if d["customer"]["code"] == "RDG"]
    assert len(to_reading) == 1, drafts
    lines = to_reading[0]["lines"]
    assert {line["officer"] for line in lines} == {"Samira Shah"}
    # Every week of last month that has ended (on 1 January, 28 December's week has not).
    ended = [week for week in weeks_of_month(last_month) if week < calendar.this_week]
    assert sorted(line["week"] for line in lines) == ended
    issued = api.send("POST", f"/invoices/{to_reading[0]['id']}/issue")
    assert issued["number"].startswith(f"WBK-{today.year}-")
    for fmt in ("pdf", "csv", "ubl"):
        api.get(f"/invoices/{issued['id']}/document?format={fmt}")
    ledger = api.get("/exports/invoices.csv").text.strip().splitlines()
    assert sum(1 for row in ledger if row.startswith(issued["number"]) or
               f",{issued['number']}," in row) == len(lines)
    paid = api.send("POST", f"/invoices/{issued['id']}/mark-paid",
                    {"reference": "BACS-1", "paid_on": today.isoformat()})
    assert paid["status"] == "paid"
    api.as_(FRANK)
    incoming = api.get("/invoices?direction=incoming")["items"]
    assert issued["number"] in {invoice["number"] for invoice in incoming}


def _bookings_in_every_state(api: Api, today: date) -> None:
    api.as_(BOB)
    reading = api.get("/bookings?side=booking&limit=200")["items"]
    api.as_(EILIDH)
    edinburgh = api.get("/bookings?side=booking&limit=200")["items"]
    states = {b["status"] for b in reading + edinburgh}
    assert states >= {"requested", "confirmed", "declined", "expired", "cancelled", "completed",
                      "invoiced"}
    # Bob has one to complete now (its week has started) and one waiting for an answer.
    assert any(b["status"] == "confirmed" and b["week_started"] for b in reading)
    waiting = [b for b in reading if b["status"] == "requested"]
    assert waiting and all(b["expires_at"] > f"{today.isoformat()}" for b in waiting)
    # Completed hours in last month and, once one of its weeks has ended, this month too.
    calendar = demo_calendar(today)
    done = {b["week"] for b in reading if b["status"] in ("completed", "invoiced")}
    months = weeks_of_month(calendar.last_month) + weeks_of_month(f"{today:%Y-%m}")
    assert {week for week in months if week < calendar.this_week} <= done
    first, _ = month_bounds(calendar.month_before)
    assert any(b["status"] == "invoiced" and b["week_start"] >= first.isoformat() for b in reading)


def test_the_demo_leaves_no_old_email_waiting_and_the_worker_has_an_expiry_to_do(db) -> None:
    # Other tests' committed messages may wait in this database: only the demo's count here.
    with clock.travel_to(date(2026, 11, 30)):
        before = notifications.unsent_ids(db)
        seed_demo(db)
        db.commit()
        # The history's emails belong to its past: nothing new waits for the worker…
        assert notifications.unsent_ids(db) == before
        # …but a request nobody answered is due to expire, as the worker will see at once.
        assert bookings.expire_due(db) >= 1
        waiting = db.scalars(
            select(OutboxMessage.payload).where(
                OutboxMessage.sent_at.is_(None), OutboxMessage.id.not_in(before)
            )
        )
        [expired] = [payload for payload in waiting if payload["to"] == EILIDH]
        assert expired["subject"].startswith("Booking request expired: Samira Shah, w/c ")
