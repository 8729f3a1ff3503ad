"""Tenancy, table-driven: every endpoint answers 401 to nobody, 403 to a colleague without the
role, and 404 to a user of another council for objects they may not see.

New endpoints join by adding a row to ENDPOINTS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from app.account import service as account
from app.auth import service as auth
from app.core import clock
from app.core.actor import Role
from app.councils.models import Council
from app.officers import service as officers
from tests.factories import PASSWORD, approved_week

TODAY = date(2026, 11, 25)
WEEK = "2026-W50"
LATER = "2027-W02"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # placeholders: {council}, {user}, {officer}, {token_id}
    role: str | None  # the role that may call it (None: any signed-in user)
    body: dict[str, Any] | None = None
    # Whether a user of another council (holding the role) must get 404.
    scoped: bool = True
    wrong_roles: tuple[str, ...] = field(default=("booker",))
    # Who may call it when a role is not enough (a key of the world's people).
    owner: str | None = None
    # False when the permitted caller still meets a business rule (e.g. the week not started).
    succeeds: bool = True


ENDPOINTS = [
    Endpoint("GET", "/api/v1/me", None, scoped=False),
    Endpoint("GET", "/api/v1/councils", None, scoped=False),
    Endpoint("GET", "/api/v1/skills", None, scoped=False),
    Endpoint("GET", "/api/v1/agreement", None, scoped=False),
    Endpoint("POST", "/api/v1/auth/logout", None, scoped=False),
    Endpoint("POST", "/api/v1/auth/tokens", None, {"name": "t"}, scoped=False),
    Endpoint("GET", "/api/v1/auth/tokens", None, scoped=False),
    Endpoint("DELETE", "/api/v1/auth/tokens/{token_id}", None),
    Endpoint(
        "POST",
        "/api/v1/councils",
        "platform_admin",
        {"name": "X Council", "code": "XQZ", "nation": "England", "region": "London"},
        scoped=False,
    ),
    Endpoint("GET", "/api/v1/councils/{council}/settings", "council_admin"),
    Endpoint(
        "PATCH", "/api/v1/councils/{council}/settings", "council_admin", {"po_required": True}
    ),
    Endpoint("POST", "/api/v1/councils/{council}/agreement", "council_admin"),
    Endpoint(
        "POST",
        "/api/v1/councils/{council}/invitations",
        "council_admin",
        {"email": "x@example.gov.uk", "name": "X", "roles": []},
    ),
    Endpoint("GET", "/api/v1/councils/{council}/invitations", "council_admin"),
    Endpoint("GET", "/api/v1/councils/{council}/users", "council_admin"),
    Endpoint("PATCH", "/api/v1/users/{user}", "council_admin", {"active": True}),
    Endpoint("GET", "/api/v1/officers/me", "officer", scoped=False),
    Endpoint("PUT", "/api/v1/officers/me", "officer", {"display_name": "X"}, scoped=False),
    Endpoint("POST", "/api/v1/officers/me/consent", "officer", scoped=False),
    Endpoint("DELETE", "/api/v1/officers/me/consent", "officer", scoped=False),
    Endpoint("GET", "/api/v1/officers/{hidden_officer}", None, wrong_roles=()),
    Endpoint("PUT", "/api/v1/officers/{officer}/rate", "manager", {"rate_pence_per_hour": 100}),
    Endpoint("GET", "/api/v1/audit", "council_admin", scoped=False),
    Endpoint("GET", "/api/v1/officers", "manager", scoped=False),
    # availability and sign-off
    Endpoint("GET", "/api/v1/officers/me/availability", "officer", scoped=False),
    Endpoint(
        "PUT",
        "/api/v1/officers/me/availability/{week}",
        "officer",
        {"hours": 8},
        scoped=False,
        owner="home_officer",
    ),
    Endpoint(
        "DELETE",
        "/api/v1/officers/me/availability/{week}",
        "officer",
        scoped=False,
        owner="home_officer",
    ),
    Endpoint(
        "POST",
        "/api/v1/officers/me/availability/plan",
        "officer",
        {"from_week": LATER, "weeks": 2, "hours": 1},
        scoped=False,
    ),
    Endpoint("GET", "/api/v1/approvals", "manager", scoped=False),
    Endpoint("POST", "/api/v1/approvals/approve", "manager", {}, scoped=False),
    Endpoint("GET", "/api/v1/availability/{pending}", "manager"),
    Endpoint("POST", "/api/v1/availability/{pending}/approve", "manager"),
    Endpoint("POST", "/api/v1/availability/{pending}/reject", "manager", {"reason": "x"}),
    Endpoint(
        "POST",
        "/api/v1/officers/{officer}/permissions",
        "manager",
        {"max_hours_per_week": 2, "valid_from": "2027-01-04"},
    ),
    Endpoint("GET", "/api/v1/officers/{officer}/permissions", "manager"),
    Endpoint("DELETE", "/api/v1/permissions/{permission}", "manager"),
    Endpoint("GET", "/api/v1/search/officers", None, scoped=False),
    # bookings: home is the lending council, "partner" the booking one
    Endpoint(
        "POST",
        "/api/v1/bookings",
        "booker",
        {"officer_id": "{officer}", "week": WEEK, "hours": 1, "purpose": "x"},
        scoped=False,
        wrong_roles=("finance",),
        owner="partner_booker",
    ),
    Endpoint("GET", "/api/v1/bookings", "officer", scoped=False),
    Endpoint("GET", "/api/v1/bookings/{booking}", "manager"),
    Endpoint("GET", "/api/v1/bookings/{booking}/history", "manager"),
    Endpoint("POST", "/api/v1/bookings/{booking}/confirm", "manager"),
    Endpoint("POST", "/api/v1/bookings/{booking}/decline", "manager", {"reason": "x"}),
    Endpoint("POST", "/api/v1/bookings/{booking}/cancel", "manager", {"reason": "x"}),
    Endpoint(
        "POST",
        "/api/v1/bookings/{booking}/timesheet",
        "officer",
        {"actual_hours": 1},
        owner="home_officer",
        succeeds=False,
    ),
    Endpoint(
        "POST",
        "/api/v1/bookings/{booking}/complete",
        "booker",
        {"actual_hours": 1},
        owner="partner_booker",
        succeeds=False,
    ),
    Endpoint("POST", "/api/v1/officers/me/calendar", "officer", scoped=False),
    Endpoint("GET", "/api/v1/reports/exchange?from=2026-01-01&to=2026-12-31", None, scoped=False),
    # invoicing: home issued an invoice to "partner"
    Endpoint("POST", "/api/v1/invoice-runs", "finance", {"period": "2026-10"}, scoped=False),
    Endpoint("GET", "/api/v1/invoices", "finance", scoped=False),
    Endpoint("GET", "/api/v1/invoices/{invoice}", "finance"),
    Endpoint("GET", "/api/v1/invoices/{invoice}/document", "finance"),
    Endpoint("POST", "/api/v1/invoices/{invoice}/issue", "finance", succeeds=False),
    Endpoint(
        "POST",
        "/api/v1/invoices/{invoice}/mark-paid",
        "finance",
        {"reference": "BACS", "paid_on": "2026-11-25"},
        succeeds=False,
    ),
    Endpoint("POST", "/api/v1/invoices/{invoice}/credit-notes", "finance", {"reason": "x"}),
    Endpoint("GET", "/api/v1/credit-notes/{credit_note}/document", "finance"),
    Endpoint("GET", "/api/v1/exports/invoices.csv", "finance", scoped=False),
    Endpoint("GET", "/api/v1/exports/payroll.csv", "finance", scoped=False),
    Endpoint(
        "POST",
        "/api/v1/invoices/{invoice}/stripe",
        "finance",
        owner="partner_finance",
        succeeds=False,
    ),
    # councils running themselves: the agreement, joining, invitations, the platform's pages
    Endpoint("GET", "/api/v1/home", None, scoped=False),
    Endpoint("GET", "/api/v1/agreement/versions", None, scoped=False),
    Endpoint(
        "POST",
        "/api/v1/agreement/versions",
        "platform_admin",
        {"version": "2099-1", "text": "T" * 30, "officer_consent_text": "C" * 30},
        scoped=False,
    ),
    Endpoint("GET", "/api/v1/agreement/acceptances", None, scoped=False),
    Endpoint("GET", "/api/v1/councils/{council}/agreement", None),
    Endpoint("DELETE", "/api/v1/councils/{council}/agreement", "council_admin"),
    Endpoint("POST", "/api/v1/invitations/{invitation}/resend", "council_admin"),
    Endpoint("DELETE", "/api/v1/invitations/{invitation}", "council_admin"),
    Endpoint("GET", "/api/v1/join-requests", "platform_admin", scoped=False),
    Endpoint("GET", "/api/v1/join-requests/{join_request}", "platform_admin", scoped=False),
    Endpoint(
        "POST",
        "/api/v1/join-requests/{join_request}/approve",
        "platform_admin",
        {"email_domains": ["joining.example.gov.uk"]},
        scoped=False,
    ),
    Endpoint(
        "POST",
        "/api/v1/join-requests/{join_request}/decline",
        "platform_admin",
        {"reason": "x"},
        scoped=False,
    ),
    Endpoint("GET", "/api/v1/platform/councils", "platform_admin", scoped=False),
    Endpoint("GET", "/api/v1/platform/councils/{council}", "platform_admin", scoped=False),
    Endpoint(
        "PATCH", "/api/v1/councils/{council}", "platform_admin", {"region": "London"}, scoped=False
    ),
    Endpoint("GET", "/api/v1/platform/pool", "platform_admin", scoped=False),
    Endpoint("GET", "/api/v1/audit/people", "council_admin", scoped=False),
    Endpoint("GET", "/api/v1/audit.csv", "council_admin", scoped=False),
    # identity (issue 12): one's own sessions, password and two-factor sign-in; the council's
    # sign-in settings (its own council admins only: platform admins are no exception).
    Endpoint("GET", "/api/v1/auth/sessions", None, scoped=False),
    Endpoint("DELETE", "/api/v1/auth/sessions/{session_id}", None, owner="home_user"),
    Endpoint("POST", "/api/v1/auth/sessions/end-others", None, scoped=False),
    Endpoint(
        "POST",
        "/api/v1/auth/password",
        None,
        {"current_password": PASSWORD, "new_password": "tractor-purple-lemon"},
        scoped=False,
    ),
    Endpoint("GET", "/api/v1/auth/totp", None, scoped=False),
    Endpoint("POST", "/api/v1/auth/totp", None, scoped=False),
    Endpoint("POST", "/api/v1/auth/totp/confirm", None, {"code": "000000"}, scoped=False,
             succeeds=False),
    Endpoint("POST", "/api/v1/auth/totp/reset", None, {"code": "000000"}, scoped=False,
             succeeds=False),
    Endpoint("GET", "/api/v1/councils/{council}/sso", "council_admin"),
    Endpoint(
        "PUT",
        "/api/v1/councils/{council}/sso",
        "council_admin",
        {"issuer": None, "email_domains": [], "require_two_factor": True},
    ),
    # market (issue 13): one's own notifications (another person's ids: 404, in
    # tests/notifications/test_in_app.py)
    Endpoint("GET", "/api/v1/notifications", None, scoped=False),
    Endpoint("GET", "/api/v1/notifications/unread-count", None, scoped=False),
    Endpoint("POST", "/api/v1/notifications/read", None, {"all": True}, scoped=False),
    Endpoint("GET", "/api/v1/search/people", None, scoped=False),
    # requests for help: home asked, partner's officer offered (approved hours: acceptable)
    Endpoint(
        "POST",
        "/api/v1/requests",
        "booker",
        {
            "title": "Help",
            "description": "x",
            "skills": ["town-planning"],
            "from_week": WEEK,
            "to_week": WEEK,
            "hours_per_week": 2,
            "closes_on": "2026-12-01",
        },
        scoped=False,
        wrong_roles=("finance",),
    ),
    Endpoint("GET", "/api/v1/requests", None, scoped=False),
    Endpoint("GET", "/api/v1/requests/{request}", None, scoped=False),  # the whole pool's
    Endpoint("POST", "/api/v1/requests/{request}/close", "booker", wrong_roles=("finance",)),
    Endpoint(
        "POST",
        "/api/v1/requests/{request}/offers",
        "officer",
        {"weeks": [{"week": WEEK, "hours": 1}]},
        scoped=False,  # any pool officer may offer
        owner="partner_officer",
        succeeds=False,  # they already have a live offer
    ),
    Endpoint("GET", "/api/v1/requests/{request}/offers", None, scoped=False),  # filtered
    Endpoint("POST", "/api/v1/offers/{offer}/accept", "booker", wrong_roles=("finance",)),
    Endpoint("POST", "/api/v1/offers/{offer}/withdraw", "officer", owner="partner_officer"),
    Endpoint("GET", "/api/v1/requests/{request}/messages", None),
    Endpoint("POST", "/api/v1/requests/{request}/messages", None, {"text": "x"}),
    Endpoint("GET", "/api/v1/bookings/{booking}/messages", "manager"),
    Endpoint("POST", "/api/v1/bookings/{booking}/messages", "manager", {"text": "x"}),
    Endpoint(
        "POST",
        "/api/v1/saved-searches",
        "booker",
        {"name": "x", "query": {"q": "planner"}},
        scoped=False,
        wrong_roles=("finance",),
    ),
    Endpoint("GET", "/api/v1/saved-searches", None, scoped=False),  # one's own
    Endpoint("DELETE", "/api/v1/saved-searches/{saved_search}", None, owner="home_user"),
    # value (issue 15): dashboards, market rates, savings, settlements between home and partner
    Endpoint("GET", "/api/v1/reports/exchange.csv?from=2026-01-01&to=2026-12-31", None,
             scoped=False),
    Endpoint("GET", "/api/v1/dashboard", "finance", scoped=False),
    Endpoint("GET", "/api/v1/dashboard/{chart}.csv", "finance", scoped=False),
    Endpoint("GET", "/api/v1/market-rates", None, scoped=False),
    Endpoint("PUT", "/api/v1/market-rates/{family}", "platform_admin",
             {"day_rate_pence": None, "source": "None published"}, scoped=False),
    Endpoint("GET", "/api/v1/market-rates/{market_rate}/history", None, scoped=False),
    Endpoint("GET", "/api/v1/bookings/{booking}/savings", "manager"),
    Endpoint("GET", "/api/v1/settlements?period=2026-12", "finance", scoped=False),
    Endpoint("POST", "/api/v1/settlement-runs", "finance", {"period": "2026-12"}, scoped=False),
    Endpoint("GET", "/api/v1/settlements/{settlement}", "finance"),
    Endpoint("GET", "/api/v1/settlements/{settlement}/document", "finance"),
    Endpoint("POST", "/api/v1/settlements/{settlement}/payment", "finance",
             {"reference": "BACS 1", "paid_on": "2026-11-25"}, owner="partner_finance",
             succeeds=False),
    Endpoint("POST", "/api/v1/settlements/{settlement}/confirm", "finance", succeeds=False),
]

PUBLIC = {
    "/api/health",
    "/api/ping",
    "/api/v1/auth/login",
    "/api/v1/invitations/{token}/accept",
    "/api/v1/calendar/{feed_token}.ics",
    "/api/v1/payments/stripe/webhook",
    "/api/v1/register/councils",
    "/api/v1/join-requests/verify",
    "/api/v1/auth/password-reset",
    "/api/v1/auth/password-reset/complete",
    "/api/v1/auth/discover",
    "/api/v1/auth/sso/start",
    "/api/v1/auth/sso/callback",
    "/api/v1/open-data/monthly.csv",
    "/api/v1/open-data/monthly.json",
    "/api/v1/open-data/dictionary.json",
}
# Public operations on a path whose other operations need a sign-in.
PUBLIC_OPERATIONS = {("POST", "/api/v1/join-requests")}


@pytest.fixture(autouse=True)
def _today():
    with clock.travel_to(TODAY):
        yield


@pytest.fixture
def world(make, client, db):
    home = make.council()
    away = make.council()
    partner = make.council()
    officer = make.officer(home)
    hidden = make.officer(home, visible=False)
    manager = make.user(home, "manager")
    people = {
        "home_officer": officer,
        "hidden_officer": hidden,
        "home_user": make.user(home, "booker"),
        "partner_booker": make.user(partner, "booker"),
        "partner_finance": make.user(partner, "finance"),
        "partner_officer": make.officer(partner, skills=["town-planning"]),
    }
    approved_week(db, officer, manager, WEEK, 10)
    pending = client.put(
        f"/api/v1/officers/me/availability/{LATER}", json={"hours": 3}, headers=officer.headers
    ).json()["id"]
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    hidden_id = client.get("/api/v1/officers/me", headers=hidden.headers).json()["id"]
    token_id = client.post(
        "/api/v1/auth/tokens", json={"name": "x"}, headers=people["home_user"].headers
    ).json()["id"]
    permission = client.post(
        f"/api/v1/officers/{officer_id}/permissions",
        json={"max_hours_per_week": 1, "valid_from": "2027-06-07"},
        headers=manager.headers,
    ).json()["id"]
    booking = client.post(
        "/api/v1/bookings",
        headers=people["partner_booker"].headers,
        json={"officer_id": officer_id, "week": WEEK, "hours": 2, "purpose": "x"},
    ).json()["id"]
    invoice_id, credit_note_id = _issued_invoice(
        db, people, manager, officer_id, make.user(home, "finance")
    )
    invitation = client.post(
        f"/api/v1/councils/{home.id}/invitations",
        json={"email": "invited@example.gov.uk", "name": "Invited", "roles": ["officer"]},
        headers=make.user(home, "council_admin").headers,
    ).json()["id"]
    ids = {
        "invoice": invoice_id,
        "credit_note": credit_note_id,
        "week": WEEK,
        "pending": pending,
        "permission": permission,
        "booking": booking,
        "council": home.id,
        "user": people["home_user"].id,
        "officer": officer_id,
        "hidden_officer": hidden_id,
        "token_id": token_id,
        "session_id": _session_of(db, people["home_user"]),
        "invitation": invitation,
        "join_request": _pending_join_request(db, make, client),
        **_request_and_offer(db, client, people, make.user(partner, "manager")),
        "settlement": _settlement(db, home),
        "market_rate": _market_rate(db),
        "chart": "months",
        "family": "Digital: data",
    }
    return make, home, away, ids, people


def _session_of(db, member):
    """A browser session of `member`'s (its id, as the sessions list shows it)."""
    token = auth.open_session(db, member.user)
    db.commit()
    return auth.session_of(db, token).id
