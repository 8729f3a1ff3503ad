"""Councils, their settings, the pool's s113 agreement, invitations and membership."""

from __future__ import annotations

import csv
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.audit import service as audit
from app.auth import service as auth
from app.auth import users
from app.auth.models import User
from app.config import get_settings
from app.core import clock
from app.core.actor import Actor, Role, Via, authorize_council
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.pagination import PageParams, keyset_page
from app.core.tokens import token_digest
from app.councils.agreement import accept_agreement as accept_agreement
from app.councils.agreement import accepted_council_ids as accepted_council_ids
from app.councils.agreement import agreement_status as agreement_status
from app.councils.agreement import consent_is_current as consent_is_current
from app.councils.agreement import current_agreement as current_agreement
from app.councils.agreement import current_consent_versions as current_consent_versions
from app.councils.agreement import ever_accepted as ever_accepted
from app.councils.agreement import has_accepted_agreement as has_accepted_agreement
from app.councils.agreement import in_pool_council_ids as in_pool_council_ids
from app.councils.agreement import is_in_pool as is_in_pool
from app.councils.agreement import member_council_ids as member_council_ids
from app.councils.models import NATIONS, Council, CouncilSettings, Invitation
from app.councils.schemas import CouncilSettingsUpdate
from app.notifications import service as notifications

# --- councils -----------------------------------------------------------------------------


def list_councils(session: Session, params: PageParams) -> tuple[list[Council], str | None]:
    """The pool's member councils (accepted the agreement, not left)."""
    stmt = select(Council).where(Council.id.in_(member_council_ids()))
    return keyset_page(session, stmt, [Council.name, Council.id], params)


def get_council(session: Session, council_id: uuid.UUID) -> Council:
    council = session.get(Council, council_id)
    if council is None:
        raise NotFound("No such council.")
    return council


def load_councils(
    session: Session, council_ids: Iterable[uuid.UUID], with_settings: bool = False
) -> dict[uuid.UUID, Council]:
    """Councils by id, in one statement (with their settings if asked: `Council.settings`
    never loads lazily). No actor check: for showing what the caller may already see."""
    stmt = select(Council).where(Council.id.in_(set(council_ids)))
    if with_settings:
        stmt = stmt.options(joinedload(Council.settings))
    return {council.id: council for council in session.scalars(stmt).unique()}


def get_council_by_code(session: Session, code: str) -> Council:
    council = session.scalar(select(Council).where(Council.code == code))
    if council is None:
        raise NotFound(f"No council with code {code}.")
    return council


def create_council(
    session: Session,
    actor: Actor | None,
    name: str,
    code: str,
    nation: str,
    region: str,
    gss_code: str | None = None,
) -> Council:
    if actor is not None and not actor.is_platform_admin:
        raise Forbidden("Only platform admins can add councils.")
    if nation not in NATIONS:
        raise InvalidInput(f"Nation must be one of {', '.join(NATIONS)}.", ["body", "nation"])
    if session.scalar(select(Council.id).where(Council.code == code)):
        raise Conflict(f"A council with code {code} already exists.")
    council = Council(name=name, code=code, nation=nation, region=region, gss_code=gss_code)
    session.add(council)
    session.flush()
    session.add(CouncilSettings(council_id=council.id, email_domains=[]))
    audit.record(
        session,
        actor,
        "council.create",
        "council",
        council.id,
        council.id,
        f"Council {name} ({code}) added",
    )
    return council


# --- settings -----------------------------------------------------------------------------


def get_settings_for(session: Session, actor: Actor, council_id: uuid.UUID) -> CouncilSettings:
    authorize_council(actor, council_id, Role.council_admin, Role.finance)
    return _settings_row(session, council_id)


def _settings_row(session: Session, council_id: uuid.UUID) -> CouncilSettings:
    row = session.get(CouncilSettings, council_id)
    if row is None:
        raise NotFound("No such council.")
    return row


def council_settings(session: Session, council_id: uuid.UUID) -> CouncilSettings:
    """Settings for other domains' rules (no actor check: the caller has done it)."""
    return _settings_row(session, council_id)


