"""Requests for help and offers: a booker posts a need, matching officers (and their managers)
are told, officers offer weeks and hours (listed under the same sign-off rules as any hours),
the booker compares offers and accepts one or several: each accepted offer's weeks become
bookings with the bookings' own capacity rules, in one transaction.

Accepting is a guarded UPDATE (`made` → `accepted`), so two racing accepts of one offer make one
set of bookings; the loser gets 409 and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from app.audit import service as audit
from app.auth import service as auth
from app.auth.models import User
from app.availability import search
from app.availability import service as availability
from app.availability.models import Availability, AvailabilityStatus
from app.bookings import service as bookings
from app.bookings.models import Booking
from app.config import get_settings
from app.core import clock, money
from app.core.actor import Actor, Role, Via
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.hours import hours_text
from app.core.isoweek import Week, week_text
from app.core.pagination import PageParams, keyset_page
from app.councils import service as councils
from app.messages import service as messages
from app.messages.models import Message
from app.notifications import service as notifications
from app.officers import service as officers
from app.officers.models import Officer, officer_skills
from app.requests.models import (
    AlertSent,
    HelpRequest,
    Offer,
    OfferStatus,
    OfferWeek,
    RequestStatus,
    SavedSearch,
)

MAX_WEEKS = 26
# Told about a new request: at most this many matching officers (best matched first).
MAX_TOLD = 500


@dataclass(frozen=True)
class NewRequest:
    title: str
    description: str
    skills: Sequence[str]
    from_week: Week
    to_week: Week
    minutes_per_week: int
    max_rate_pence: int | None
    closes_on: date
    purchase_order: str | None


# --- who may see what --------------------------------------------------------------------


def _require_pool_member(session: Session, actor: Actor) -> uuid.UUID:
    if actor.council_id is None or not councils.has_accepted_agreement(session, actor.council_id):
        raise Forbidden(
            "Requests for help are for members of councils in the pool (that have accepted "
            "the s113 agreement)."
        )
    return actor.council_id


def readable_requests(actor: Actor) -> Select[HelpRequest]:
    """The one statement of the requests an actor may read: every request of a council in the
    pool, when the actor's own council is in it (checked by `_require_pool_member`); their own
    council's always."""
    stmt = select(HelpRequest).options(selectinload(HelpRequest.skills))
    if actor.is_platform_admin:
        return stmt
    return stmt.where(
        or_(
            HelpRequest.council_id.in_(councils.in_pool_council_ids()),
            HelpRequest.council_id == actor.council_id,
        )
    )


