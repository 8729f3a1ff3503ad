"""Demo data for `make run`: real councils from the register, people in every role, and a pool
that has been running for a few months before the server's today (real, or TP_TODAY), so that
every journey in the README works on whatever day the demo is first seeded."""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from app.account import service as account
from app.auth import credentials
from app.auth import service as auth
from app.auth.models import User
from app.auth.schemas import UserUpdate
from app.availability import service as availability
from app.bookings import service as bookings
from app.bookings.models import Booking
from app.core import clock
from app.core.actor import Actor, Role, Via
from app.core.isoweek import Week
from app.councils import service as councils
from app.councils.schemas import CouncilSettingsUpdate
from app.invoicing import service as invoicing
from app.notifications import service as notifications
from app.officers import service as officers

REGISTER = Path(__file__).resolve().parent / "councils" / "data" / "uk-local-authorities.csv"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    roles: tuple[str, ...]
    job_title: str = ""
    skills: tuple[str, ...] = ()
    consent: bool = True


@dataclass(frozen=True)
class DemoCouncil:
    code: str
    domain: str
    address: str
    vat_number: str
    po_required: bool
    people: tuple[DemoPerson, ...]
    # Where other councils pay it (made-up bank details, for the demo's "How to pay").
    sort_code: str = "309950"
    account_number: str = "12345678"


def _address(text: str) -> dict[str, object]:
    """ "Council Offices, Market Street, Newbury, RG14 5LD" as the settings keep it."""
    *lines, town, postcode = [part.strip() for part in text.split(",")]
    return {"address_lines": lines, "town": town, "postcode": postcode}


DEMO_COUNCILS = (
    DemoCouncil(
        "WBK",
        "westberks.example.gov.uk",
        "Council Offices, Market Street, Newbury, RG14 5LD",
        "GB123456789",
        False,
        (
            DemoPerson(
                "olivia.officer@westberks.example.gov.uk",
                "Olivia Okafor",
                ("officer",),
                "Senior user researcher",
                ("user-researcher", "service-designer"),
                False,
            ),
            DemoPerson(
                "peter.planner@westberks.example.gov.uk",
                "Peter Price",
                ("officer",),
                "Principal planning officer",
                ("town-planning", "planning-policy"),
            ),
            DemoPerson(
                "sam.surveyor@westberks.example.gov.uk",
                "Samira Shah",
                ("officer",),
                "Building control surveyor",
                ("building-control", "estates-and-surveying"),
            ),
            DemoPerson("mark.manager@westberks.example.gov.uk", "Mark Mensah", ("manager",)),
            DemoPerson("fiona.finance@westberks.example.gov.uk", "Fiona Fraser", ("finance",)),
            DemoPerson("alice.admin@westberks.example.gov.uk", "Alice Adams", ("council_admin",)),
        ),
    ),
    DemoCouncil(
        "RDG",
        "reading.example.gov.uk",
        "Civic Offices, Bridge Street, Reading, RG1 2LU",
        "GB987654321",
        True,
        (
            DemoPerson("bob.booker@reading.example.gov.uk", "Bob Barker", ("booker",)),
            DemoPerson(
                "hannah.highways@reading.example.gov.uk",
                "Hannah Hughes",
                ("officer",),
                "Highways engineer",
                ("highways-engineering", "traffic-management"),
            ),
            DemoPerson("rachel.manager@reading.example.gov.uk", "Rachel Reid", ("manager",)),
            DemoPerson("frank.finance@reading.example.gov.uk", "Frank Foster", ("finance",)),
            DemoPerson("ruth.admin@reading.example.gov.uk", "Ruth Roberts", ("council_admin",)),
        ),
    ),
    DemoCouncil(
        "EDH",
        "edinburgh.example.gov.uk",
        "City Chambers, 253 High Street, Edinburgh, EH1 1YJ",
        "GB555666777",
        False,
        (
            DemoPerson(
                "ewan.officer@edinburgh.example.gov.uk",
                "Ewan Elliot",
                ("officer",),
                "Environmental health officer",
                ("environmental-health", "food-safety"),
            ),
            DemoPerson(
                "eilidh.manager@edinburgh.example.gov.uk", "Eilidh Ewing", ("manager", "booker")
            ),
            DemoPerson(
                "euan.admin@edinburgh.example.gov.uk", "Euan Erskine", ("council_admin", "finance")
            ),
        ),
    ),
)
PLATFORM_ADMIN = "platform.admin@talentpool.example.gov.uk"
# Identity (issue 12): the demo's people who must use two-factor sign-in (finance, council
# admins, the platform admin) are seeded already enrolled, each with a secret made from their
# email, printed by `make run` (add it to any authenticator app, or `oathtool --totp -b`).
TWO_FACTOR_ROLES = frozenset({"finance", "council_admin", "platform_admin"})