def _request_and_offer(db, client, people, partner_manager):
    """A request for help of home's, and an offer of partner's officer with approved hours."""
    approved_week(db, people["partner_officer"], partner_manager, WEEK, 4)
    body = {
        "title": "Help",
        "description": "x",
        "skills": ["town-planning"],
        "from_week": WEEK,
        "to_week": WEEK,
        "hours_per_week": 2,
        "closes_on": "2026-12-01",
    }
    request = client.post("/api/v1/requests", json=body, headers=people["home_user"].headers)
    assert request.status_code == 201, request.text
    offer = client.post(
        f"/api/v1/requests/{request.json()['id']}/offers",
        json={"weeks": [{"week": WEEK, "hours": 2}]},
        headers=people["partner_officer"].headers,
    )
    assert offer.status_code == 201, offer.text
    saved = client.post(
        "/api/v1/saved-searches",
        json={"name": "x", "query": {}},
        headers=people["home_user"].headers,
    )
    assert saved.status_code == 201, saved.text
    return {
        "request": request.json()["id"],
        "offer": offer.json()["id"],
        "saved_search": saved.json()["id"],
    }


def _pending_join_request(db, make, client):
    """A verified request from someone at a council outside the pool."""
    from tests.councils.helpers import emailed_link

    joining = make.council(accepted=False)
    body = {
        "council_code": joining.code,
        "name": "Jo Joiner",
        "job_title": "Head of HR",
        "email": "jo@joining.example.gov.uk",
    }
    assert client.post("/api/v1/join-requests", json=body).status_code == 202
    token = emailed_link(db, "jo@joining.example.gov.uk", "/join/verify/")
    verified = client.post("/api/v1/join-requests/verify", json={"token": token})
    assert verified.status_code == 200, verified.text
    listed = client.get(
        "/api/v1/join-requests", headers=make.user(joining, platform_admin=True).headers
    ).json()["items"]
    return next(item["id"] for item in listed if item["council"]["id"] == str(joining.id))