def get_request(session: Session, actor: Actor, request_id: uuid.UUID) -> HelpRequest:
    if not actor.is_platform_admin:
        _require_pool_member(session, actor)
    row = session.scalar(
        readable_requests(actor)
        .where(HelpRequest.id == request_id)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound("No such request for help.")
    return row


def effective_status(row: HelpRequest, today: date | None = None) -> str:
    """An open request whose closing date has passed is closed, whether or not the worker has
    written so yet."""
    if row.status == RequestStatus.open and row.closes_on < (today or clock.today()):
        return "closed"
    return row.status


def list_requests(
    session: Session,
    actor: Actor,
    status: RequestStatus | None,
    mine: bool,
    params: PageParams,
) -> tuple[list[HelpRequest], str | None]:
    """Newest first."""
    _require_pool_member(session, actor)
    stmt = readable_requests(actor)
    today = clock.today()
    if status == RequestStatus.open:
        stmt = stmt.where(HelpRequest.status == RequestStatus.open, HelpRequest.closes_on >= today)
    elif status == RequestStatus.closed:
        stmt = stmt.where(
            or_(
                HelpRequest.status == RequestStatus.closed,
                (HelpRequest.status == RequestStatus.open) & (HelpRequest.closes_on < today),
            )
        )
    elif status is not None:
        stmt = stmt.where(HelpRequest.status == status)
    if mine:
        stmt = stmt.where(HelpRequest.council_id == actor.council_id)
    keys = [HelpRequest.created_at, HelpRequest.id]
    return keyset_page(session, stmt, keys, params, descending=True)


# --- posting a request and telling matching officers --------------------------------------


def post_request(session: Session, actor: Actor, new: NewRequest) -> HelpRequest:
    if not actor.has_any(Role.booker):
        raise Forbidden("Only bookers can ask for help.")
    council_id = _require_pool_member(session, actor)
    _check_new(session, council_id, new)
    row = HelpRequest(
        council_id=council_id,
        booker_id=actor.user_id,
        title=new.title,
        description=new.description,
        from_week=str(new.from_week),
        to_week=str(new.to_week),
        from_start=new.from_week.monday,
        to_start=new.to_week.monday,
        minutes_per_week=new.minutes_per_week,
        max_rate_pence=new.max_rate_pence,
        closes_on=new.closes_on,
        purchase_order=new.purchase_order or None,
        status=RequestStatus.open,
        skills=officers.skills_by_slug(session, new.skills),
    )
    session.add(row)
    session.flush()
    council = councils.get_council(session, council_id)
    audit.record(
        session,
        actor,
        "request.post",
        "request",
        row.id,
        council_id,
        f"{actor.name} ({council.name}) asked for help: {row.title}",
    )
    _tell_matching(session, row, council.name)
    return row


def _check_new(session: Session, council_id: uuid.UUID, new: NewRequest) -> None:
    today = clock.today()
    if new.from_week.monday <= today:
        raise InvalidInput("The first week must not have started yet.", ["body", "from_week"])
    if new.to_week < new.from_week:
        raise InvalidInput("The last week must not be before the first.", ["body", "to_week"])
    if new.from_week.weeks_until(new.to_week) + 1 > MAX_WEEKS:
        raise InvalidInput(f"Ask for {MAX_WEEKS} weeks or fewer.", ["body", "to_week"])
    if new.closes_on < today or new.closes_on >= new.to_week.monday + timedelta(days=7):
        raise InvalidInput(
            "The closing date must be from today and before the last week ends.",
            ["body", "closes_on"],
        )
    if councils.council_settings(session, council_id).po_required and not new.purchase_order:
        raise InvalidInput(
            "Your council requires a purchase order number on every booking.",
            ["body", "purchase_order"],
        )


def matching_officers(
    session: Session, council_id: uuid.UUID, skill_ids: Sequence[int], limit: int = MAX_TOLD
) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """(officer id, user id, skills matched) of listed officers of other councils in the pool
    with any of the skills, best matched first: one statement through `officer_skills`' skill
    index (bench: `python -m bench.market`)."""
    if not skill_ids:
        return []
    matched = func.count().label("matched")
    stmt = (
        select(Officer.id, Officer.user_id, matched)
        .join(officer_skills, officer_skills.c.officer_id == Officer.id)
        .join(User, User.id == Officer.user_id)
        .where(
            officer_skills.c.skill_id.in_(list(skill_ids)),
            Officer.visible.is_(True),
            Officer.council_id != council_id,
            Officer.council_id.in_(councils.in_pool_council_ids()),
            Officer.consent_version.in_(councils.current_consent_versions()),
            User.active.is_(True),
        )
        .group_by(Officer.id, Officer.user_id)
        .order_by(matched.desc(), Officer.id)
        .limit(limit)
    )
    return [(row.id, row.user_id, int(row.matched)) for row in session.execute(stmt)]


def _tell_matching(session: Session, row: HelpRequest, council_name: str) -> None:
    skill_ids = [skill.id for skill in row.skills]
    link = f"/requests/{row.id}"
    subject = f"{council_name} asks for help: {row.title}"
    body = (
        f"{council_name} asks for help that matches your skills: {row.title}\n"
        f"{hours_text(row.minutes_per_week)} a week, {week_text(row.from_week)} to "
        f"{week_text(row.to_week)}. Offers close on {row.closes_on:%d %B %Y}.\n\n"
        f"Read it and offer hours: {get_settings().public_url}{link}\n"
    )
    told: set[uuid.UUID] = set()
    for officer_id, user_id, _matched in matching_officers(session, row.council_id, skill_ids):
        officer = officers.load_officer(session, officer_id)
        user = auth.get_user(session, user_id)
        if officer is None or user is None:
            continue
        for person in [user, *availability.sign_off_managers(session, officer)]:
            if person.id in told:
                continue
            told.add(person.id)
            notifications.queue_email(
                session,
                person.email,
                subject,
                f"Hello {person.name},\n\n{body}",
                dedupe_key=f"request:{row.id}:{person.id}",
                link=link,
                kind="request",
            )


def close_request(
    session: Session, actor: Actor, request_id: uuid.UUID, filled: bool
) -> HelpRequest:
    """The booker's council says it is filled (or closes it); offers not accepted lapse."""
    row = get_request(session, actor, request_id)
    if row.council_id != actor.council_id or not actor.has_any(Role.booker):
        if row.council_id != actor.council_id:
            raise NotFound("No such request for help.")
        raise Forbidden("Only bookers of the council that asked can close its request.")
    target = "filled" if filled else "closed"
    _close(session, row, target, actor)
    return get_request(session, actor, request_id)


def _close(session: Session, row: HelpRequest, target: str, actor: Actor | None) -> None:
    result = session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == row.id, HelpRequest.status == RequestStatus.open)
        .values(status=target, closed_at=clock.now(), closed_by_id=actor.user_id if actor else None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"This request is already {row.status}.")
    session.execute(
        update(Offer)
        .where(Offer.request_id == row.id, Offer.status == OfferStatus.made)
        .values(status=OfferStatus.lapsed, decided_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session,
        actor,
        f"request.{target}",
        "request",
        row.id,
        row.council_id,
        f"Request for help {target}: {row.title}",
    )


def close_due(session: Session) -> int:
    """The worker: open requests whose closing date has passed become closed. Returns how
    many."""
    due = session.scalars(
        select(HelpRequest)
        .where(HelpRequest.status == RequestStatus.open, HelpRequest.closes_on < clock.today())
        .options(selectinload(HelpRequest.skills))
    ).all()
    for row in due:
        _close(session, row, "closed", None)
    return len(due)


# --- offers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferedWeek:
    week: Week
    minutes: int


def make_offer(
    session: Session,
    actor: Actor,
    request_id: uuid.UUID,
    weeks: Sequence[OfferedWeek],
    note: str,
) -> Offer:
    """An officer offers hours in some of the request's weeks. Hours the officer has not yet
    listed (approved or waiting) are listed now, under the listing's sign-off rules: waiting
    for their manager unless a standing permission covers them."""
    officer = officers.get_my_officer(session, actor)
    row = get_request(session, actor, request_id)
    if row.council_id == officer.council_id:
        raise InvalidInput("You cannot offer hours to your own council.", ["path", "request_id"])
    if effective_status(row) != "open":
        raise Conflict("This request is no longer open for offers.")
    if not officers.is_listed(session, officer):
        raise Conflict(
            "Other councils cannot book you yet: give your consent and choose to be listed "
            "under Your profile first."
        )
    _check_weeks(row, weeks)
    for offered in weeks:
        _list_enough(session, actor, offered)
    offer = Offer(
        request_id=row.id,
        officer_id=officer.id,
        council_id=officer.council_id,
        note=note,
        status=OfferStatus.made,
        weeks=[
            OfferWeek(week=str(w.week), week_start=w.week.monday, minutes=w.minutes) for w in weeks
        ],
    )
    session.add(offer)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "You have already offered hours for this request: withdraw that offer to make another."
        ) from exc
    _record_offer(
        session,
        actor,
        offer,
        row,
        "offer.make",
        f"{officer.display_name} offered {_hours(offer)} for: {row.title}",
    )
    _tell_booker(session, row, f"{officer.display_name} offered hours for: {row.title}")
    return load_offer(session, offer.id)