def demo_totp_secret(email: str) -> str:
    digest = hashlib.sha256(b"talentpool-demo-totp:" + email.encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def two_factor_sign_ins(sign_ins: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(email, TOTP secret) of the demo's people who sign in with a second factor."""
    return [
        (email, demo_totp_secret(email))
        for email, roles in sign_ins
        if TWO_FACTOR_ROLES & {role.strip() for role in roles.split(",")}
    ]


def _enrol_demo_two_factor(session: Session, sign_ins: list[tuple[str, str]]) -> None:
    for email, secret in two_factor_sign_ins(sign_ins):
        user = auth.get_user_by_email(session, email)
        if user is not None and user.totp_enabled_at is None:
            credentials.enrol_with_secret(session, user, secret)


def seed_demo(session: Session) -> list[tuple[str, str]]:
    """Create the demo once (re-running changes nothing) and return (email, roles) sign-ins."""
    councils.import_register(session, REGISTER)
    admin_user = auth.get_user_by_email(session, PLATFORM_ADMIN)
    if admin_user is None:
        admin_user = account.add_member(
            session,
            None,
            None,
            PLATFORM_ADMIN,
            "Pat Platform",
            (),
            DEMO_PASSWORD,
            is_platform_admin=True,
        )
    system = auth.actor_for(admin_user, Via.system)
    sign_ins = [(PLATFORM_ADMIN, "platform_admin")]
    current = councils.current_agreement(session).version
    for demo in DEMO_COUNCILS:
        council = councils.get_council_by_code(session, demo.code)
        if councils.agreement_status(session, council.id) is None:
            _set_up_council(session, system, council.id, demo)
        managers: list[User] = []
        created: list[tuple[User, DemoPerson]] = []
        for person in demo.people:
            user = auth.get_user_by_email(session, person.email)
            if user is None:
                user = account.add_member(
                    session,
                    system,
                    council.id,
                    person.email,
                    person.name,
                    [Role(role) for role in person.roles],
                    DEMO_PASSWORD,
                )
                created.append((user, person))
            if "manager" in person.roles:
                managers.append(user)
            sign_ins.append((person.email, ", ".join(person.roles)))
        for user, person in created:
            if "officer" not in person.roles:
                continue
            if managers:
                account.update_member(
                    session, system, user.id, UserUpdate(line_manager_id=managers[0].id)
                )
            actor = auth.actor_for(user, Via.system)
            officers.update_my_profile(
                session,
                actor,
                person.name,
                person.job_title,
                f"{person.job_title} at {council.name}.",
                person.skills,
                True,
            )
            if person.consent:
                officers.give_consent(session, actor, None, current)
    _enrol_demo_two_factor(session, sign_ins)
    session.flush()
    _seed_activity(session)
    return sign_ins


def _set_up_council(
    session: Session, system: Actor, council_id: uuid.UUID, demo: DemoCouncil
) -> None:
    council = councils.get_council(session, council_id)
    councils.update_settings(
        session,
        system,
        council_id,
        CouncilSettingsUpdate.model_validate(
            {
                "email_domains": [demo.domain, "talentpool.example.gov.uk"],
                **_address(demo.address),
                "bank_account_name": council.name,
                "bank_sort_code": demo.sort_code,
                "bank_account_number": demo.account_number,
                "remittance_email": f"remittances@{demo.domain}",
                "finance_email": f"finance@{demo.domain}",
                "vat_number": demo.vat_number,
                "po_required": demo.po_required,
            }
        ),
    )
    councils.accept_agreement(session, system, council_id, None)


# --- a few months of activity, relative to today ------------------------------------------

AHEAD_WEEKS = 8  # approved hours listed after this week
COMPLETED_MINUTES = (180, 165, 180, 150)  # the hours worked vary a little from week to week


@dataclass(frozen=True)
class DemoCalendar:
    """Where the demo's activity falls around `today`: completed bookings in every week of last
    month and in this month's weeks gone by, one invoiced booking in the month before last."""

    today: date
    this_week: Week
    last_month: str  # "YYYY-MM": the month a finance officer recharges first
    month_before: str

    @property
    def first_week(self) -> Week:
        return weeks_of_month(self.month_before)[0]

    def completed_weeks(self) -> list[Week]:
        """Every week of last month and of this month before this week (all ended)."""
        this_month = f"{self.today:%Y-%m}"
        weeks = weeks_of_month(self.last_month) + weeks_of_month(this_month)
        return [week for week in weeks if week < self.this_week]


def _month_before(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


def weeks_of_month(period: str) -> list[Week]:
    """The weeks whose Monday falls in the month (a booking belongs to that month)."""
    first, last = invoicing.month_bounds(period)
    week = Week.of(first)
    if week.monday < first:
        week = week.plus(1)
    weeks = []
    while week.monday <= last:
        weeks.append(week)
        week = week.plus(1)
    return weeks


def demo_calendar(today: date) -> DemoCalendar:
    last = _month_before(today)
    return DemoCalendar(today, Week.of(today), f"{last:%Y-%m}", f"{_month_before(last):%Y-%m}")


def _actor(session: Session, email: str) -> Actor:
    user = auth.get_user_by_email(session, email)
    assert user is not None
    return auth.actor_for(user, Via.system)


@dataclass(frozen=True)
class _Cast:
    samira: Actor
    hannah: Actor
    ewan: Actor
    bob: Actor  # books for Reading, which needs purchase order numbers
    eilidh: Actor  # books for Edinburgh
    rachel: Actor
    fiona: Actor

    def officer_id(self, session: Session, actor: Actor) -> uuid.UUID:
        officer_id = officers.officer_id_for_user(session, actor.user_id)
        assert officer_id is not None
        return officer_id


def _cast(session: Session) -> _Cast:
    return _Cast(
        samira=_actor(session, "sam.surveyor@westberks.example.gov.uk"),
        hannah=_actor(session, "hannah.highways@reading.example.gov.uk"),
        ewan=_actor(session, "ewan.officer@edinburgh.example.gov.uk"),
        bob=_actor(session, "bob.booker@reading.example.gov.uk"),
        eilidh=_actor(session, "eilidh.manager@edinburgh.example.gov.uk"),
        rachel=_actor(session, "rachel.manager@reading.example.gov.uk"),
        fiona=_actor(session, "fiona.finance@westberks.example.gov.uk"),
    )


def _seed_activity(session: Session) -> None:
    """Hours listed and approved from the month before last to eight weeks ahead, completed
    bookings last month and this month, an issued invoice, and bookings in every other state
    around today. Samira's, Hannah's and Ewan's weeks, not Peter's: the README's journey (and
    the browser tests) walk Peter through listing from scratch."""
    cast = _cast(session)
    samira_id = cast.officer_id(session, cast.samira)
    if bookings.confirmed_for_officer(session, samira_id):
        return  # seeded before
    calendar = demo_calendar(clock.today())
    waiting = notifications.unsent_ids(session)
    _list_hours(session, cast, calendar)
    _completed_and_invoiced(session, cast, calendar, samira_id)
    _around_today(session, cast, calendar, samira_id)
    # The emails of that history went out when it happened: none waits for the worker now.
    notifications.settle_all_but(session, waiting)
    session.flush()


def _list_hours(session: Session, cast: _Cast, calendar: DemoCalendar) -> None:
    managers = {
        cast.samira.council_id: _actor(session, "mark.manager@westberks.example.gov.uk"),
        cast.hannah.council_id: cast.rachel,
        cast.ewan.council_id: cast.eilidh,
    }
    first = calendar.first_week
    weeks = first.weeks_until(calendar.this_week) + 1 + AHEAD_WEEKS
    with clock.travel_to(first.monday - timedelta(days=7)):
        for officer, hours in ((cast.samira, 6), (cast.hannah, 4), (cast.ewan, 3)):
            views = availability.plan_weeks(session, officer, first, weeks, hours * 60, False)
            for view in views:
                if view.row is not None and view.row.pending_minutes:
                    availability.approve(session, managers[officer.council_id], view.row.id)


def _completed_and_invoiced(
    session: Session, cast: _Cast, calendar: DemoCalendar, samira_id: uuid.UUID
) -> None:
    """Samira's work for Reading: the first week of the month before last, invoiced early last
    month; every week since up to this one completed and not yet invoiced."""
    weeks = [calendar.first_week, *calendar.completed_weeks()]
    done: list[Booking] = []
    with clock.travel_to(calendar.first_week.monday - timedelta(days=7)):
        for week in weeks:
            booking = bookings.request_booking(
                session,
                cast.bob,
                samira_id,
                week,
                180,
                "Building regulations inspections backlog",
                f"RDG-PO-{4500 + week.monday.month}",  # a PO a month: one invoice each
            )
            bookings.confirm(session, cast.samira, booking.id)
            done.append(booking)
    for number, booking in enumerate(done):
        with clock.travel_to(booking.week_start + timedelta(days=7)):
            minutes = COMPLETED_MINUTES[number % len(COMPLETED_MINUTES)]
            bookings.submit_timesheet(session, cast.samira, booking.id, minutes, None)
            bookings.complete(session, cast.bob, booking.id, None)
    first_of_last_month = invoicing.month_bounds(calendar.last_month)[0]
    with clock.travel_to(first_of_last_month + timedelta(days=1)):
        for invoice in invoicing.run_recharge(session, cast.fiona, calendar.month_before):
            invoicing.issue(session, cast.fiona, invoice.id)


def _around_today(
    session: Session, cast: _Cast, calendar: DemoCalendar, samira_id: uuid.UUID
) -> None:
    """A booking in every other state: hours awaited this week, one confirmed ahead, one
    declined, one cancelled, one expired, one the worker expires when it starts, and one
    request waiting for Samira's answer."""
    week, today = calendar.this_week, calendar.today
    hannah_id = cast.officer_id(session, cast.hannah)
    ewan_id = cast.officer_id(session, cast.ewan)
    with clock.travel_to(week.monday - timedelta(days=7)):
        this_week = bookings.request_booking(
            session, cast.bob, ewan_id, week, 120, "Food hygiene inspections cover", "RDG-PO-4700"
        )
        bookings.confirm(session, cast.ewan, this_week.id)
        ahead = bookings.request_booking(
            session, cast.eilidh, hannah_id, week.plus(2), 120, "Junction redesign review", None
        )
        bookings.confirm(session, cast.hannah, ahead.id)
        declined = bookings.request_booking(
            session, cast.eilidh, hannah_id, week.plus(4), 120, "Road safety audit", None
        )
        bookings.decline(session, cast.rachel, declined.id, "Hannah is on leave that week.")
        cancelled = bookings.request_booking(
            session,
            cast.bob,
            samira_id,
            week.plus(5),
            120,
            "Loft conversion inspections",
            "RDG-PO-4701",
        )
        bookings.cancel(session, cast.bob, cancelled.id, "The inspections were postponed.")
    with clock.travel_to(today - timedelta(days=21)):
        bookings.request_booking(
            session, cast.eilidh, samira_id, week.plus(6), 120, "Party wall survey", None
        )
    bookings.expire_due(session)
    with clock.travel_to(today - timedelta(days=14)):
        # Unanswered for longer than 3 working days: `talentpool worker` expires it and emails
        # Edinburgh as soon as it starts.
        bookings.request_booking(
            session, cast.eilidh, samira_id, week.plus(7), 120, "Fire safety review", None
        )
    bookings.request_booking(
        session,
        cast.bob,
        samira_id,
        week.plus(3),
        120,
        "Dangerous structures survey cover",
        "RDG-PO-4600",
    )