def _settlement(db, home):
    """December's statement between home and partner (home's invoice less its credit note)."""
    from app.settlements import service as settlements
    from app.settlements.models import SettlementStatement

    settlements.generate(db, "2026-12", None)
    db.commit()
    return db.scalars(select(SettlementStatement.id).where(
        SettlementStatement.period == "2026-12", SettlementStatement.council_a_id.in_(
        [home.id]) | SettlementStatement.council_b_id.in_([home.id]))).one()


def _market_rate(db):
    from app.reports.models import MarketRate

    return db.scalars(select(MarketRate.id)).first()


def _issued_invoice(db, people, manager, officer_id, finance):
    """A completed booking of `partner`'s, invoiced by home and issued."""
    import uuid

    from app.auth import service as auth
    from app.bookings import service as bookings
    from app.core.isoweek import Week
    from app.invoicing import service as invoicing

    booker = auth.actor_for(people["partner_booker"].user, "token")
    booking = bookings.request_booking(db, booker, uuid.UUID(officer_id), Week(WEEK), 60, "x", None)
    bookings.confirm(db, auth.actor_for(manager.user, "token"), booking.id)
    with clock.travel_to(date(2026, 12, 14)):
        bookings.complete(db, booker, booking.id, 60)
        [draft] = invoicing.run_recharge(db, auth.actor_for(finance.user, "token"), "2026-12")
        invoicing.issue(db, auth.actor_for(finance.user, "token"), draft.id)
        part = [invoicing.CreditRequest(booking.id, 15)]
        note = invoicing.credit(db, auth.actor_for(finance.user, "token"), draft.id, part, "x")
    db.commit()
    return draft.id, note.id