def update_settings(
    session: Session, actor: Actor, council_id: uuid.UUID, changes: CouncilSettingsUpdate
) -> CouncilSettings:
    """Change the settings given (those set on `changes`; a field left out stays as it is)."""
    authorize_council(actor, council_id, Role.council_admin)
    row = _settings_row(session, council_id)
    changed = sorted(changes.model_fields_set)
    for key in changed:
        setattr(row, key, _stored_setting(changes, key))
    if row.vat_treatment == "standard":
        if row.vat_rate_bps == 0:
            raise InvalidInput(
                "A standard-rated supply needs a VAT rate above zero.", ["body", "vat_rate_bps"]
            )
    else:
        if not row.vat_reason:
            raise InvalidInput(
                "Give the reason for this VAT treatment; it prints on invoices.",
                ["body", "vat_reason"],
            )
        row.vat_rate_bps = 0
    row.updated_at = clock.now()
    audit.record(
        session,
        actor,
        "council_settings.update",
        "council",
        council_id,
        council_id,
        "Settings changed: " + ", ".join(changed),
        {"changed": changed},
    )
    session.flush()
    return row


def _stored_setting(changes: CouncilSettingsUpdate, key: str) -> object:
    """A setting as stored: no address lines is an empty list; the charge for late
    cancellations is a number (0 for none), never null."""
    value = getattr(changes, key)
    if value is None and key == "address_lines":
        return []
    if value is None and key == "late_cancellation_charge_percent":
        raise InvalidInput(
            "Give the charge as a percentage from 0 (no charge) to 100.", ["body", key]
        )
    return value


# --- invitations --------------------------------------------------------------------------


def _email_domain_allowed(email: str, domains: list[str]) -> bool:
    if not domains:
        return True
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in {d.lower() for d in domains}


