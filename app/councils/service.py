"""Councils, their settings, the pool's s113 agreement, invitations and membership."""

from __future__ import annotations

import csv
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from app.councils.models import (
    NATIONS,
    AgreementAcceptance,
    Council,
    CouncilSettings,
    Invitation,
)
from app.notifications import service as notifications


@dataclass(frozen=True)
class Agreement:
    version: str
    text: str
    officer_consent_text: str


CURRENT_AGREEMENT = Agreement(
    version="2026-1",
    text=(
        "LocalGov Talent Pool standard agreement under section 113 of the Local Government Act "
        "1972. Each participating council agrees that its officers who list spare hours in the "
        "Talent Pool may be placed at the disposal of another participating council for the hours "
        "booked, on the terms of this agreement. The officer remains employed and paid by their "
        "home council, which recharges the hours worked at the officer's published rate plus VAT "
        "where due. The borrowing council directs the officer's work during booked hours, is "
        "responsible for their health and safety while working for it, and treats them as its own "
        "officer for the purposes of the functions they carry out. Either council may end a "
        "placement with the notice set in its settings. Officers are consulted before any "
        "placement and may withdraw their consent for future weeks at any time."
    ),
    officer_consent_text=(
        "I have been consulted about being placed at the disposal of other councils under "
        "section 113 of the Local Government Act 1972. I agree to my profile being shown to "
        "other councils and to work the hours that they book and that my manager has approved. "
        "I understand I stay employed by my own council and can withdraw future hours at any time."
    ),
)


# --- councils -----------------------------------------------------------------------------


def list_councils(session: Session, params: PageParams) -> tuple[list[Council], str | None]:
    return keyset_page(session, select(Council), [Council.name, Council.id], params)


def get_council(session: Session, council_id: uuid.UUID) -> Council:
    council = session.get(Council, council_id)
    if council is None:
        raise NotFound("No such council.")
    return council


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


def has_accepted_agreement(session: Session, council_id: uuid.UUID) -> bool:
    stmt = select(AgreementAcceptance.id).where(
        AgreementAcceptance.council_id == council_id,
        AgreementAcceptance.version == CURRENT_AGREEMENT.version,
    )
    return session.scalar(stmt.limit(1)) is not None


def accepted_council_ids(session: Session, council_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    stmt = select(AgreementAcceptance.council_id).where(
        AgreementAcceptance.council_id.in_(list(council_ids)),
        AgreementAcceptance.version == CURRENT_AGREEMENT.version,
    )
    return set(session.scalars(stmt))


def accept_agreement(
    session: Session, actor: Actor, council_id: uuid.UUID, version: str | None
) -> AgreementAcceptance:
    authorize_council(actor, council_id, Role.council_admin)
    if version is not None and version != CURRENT_AGREEMENT.version:
        raise InvalidInput(
            f"Version {version} is not the current agreement ({CURRENT_AGREEMENT.version}).",
            ["body", "version"],
        )
    existing = session.scalar(
        select(AgreementAcceptance).where(
            AgreementAcceptance.council_id == council_id,
            AgreementAcceptance.version == CURRENT_AGREEMENT.version,
        )
    )
    if existing is not None:
        return existing
    acceptance = AgreementAcceptance(
        council_id=council_id, version=CURRENT_AGREEMENT.version, accepted_by_id=actor.user_id
    )
    session.add(acceptance)
    session.flush()
    audit.record(
        session,
        actor,
        "agreement.accept",
        "council",
        council_id,
        council_id,
        f"Accepted the s113 agreement version {CURRENT_AGREEMENT.version}",
    )
    return acceptance


def agreement_status(session: Session, council_id: uuid.UUID) -> AgreementAcceptance | None:
    return session.scalar(
        select(AgreementAcceptance).where(
            AgreementAcceptance.council_id == council_id,
            AgreementAcceptance.version == CURRENT_AGREEMENT.version,
        )
    )


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
    session: Session, actor: Actor, council_id: uuid.UUID, changes: dict[str, Any]
) -> CouncilSettings:
    authorize_council(actor, council_id, Role.council_admin)
    row = _settings_row(session, council_id)
    for key, value in changes.items():
        setattr(row, key, value)
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
        "Settings changed: " + ", ".join(sorted(changes)),
        {"changed": sorted(changes)},
    )
    session.flush()
    return row


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
    link = f"{get_settings().public_url}/invitations/{token}"
    notifications.queue_email(
        session,
        to=email,
        subject=f"You're invited to the LocalGov Talent Pool by {council.name}",
        body=(
            f"Hello {name},\n\n{actor.name} has invited you to join {council.name} in the "
            f"LocalGov Talent Pool.\n\nSet your password here (the link works once and expires "
            f"on {invitation.expires_at:%d %B %Y}):\n{link}\n"
        ),
        dedupe_key=f"invitation:{invitation.id}",
    )
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


def list_invitations(
    session: Session, actor: Actor, council_id: uuid.UUID, params: PageParams
) -> tuple[list[Invitation], str | None]:
    authorize_council(actor, council_id, Role.council_admin)
    stmt = select(Invitation).where(Invitation.council_id == council_id)
    return keyset_page(
        session, stmt, [Invitation.created_at, Invitation.id], params, descending=True
    )


def accept_invitation(session: Session, token: str, password: str) -> tuple[User, str]:
    """Create the invited account, mark the invitation used, and sign the person in."""
    invitation = session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(token))
    )
    if invitation is None:
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