def _check_weeks(row: HelpRequest, weeks: Sequence[OfferedWeek]) -> None:
    if not weeks:
        raise InvalidInput("Offer at least one week.", ["body", "weeks"])
    seen: set[str] = set()
    for n, offered in enumerate(weeks):
        if str(offered.week) in seen:
            raise InvalidInput("Each week once.", ["body", "weeks", n, "week"])
        seen.add(str(offered.week))
        if not row.from_week <= str(offered.week) <= row.to_week:
            raise InvalidInput(
                f"{week_text(offered.week)} is not one of the weeks asked for.",
                ["body", "weeks", n, "week"],
            )
        if offered.week.monday <= clock.today():
            raise InvalidInput(
                f"{week_text(offered.week)} has started.", ["body", "weeks", n, "week"]
            )


def _list_enough(session: Session, actor: Actor, offered: OfferedWeek) -> None:
    """Make sure the officer offers at least `minutes` free in the week (approved or waiting)."""
    [view] = availability.my_weeks(session, actor, offered.week, offered.week)
    current = view.row
    if current is None:
        availability.set_week(session, actor, offered.week, offered.minutes, False)
        return
    free = current.approved_minutes + current.pending_minutes - current.booked_minutes
    if free < offered.minutes:
        total = current.booked_minutes + offered.minutes
        availability.set_week(session, actor, offered.week, total, current.single_booking)