def _call(client, endpoint, ids, headers=None):
    body = endpoint.body
    if body and "officer_id" in body:
        body = {**body, "officer_id": str(ids["officer"])}
    return client.request(
        endpoint.method, endpoint.path.format(**ids), json=body, headers=headers or {}
    )


def _member(make, council, role):
    if role == "platform_admin":
        return make.user(council, platform_admin=True)
    if role == "officer":
        return make.officer(council)
    return make.user(council, *([role] if role else ["booker"]))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_nobody_signed_in_gets_401(client, world, endpoint):
    _make, _home, _away, ids, _people = world
    assert _call(client, endpoint, ids).status_code == 401


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.role], ids=lambda e: f"{e.method} {e.path}"
)
def test_a_colleague_without_the_role_gets_403(client, world, endpoint):
    make, home, _away, ids, _people = world
    for role in endpoint.wrong_roles:
        member = make.user(home, role)
        response = _call(client, endpoint, ids, member.headers)
        assert response.status_code == 403, response.text


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.scoped], ids=lambda e: f"{e.method} {e.path}"
)
def test_another_councils_user_gets_404(client, world, endpoint):
    make, _home, away, ids, _people = world
    outsider = _member(make, away, endpoint.role)
    response = _call(client, endpoint, ids, outsider.headers)
    assert response.status_code == 404, response.text


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_the_right_role_in_the_right_council_gets_through(client, world, endpoint):
    make, home, _away, ids, people = world
    member = _member(make, home, endpoint.role)
    if "{token_id}" in endpoint.path:  # only its owner may revoke a token
        member = people["home_user"]
    if endpoint.owner:
        member = people[endpoint.owner]
    response = _call(client, endpoint, ids, member.headers)
    if endpoint.succeeds:
        assert response.status_code < 400, response.text
    else:
        assert response.status_code not in (401, 403, 404), response.text