def invite(
    session: Session,
    actor: Actor,
    council_id: uuid.UUID,
    email: str,
    name: str,
    roles: Iterable[str],
) -> Invitation:
    authorize_council(actor, council_id, Role.council_admin)
    council = get_council(session, council_id)
    email = email.strip().lower()
    settings = _settings_row(session, council_id)
    if not _email_domain_allowed(email, settings.email_domains):
        raise InvalidInput(
            f"{council.name} only invites addresses at {', '.join(settings.email_domains)}.",
            ["body", "email"],
        )
    if users.email_taken(session, email):
        raise Conflict(f"{email} already has an account.")
    now = clock.now()
    pending = session.scalar(
        select(Invitation.id).where(
            Invitation.council_id == council_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    )
    if pending:
        raise Conflict(f"{email} has already been invited and has not answered yet.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        council_id=council_id,
        email=email,
        name=name,
        roles=sorted({str(role) for role in roles}),
        token_hash=token_digest(token),
        invited_by_id=actor.user_id,
        expires_at=now + timedelta(days=get_settings().invitation_valid_days),
    )
    session.add(invitation)
    session.flush()
    _email_invitation(session, actor, council, invitation, token)
    audit.record(
        session,
        actor,
        "invitation.create",
        "invitation",
        invitation.id,
        council_id,
        f"Invited {email} as {', '.join(invitation.roles) or 'no role'}",
    )
    return invitation


def _email_invitation(
    session: Session, actor: Actor, council: Council, invitation: Invitation, token: str
) -> None:
    link = f"{get_settings().public_url}/invitations/{token}"
    notifications.queue_email(
        session,
        to=invitation.email,
        subject=f"You're invited to the LocalGov Talent Pool by {council.name}",
        body=(
            f"Hello {invitation.name},\n\n{actor.name} has invited you to join {council.name} "
            f"in the LocalGov Talent Pool.\n\nSet your password here (the link works once and "
            f"expires on {invitation.expires_at:%d %B %Y}):\n{link}\n"
        ),
        dedupe_key=f"invitation:{invitation.id}:{invitation.token_hash[:16]}",
    )


def _open_invitation(session: Session, actor: Actor, invitation_id: uuid.UUID) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound("No such invitation.")
    authorize_council(actor, invitation.council_id, Role.council_admin)
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has been accepted already.")
    if invitation.revoked_at is not None:
        raise Conflict("This invitation has been revoked.")
    return invitation


def resend_invitation(session: Session, actor: Actor, invitation_id: uuid.UUID) -> Invitation:
    """A new link (the old one stops working) with a new expiry date, emailed again."""
    invitation = _open_invitation(session, actor, invitation_id)
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_digest(token)
    invitation.expires_at = clock.now() + timedelta(days=get_settings().invitation_valid_days)
    session.flush()
    council = get_council(session, invitation.council_id)
    _email_invitation(session, actor, council, invitation, token)
    audit.record(
        session,
        actor,
        "invitation.resend",
        "invitation",
        invitation.id,
        invitation.council_id,
        f"Invitation to {invitation.email} sent again",
    )
    return invitation


def revoke_invitation(session: Session, actor: Actor, invitation_id: uuid.UUID) -> Invitation:
    """The link stops working; the person can be invited again."""
    invitation = _open_invitation(session, actor, invitation_id)
    invitation.revoked_at = clock.now()
    session.flush()
    audit.record(
        session,
        actor,
        "invitation.revoke",
        "invitation",
        invitation.id,
        invitation.council_id,
        f"Invitation to {invitation.email} revoked",
    )
    return invitation


def list_invitations(
    session: Session, actor: Actor, council_id: uuid.UUID, params: PageParams
) -> tuple[list[Invitation], str | None]:
    authorize_council(actor, council_id, Role.council_admin)
    # Revoked invitations are gone from the list (the audit trail keeps them).
    stmt = select(Invitation).where(
        Invitation.council_id == council_id, Invitation.revoked_at.is_(None)
    )
    return keyset_page(
        session, stmt, [Invitation.created_at, Invitation.id], params, descending=True
    )


def accept_invitation(session: Session, token: str, password: str) -> tuple[User, str]:
    """Create the invited account, mark the invitation used, and sign the person in."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None or invitation.revoked_at is not None:
        raise NotFound("This invitation link is not valid.")
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been used. Sign in instead.")
    if invitation.expires_at <= clock.now():
        raise Conflict("This invitation has expired. Ask your council admin for a new one.")
    invitation.accepted_at = clock.now()
    user = users.create_user(
        session,
        None,
        invitation.council_id,
        invitation.email,
        invitation.name,
        [Role(role) for role in invitation.roles],
        password,
    )
    audit.record(
        session,
        auth.actor_for(user, Via.session),
        "invitation.accept",
        "invitation",
        invitation.id,
        invitation.council_id,
        f"{user.email} accepted the invitation",
    )
    session_token = auth.open_session(session, user)
    return user, session_token


# --- the register of UK councils ----------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)


def import_register(session: Session, path: Path, include_past: bool = False) -> ImportResult:
    """Load mySociety's register of UK local authorities; re-importing updates, never duplicates."""
    result = ImportResult()
    existing = {council.code: council for council in session.scalars(select(Council))}
    with path.open(newline="", encoding="utf-8") as handle:
        for line_number, row in enumerate(csv.DictReader(handle), start=2):
            code = (row.get("local-authority-code") or "").strip()
            nation = (row.get("nation") or "").strip()
            current = (row.get("current-authority") or "").strip().lower() == "true"
            if not current and not include_past:
                continue
            if not code or nation not in NATIONS:
                result.skipped.append(f"line {line_number}: code {code!r}, nation {nation!r}")
                continue
            values = {
                "name": row["official-name"].strip(),
                "short_name": (row.get("nice-name") or "").strip() or None,
                "gss_code": (row.get("gss-code") or "").strip() or None,
                "nation": nation,
                "region": (row.get("region") or nation).strip(),
                "authority_type": (row.get("local-authority-type") or "").strip() or None,
            }
            council = existing.get(code)
            if council is None:
                council = Council(code=code, **values)
                session.add(council)
                session.flush()
                session.add(CouncilSettings(council_id=council.id, email_domains=[]))
                existing[code] = council
                result.created += 1
                audit.record(
                    session,
                    None,
                    "council.import",
                    "council",
                    council.id,
                    council.id,
                    f"Imported {council.name} ({code}) from the register",
                )
                continue
            changed = {k: v for k, v in values.items() if getattr(council, k) != v}
            if not changed:
                result.unchanged += 1
                continue
            for key, value in changed.items():
                setattr(council, key, value)
            result.updated += 1
            audit.record(
                session,
                None,
                "council.import",
                "council",
                council.id,
                council.id,
                f"Updated {council.name} ({code}) from the register: " + ", ".join(sorted(changed)),
            )
    session.flush()
    return result