def _hours(offer: Offer) -> str:
    return hours_text(sum(w.minutes for w in offer.weeks)) + (
        f" over {len(offer.weeks)} weeks" if len(offer.weeks) > 1 else ""
    )


def _record_offer(
    session: Session, actor: Actor, offer: Offer, row: HelpRequest, action: str, summary: str
) -> None:
    for council_id in {row.council_id, offer.council_id}:
        audit.record(session, actor, action, "offer", offer.id, council_id, summary)


def _tell_booker(session: Session, row: HelpRequest, subject: str) -> None:
    booker = auth.get_user(session, row.booker_id)
    if booker is None or not booker.active:
        return
    link = f"/requests/{row.id}"
    notifications.queue_email(
        session,
        booker.email,
        subject,
        f"Hello {booker.name},\n\n{subject}\n\nCompare the offers: "
        f"{get_settings().public_url}{link}\n",
        link=link,
        kind="offer",
    )


def load_offer(session: Session, offer_id: uuid.UUID) -> Offer:
    offer = session.scalar(
        select(Offer)
        .where(Offer.id == offer_id)
        .options(joinedload(Offer.officer), selectinload(Offer.weeks))
        .execution_options(populate_existing=True)
    )
    if offer is None:
        raise NotFound("No such offer.")
    return offer


def readable_offers(actor: Actor) -> Select[Offer]:
    """The one statement of the offers an actor may read: every offer on their own council's
    requests; their council's officers' offers (managers, admins); their own as the officer."""
    stmt = select(Offer).options(joinedload(Offer.officer), selectinload(Offer.weeks))
    if actor.is_platform_admin:
        return stmt
    mine = select(Officer.id).where(Officer.user_id == actor.user_id)
    readable: list[ColumnElement[bool]] = [Offer.officer_id.in_(mine)]
    if actor.council_id is not None:
        own_requests = select(HelpRequest.id).where(HelpRequest.council_id == actor.council_id)
        readable.append(Offer.request_id.in_(own_requests))
        if actor.has_any(Role.manager, Role.council_admin):
            readable.append(Offer.council_id == actor.council_id)
    return stmt.where(or_(*readable))