def test_every_api_operation_is_in_the_table(app):
    documented = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if path not in PUBLIC
        and path.startswith("/api/v1")
        and (method.upper(), path) not in PUBLIC_OPERATIONS
    }
    covered = {(e.method, _shape(e.path)) for e in ENDPOINTS}
    missing = {op for op in documented if (op[0], _shape(op[1])) not in covered}
    assert not missing, f"add these endpoints to ENDPOINTS: {sorted(missing)}"


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])


# --- visibility: an officer is seen by other councils only when listed -------------------------


def _never_consented(make, db):
    return make.officer(make.council(), consent=False), make.council()


def _council_not_accepted(make, db):
    return make.officer(make.council(accepted=False)), make.council()


def _not_chosen(make, db):
    return make.officer(make.council(), visible=False), make.council()


def _consent_withdrawn(make, db):
    officer = make.officer(make.council())
    officers.withdraw_consent(db, auth.actor_for(officer.user, "token"))
    db.commit()
    return officer, make.council()


UNLISTED = {
    "never consented": _never_consented,
    "council has not accepted the agreement": _council_not_accepted,
    "chose not to be listed": _not_chosen,
    "withdrew consent": _consent_withdrawn,
}


@pytest.mark.parametrize("case", UNLISTED)
def test_an_unlisted_officer_is_invisible_to_other_councils(client, make, db, case):
    officer, other = UNLISTED[case](make, db)
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    outsider = make.user(other, "booker", "manager")
    assert client.get(f"/api/v1/officers/{officer_id}", headers=outsider.headers).status_code == 404
    rate = client.put(f"/api/v1/officers/{officer_id}/rate", json={"rate_pence_per_hour": 1},
                      headers=outsider.headers)
    assert rate.status_code == 404
    booking = client.post("/api/v1/bookings", headers=outsider.headers,
                          json={"officer_id": officer_id, "week": WEEK, "hours": 1,
                                "purpose": "x"})
    assert booking.status_code == 404, booking.text
    found = client.get(f"/api/v1/search/officers?week={WEEK}&limit=200", headers=outsider.headers)
    assert found.status_code == 200
    assert officer_id not in {hit["officer"]["id"] for hit in found.json()["items"]}
    # their own council still sees them
    colleague = make.user(make_council_of(db, officer), "manager")
    own = client.get(f"/api/v1/officers/{officer_id}", headers=colleague.headers)
    assert own.status_code == 200


