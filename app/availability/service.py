"""Weekly availability, manager sign-off and standing permissions.

The data model (see models.py): per officer-week, `approved_minutes` (bookable),
`pending_minutes` (asked for on top, awaiting sign-off) and `booked_minutes` (held by
bookings, only ever raised by rule 1's guarded UPDATE). The officer's offer is
approved + pending. How each action moves the numbers:

- **List or raise** to T minutes (T above the current offer, or a new week): approved stays,
  pending = T - approved, status `pending`; the approved hours stay bookable meanwhile. When a
  standing permission covers the week and T, approved = T and pending = 0 at once (`approved`,
  decided by the permission's creator). Needs the officer's current consent.
- **Lower** to T: T below booked → 409. T at or above approved: pending = T - approved (the
  approved hours stay). T below approved: approved = T, pending = 0 (`approved`). Lowering needs
  no sign-off and no consent.
- **Withdraw** (DELETE): approved = booked, pending = 0; `withdrawn` when nothing was booked,
  else `approved` (the booked hours stand).
- **Approve**: approved += pending, pending = 0, `approved`.
- **Reject** (with a reason): pending = 0; `rejected` when nothing was approved before, else
  `approved` (a refused raise leaves the earlier approval standing).

Weeks that have started (today, Europe/London, on or after their Monday) cannot be listed,
changed, withdrawn or approved (422); a stale request may still be rejected.

Standing permissions cover a week when the whole week, Monday to Sunday, lies inside
`valid_from`..`valid_until` (open-ended without `valid_until`), the permission has not ended,
and the week's offer is at most its maximum; otherwise the request waits for a manager as usual.
Creating a permission approves the pending weeks it covers; ending one changes nothing already
approved or booked.

Who decides: any manager of the officer's council (the line manager is the one emailed; every
manager of the council when none is set). Another council's manager gets 404, a non-manager of
the same council 403, and nobody signs off their own hours (403).

Concurrency: officer and manager changes lock the availability row (`SELECT … FOR UPDATE` on
PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers), and the CHECK constraints
refuse whatever slips past; bookings never lock, they use the guarded UPDATE of rule 1.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import BindParameter, ColumnElement, Integer, Select, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.dml import ReturningUpdate

from app.audit import service as audit
from app.auth import service as auth
from app.auth.models import User
from app.availability.models import Availability, AvailabilityStatus, StandingPermission
from app.config import get_settings
from app.core import clock
from app.core import holidays as bank_holidays
from app.core.actor import Actor, Role, authorize_council
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.guarded import claimed, claimed_rows, guarded
from app.core.hours import hours_text
from app.core.isoweek import (
    Week,
    current_week,
    day_text,
    week_has_started,
    week_range,
    week_text,
)
from app.core.pagination import PageParams, keyset_page
from app.councils import service as councils
from app.notifications import service as notifications
from app.officers import service as officers
from app.officers.models import Officer

# The widest calendar one request may show (two years and a bit).
MAX_CALENDAR_WEEKS = 106
# The calendar shown when no range is given: this week and the next eleven.
DEFAULT_CALENDAR_WEEKS = 12


@dataclass(frozen=True)
class WeekView:
    """A week as the API shows it: the row (if any) plus the nation's working days."""

    week: Week
    nation: str
    row: Availability | None = None
    officer: Officer | None = None

    @property
    def working_days(self) -> int:
        return bank_holidays.working_days(self.week, self.nation)

    @property
    def bank_holidays(self) -> list[tuple[date, str]]:
        return bank_holidays.week_bank_holidays(self.week, self.nation)

    @property
    def started(self) -> bool:
        return week_has_started(self.week)


@dataclass(frozen=True)
class Skipped:
    id: uuid.UUID
    reason: str


def _view(row: Availability, nation: str, officer: Officer | None = None) -> WeekView:
    return WeekView(Week(row.week), nation, row, officer)


def _nation(session: Session, council_id: uuid.UUID) -> str:
    return councils.get_council(session, council_id).nation