def list_offers(
    session: Session, actor: Actor, request_id: uuid.UUID, params: PageParams
) -> tuple[list[Offer], str | None]:
    get_request(session, actor, request_id)
    stmt = readable_offers(actor).where(Offer.request_id == request_id)
    return keyset_page(session, stmt, [Offer.created_at, Offer.id], params)


def get_offer(session: Session, actor: Actor, offer_id: uuid.UUID) -> Offer:
    offer = session.scalar(
        readable_offers(actor).where(Offer.id == offer_id).execution_options(populate_existing=True)
    )
    if offer is None:
        raise NotFound("No such offer.")
    return offer


def withdraw_offer(session: Session, actor: Actor, offer_id: uuid.UUID) -> Offer:
    """The officer withdraws their offer, until it is accepted. The hours they listed stay
    listed (withdraw them under Your availability)."""
    offer = get_offer(session, actor, offer_id)
    if offer.officer.user_id != actor.user_id:
        raise Forbidden("Only the officer who made an offer can withdraw it.")
    _move(session, offer, "withdrawn", actor, "withdrawn")
    row = session.get_one(HelpRequest, offer.request_id)
    _record_offer(
        session,
        actor,
        offer,
        row,
        "offer.withdraw",
        f"{offer.officer.display_name} withdrew their offer for: {row.title}",
    )
    return load_offer(session, offer.id)