def make_council_of(db, officer):
    return db.get(Council, officer.user.council_id)


def test_a_listed_officer_is_visible_and_found(client, make, db):
    home = make.council()
    officer = make.officer(home)
    approved_week(db, officer, make.user(home, "manager"), WEEK, 4)
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    outsider = make.user(make.council(), "booker")
    assert client.get(f"/api/v1/officers/{officer_id}", headers=outsider.headers).status_code == 200
    found = client.get(f"/api/v1/search/officers?week={WEEK}&limit=200", headers=outsider.headers)
    assert officer_id in {hit["officer"]["id"] for hit in found.json()["items"]}


@pytest.mark.parametrize("case", [c for c in UNLISTED if c != "chose not to be listed"])
def test_unlisted_hours_are_not_found_even_when_approved(client, make, db, case):
    """Approved weeks of an officer who is not (or no longer) listed stay out of search."""
    officer, other = UNLISTED[case](make, db)
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    outsider = make.user(other, "booker")
    found = client.get(f"/api/v1/search/officers?week={WEEK}&limit=200", headers=outsider.headers)
    assert officer_id not in {hit["officer"]["id"] for hit in found.json()["items"]}


def test_only_members_of_councils_in_the_pool_may_search(client, make):
    outside = make.user(make.council(accepted=False), "booker")
    refused = client.get("/api/v1/search/officers", headers=outside.headers)
    assert refused.status_code == 403
    assert "agreement" in refused.json()["detail"]
    inside = make.user(make.council(), "booker")
    assert client.get("/api/v1/search/officers", headers=inside.headers).status_code == 200


def test_new_officers_are_not_listed_until_they_choose(client, make):
    council = make.council()
    user = account.add_member(make.db, None, council.id, f"new.{council.code}@example.gov.uk",
                              "New Officer", [Role.officer], None)
    _row, token = auth.create_api_token(make.db, auth.actor_for(user, "token"), "t")
    make.db.commit()
    profile = client.get("/api/v1/officers/me", headers={"Authorization": f"Bearer {token}"})
    assert profile.status_code == 200, profile.text
    assert profile.json()["visible"] is False
