"""A council's sign-in settings: its OpenID Connect provider (the client secret kept
encrypted), the email domains the provider covers, whether new people from those domains
arrive as officers, and whether everyone must use two-factor sign-in."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import crypto, oidc
from app.auth.models import CouncilSignIn
from app.auth.schemas import SsoSettingsIn
from app.core import clock
from app.core.actor import Actor
from app.core.errors import InvalidInput


def current(session: Session, council_id: uuid.UUID) -> CouncilSignIn:
    """The council's settings (unsaved defaults when it never set any)."""
    row = session.get(CouncilSignIn, council_id)
    if row is None:
        row = CouncilSignIn(
            council_id=council_id,
            email_domains=[],
            create_officers=False,
            require_two_factor=False,
        )
    return row


def save(
    session: Session,
    actor: Actor,
    council_id: uuid.UUID,
    changes: SsoSettingsIn,
    council_domains: Iterable[str],
) -> CouncilSignIn:
    """Check and store the settings (the caller has authorised the actor). The provider's
    domains must be the council's own; a provider needs a client id and a secret."""
    allowed = {domain.lower() for domain in council_domains}
    outside = [domain for domain in changes.email_domains if domain not in allowed]
    if outside:
        raise InvalidInput(
            f"{', '.join(outside)} is not one of your council's email domains "
            "(set those under People and domains first).",
            ["body", "email_domains"],
        )
    row = session.get(CouncilSignIn, council_id)
    if row is None:
        row = current(session, council_id)
        session.add(row)
    if changes.issuer is not None:
        if not changes.client_id:
            raise InvalidInput("Enter the client ID your provider gave you.", ["body", "client_id"])
        if not changes.client_secret and not row.client_secret:
            raise InvalidInput("Enter the client secret.", ["body", "client_secret"])
        if not changes.email_domains:
            raise InvalidInput(
                "Choose at least one email domain for your provider.", ["body", "email_domains"]
            )
    row.issuer = changes.issuer.rstrip("/") if changes.issuer else None
    row.client_id = changes.client_id if changes.issuer else None
    if changes.client_secret:
        row.client_secret = crypto.encrypt(changes.client_secret)
    if changes.issuer is None:
        row.client_secret = None
    row.email_domains = sorted(set(changes.email_domains))
    row.create_officers = changes.create_officers
    row.require_two_factor = changes.require_two_factor
    row.updated_at = clock.now()
    session.flush()
    oidc.forget_cached(council_id)
    audit.record(
        session,
        actor,
        "council.sign_in_settings",
        "council",
        council_id,
        council_id,
        f"Sign-in settings: provider {row.issuer or 'none'} for "
        f"{', '.join(row.email_domains) or 'no domains'}; new people as officers "
        f"{'yes' if row.create_officers else 'no'}; two-factor for everyone "
        f"{'yes' if row.require_two_factor else 'no'}",
    )
    return row