def _move(session: Session, offer: Offer, target: str, actor: Actor, verb: str) -> None:
    """made → target, or 409 when someone got there first (rule 9)."""
    result = session.execute(
        update(Offer)
        .where(Offer.id == offer.id, Offer.status == OfferStatus.made)
        .values(status=target, decided_at=clock.now(), decided_by_id=actor.user_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        current = session.scalar(select(Offer.status).where(Offer.id == offer.id))
        raise Conflict(f"This offer is {current}, so it cannot be {verb}.")


def accept_offer(session: Session, actor: Actor, offer_id: uuid.UUID) -> list[Booking]:
    """A booker of the requesting council accepts an offer: each of its weeks becomes a
    booking (hours held at once, same capacity rules), all or nothing."""
    offer = get_offer(session, actor, offer_id)
    row = session.get_one(HelpRequest, offer.request_id)
    if row.council_id != actor.council_id:
        raise NotFound("No such offer.")
    if not actor.has_any(Role.booker):
        raise Forbidden("Only bookers can accept offers.")
    if effective_status(row) != "open":
        raise Conflict("This request is closed, so its offers cannot be accepted.")
    _move(session, offer, "accepted", actor, "accepted")
    made: list[Booking] = []
    for week in offer.weeks:
        booking = bookings.request_booking(
            session,
            actor,
            offer.officer_id,
            Week(week.week),
            week.minutes,
            f"{row.title} (request for help)",
            row.purchase_order,
        )
        week.booking_id = booking.id
        made.append(booking)
    _record_offer(
        session,
        actor,
        offer,
        row,
        "offer.accept",
        f"{actor.name} accepted {offer.officer.display_name}'s offer ({_hours(offer)}) for: "
        f"{row.title}",
    )
    return made


def offer_cost(session: Session, offer: Offer, officer: Officer) -> tuple[int, int, int, int]:
    """(rate, net, VAT, gross) pence of the offer at the officer's rate now (`officer` loaded
    with its council), VAT by the lending council's treatment, each week rounded as an invoice
    line is."""
    rate = officers.effective_rate(officer)
    net = sum(money.line_amount_pence(w.minutes, rate) for w in offer.weeks)
    settings = councils.council_settings(session, offer.council_id)
    vat = money.vat_pence(net, settings.charged_vat_rate_bps)
    return rate, net, vat, net + vat


def offer_counts(session: Session, request_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not request_ids:
        return {}
    stmt = (
        select(Offer.request_id, func.count())
        .where(
            Offer.request_id.in_(list(request_ids)),
            Offer.status.in_((OfferStatus.made, OfferStatus.accepted)),
        )
        .group_by(Offer.request_id)
    )
    return {request_id: int(n) for request_id, n in session.execute(stmt)}


def week_free(session: Session, offer: Offer) -> dict[str, int]:
    """For each offered week, the officer's approved, unbooked minutes now: an offer can be
    accepted once every week's hours are approved."""
    rows = availability.officer_weeks(session, offer.officer_id, [w.week for w in offer.weeks])
    return {week: row.approved_minutes - row.booked_minutes for week, row in rows.items()}


# --- messages on requests and bookings -----------------------------------------------------


def _request_thread_readable(session: Session, actor: Actor, row: HelpRequest) -> bool:
    """The requesting council's people; officers with an offer on it and their managers."""
    if actor.is_platform_admin or actor.council_id == row.council_id:
        return True
    offers = select(Offer.id).where(Offer.request_id == row.id)
    stmt = readable_offers(actor).where(Offer.id.in_(offers)).limit(1)
    return session.scalar(stmt) is not None


def request_thread(session: Session, actor: Actor, request_id: uuid.UUID) -> HelpRequest:
    row = get_request(session, actor, request_id)
    if not _request_thread_readable(session, actor, row):
        # Another council's conversation that the actor may not see: invisible (rule 5).
        raise NotFound(
            "No such conversation: messages on a request are between the council that asked "
            "and the officers who offered. Offer hours first."
        )
    return row


def list_request_messages(
    session: Session, actor: Actor, request_id: uuid.UUID, params: PageParams
) -> tuple[list[Message], str | None]:
    request_thread(session, actor, request_id)
    return messages.list_messages(session, "request", request_id, params)


def post_request_message(
    session: Session, actor: Actor, request_id: uuid.UUID, text: str
) -> Message:
    row = request_thread(session, actor, request_id)
    message = messages.post(session, actor, "request", row.id, text)
    councils_told = {row.council_id, *([actor.council_id] if actor.council_id else [])}
    for council_id in councils_told:
        audit.record(
            session,
            actor,
            "message.post",
            "request",
            row.id,
            council_id,
            f"{actor.name} wrote on the request '{row.title}': {text[:200]}",
        )
    if actor.council_id == row.council_id:
        offers = session.scalars(
            select(Offer)
            .where(
                Offer.request_id == row.id,
                Offer.status.in_((OfferStatus.made, OfferStatus.accepted)),
            )
            .options(joinedload(Offer.officer))
        ).all()
        people = [auth.get_user(session, offer.officer.user_id) for offer in offers]
    else:
        people = [auth.get_user(session, row.booker_id)]
    subject = f"New message on the request for help: {row.title}"
    _tell(
        session, actor, [p for p in people if p is not None], subject, text, f"/requests/{row.id}"
    )
    return message


def list_booking_messages(
    session: Session, actor: Actor, booking_id: uuid.UUID, params: PageParams
) -> tuple[list[Message], str | None]:
    bookings.get_booking(session, actor, booking_id)
    return messages.list_messages(session, "booking", booking_id, params)


def post_booking_message(
    session: Session, actor: Actor, booking_id: uuid.UUID, text: str
) -> Message:
    """Anyone who may read the booking writes on it; the others on both sides are told."""
    booking = bookings.get_booking(session, actor, booking_id)
    message = messages.post(session, actor, "booking", booking.id, text)
    for council_id in (booking.booking_council_id, booking.lending_council_id):
        audit.record(
            session,
            actor,
            "message.post",
            "booking",
            booking.id,
            council_id,
            f"{actor.name} wrote on booking {booking.reference}: {text[:200]}",
        )
    sides = bookings.contacts(session, booking)
    emails = {c.email for c in [*sides["booking"], *sides["lending"]]}
    people = [u for u in (auth.get_user_by_email(session, e) for e in sorted(emails)) if u]
    subject = f"New message on booking {booking.reference}"
    _tell(session, actor, people, subject, text, f"/bookings/{booking.id}")
    return message


def _tell(
    session: Session, actor: Actor, people: Sequence[User], subject: str, text: str, link: str
) -> None:
    seen: set[uuid.UUID] = set()
    for person in people:
        if person.id == actor.user_id or person.id in seen or not person.active:
            continue
        seen.add(person.id)
        notifications.queue_email(
            session,
            person.email,
            subject,
            f"Hello {person.name},\n\n{actor.name} wrote:\n\n{text}\n\n"
            f"Reply here: {get_settings().public_url}{link}\n",
            link=link,
            kind="message",
        )


# --- saved searches and their daily digest -------------------------------------------------

MAX_SAVED = 50
DIGEST_LINES = 20
DIGEST_ROWS = 500


@dataclass(frozen=True)
class SavedQuery:
    skills: Sequence[str] = ()
    min_minutes: int = 15
    nation: str | None = None
    region: str | None = None
    max_rate_pence: int | None = None
    q: str | None = None

    def filters(self) -> search.SearchFilters:
        """Always the next weeks from today: a saved search keeps looking ahead."""
        return search.SearchFilters(
            skills=list(self.skills),
            min_minutes=self.min_minutes,
            nation=self.nation,
            region=self.region,
            max_rate_pence=self.max_rate_pence,
            q=self.q,
        )

    def stored(self) -> dict[str, Any]:
        return {
            "skill": list(self.skills),
            "min_minutes": self.min_minutes,
            "nation": self.nation,
            "region": self.region,
            "max_rate_pence": self.max_rate_pence,
            "q": self.q,
        }

    @classmethod
    def of(cls, stored: dict[str, Any]) -> SavedQuery:
        return cls(
            skills=tuple(stored.get("skill") or ()),
            min_minutes=int(stored.get("min_minutes") or 15),
            nation=stored.get("nation"),
            region=stored.get("region"),
            max_rate_pence=stored.get("max_rate_pence"),
            q=stored.get("q"),
        )


def _matches(session: Session, owner: Actor, saved: SavedSearch, limit: int) -> list[Any]:
    """Officer-weeks matching the saved search that it has not sent yet."""
    query = SavedQuery.of(saved.query)
    skill_ids = search.skill_ids_for(session, query.skills) if query.skills else []
    sent = select(AlertSent.availability_id).where(AlertSent.saved_search_id == saved.id)
    stmt = search.build_query(owner, query.filters(), skill_ids, clock.today())
    stmt = stmt.where(
        Availability.id.not_in(sent), Availability.status == AvailabilityStatus.approved
    )
    return list(session.execute(stmt.order_by(Availability.week, Availability.id).limit(limit)))


def save_search(session: Session, actor: Actor, name: str, query: SavedQuery) -> SavedSearch:
    """Saves a booker's search. What matches now is marked as seen: the digest tells only of
    hours approved from now on."""
    if not actor.has_any(Role.booker):
        raise Forbidden("Only bookers save searches.")
    council_id = _require_pool_member(session, actor)
    if query.skills:
        search.skill_ids_for(session, query.skills)  # unknown skills: 422
    count = session.scalar(
        select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == actor.user_id)
    )
    if (count or 0) >= MAX_SAVED:
        raise Conflict(f"You can keep {MAX_SAVED} saved searches: delete one first.")
    saved = SavedSearch(
        user_id=actor.user_id,
        council_id=council_id,
        name=name,
        query=query.stored(),
        last_digest_on=clock.today(),
    )
    session.add(saved)
    session.flush()
    for row in _matches(session, actor, saved, DIGEST_ROWS * 4):
        session.add(
            AlertSent(saved_search_id=saved.id, availability_id=row.id, sent_on=clock.today())
        )
    audit.record(
        session,
        actor,
        "saved_search.create",
        "saved_search",
        saved.id,
        council_id,
        f"{actor.name} saved the search '{name}'",
    )
    return saved


def list_saved(
    session: Session, actor: Actor, params: PageParams
) -> tuple[list[SavedSearch], str | None]:
    stmt = select(SavedSearch).where(SavedSearch.user_id == actor.user_id)
    return keyset_page(session, stmt, [SavedSearch.created_at, SavedSearch.id], params)


def delete_saved(session: Session, actor: Actor, saved_id: uuid.UUID) -> None:
    saved = session.scalar(
        select(SavedSearch).where(SavedSearch.id == saved_id, SavedSearch.user_id == actor.user_id)
    )
    if saved is None:
        raise NotFound("No such saved search.")
    session.delete(saved)
    audit.record(
        session,
        actor,
        "saved_search.delete",
        "saved_search",
        saved.id,
        saved.council_id,
        f"{actor.name} deleted the saved search '{saved.name}'",
    )


def send_digests(session: Session) -> int:
    """The worker, once a day per saved search: one digest (email and in-app) of the hours
    approved since the last that match it, never the same officer-week twice. Returns how many
    digests went out."""
    today = clock.today()
    due = session.scalars(
        select(SavedSearch.id).where(
            or_(SavedSearch.last_digest_on.is_(None), SavedSearch.last_digest_on < today)
        )
    ).all()
    sent = 0
    for saved_id in due:
        claimed = session.execute(
            update(SavedSearch)
            .where(
                SavedSearch.id == saved_id,
                or_(SavedSearch.last_digest_on.is_(None), SavedSearch.last_digest_on < today),
            )
            .values(last_digest_on=today)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another worker took it
        if _digest(session, session.get_one(SavedSearch, saved_id)):
            sent += 1
    return sent


def _digest(session: Session, saved: SavedSearch) -> bool:
    user = auth.get_user(session, saved.user_id)
    if (
        user is None
        or not user.active
        or not councils.has_accepted_agreement(session, saved.council_id)
    ):
        return False
    owner = auth.actor_for(user, Via.system)
    try:
        rows = _matches(session, owner, saved, DIGEST_ROWS)
    except InvalidInput:  # a skill that no longer exists
        return False
    if not rows:
        return False
    for row in rows:
        session.add(
            AlertSent(saved_search_id=saved.id, availability_id=row.id, sent_on=clock.today())
        )
    names = {o.id: o for o in officers.load_officers(session, {row.officer_id for row in rows})}
    lines = [
        f"- {names[row.officer_id].display_name} ({names[row.officer_id].council.name}), "
        f"{week_text(row.week)}: {hours_text(row.available)}"
        for row in rows[:DIGEST_LINES]
    ]
    more = f"\n…and {len(rows) - DIGEST_LINES} more." if len(rows) > DIGEST_LINES else ""
    link = "/find?" + find_query(saved)
    weeks = "1 new week" if len(rows) == 1 else f"{len(rows)} new weeks"
    notifications.queue_email(
        session,
        user.email,
        f"{weeks} of hours match your saved search '{saved.name}'",
        f"Hello {user.name},\n\nNewly approved hours that match '{saved.name}':\n"
        + "\n".join(lines)
        + more
        + f"\n\nSee them: {get_settings().public_url}{link}\n",
        dedupe_key=f"digest:{saved.id}:{clock.today()}",
        link=link,
        kind="alert",
    )
    return True


def find_query(saved: SavedSearch) -> str:
    query = SavedQuery.of(saved.query)
    pairs: list[tuple[str, str]] = [("skill", s) for s in query.skills]
    if query.min_minutes > 15:
        pairs.append(("min_hours", f"{query.min_minutes / 60:g}"))
    for key in ("nation", "region", "max_rate_pence", "q"):
        value = getattr(query, key)
        if value is not None and value != "":
            pairs.append((key, str(value)))
    return urlencode(pairs)
