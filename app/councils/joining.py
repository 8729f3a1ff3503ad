"""Joining the pool: someone at a council asks, proves their email address with a single-use
link, and a platform admin approves (the requester is invited as the council's first admin)
or declines with a reason.

Asking never tells the asker anything: the answer is the same whatever the council, whatever
the email, whether or not either is known. What differs goes by email to the address given, so
only its owner learns it. Attempts are counted per client IP, valid or not.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.audit import service as audit
from app.auth import users
from app.config import get_settings
from app.core import clock
from app.core.actor import Actor, Role
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests
from app.core.pagination import PageParams, keyset_page
from app.core.tokens import new_token, token_digest
from app.councils import directory
from app.councils import service as councils
from app.councils.models import Council, JoinAttempt, JoinRequest, JoinRequestStatus
from app.councils.schemas import CouncilSettingsUpdate
from app.notifications import service as notifications

LINK_VALID = timedelta(hours=24)
RATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class RegisterEntry:
    code: str
    name: str
    nation: str


def register(session: Session) -> list[RegisterEntry]:
    """Every council of the register, for the join page: nothing about who has joined."""
    stmt = select(Council.code, Council.name, Council.nation).order_by(Council.name)
    return [RegisterEntry(code, name, nation) for code, name, nation in session.execute(stmt)]


def _count_attempt(session: Session, ip: str) -> None:
    now = clock.now()
    session.add(JoinAttempt(ip=ip[:64], at=now))
    session.flush()
    recent = session.scalar(
        select(func.count())
        .select_from(JoinAttempt)
        .where(JoinAttempt.ip == ip[:64], JoinAttempt.at > now - RATE_WINDOW)
    )
    if (recent or 0) > get_settings().join_requests_per_ip_per_hour:
        raise TooManyRequests("Too many requests to join from your network. Try again in an hour.")


def request_to_join(
    session: Session, council_code: str, name: str, job_title: str, email: str, ip: str
) -> None:
    """Ask for a council to join. Returns nothing on purpose (see the module's docstring)."""
    _count_attempt(session, ip)
    email = email.strip().lower()
    council = session.scalar(select(Council).where(Council.code == council_code))
    if council is None:
        return
    if users.email_taken(session, email):
        _email_already_has_account(session, email, council)
        return
    open_request = session.scalar(
        select(JoinRequest).where(
            JoinRequest.council_id == council.id,
            JoinRequest.email == email,
            JoinRequest.status.in_((JoinRequestStatus.unverified, JoinRequestStatus.pending)),
        )
    )
    now = clock.now()
    if open_request is not None:
        # A fresh link only when the last has expired: no mailbox is flooded through us.
        if (
            open_request.status == JoinRequestStatus.unverified
            and open_request.link_expires_at <= now
        ):
            _send_link(session, open_request, council, name, job_title)
        return
    row = JoinRequest(council_id=council.id, email=email, name=name, job_title=job_title)
    try:
        with session.begin_nested():
            _send_link(session, row, council, name, job_title)
    except IntegrityError:  # the same person asked twice at once: the first stands
        return
    audit.record(
        session,
        None,
        "join_request.create",
        "join_request",
        row.id,
        council.id,
        f"{name} ({job_title}) asked for {council.name} to join; email not verified yet",
    )


def _send_link(
    session: Session, row: JoinRequest, council: Council, name: str, job_title: str
) -> None:
    token = new_token()
    row.name = name
    row.job_title = job_title
    row.token_hash = token_digest(token)
    row.link_expires_at = clock.now() + LINK_VALID
    session.add(row)
    session.flush()
    link = f"{get_settings().public_url}/join/verify/{token}"
    notifications.queue_email(
        session,
        to=row.email,
        subject="Confirm your request to join the LocalGov Talent Pool",
        body=(
            f"Hello {name},\n\nYou asked for {council.name} to join the LocalGov Talent Pool. "
            f"Confirm your email address with this link (it works once, for 24 hours):\n{link}\n\n"
            "Your request reaches the pool's team only after you confirm it. If you did not "
            "ask, ignore this email.\n"
        ),
        dedupe_key=f"join:{row.id}:{row.token_hash[:16]}",
    )


def _email_already_has_account(session: Session, email: str, council: Council) -> None:
    notifications.queue_email(
        session,
        to=email,
        subject="Your request to join the LocalGov Talent Pool",
        body=(
            f"Hello,\n\nSomeone asked for {council.name} to join the LocalGov Talent Pool with "
            "this email address. You already have an account, so there is nothing to confirm: "
            f"sign in at {get_settings().public_url}/sign-in. If you did not ask, ignore this "
            "email.\n"
        ),
        dedupe_key=f"join-known:{email}:{council.code}:{clock.today().isoformat()}",
    )


def verify(session: Session, token: str) -> JoinRequest:
    """The emailed link is followed: the request goes to the platform admins."""
    row = session.scalar(
        select(JoinRequest)
        .where(JoinRequest.token_hash == token_digest(token))
        .options(joinedload(JoinRequest.council))
    )
    if row is None:
        raise NotFound("This link is not valid. Ask to join again.")
    if row.status != JoinRequestStatus.unverified:
        raise Conflict("This link has been used already: your request is with the pool's team.")
    if row.link_expires_at <= clock.now():
        raise Conflict("This link has expired. Ask to join again for a new one.")
    row.status = JoinRequestStatus.pending
    row.verified_at = clock.now()
    session.flush()
    audit.record(
        session,
        None,
        "join_request.verify",
        "join_request",
        row.id,
        row.council_id,
        f"{row.email} confirmed their request for {row.council.name} to join",
    )
    for admin in users.platform_admins(session):
        notifications.queue_email(
            session,
            to=admin.email,
            subject=f"{row.council.name} asks to join the Talent Pool",
            body=(
                f"{row.name} ({row.job_title}, {row.email}) asks for {row.council.name} to "
                f"join the pool. Answer it under Join requests:\n"
                f"{get_settings().public_url}/platform/join-requests/{row.id}\n"
            ),
            dedupe_key=f"join-verified:{row.id}:{admin.id}",
        )
    return row


@dataclass(frozen=True)
class JoinRequestView:
    request: JoinRequest
    council_state: directory.CouncilState
    council_people: int
    email_domains: list[str]
    email_has_account: bool


def _require_platform_admin(actor: Actor) -> None:
    if not actor.is_platform_admin:
        raise Forbidden("Only platform admins answer join requests.")


def _view(session: Session, row: JoinRequest) -> JoinRequestView:
    entry = directory.entries(session, [row.council])[0]
    return JoinRequestView(
        request=row,
        council_state=entry.state,
        council_people=entry.people,
        email_domains=list(councils.council_settings(session, row.council_id).email_domains),
        email_has_account=users.email_taken(session, row.email),
    )


def list_requests(
    session: Session, actor: Actor, status: str, params: PageParams
) -> tuple[list[JoinRequestView], str | None]:
    _require_platform_admin(actor)
    stmt = (
        select(JoinRequest)
        .where(JoinRequest.status == status)
        .options(joinedload(JoinRequest.council))
    )
    rows, cursor = keyset_page(session, stmt, [JoinRequest.created_at, JoinRequest.id], params)
    return [_view(session, row) for row in rows], cursor


def get_request(session: Session, actor: Actor, request_id: uuid.UUID) -> JoinRequestView:
    _require_platform_admin(actor)
    return _view(session, _load(session, request_id))


def _load(session: Session, request_id: uuid.UUID) -> JoinRequest:
    row = session.scalar(
        select(JoinRequest)
        .where(JoinRequest.id == request_id)
        .options(joinedload(JoinRequest.council))
    )
    if row is None:
        raise NotFound("No such join request.")
    return row


def _pending(session: Session, request_id: uuid.UUID) -> JoinRequest:
    row = _load(session, request_id)
    if row.status != JoinRequestStatus.pending:
        raise Conflict(f"This request is {row.status}; only verified, open requests are answered.")
    return row


def approve(
    session: Session, actor: Actor, request_id: uuid.UUID, email_domains: list[str]
) -> JoinRequestView:
    """Set the council's email domains and invite the requester as its first council admin."""
    _require_platform_admin(actor)
    row = _pending(session, request_id)
    domain = row.email.rsplit("@", 1)[-1]
    if domain not in email_domains:
        raise InvalidInput(
            f"The requester's address ({row.email}) must be at one of the domains.",
            ["body", "email_domains"],
        )
    councils.update_settings(
        session, actor, row.council_id, CouncilSettingsUpdate(email_domains=email_domains)
    )
    invitation = councils.invite(
        session, actor, row.council_id, row.email, row.name, [Role.council_admin]
    )
    row.status = JoinRequestStatus.approved
    row.decided_at = clock.now()
    row.decided_by_id = actor.user_id
    row.invitation_id = invitation.id
    session.flush()
    audit.record(
        session,
        actor,
        "join_request.approve",
        "join_request",
        row.id,
        row.council_id,
        f"Approved {row.council.name}'s request; {row.email} invited as council admin",
    )
    return _view(session, row)


def decline(session: Session, actor: Actor, request_id: uuid.UUID, reason: str) -> JoinRequestView:
    """Decline with a reason, which is emailed to the requester."""
    _require_platform_admin(actor)
    row = _pending(session, request_id)
    row.status = JoinRequestStatus.declined
    row.decided_at = clock.now()
    row.decided_by_id = actor.user_id
    row.decline_reason = reason
    session.flush()
    notifications.queue_email(
        session,
        to=row.email,
        subject=f"Your request for {row.council.name} to join the Talent Pool",
        body=(
            f"Hello {row.name},\n\nYour request for {row.council.name} to join the LocalGov "
            f"Talent Pool has been declined.\n\nReason: {reason}\n"
        ),
        dedupe_key=f"join-declined:{row.id}",
    )
    audit.record(
        session,
        actor,
        "join_request.decline",
        "join_request",
        row.id,
        row.council_id,
        f"Declined {row.council.name}'s request from {row.email}: {reason}",
    )
    return _view(session, row)


def pending_count(session: Session, actor: Actor) -> int:
    if not actor.is_platform_admin:
        return 0
    stmt = (
        select(func.count())
        .select_from(JoinRequest)
        .where(JoinRequest.status == JoinRequestStatus.pending)
    )
    return session.scalar(stmt) or 0