def _refuse_started(week: Week, loc: Sequence[str | int], today: date | None = None) -> None:
    if week_has_started(week, today):
        raise InvalidInput(
            f"The week {week_text(week)} has started (it began on {day_text(week.monday)}); "
            "only weeks that have not started can be changed. The first open week is "
            f"{week_text(week_after(today))}.",
            loc,
        )


def week_after(today: date | None = None) -> Week:
    """The first week that has not started."""
    return current_week(today).plus(1)


def _plus(week: Week, weeks: int, loc: Sequence[str | int]) -> Week:
    try:
        return week.plus(weeks)
    except ValueError as exc:
        raise InvalidInput(
            f"That reaches beyond the weeks this service knows ({exc}).", loc
        ) from exc


def _lock_week(session: Session, officer_id: uuid.UUID, week: Week) -> Availability | None:
    stmt = (
        select(Availability)
        .where(Availability.officer_id == officer_id, Availability.week == str(week))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalar(stmt)


def _lock_row(session: Session, availability_id: uuid.UUID) -> Availability | None:
    stmt = (
        select(Availability)
        .where(Availability.id == availability_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalar(stmt)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request changed the same week first
        raise Conflict(
            "Someone changed these hours at the same time. Reload and try again."
        ) from exc


def _state(row: Availability | None) -> tuple[object, ...]:
    if row is None:
        return ()
    return (row.approved_minutes, row.pending_minutes, row.status, row.single_booking)


# --- standing permissions: which one covers a week ------------------------------------------


def covering_permission(
    session: Session, officer_id: uuid.UUID, week: Week, minutes: int
) -> StandingPermission | None:
    """A live permission of the officer covering the whole week and at least `minutes`."""
    stmt = (
        select(StandingPermission)
        .where(
            StandingPermission.officer_id == officer_id,
            StandingPermission.ended_at.is_(None),
            StandingPermission.valid_from <= week.monday,
            or_(
                StandingPermission.valid_until.is_(None),
                StandingPermission.valid_until >= week.sunday,
            ),
            StandingPermission.max_minutes_per_week >= minutes,
        )
        .order_by(StandingPermission.created_at, StandingPermission.id)
        .limit(1)
    )
    return session.scalar(stmt)


def permission_active(permission: StandingPermission, today: date | None = None) -> bool:
    today = today or clock.today()
    return permission.ended_at is None and (
        permission.valid_until is None or permission.valid_until >= today
    )


# --- the officer's own weeks ----------------------------------------------------------------


def my_weeks(
    session: Session, actor: Actor, first: Week | None, last: Week | None
) -> list[WeekView]:
    """Every week from `first` to `last` (both included), listed or not, with working days."""
    officer = officers.get_my_officer(session, actor)
    first = first or current_week()
    last = last or _plus(first, DEFAULT_CALENDAR_WEEKS - 1, ["query", "from"])
    if last < first:
        raise InvalidInput(f"'to' ({last}) is before 'from' ({first}).", ["query", "to"])
    if first.weeks_until(last) + 1 > MAX_CALENDAR_WEEKS:
        raise InvalidInput(
            f"Ask for at most {MAX_CALENDAR_WEEKS} weeks at a time.", ["query", "to"]
        )
    stmt = readable_availability(actor).where(
        Availability.officer_id == officer.id,
        Availability.week >= str(first),
        Availability.week <= str(last),
    )
    rows = {row.week: row for row in session.scalars(stmt)}
    nation = officer.council.nation
    return [WeekView(week, nation, rows.get(str(week))) for week in week_range(first, last)]


def set_week(
    session: Session, actor: Actor, week: Week, minutes: int, single_booking: bool
) -> WeekView:
    """List, raise or lower the officer's hours for one week (see the module docstring)."""
    officer = officers.get_my_officer(session, actor)
    _refuse_started(week, ["path", "week"])
    return _set_weeks(session, actor, officer, [week], minutes, single_booking)[0]


def plan_weeks(
    session: Session,
    actor: Actor,
    from_week: Week,
    weeks: int,
    minutes: int,
    single_booking: bool,
) -> list[WeekView]:
    """The same hours for `weeks` weeks from `from_week`, all or nothing.

    A run that starts with a week already started is refused (422) rather than trimmed, so
    the officer sees exactly which weeks were set.
    """
    officer = officers.get_my_officer(session, actor)
    _refuse_started(from_week, ["body", "from_week"])
    run = [_plus(from_week, offset, ["body", "weeks"]) for offset in range(weeks)]
    return _set_weeks(session, actor, officer, run, minutes, single_booking)


def _set_weeks(
    session: Session,
    actor: Actor,
    officer: Officer,
    weeks: Sequence[Week],
    minutes: int,
    single_booking: bool,
) -> list[WeekView]:
    now = clock.now()
    consented = councils.consent_is_current(session, officer.consent_version)
    views: list[WeekView] = []
    to_sign_off: list[Availability] = []
    for week in weeks:
        row = _lock_week(session, officer.id, week)
        before = _state(row)
        offered_before = row.offered_minutes if row else 0
        pending_before = row.pending_minutes if row else 0
        if minutes > offered_before and not consented:
            raise Conflict(
                "Record your consent to being placed with other councils (section 113) before "
                "listing hours: POST /api/v1/officers/me/consent."
            )
        if row is not None and minutes < row.booked_minutes:
            raise Conflict(
                f"The week {week_text(week)} already has {hours_text(row.booked_minutes)} "
                "booked; it cannot be lowered below that."
            )
        approved_before = row.approved_minutes if row else 0
        # Looked up before the row changes, so autoflush never writes a half-made row.
        permission = (
            covering_permission(session, officer.id, week, minutes)
            if minutes > approved_before
            else None
        )
        row = row or _new_row(officer, week, now)
        _offer(row, minutes, permission, now)
        row.single_booking = single_booking
        session.add(row)
        if _state(row) != before:
            row.updated_at = now
            _flush(session)
            _record_offer(session, actor, officer, row, offered_before, minutes, permission)
            if row.pending_minutes > pending_before:
                to_sign_off.append(row)
        views.append(_view(row, officer.council.nation))
    if to_sign_off:
        _ask_managers(session, officer, to_sign_off)
    return views


def _new_row(officer: Officer, week: Week, now: datetime) -> Availability:
    return Availability(
        officer_id=officer.id,
        council_id=officer.council_id,
        week=str(week),
        week_start=week.monday,
        approved_minutes=0,
        pending_minutes=0,
        booked_minutes=0,
        created_at=now,
    )


def _offer(
    row: Availability, minutes: int, permission: StandingPermission | None, now: datetime
) -> None:
    """The week offers `minutes`: lowering stays approved, a standing permission approves at
    once, anything above the approved hours waits for sign-off."""
    if minutes <= row.approved_minutes:
        row.approved_minutes = minutes
        row.pending_minutes = 0
        row.status = AvailabilityStatus.approved
    elif permission is not None:
        row.approved_minutes = minutes
        row.pending_minutes = 0
        row.status = AvailabilityStatus.approved
        row.decided_by_id = permission.created_by_id
        row.decided_at = now
        row.reject_reason = None
    else:
        row.pending_minutes = minutes - row.approved_minutes
        row.status = AvailabilityStatus.pending
        row.reject_reason = None


def _record_offer(
    session: Session,
    actor: Actor,
    officer: Officer,
    row: Availability,
    offered_before: int,
    minutes: int,
    permission: StandingPermission | None,
) -> None:
    how = " (approved by a standing permission)" if permission else ""
    audit.record(
        session,
        actor,
        "availability.set",
        "availability",
        row.id,
        row.council_id,
        f"{officer.display_name} offered {hours_text(minutes)}, {week_text(Week(row.week))}: "
        f"{row.status}{how}",
        {
            "week": row.week,
            "from_minutes": offered_before,
            "to_minutes": minutes,
            "approved_minutes": row.approved_minutes,
            "pending_minutes": row.pending_minutes,
            "status": row.status,
            "single_booking": row.single_booking,
            "permission_id": str(permission.id) if permission else None,
        },
    )


def withdraw_week(session: Session, actor: Actor, week: Week) -> WeekView:
    """Take back the unbooked part of a week; booked hours stand."""
    officer = officers.get_my_officer(session, actor)
    _refuse_started(week, ["path", "week"])
    row = _lock_week(session, officer.id, week)
    if row is None:
        raise NotFound(f"You have not listed hours for the week {week_text(week)}.")
    before = _state(row)
    offered_before = row.offered_minutes
    row.approved_minutes = row.booked_minutes
    row.pending_minutes = 0
    row.status = (
        AvailabilityStatus.approved if row.booked_minutes > 0 else AvailabilityStatus.withdrawn
    )
    if _state(row) != before:
        row.updated_at = clock.now()
        _flush(session)
        kept = f"; the {hours_text(row.booked_minutes)} booked stand" if row.booked_minutes else ""
        audit.record(
            session,
            actor,
            "availability.withdraw",
            "availability",
            row.id,
            row.council_id,
            f"{officer.display_name} withdrew their hours, {week_text(week)}{kept}",
            {
                "week": str(week),
                "from_minutes": offered_before,
                "to_minutes": row.approved_minutes,
                "status": row.status,
            },
        )
    return _view(row, officer.council.nation)


def readable_availability(actor: Actor) -> Select[Availability]:
    """The one statement of the availability rows an actor may read, used by the get and the
    lists alike: their own weeks as an officer; their council's as a manager; every one for
    platform admins. (Search shows approved hours to the pool through its own read model.)"""
    stmt = select(Availability)
    if actor.is_platform_admin:
        return stmt
    readable: list[ColumnElement[bool]] = [
        Availability.officer_id.in_(select(Officer.id).where(Officer.user_id == actor.user_id))
    ]
    if actor.council_id is not None and actor.has_any(Role.manager):
        readable.append(Availability.council_id == actor.council_id)
    return stmt.where(or_(*readable))


def get_availability(session: Session, actor: Actor, availability_id: uuid.UUID) -> WeekView:
    """One row, for its officer or a manager of its council. One of the actor's own council's
    that they may not read is forbidden (403); any other council's is invisible (404)."""
    stmt = (
        readable_availability(actor)
        .where(Availability.id == availability_id)
        .options(joinedload(Availability.officer))
    )
    row = session.scalar(stmt)
    if row is None:
        council_id = session.scalar(
            select(Availability.council_id).where(Availability.id == availability_id)
        )
        if council_id is not None and council_id == actor.council_id:
            raise Forbidden(f"This needs one of the roles: {Role.manager}.")
        raise NotFound("No such availability.")
    return _view(row, _nation(session, row.council_id), row.officer)


# --- sign-off -------------------------------------------------------------------------------


def _require_manager(actor: Actor) -> uuid.UUID:
    if actor.council_id is None:
        raise Forbidden("Only managers of a council sign off hours.")
    authorize_council(actor, actor.council_id, Role.manager, platform_admin=False)
    return actor.council_id


def _decidable(
    session: Session, actor: Actor, availability_id: uuid.UUID
) -> tuple[Availability, Officer]:
    row = _lock_row(session, availability_id)
    if row is None:
        raise NotFound("No such availability.")
    authorize_council(actor, row.council_id, Role.manager, platform_admin=False)
    officer = officers.load_officer(session, row.officer_id)
    assert officer is not None  # a foreign key
    if officer.user_id == actor.user_id:
        raise Forbidden("Nobody signs off their own hours; another manager must.")
    if row.status != AvailabilityStatus.pending:
        raise Conflict(
            f"The week {week_text(row.week)} is not waiting for sign-off (it is {row.status})."
        )
    return row, officer


def _approve(
    session: Session,
    actor: Actor,
    row: Availability,
    officer: Officer,
    decided_by_id: uuid.UUID,
    permission: StandingPermission | None = None,
) -> None:
    now = clock.now()
    added = row.pending_minutes
    row.approved_minutes += added
    row.pending_minutes = 0
    row.status = AvailabilityStatus.approved
    row.reject_reason = None
    row.decided_by_id = decided_by_id
    row.decided_at = now
    row.updated_at = now
    _flush(session)
    how = " by a standing permission" if permission else ""
    audit.record(
        session,
        actor,
        "availability.approve",
        "availability",
        row.id,
        row.council_id,
        f"{hours_text(row.approved_minutes)} approved for {officer.display_name}, "
        f"{week_text(row.week)}{how}",
        {
            "week": row.week,
            "approved_minutes": row.approved_minutes,
            "added_minutes": added,
            "permission_id": str(permission.id) if permission else None,
        },
    )


def approve(session: Session, actor: Actor, availability_id: uuid.UUID) -> WeekView:
    row, officer = _decidable(session, actor, availability_id)
    _refuse_started(Week(row.week), ["path", "availability_id"])
    _approve(session, actor, row, officer, actor.user_id)
    _tell_officer(
        session,
        officer,
        f"Your hours are approved: {week_text(row.week)}",
        [
            f"{actor.name} approved {hours_text(row.approved_minutes)}, "
            f"{week_text(row.week)}. Other councils can now book them."
        ],
    )
    return _view(row, officer.council.nation, officer)


def reject(session: Session, actor: Actor, availability_id: uuid.UUID, reason: str) -> WeekView:
    row, officer = _decidable(session, actor, availability_id)
    now = clock.now()
    refused = row.pending_minutes
    row.pending_minutes = 0
    row.status = (
        AvailabilityStatus.approved if row.approved_minutes > 0 else AvailabilityStatus.rejected
    )
    row.reject_reason = reason
    row.decided_by_id = actor.user_id
    row.decided_at = now
    row.updated_at = now
    _flush(session)
    audit.record(
        session,
        actor,
        "availability.reject",
        "availability",
        row.id,
        row.council_id,
        f"{hours_text(refused)} not approved for {officer.display_name}, "
        f"{week_text(row.week)}: {reason}",
        {"week": row.week, "refused_minutes": refused, "reason": reason},
    )
    still = (
        f" The {hours_text(row.approved_minutes)} approved before still stand."
        if row.approved_minutes
        else ""
    )
    _tell_officer(
        session,
        officer,
        f"Your hours were not approved: {week_text(row.week)}",
        [
            f"{actor.name} did not approve {hours_text(refused)}, {week_text(row.week)}.",
            f"Reason: {reason}",
            still.strip(),
        ],
    )
    return _view(row, officer.council.nation, officer)


def list_approvals(
    session: Session,
    actor: Actor,
    status: str,
    officer_id: uuid.UUID | None,
    params: PageParams,
) -> tuple[list[WeekView], str | None]:
    """The manager's council's weeks in `status`, earliest week first, with their officers."""
    council_id = _require_manager(actor)
    stmt = (
        readable_availability(actor)
        .where(Availability.council_id == council_id, Availability.status == status)
        .options(joinedload(Availability.officer))
    )
    if officer_id is not None:
        stmt = stmt.where(Availability.officer_id == officer_id)
    rows, cursor = keyset_page(session, stmt, [Availability.week, Availability.id], params)
    nation = _nation(session, council_id)
    return [_view(row, nation, row.officer) for row in rows], cursor


def _my_queue(session: Session, actor: Actor, council_id: uuid.UUID) -> list[uuid.UUID]:
    """Pending, not yet started weeks of the officers who report to the actor or to nobody:
    the requests that were emailed to the actor."""
    stmt = (
        select(Availability.id)
        .join(Officer, Officer.id == Availability.officer_id)
        .join(User, User.id == Officer.user_id)
        .where(
            Availability.council_id == council_id,
            Availability.status == AvailabilityStatus.pending,
            Availability.week_start > clock.today(),
            User.id != actor.user_id,
            or_(User.line_manager_id == actor.user_id, User.line_manager_id.is_(None)),
        )
        .order_by(Availability.week, Availability.id)
    )
    return list(session.scalars(stmt))


def bulk_approve(
    session: Session, actor: Actor, ids: Sequence[uuid.UUID] | None
) -> tuple[list[WeekView], list[Skipped]]:
    """Approve every listed pending week the actor may decide; say why the others were not.

    Without `ids`: every pending week not yet started of the officers whose line manager is
    the actor, or who have no line manager (the requests emailed to the actor).
    """
    council_id = _require_manager(actor)
    candidates = (
        list(dict.fromkeys(ids)) if ids is not None else _my_queue(session, actor, council_id)
    )
    today = clock.today()
    approved: list[WeekView] = []
    skipped: list[Skipped] = []
    by_officer: dict[uuid.UUID, list[Availability]] = {}
    officer_cache: dict[uuid.UUID, Officer] = {}
    for availability_id in candidates:
        row = _lock_row(session, availability_id)
        if row is None or row.council_id != council_id:
            skipped.append(Skipped(availability_id, "not found"))
            continue
        officer = officer_cache.get(row.officer_id) or officers.load_officer(
            session, row.officer_id
        )
        assert officer is not None  # a foreign key
        officer_cache[officer.id] = officer
        if officer.user_id == actor.user_id:
            skipped.append(Skipped(row.id, "your own hours: another manager must sign them off"))
        elif row.status != AvailabilityStatus.pending:
            skipped.append(Skipped(row.id, f"not waiting for sign-off (it is {row.status})"))
        elif week_has_started(Week(row.week), today):
            skipped.append(Skipped(row.id, f"the week {week_text(row.week)} has started"))
        else:
            _approve(session, actor, row, officer, actor.user_id)
            approved.append(_view(row, officer.council.nation, officer))
            by_officer.setdefault(officer.id, []).append(row)
    for officer_id, rows in by_officer.items():
        lines = [f"- {week_text(row.week)}: {hours_text(row.approved_minutes)}" for row in rows]
        _tell_officer(
            session,
            officer_cache[officer_id],
            "Your hours are approved",
            [f"{actor.name} approved your hours:", *lines, "Other councils can now book them."],
        )
    return approved, skipped


# --- standing permissions -------------------------------------------------------------------


def _officer_for_manager(session: Session, actor: Actor, officer_id: uuid.UUID) -> Officer:
    officer = officers.load_officer(session, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    authorize_council(actor, officer.council_id, Role.manager, platform_admin=False)
    return officer


def create_permission(
    session: Session,
    actor: Actor,
    officer_id: uuid.UUID,
    max_minutes: int,
    valid_from: date,
    valid_until: date | None,
) -> StandingPermission:
    """Sign off up to `max_minutes` a week in advance; approves the pending weeks it covers."""
    officer = _officer_for_manager(session, actor, officer_id)
    if officer.user_id == actor.user_id:
        raise Forbidden("Nobody gives a standing permission for their own hours.")
    today = clock.today()
    if valid_until is not None and valid_until < valid_from:
        raise InvalidInput("'valid_until' is before 'valid_from'.", ["body", "valid_until"])
    if valid_until is not None and valid_until < today:
        raise InvalidInput("This permission would already have ended.", ["body", "valid_until"])
    permission = StandingPermission(
        officer_id=officer.id,
        council_id=officer.council_id,
        max_minutes_per_week=max_minutes,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by_id=actor.user_id,
        created_at=clock.now(),
    )
    session.add(permission)
    _flush(session)
    until = f" to {valid_until.day} {valid_until:%B %Y}" if valid_until else ", open-ended"
    audit.record(
        session,
        actor,
        "permission.create",
        "standing_permission",
        permission.id,
        officer.council_id,
        f"Standing permission for {officer.display_name}: up to {hours_text(max_minutes)} a "
        f"week from {valid_from.day} {valid_from:%B %Y}{until}",
        {
            "officer_id": str(officer.id),
            "max_minutes_per_week": max_minutes,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    covered = select(Availability).where(
        Availability.officer_id == officer.id,
        Availability.status == AvailabilityStatus.pending,
        Availability.week_start >= valid_from,
        Availability.week_start > today,
        Availability.approved_minutes + Availability.pending_minutes <= max_minutes,
    )
    if valid_until is not None:
        covered = covered.where(Availability.week_start <= valid_until - timedelta(days=6))
    covered = (
        covered.order_by(Availability.week)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    rows = list(session.scalars(covered))
    for row in rows:
        _approve(session, actor, row, officer, actor.user_id, permission)
    if rows:
        lines = [f"- {week_text(row.week)}: {hours_text(row.approved_minutes)}" for row in rows]
        _tell_officer(
            session,
            officer,
            "Your hours are approved",
            [f"{actor.name} gave you a standing permission, which approved:", *lines],
        )
    return permission


def list_permissions(
    session: Session, actor: Actor, officer_id: uuid.UUID, params: PageParams
) -> tuple[list[StandingPermission], str | None]:
    """An officer's permissions, newest first: for the officer and their council's managers."""
    officer = officers.load_officer(session, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    if officer.user_id != actor.user_id:
        authorize_council(actor, officer.council_id, Role.manager)
    stmt = select(StandingPermission).where(StandingPermission.officer_id == officer.id)
    return keyset_page(
        session,
        stmt,
        [StandingPermission.created_at, StandingPermission.id],
        params,
        descending=True,
    )


def end_permission(session: Session, actor: Actor, permission_id: uuid.UUID) -> None:
    """End a permission from now on; what it approved stays approved."""
    permission = session.get(StandingPermission, permission_id)
    if permission is None:
        raise NotFound("No such permission.")
    authorize_council(actor, permission.council_id, Role.manager, platform_admin=False)
    if permission.ended_at is not None:
        return
    permission.ended_at = clock.now()
    _flush(session)
    audit.record(
        session,
        actor,
        "permission.end",
        "standing_permission",
        permission.id,
        permission.council_id,
        "Standing permission ended",
        {"officer_id": str(permission.officer_id)},
    )


# --- capacity: how bookings take and give back hours ---------------------------------------


def _bookable(
    officer_id: uuid.UUID | BindParameter[uuid.UUID], week: str | BindParameter[str]
) -> list[ColumnElement[bool]]:
    """The officer's row for `week` when it has approved hours (a pending raise beside them
    does not matter: only approved hours are booked)."""
    return [
        Availability.officer_id == officer_id,
        Availability.week == week,
        Availability.status.in_((AvailabilityStatus.approved, AvailabilityStatus.pending)),
        Availability.approved_minutes > 0,
    ]


def _fits(minutes: int | BindParameter[int]) -> list[ColumnElement[bool]]:
    """DESIGN.md rule 1's guard: `minutes` more stay within the approved hours, and a
    single-booking week closes on its first booking."""
    return [
        Availability.booked_minutes + minutes <= Availability.approved_minutes,
        or_(Availability.single_booking.is_(False), Availability.booked_minutes == 0),
    ]


def bookable_week(session: Session, officer_id: uuid.UUID, week: Week) -> Availability | None:
    """The officer's row for `week` when it has approved hours."""
    return session.scalar(select(Availability).where(*_bookable(officer_id, str(week))))


def _positive(minutes: int) -> int:
    if minutes <= 0:
        raise ValueError("a booking holds a positive number of minutes")
    return minutes


def hold(session: Session, availability_id: uuid.UUID, minutes: int) -> bool:
    """Hold `minutes` for a booking, or return False when they are not free.

    DESIGN.md rule 1: one conditional UPDATE checked by its row count and backed by the CHECK
    `booked_minutes <= approved_minutes`, so the database itself refuses a race (PostgreSQL
    re-evaluates the WHERE against the newly committed row under READ COMMITTED; SQLite
    serialises writers with BEGIN IMMEDIATE). A single-booking week closes on its first booking.
    """
    minutes = _positive(minutes)
    return claimed(
        session,
        update(Availability)
        .where(Availability.id == availability_id, *_fits(minutes))
        .values(booked_minutes=Availability.booked_minutes + minutes)
        .execution_options(synchronize_session="fetch"),
    )


def hold_week(
    session: Session, officer_id: uuid.UUID, week: Week, minutes: int
) -> uuid.UUID | None:
    """`hold` of the officer's bookable row for `week`, found by the same guarded UPDATE (one
    statement, no read before it): the row's id, or None when the week has no approved hours
    or not `minutes` of them free (`bookable_week` tells which). The whole WHERE is the guard,
    so PostgreSQL re-evaluates all of it against a row another booking just committed."""
    values = {
        "hold_officer": officer_id,
        "hold_week": str(week),
        "hold_minutes": _positive(minutes),
    }
    rows = claimed_rows(session, _hold_week(), values)
    return None if rows is None else rows[0][0]


@cache
def _hold_week() -> ReturningUpdate[uuid.UUID]:
    """`hold_week`'s statement, built once (every booking runs it), its values bound."""
    minutes = bindparam("hold_minutes", type_=Integer)
    return (
        update(Availability)
        .where(
            *_bookable(bindparam("hold_officer"), bindparam("hold_week")),
            *_fits(minutes),
        )
        .values(booked_minutes=Availability.booked_minutes + minutes)
        .returning(Availability.id)
        .execution_options(synchronize_session="fetch")
    )


def release(session: Session, availability_id: uuid.UUID, minutes: int) -> None:
    """Give back `minutes` a booking held (declined, expired or cancelled). The approved hours
    stay as they are, so the time is bookable again."""
    guarded(
        session,
        update(Availability)
        .where(Availability.id == availability_id, Availability.booked_minutes >= minutes)
        .values(booked_minutes=Availability.booked_minutes - minutes)
        .execution_options(synchronize_session="fetch"),
        conflict="Those hours are not held on this week any more. Reload and try again.",
    )


# --- emails ---------------------------------------------------------------------------------


def sign_off_managers(
    session: Session, officer: Officer, account: User | None = None
) -> list[User]:
    """Who signs off the officer's time (and hears about their bookings). `account`: the
    officer's user when the caller has it already."""
    return auth.sign_off_managers(session, officer.user_id, officer.council_id, account)


def _ask_managers(session: Session, officer: Officer, rows: Sequence[Availability]) -> None:
    link = f"{get_settings().public_url}/sign-off"
    lines = "\n".join(
        f"- {week_text(row.week)}: {hours_text(row.pending_minutes)} to sign off "
        f"({hours_text(row.offered_minutes)} offered in all)"
        for row in rows
    )
    weeks = week_text(rows[0].week) if len(rows) == 1 else f"{len(rows)} weeks"
    for manager in sign_off_managers(session, officer):
        notifications.queue_email(
            session,
            to=manager.email,
            subject=f"{officer.display_name} has offered hours to sign off ({weeks})",
            body=(
                f"Hello {manager.name},\n\n{officer.display_name} has offered spare hours to "
                f"other councils and needs your sign-off:\n{lines}\n\n"
                f"Approve or reject them here:\n{link}\n"
            ),
            link="/sign-off",
            kind="sign-off",
        )


def _tell_officer(session: Session, officer: Officer, subject: str, lines: Sequence[str]) -> None:
    user = auth.get_user(session, officer.user_id)
    if user is None or not user.active:
        return
    text = "\n".join(line for line in lines if line)
    notifications.queue_email(
        session,
        to=user.email,
        subject=subject,
        body=(
            f"Hello {officer.display_name},\n\n{text}\n\nSee your weeks here:\n"
            f"{get_settings().public_url}/availability\n"
        ),
        link="/availability",
        kind="availability",
    )


def officer_weeks(
    session: Session, officer_id: uuid.UUID, weeks: Sequence[str]
) -> dict[str, Availability]:
    """The officer's availability rows of these weeks (for offers against requests for help)."""
    if not weeks:
        return {}
    stmt = select(Availability).where(
        Availability.officer_id == officer_id, Availability.week.in_(list(weeks))
    )
    return {row.week: row for row in session.scalars(stmt)}
