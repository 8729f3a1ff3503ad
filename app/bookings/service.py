"""The booking lifecycle: request, answer, cancel, timesheet, completion, expiry, reminders.

Capacity is the availability domain's guarded UPDATE (DESIGN.md rule 1), in the same
transaction as the booking row; every status change is a guarded UPDATE too, so two people
acting at once can never both win (the loser gets a 409 and nothing changes).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningUpdate

from app.audit import service as audit
from app.audit.models import AuditEvent
from app.auth import service as auth
from app.auth.models import User
from app.availability import service as availability
from app.bookings.models import Booking, BookingReferenceCounter, BookingStatus
from app.config import get_settings
from app.core import clock
from app.core.actor import Actor, Role
from app.core.clock import LONDON
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.guarded import guarded
from app.core.holidays import add_working_days, working_days_between
from app.core.hours import hours_text
from app.core.isoweek import Week, week_text
from app.core.pagination import PageParams, keyset_page
from app.councils import agreement
from app.councils import service as councils
from app.councils.models import Council
from app.db import request_cache
from app.notifications import calendar
from app.notifications import service as notifications
from app.officers import service as officers
from app.officers.models import Officer

EXPIRY_WORKING_DAYS = 3


class HoursUnavailable(Conflict):
    """Not enough approved, unbooked hours (often: someone else just booked them)."""

    type = "/problems/hours-unavailable"


class AgreementMissing(Conflict):
    type = "/problems/agreement-missing"


class RequestExpired(Conflict):
    type = "/problems/request-expired"


Side = Literal["booking", "lending", "mine"]

BOOKING_SIDE_ROLES = (Role.booker, Role.finance, Role.council_admin, Role.manager)
LENDING_SIDE_ROLES = (Role.manager, Role.finance, Role.council_admin)


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


# --- who may see and do what ---------------------------------------------------------------


def _with_officer(stmt: Select[Booking]) -> Select[Booking]:
    return stmt.options(joinedload(Booking.officer)).execution_options(populate_existing=True)


def _load(session: Session, booking_id: uuid.UUID) -> Booking | None:
    return session.scalar(_with_officer(select(Booking).where(Booking.id == booking_id)))


def readable_bookings(actor: Actor) -> Select[Booking]:
    """The one statement of the bookings an actor may read, used by both list and get: their
    own as the booked officer; their council's as a booker, manager, finance or admin on the
    booking side; their council's officers' on the lending side; all for platform admins."""
    stmt = select(Booking)
    if actor.is_platform_admin:
        return stmt
    readable: list[ColumnElement[bool]] = [
        Booking.officer_id.in_(select(Officer.id).where(Officer.user_id == actor.user_id))
    ]
    if actor.council_id is not None and actor.has_any(*BOOKING_SIDE_ROLES):
        readable.append(Booking.booking_council_id == actor.council_id)
    if actor.council_id is not None and actor.has_any(*LENDING_SIDE_ROLES):
        readable.append(Booking.lending_council_id == actor.council_id)
    return stmt.where(or_(*readable))


def _is_officer(actor: Actor, booking: Booking) -> bool:
    return booking.officer.user_id == actor.user_id


def _on_booking_side(actor: Actor, booking: Booking, *roles: Role) -> bool:
    return actor.council_id == booking.booking_council_id and actor.has_any(*roles)


def _on_lending_side(actor: Actor, booking: Booking, *roles: Role) -> bool:
    return actor.council_id == booking.lending_council_id and actor.has_any(*roles)


def get_booking(session: Session, actor: Actor, booking_id: uuid.UUID) -> Booking:
    """A booking the actor may read. One of their own council's that they may not read is
    forbidden (403); any other council's is invisible (404)."""
    booking = session.scalar(
        _with_officer(readable_bookings(actor).where(Booking.id == booking_id))
    )
    if booking is not None:
        return booking
    hidden = _load(session, booking_id)
    if hidden is not None and actor.council_id in (
        hidden.booking_council_id,
        hidden.lending_council_id,
    ):
        raise Forbidden("Only the officer, bookers, managers, finance and admins see bookings.")
    raise NotFound("No such booking.")


