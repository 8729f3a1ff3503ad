"""Demo data for `make run`: real councils from the register, people in every role."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from app.account import service as account
from app.auth import service as auth
from app.auth.models import User
from app.auth.schemas import UserUpdate
from app.availability import service as availability
from app.bookings import service as bookings
from app.core import clock
from app.core.actor import Actor, Role, Via
from app.core.isoweek import Week
from app.councils import service as councils
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
        {
            "email_domains": [demo.domain, "talentpool.example.gov.uk"],
            "invoice_address": f"{council.name}\n{demo.address}",
            "finance_email": f"finance@{demo.domain}",
            "vat_number": demo.vat_number,
            "po_required": demo.po_required,
        },
    )
    councils.accept_agreement(session, system, council_id, None)


# --- a few weeks of activity --------------------------------------------------------------

PAST_WEEKS = 4  # completed bookings in the weeks before this one (last month's recharge)
FUTURE_WEEKS = 8  # approved hours listed ahead


def _actor(session: Session, email: str) -> Actor:
    user = auth.get_user_by_email(session, email)
    assert user is not None
    return auth.actor_for(user, Via.system)


def _seed_activity(session: Session) -> None:
    """Hours listed and approved around today, bookings in every state, and completed ones in
    the weeks just gone, as if the pool had been running for a month."""
    # Samira's weeks, not Peter's: the browser tests walk Peter through listing from scratch.
    samira = _actor(session, "sam.surveyor@westberks.example.gov.uk")
    hannah = _actor(session, "hannah.highways@reading.example.gov.uk")
    ewan = _actor(session, "ewan.officer@edinburgh.example.gov.uk")
    managers = {
        samira.council_id: _actor(session, "mark.manager@westberks.example.gov.uk"),
        hannah.council_id: _actor(session, "rachel.manager@reading.example.gov.uk"),
        ewan.council_id: _actor(session, "eilidh.manager@edinburgh.example.gov.uk"),
    }
    bob = _actor(session, "bob.booker@reading.example.gov.uk")
    eilidh = _actor(session, "eilidh.manager@edinburgh.example.gov.uk")
    samira_id = officers.officer_id_for_user(session, samira.user_id)
    assert samira_id is not None
    if bookings.confirmed_for_officer(session, samira_id):
        return  # seeded before
    this_week = Week.of(clock.today())
    first = this_week.plus(-PAST_WEEKS)
    with clock.travel_to(first.monday - timedelta(days=7)):
        for officer, hours in ((samira, 6), (hannah, 4), (ewan, 3)):
            views = availability.plan_weeks(
                session, officer, first, PAST_WEEKS + 1 + FUTURE_WEEKS, hours * 60, False
            )
            manager = managers[officer.council_id]
            for view in views:
                if view.row is not None and view.row.pending_minutes:
                    availability.approve(session, manager, view.row.id)
        past = []
        for offset in range(PAST_WEEKS):
            week = first.plus(offset)
            booking = bookings.request_booking(
                session,
                bob,
                samira_id,
                week,
                180,
                "Building regulations inspections backlog",
                f"RDG-PO-{4500 + offset}",
            )
            bookings.confirm(session, samira, booking.id)
            past.append(booking)
        hannah_id = officers.officer_id_for_user(session, hannah.user_id)
        assert hannah_id is not None
        upcoming = bookings.request_booking(
            session, eilidh, hannah_id, this_week.plus(2), 120, "Junction redesign review", None
        )
        bookings.confirm(session, hannah, upcoming.id)
    with clock.travel_to(this_week.monday - timedelta(days=3)):
        bookings.request_booking(
            session,
            bob,
            samira_id,
            this_week.plus(3),
            120,
            "Dangerous structures survey cover",
            "RDG-PO-4600",
        )
    for index, booking in enumerate(past):
        with clock.travel_to(booking.week_start + timedelta(days=7)):
            bookings.complete(session, bob, booking.id, 180 - 15 * index)
    session.flush()