def _allow(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def _transition(
    session: Session,
    booking: Booking,
    sources: Sequence[BookingStatus],
    target: BookingStatus,
    verb: str,
    **values: Any,
) -> None:
    """Move the booking from one of `sources` to `target`, or 409 if someone got there first."""
    if booking.status not in sources:
        raise Conflict(f"This booking is {booking.status}, so it cannot be {verb}.")
    guarded(
        session,
        update(Booking)
        .where(Booking.id == booking.id, Booking.status.in_(sources))
        .values(status=target, updated_at=clock.now(), **values)
        .execution_options(synchronize_session=False),
        conflict=f"This booking changed at the same time, so it cannot be {verb}. Reload.",
    )
    session.refresh(booking)


# --- requesting ----------------------------------------------------------------------------


def _expiry(requested_on: date, week_start: date, nation: str) -> datetime:
    """The end of the third working day after the request (bank holidays of the lending
    council's nation excluded), and never later than the start of the booked week."""
    deadline = _start_of_day(
        add_working_days(requested_on, EXPIRY_WORKING_DAYS, nation) + timedelta(days=1)
    )
    return min(deadline, _start_of_day(week_start))


def request_booking(
    session: Session,
    actor: Actor,
    officer_id: uuid.UUID,
    week: Week,
    minutes: int,
    purpose: str,
    purchase_order: str | None,
) -> Booking:
    """Hold `minutes` of the officer's approved hours in `week` for the actor's council, at
    once (DESIGN.md rule 1); the officer and their managers are asked to confirm."""
    if not actor.has_any(Role.booker):
        raise Forbidden("Only bookers can book officers' hours.")
    assert actor.council_id is not None
    officer, account, terms = _bookable_officer(session, actor, officer_id, week)
    if terms.booker_settings.po_required and not purchase_order:
        raise InvalidInput(
            "Your council requires a purchase order number on every booking.",
            ["body", "purchase_order"],
        )
    # Whom the request is for is read before the hold: the row locks it takes are then held
    # for writes only, and the audit, notification and outbox rows go out in one statement
    # each at the next flush.
    _officer_person(session, officer, account)
    _managers(session, officer, account)
    availability_id = _hold(session, officer, week, minutes)
    booking = Booking(
        reference=next_reference(session, officer.council_id, officer.council.code),
        availability_id=availability_id,
        officer_id=officer.id,
        lending_council_id=officer.council_id,
        booking_council_id=actor.council_id,
        booker_id=actor.user_id,
        week=str(week),
        week_start=week.monday,
        minutes=minutes,
        rate_pence_per_hour=officers.effective_rate(officer),
        purpose=purpose,
        purchase_order=purchase_order or None,
        status=BookingStatus.requested,
        expires_at=_expiry(clock.today(), week.monday, officer.council.nation),
    )
    session.add(booking)
    session.flush()
    # The parties as this transaction read them, for the emails and the answer.
    set_committed_value(booking, "officer", officer)
    set_committed_value(booking, "lending_council", officer.council)
    set_committed_value(booking, "booking_council", terms.booker)
    # The booker is the actor (just resolved, so active), and the answer names their council:
    # neither is read again for the answer.
    cache = request_cache(session)
    cache[("booker", booking.id)] = _Person(actor.name, actor.email)
    cache[("council", terms.booker.id)] = terms.booker  # kept in the identity map
    _record_request(session, actor, booking, officer, terms.booker)
    return booking


def _bookable_officer(
    session: Session, actor: Actor, officer_id: uuid.UUID, week: Week
) -> tuple[Officer, User, agreement.BookingTerms]:
    """The officer and their account, when the actor's council may book them for `week`, and
    what the booking reads of both councils' agreement and the booking council (one
    statement)."""
    assert actor.council_id is not None
    found = officers.officer_to_book(session, officer_id)
    if found is None:
        raise NotFound("No such officer.")
    officer, account = found
    # `officers.listed()` is the SQL twin of `visible_to` for another council's officer.
    terms = agreement.booking_terms(
        session,
        actor.council_id,
        officer.council_id,
        officers.listed_officer(),
        {"listed_officer_id": officer.id},
    )
    # Officers of a council that was never in the pool were never shown to anyone.
    if not terms.lender_ever_accepted:
        raise NotFound("No such officer.")
    if officer.council_id == actor.council_id:
        raise InvalidInput(
            "You cannot book an officer of your own council through the pool.",
            ["body", "officer_id"],
        )
    if clock.today() >= week.monday:
        raise InvalidInput(
            f"The week ({week_text(week)}) has started: book a week that has not started yet.",
            ["body", "week"],
        )
    for council, in_pool in (
        (terms.booker, terms.booker_in_pool),
        (officer.council, terms.lender_in_pool),
    ):
        if not in_pool:
            raise AgreementMissing(
                f"{council.name} has not accepted the pool's s113 agreement yet, so bookings "
                "between these councils cannot be made."
            )
    # After the agreement: a booker who found the officer before a council left (or before a
    # new version) learns why, not merely that the officer is gone.
    if not (actor.is_platform_admin or terms.also):
        raise NotFound("No such officer.")
    return officer, account, terms


def _hold(session: Session, officer: Officer, week: Week, minutes: int) -> uuid.UUID:
    """The officer's week for `week`, with `minutes` of it held (one guarded UPDATE); when it
    does not fit, a read says why."""
    held = availability.hold_week(session, officer.id, week, minutes)
    if held is not None:
        return held
    if availability.bookable_week(session, officer.id, week) is None:
        raise HoursUnavailable(
            f"{officer.display_name} has no approved hours in the week {week_text(week)}."
        )
    raise HoursUnavailable(
        f"There are not enough approved hours left in the week {week_text(week)}: "
        "someone else may just have "
        "booked them. Reload to see what is still free."
    )


def _record_request(
    session: Session, actor: Actor, booking: Booking, officer: Officer, booker_council: Council
) -> None:
    """The request in both councils' audit trails; the officer and their managers told."""
    asked = (
        f"asked for {hours_text(booking.minutes)} of {officer.display_name}'s time, "
        f"{week_text(Week(booking.week))}"
    )
    trails = (
        (booking.booking_council_id, f"{actor.name} ({booker_council.name}) {asked}"),
        (booking.lending_council_id, f"{booker_council.name} {asked}"),
    )
    audit.record_in_trails(session, actor, "booking.request", "booking", booking.id, trails)
    _notify_request(session, booking, officer, booker_council.name)


def next_reference(session: Session, council_id: uuid.UUID, code: str) -> str:
    """The lending council's next booking reference (`WBK-0042`). The counter row is taken
    with one UPDATE, so two bookings never share a number; a rolled-back booking leaves a gap,
    which a reference (unlike an invoice number) may have."""
    bump = _reference_bump()
    number = session.scalar(bump, {"counter_council_id": council_id})
    if number is None:
        try:
            with session.begin_nested():
                session.add(BookingReferenceCounter(council_id=council_id, last_number=1))
            number = 1
        except IntegrityError:  # another booking made the council's first counter just now
            number = session.scalar(bump, {"counter_council_id": council_id})
    return f"{code}-{number:04d}"


@cache
def _reference_bump() -> ReturningUpdate[int]:
    """Built once: every booking runs it."""
    return (
        update(BookingReferenceCounter)
        .where(BookingReferenceCounter.council_id == bindparam("counter_council_id"))
        .values(last_number=BookingReferenceCounter.last_number + 1)
        .returning(BookingReferenceCounter.last_number)
    )


# --- answering, cancelling, completing ----------------------------------------------------


def confirm(session: Session, actor: Actor, booking_id: uuid.UUID) -> Booking:
    booking = get_booking(session, actor, booking_id)
    _allow(
        _is_officer(actor, booking) or _on_lending_side(actor, booking, Role.manager),
        "Only the officer or their council's managers answer a request.",
    )
    if booking.status == BookingStatus.requested and booking.expires_at <= clock.now():
        raise RequestExpired("This request was not answered in time and has expired.")
    _transition(
        session,
        booking,
        (BookingStatus.requested,),
        BookingStatus.confirmed,
        "confirmed",
        decided_at=clock.now(),
        decided_by_id=actor.user_id,
    )
    _record_both(
        session,
        actor,
        booking,
        "booking.confirm",
        f"{actor.name} confirmed the booking: {hours_text(booking.minutes)}, "
        f"{week_text(booking.week)}",
    )
    _tell_booker(
        session,
        booking,
        f"Booking confirmed: {booking.officer.display_name}, {week_text(booking.week)}",
        f"{actor.name} confirmed your booking of {booking.officer.display_name}: "
        f"{hours_text(booking.minutes)}, {week_text(booking.week)}.",
    )
    return booking


def decline(session: Session, actor: Actor, booking_id: uuid.UUID, reason: str) -> Booking:
    booking = get_booking(session, actor, booking_id)
    _allow(
        _is_officer(actor, booking) or _on_lending_side(actor, booking, Role.manager),
        "Only the officer or their council's managers answer a request.",
    )
    _transition(
        session,
        booking,
        (BookingStatus.requested,),
        BookingStatus.declined,
        "declined",
        decided_at=clock.now(),
        decided_by_id=actor.user_id,
        decline_reason=reason,
    )
    availability.release(session, booking.availability_id, booking.minutes)
    _record_both(
        session, actor, booking, "booking.decline", f"{actor.name} declined the booking: {reason}"
    )
    _tell_booker(
        session,
        booking,
        f"Booking declined: {booking.officer.display_name}, {week_text(booking.week)}",
        f"{actor.name} declined your booking: {reason}",
    )
    return booking


def cancel(session: Session, actor: Actor, booking_id: uuid.UUID, reason: str) -> Booking:
    booking = get_booking(session, actor, booking_id)
    by_booker = _on_booking_side(actor, booking, Role.booker, Role.council_admin)
    by_lender = _is_officer(actor, booking) or _on_lending_side(actor, booking, Role.manager)
    _allow(
        by_booker or by_lender,
        "Only the booking council's bookers, the officer or their managers cancel a booking.",
    )
    today = clock.today()
    if today >= booking.week_start:
        raise Conflict(
            f"The week ({week_text(booking.week)}) has started, so the booking can no longer "
            "be cancelled."
        )
    lender_settings = councils.council_settings(session, booking.lending_council_id)
    nation = councils.get_council(session, booking.lending_council_id).nation
    late = working_days_between(today, booking.week_start, nation) < (
        lender_settings.cancellation_notice_days
    )
    charge = late_charge(booking.minutes, lender_settings.late_cancellation_charge_percent)
    charged = late and by_booker and not by_lender and charge > 0
    _transition(
        session,
        booking,
        (BookingStatus.requested, BookingStatus.confirmed),
        BookingStatus.cancelled,
        "cancelled",
        cancelled_at=clock.now(),
        cancelled_by_id=actor.user_id,
        cancel_reason=reason,
        late_cancellation=late,
        late_charge_percent=lender_settings.late_cancellation_charge_percent if charged else None,
        late_charge_minutes=charge if charged else None,
    )
    availability.release(session, booking.availability_id, booking.minutes)
    lateness = " (late: inside the lending council's notice period)" if late else ""
    if charged:
        lateness += (
            f"; {lender_settings.late_cancellation_charge_percent}% of the booked hours "
            f"({hours_text(charge)}) will be charged"
        )
    _record_both(
        session,
        actor,
        booking,
        "booking.cancel",
        f"{actor.name} cancelled the booking{lateness}: {reason}",
    )
    subject = f"Booking cancelled: {booking.officer.display_name}, {week_text(booking.week)}"
    if by_booker:
        _tell_officer(
            session, booking, subject, f"{actor.name} cancelled the booking{lateness}: {reason}"
        )
    else:
        _tell_booker(
            session, booking, subject, f"{actor.name} cancelled the booking{lateness}: {reason}"
        )
    return booking


def _week_started(booking: Booking) -> None:
    if clock.today() < booking.week_start:
        raise Conflict(
            f"The week ({week_text(booking.week)}) has not started yet: hours are recorded "
            "once it has."
        )


def submit_timesheet(
    session: Session, actor: Actor, booking_id: uuid.UUID, minutes: int, note: str | None
) -> Booking:
    booking = get_booking(session, actor, booking_id)
    _allow(_is_officer(actor, booking), "Only the officer submits a timesheet.")
    if booking.status != BookingStatus.confirmed:
        raise Conflict(f"This booking is {booking.status}: timesheets are for confirmed bookings.")
    _week_started(booking)
    if minutes > booking.minutes:
        raise InvalidInput(
            f"At most the {hours_text(booking.minutes)} booked.", ["body", "actual_hours"]
        )
    _transition(
        session,
        booking,
        (BookingStatus.confirmed,),
        BookingStatus.confirmed,
        "given a timesheet",
        timesheet_minutes=minutes,
        timesheet_note=note,
        timesheet_at=clock.now(),
    )
    _record_both(
        session,
        actor,
        booking,
        "booking.timesheet",
        f"{actor.name} reported {hours_text(minutes)} worked",
    )
    _tell_booker(
        session,
        booking,
        f"Timesheet: {booking.officer.display_name}, {week_text(booking.week)}",
        f"{actor.name} reported {hours_text(minutes)} worked. Approve them or record "
        "the actual hours to complete the booking.",
    )
    return booking


def complete(session: Session, actor: Actor, booking_id: uuid.UUID, minutes: int | None) -> Booking:
    booking = get_booking(session, actor, booking_id)
    _allow(
        _on_booking_side(actor, booking, Role.booker, Role.council_admin),
        "Only the booking council's bookers complete a booking.",
    )
    if booking.status != BookingStatus.confirmed:
        raise Conflict(f"This booking is {booking.status}, so it cannot be completed.")
    _week_started(booking)
    if minutes is None:
        if booking.timesheet_minutes is None:
            raise InvalidInput(
                "Give the actual hours: the officer has not sent a timesheet.",
                ["body", "actual_hours"],
            )
        minutes = booking.timesheet_minutes
    if minutes > booking.minutes:
        raise InvalidInput(
            f"At most the {hours_text(booking.minutes)} booked.", ["body", "actual_hours"]
        )
    _transition(
        session,
        booking,
        (BookingStatus.confirmed,),
        BookingStatus.completed,
        "completed",
        actual_minutes=minutes,
        completed_at=clock.now(),
        completed_by_id=actor.user_id,
    )
    _record_both(
        session,
        actor,
        booking,
        "booking.complete",
        f"{actor.name} recorded {hours_text(minutes)} worked and completed the booking",
    )
    return booking


# --- the worker's jobs -----------------------------------------------------------------------


def expire_due(session: Session) -> int:
    """Expire requests nobody answered in time; release their hours. Returns how many."""
    due = session.scalars(
        select(Booking.id).where(
            Booking.status == BookingStatus.requested, Booking.expires_at <= clock.now()
        )
    ).all()
    for booking_id in due:
        booking = _load(session, booking_id)
        assert booking is not None
        try:
            _transition(
                session, booking, (BookingStatus.requested,), BookingStatus.expired, "expired"
            )
        except Conflict:
            continue  # answered at the same moment
        availability.release(session, booking.availability_id, booking.minutes)
        _record_both(
            session,
            None,
            booking,
            "booking.expire",
            f"Nobody answered within {EXPIRY_WORKING_DAYS} working days, so the request expired",
        )
        _tell_booker(
            session,
            booking,
            f"Booking request expired: {booking.officer.display_name}, {week_text(booking.week)}",
            "Nobody answered your request in time, so it has expired and the hours are free again.",
        )
    return len(due)


def remind_to_record_hours(session: Session) -> int:
    """Once a confirmed booking's week has ended, remind the booker to record the hours."""
    last_ended_monday = Week.of(clock.today()).monday - timedelta(days=7)
    due = session.scalars(
        select(Booking.id).where(
            Booking.status == BookingStatus.confirmed,
            Booking.week_start <= last_ended_monday,
            Booking.reminder_sent_at.is_(None),
        )
    ).all()
    for booking_id in due:
        booking = _load(session, booking_id)
        assert booking is not None
        booking.reminder_sent_at = clock.now()
        _tell_booker(
            session,
            booking,
            f"Record the hours: {booking.officer.display_name}, {week_text(booking.week)}",
            f"The week ({week_text(booking.week)}) has ended. Record the hours actually "
            f"worked so that the booking can be completed and invoiced.",
            dedupe_key=f"booking-reminder:{booking.id}",
        )
    session.flush()
    return len(due)


# --- reading ---------------------------------------------------------------------------------


def list_bookings(
    session: Session, actor: Actor, side: Side, status: str | None, params: PageParams
) -> tuple[list[Booking], str | None]:
    """The actor's readable bookings from one side: their own (`mine`), their council's as the
    booking council, or their council's officers' (`lending`)."""
    stmt = readable_bookings(actor).options(joinedload(Booking.officer))
    if side == "mine":
        if not actor.has_any(Role.officer):
            raise Forbidden("Only officers have bookings of their own.")
        stmt = stmt.where(
            Booking.officer_id.in_(select(Officer.id).where(Officer.user_id == actor.user_id))
        )
    elif side == "booking":
        if not actor.has_any(*BOOKING_SIDE_ROLES):
            raise Forbidden("Only bookers, managers, finance and admins see their bookings.")
        stmt = stmt.where(Booking.booking_council_id == actor.council_id)
    else:
        if not actor.has_any(*LENDING_SIDE_ROLES):
            raise Forbidden("Only managers, finance and admins see their officers' bookings.")
        stmt = stmt.where(Booking.lending_council_id == actor.council_id)
    if status:
        stmt = stmt.where(Booking.status == status)
    return keyset_page(session, stmt, [Booking.week_start, Booking.id], params)


def history(session: Session, actor: Actor, booking_id: uuid.UUID) -> list[AuditEvent]:
    """The booking's audit trail, as the actor's council recorded it."""
    booking = get_booking(session, actor, booking_id)
    events = audit.history(session, "booking", booking.id)
    mine = actor.council_id or booking.lending_council_id
    return [e for e in events if e.council_id == mine] or [
        e for e in events if e.council_id == booking.lending_council_id
    ]


def confirmed_for_officer(session: Session, officer_id: uuid.UUID) -> list[Booking]:
    stmt = (
        select(Booking)
        .where(
            Booking.officer_id == officer_id,
            Booking.status.in_(
                (BookingStatus.confirmed, BookingStatus.completed, BookingStatus.invoiced)
            ),
        )
        .order_by(Booking.week_start)
    )
    return list(session.scalars(stmt))


def officer_calendar(session: Session, feed_token: str, public_url: str) -> bytes:
    """The iCalendar feed behind an officer's secret address: their confirmed bookings."""
    officer = officers.officer_by_calendar_token(session, feed_token)
    entries = [
        calendar.WeekEntry(
            uid=booking.id,
            updated_at=booking.updated_at,
            week_start=booking.week_start,
            summary=f"Talent Pool booking: {booking.minutes / 60:g} hours ({booking.status})",
            description=f"{booking.purpose}\nPO: {booking.purchase_order or 'none'}",
            url=f"{public_url}/bookings/{booking.id}",
        )
        for booking in confirmed_for_officer(session, officer.id)
    ]
    return calendar.feed(officer.display_name, entries)


# --- telling people -------------------------------------------------------------------------


def _record_both(
    session: Session, actor: Actor | None, booking: Booking, action: str, summary: str
) -> None:
    """Both councils keep the event in their own audit trail."""
    trails = ((booking.booking_council_id, summary), (booking.lending_council_id, summary))
    audit.record_in_trails(session, actor, action, "booking", booking.id, trails)


def _link(booking: Booking) -> str:
    return f"{get_settings().public_url}{_path(booking)}"


def _path(booking: Booking) -> str:
    return f"/bookings/{booking.id}"


def _signature(booking: Booking) -> str:
    return f"The booking ({booking.reference}): {_link(booking)}"


@dataclass(frozen=True)
class _Person:
    name: str
    email: str


def _cached(session: Session, key: tuple[Any, ...], load: Callable[[], Any]) -> Any:
    """`load()` once per transaction (the request cache): a request that emails the people of
    a booking and then answers with its contacts reads them once."""
    cache = request_cache(session)
    if key not in cache:
        cache[key] = load()
    return cache[key]


def _booker(session: Session, booking: Booking) -> _Person | None:
    def load() -> _Person | None:
        user = auth.get_user(session, booking.booker_id)
        return _Person(user.name, user.email) if user is not None and user.active else None

    found: _Person | None = _cached(session, ("booker", booking.id), load)
    return found


def _officer_person(
    session: Session, officer: Officer, account: User | None = None
) -> _Person | None:
    """The officer as their profile names them, when their account (read here unless given)
    is active."""

    def load() -> _Person | None:
        user = account if account is not None else auth.get_user(session, officer.user_id)
        active = user is not None and user.active
        return _Person(officer.display_name, user.email) if active and user else None

    found: _Person | None = _cached(session, ("officer", officer.id), load)
    return found


def _managers(
    session: Session, officer: Officer, account: User | None = None
) -> tuple[_Person, ...]:
    """The managers who sign off the officer's time (`account`: the officer's user, when in
    hand)."""

    def load() -> tuple[_Person, ...]:
        managers = availability.sign_off_managers(session, officer, account)
        return tuple(_Person(m.name, m.email) for m in managers)

    found: tuple[_Person, ...] = _cached(session, ("managers", officer.id), load)
    return found


def _tell_booker(
    session: Session, booking: Booking, subject: str, text: str, dedupe_key: str | None = None
) -> None:
    booker = _booker(session, booking)
    if booker is None:
        return
    notifications.queue_email(
        session,
        booker.email,
        f"{subject} [{booking.reference}]",
        f"Hello {booker.name},\n\n{text}\n\n{_signature(booking)}\n",
        dedupe_key,
        link=_path(booking),
        kind="booking",
    )


def _tell_officer(session: Session, booking: Booking, subject: str, text: str) -> None:
    officer = _officer_person(session, booking.officer)
    if officer is None:
        return
    notifications.queue_email(
        session,
        officer.email,
        f"{subject} [{booking.reference}]",
        f"Hello {officer.name},\n\n{text}\n\n{_signature(booking)}\n",
        link=_path(booking),
        kind="booking",
    )


def _notify_request(session: Session, booking: Booking, officer: Officer, council: str) -> None:
    week = week_text(booking.week)
    # Requests expire at the start of a day: the last day to answer is the one before.
    last_day = (booking.expires_at.astimezone(LONDON) - timedelta(minutes=1)).date()
    hours = hours_text(booking.minutes)
    subject = f"{council} asks for {hours} of {officer.display_name}'s time, {week}"
    text = (
        f"{council} would like to book {hours} of "
        f"{officer.display_name}'s time, {week}, for: {booking.purpose}\n\n"
        f"Please confirm or decline by the end of {last_day:%A} {last_day.day} {last_day:%B}; "
        "after that the request expires."
    )
    officer_person = _officer_person(session, booking.officer)
    asked = [officer_person] if officer_person else []
    asked.extend(_managers(session, booking.officer))
    emails = [
        notifications.Email(
            person.email,
            f"{subject} [{booking.reference}]",
            f"Hello {person.name},\n\n{text}\n\n{_signature(booking)}\n",
            _path(booking),
        )
        for person in asked
    ]
    notifications.queue_emails(session, emails, kind="booking")


# --- whom to ask about a booking ----------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    role: str  # booker, officer, manager


def contacts(session: Session, booking: Booking) -> dict[str, list[Contact]]:
    """Who to contact on each side: the booker; the officer and the managers who sign off
    their time."""
    booker, officer = _booker(session, booking), _officer_person(session, booking.officer)
    booking_side = [Contact(booker.name, booker.email, "booker")] if booker else []
    lending_side = [Contact(officer.name, officer.email, "officer")] if officer else []
    managers = _managers(session, booking.officer)
    lending_side += [Contact(m.name, m.email, "manager") for m in managers]
    return {"booking": booking_side, "lending": lending_side}


# --- for invoicing -------------------------------------------------------------------------


def completed_in_weeks(lending_council_id: uuid.UUID, first: date, last: date) -> Select[Booking]:
    """Completed bookings of weeks whose Monday falls between `first` and `last`, with their
    officers loaded. A statement, so that invoicing can leave out what it has invoiced."""
    return (
        select(Booking)
        .where(
            Booking.lending_council_id == lending_council_id,
            Booking.status == BookingStatus.completed,
            Booking.week_start >= first,
            Booking.week_start <= last,
        )
        .options(joinedload(Booking.officer))
        .order_by(Booking.booking_council_id, Booking.week_start, Booking.id)
    )


def late_charge(minutes: int, percent: int) -> int:
    """The minutes charged for a late cancellation: `percent` of the booked minutes, to the
    nearest quarter hour (half up), as every time in the pool is."""
    return (minutes * percent + 750) // 1500 * 15


def late_charges_until(lending_council_id: uuid.UUID, last: date) -> Select[Booking]:
    """Bookings cancelled late with a charge, of weeks whose Monday is on or before `last`,
    with their officers loaded: invoicing charges each once, on the lender's next run."""
    return (
        select(Booking)
        .where(
            Booking.lending_council_id == lending_council_id,
            Booking.status == BookingStatus.cancelled,
            Booking.late_charge_minutes > 0,
            Booking.week_start <= last,
        )
        .options(joinedload(Booking.officer))
        .order_by(Booking.booking_council_id, Booking.week_start, Booking.id)
    )


def mark_invoiced(session: Session, booking_ids: Sequence[uuid.UUID]) -> None:
    """completed → invoiced, when the invoice carrying them is issued."""
    if not booking_ids:
        return
    guarded(
        session,
        update(Booking)
        .where(Booking.id.in_(list(booking_ids)), Booking.status == BookingStatus.completed)
        .values(status=BookingStatus.invoiced, updated_at=clock.now())
        .execution_options(synchronize_session=False),
        rows=len(booking_ids),
        conflict="Some of these bookings changed since the draft was built. Rebuild it.",
    )
