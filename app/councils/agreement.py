"""The pool's s113 agreement as versioned data: publishing versions, councils accepting the
current one, leaving the pool, and the one rule every booking and search asks: is a council
in the pool now (it accepted the CURRENT version and has not left)?"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    bindparam,
    func,
    select,
    true,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import users
from app.core import clock
from app.core.actor import Actor, Role, authorize_council
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.core.pagination import PageParams, keyset_page
from app.councils.models import AgreementAcceptance, AgreementVersion, Council, CouncilSettings
from app.notifications import service as notifications


def current_agreement(session: Session) -> AgreementVersion:
    """The version councils must have accepted (the last published)."""
    row = session.scalar(select(AgreementVersion).order_by(AgreementVersion.sequence.desc()))
    if row is None:  # the first migration publishes 2026-1, so only a broken database lands here
        raise NotFound("No s113 agreement has been published.")
    return row


def _current_version() -> ScalarSelect[str]:
    return (
        select(AgreementVersion.version)
        .order_by(AgreementVersion.sequence.desc())
        .limit(1)
        .scalar_subquery()
    )


def in_pool_council_ids() -> Select[uuid.UUID]:
    """A statement of the councils in the pool now: accepted the current version, not left."""
    return select(AgreementAcceptance.council_id).where(
        AgreementAcceptance.version == _current_version(),
        AgreementAcceptance.left_at.is_(None),
    )


def member_council_ids() -> Select[uuid.UUID]:
    """Councils that are members (accepted some version and have not left), whether or not
    they have accepted the latest version yet."""
    return select(AgreementAcceptance.council_id).where(AgreementAcceptance.left_at.is_(None))


def has_accepted_agreement(session: Session, council_id: uuid.UUID) -> bool:
    """The council accepted the CURRENT version and has not left the pool."""
    return session.scalar(_has_accepted(), {"accepted_council": council_id}) is not None


@cache
def _has_accepted() -> Select[uuid.UUID]:
    """Built once (building it took twice as long as running it): every search asks."""
    council: BindParameter[uuid.UUID] = bindparam("accepted_council")
    return in_pool_council_ids().where(AgreementAcceptance.council_id == council).limit(1)


def ever_accepted(session: Session, council_id: uuid.UUID) -> bool:
    """The council has accepted some version, whether or not it is in the pool now."""
    stmt = select(AgreementAcceptance.id).where(AgreementAcceptance.council_id == council_id)
    return session.scalar(stmt.limit(1)) is not None


def accepted_council_ids(session: Session, council_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Those of `council_ids` that are in the pool now (see `has_accepted_agreement`)."""
    stmt = in_pool_council_ids().where(AgreementAcceptance.council_id.in_(list(council_ids)))
    return set(session.scalars(stmt))


@dataclass(frozen=True)
class BookingTerms:
    """What a booking between two councils reads of the agreement and of the booking council,
    from one statement (issue 16)."""

    booker: Council
    booker_settings: CouncilSettings
    booker_in_pool: bool
    lender_in_pool: bool
    lender_ever_accepted: bool
    also: bool  # the caller's own condition, evaluated in the same statement


def is_in_pool(council_id: uuid.UUID | BindParameter[Any]) -> ColumnElement[bool]:
    """SQL: the council is in the pool now (for a statement that asks it beside other things)."""
    return in_pool_council_ids().where(AgreementAcceptance.council_id == council_id).exists()


def booking_terms(
    session: Session,
    booking_council_id: uuid.UUID,
    lending_council_id: uuid.UUID,
    also: ColumnElement[bool] | None = None,
    also_values: dict[str, Any] | None = None,
) -> BookingTerms:
    """The booking council with its settings, whether each council is in the pool now, whether
    the lending council ever accepted the agreement, and `also` (for the caller's rule on the
    same request, e.g. that the officer is listed, with its bound `also_values`): the reads of
    `has_accepted_agreement`, `ever_accepted` and the council's settings, in one statement.
    The statement is built once per `also` (so `also` should be built once too: its values
    bound, not written in)."""
    values = {
        "terms_booking_council": booking_council_id,
        "terms_lending_council": lending_council_id,
        **(also_values or {}),
    }
    row = session.execute(_booking_terms(also), values).one_or_none()
    if row is None:
        raise NotFound("No such council.")
    council, settings, booker_in, lender_in, lender_ever, extra = row
    return BookingTerms(
        council, settings, bool(booker_in), bool(lender_in), bool(lender_ever), bool(extra)
    )


@cache
def _booking_terms(
    also: ColumnElement[bool] | None,
) -> Select[Council, CouncilSettings, bool, bool, bool, bool]:
    booking: BindParameter[uuid.UUID] = bindparam("terms_booking_council")
    lending: BindParameter[uuid.UUID] = bindparam("terms_lending_council")
    ever = select(AgreementAcceptance.id).where(AgreementAcceptance.council_id == lending)
    return (
        select(
            Council,
            CouncilSettings,
            is_in_pool(booking),
            is_in_pool(lending),
            ever.exists(),
            also if also is not None else true(),
        )
        .join(CouncilSettings, CouncilSettings.council_id == Council.id)
        .where(Council.id == booking)
    )


def agreement_status(session: Session, council_id: uuid.UUID) -> AgreementAcceptance | None:
    """The council's live acceptance of the current version, if any."""
    return session.scalar(
        select(AgreementAcceptance).where(
            AgreementAcceptance.council_id == council_id,
            AgreementAcceptance.version == _current_version(),
            AgreementAcceptance.left_at.is_(None),
        )
    )


def consent_is_current(session: Session, consent_version: str | None) -> bool:
    """An officer's consent stands while the consent text they agreed to is the current one
    (a new agreement version that keeps the officer's text does not ask them again)."""
    if consent_version is None:
        return False
    current = current_agreement(session)
    if consent_version == current.version:
        return True
    text = session.scalar(
        select(AgreementVersion.officer_consent_text).where(
            AgreementVersion.version == consent_version
        )
    )
    return text is not None and text == current.officer_consent_text


def current_consent_versions() -> Select[str]:
    """A statement of the agreement versions whose officer consent text is the current one:
    an officer who consented to any of them need not consent again (see consent_is_current)."""
    return select(AgreementVersion.version).where(
        AgreementVersion.officer_consent_text
        == select(AgreementVersion.officer_consent_text)
        .order_by(AgreementVersion.sequence.desc())
        .limit(1)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class CouncilAgreement:
    """Where one council stands with the agreement."""

    current: AgreementVersion
    # The council's latest acceptance (of any version), live or left.
    latest: AgreementAcceptance | None
    accepted_by_name: str | None

    @property
    def accepted_current(self) -> bool:
        return (
            self.latest is not None
            and self.latest.left_at is None
            and self.latest.version == self.current.version
        )

    @property
    def left_at(self) -> datetime | None:
        return self.latest.left_at if self.latest is not None else None


def council_agreement(session: Session, actor: Actor, council_id: uuid.UUID) -> CouncilAgreement:
    """Any member of the council (and platform admins) may see where it stands."""
    authorize_council(actor, council_id)
    return _council_agreement(session, council_id)


def _council_agreement(session: Session, council_id: uuid.UUID) -> CouncilAgreement:
    latest = session.scalar(
        select(AgreementAcceptance)
        .where(AgreementAcceptance.council_id == council_id)
        .order_by(AgreementAcceptance.accepted_at.desc(), AgreementAcceptance.id.desc())
    )
    name = None
    if latest is not None and latest.accepted_by_id is not None:
        name = users.user_name(session, latest.accepted_by_id)
    return CouncilAgreement(current_agreement(session), latest, name)


def accept_agreement(
    session: Session, actor: Actor, council_id: uuid.UUID, version: str | None
) -> AgreementAcceptance:
    """The council accepts the current version (rejoining the pool if it had left)."""
    authorize_council(actor, council_id, Role.council_admin)
    current = current_agreement(session)
    if version is not None and version != current.version:
        raise InvalidInput(
            f"Version {version} is not the current agreement ({current.version}).",
            ["body", "version"],
        )
    existing = agreement_status(session, council_id)
    if existing is not None:
        return existing
    acceptance = AgreementAcceptance(
        council_id=council_id,
        version=current.version,
        accepted_by_id=actor.user_id,
        accepted_at=clock.now(),
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
        f"Accepted the s113 agreement version {current.version}",
    )
    return acceptance


def leave_pool(session: Session, actor: Actor, council_id: uuid.UUID) -> CouncilAgreement:
    """The council leaves: no new bookings to or from it; bookings made already carry on."""
    authorize_council(actor, council_id, Role.council_admin, platform_admin=False)
    live = list(
        session.scalars(
            select(AgreementAcceptance).where(
                AgreementAcceptance.council_id == council_id, AgreementAcceptance.left_at.is_(None)
            )
        )
    )
    if not live:
        raise Conflict("Your council is not in the pool, so it cannot leave it.")
    now = clock.now()
    for acceptance in live:
        acceptance.left_at = now
        acceptance.left_by_id = actor.user_id
    audit.record(
        session,
        actor,
        "agreement.leave",
        "council",
        council_id,
        council_id,
        "Left the pool: no new bookings to or from this council",
    )
    session.flush()
    return _council_agreement(session, council_id)


def list_versions(session: Session) -> list[AgreementVersion]:
    return list(
        session.scalars(select(AgreementVersion).order_by(AgreementVersion.sequence.desc()))
    )


def publish_version(
    session: Session, actor: Actor, version: str, text: str, officer_consent_text: str
) -> AgreementVersion:
    """A platform admin publishes a new current version; member councils must accept it."""
    if not actor.is_platform_admin:
        raise Forbidden("Only platform admins publish the agreement.")
    if session.scalar(select(AgreementVersion.id).where(AgreementVersion.version == version)):
        raise InvalidInput(f"Version {version} has been published already.", ["body", "version"])
    sequence = (session.scalar(select(func.max(AgreementVersion.sequence))) or 0) + 1
    row = AgreementVersion(
        sequence=sequence,
        version=version,
        text=text,
        officer_consent_text=officer_consent_text,
        published_at=clock.now(),
        published_by_id=actor.user_id,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # another version published at the same moment
        raise Conflict("Another version was published at the same time; reload.") from exc
    audit.record(
        session,
        actor,
        "agreement.publish",
        "agreement_version",
        row.id,
        None,
        f"Published the s113 agreement version {version}",
    )
    _ask_members_to_accept(session, row)
    return row


def _ask_members_to_accept(session: Session, row: AgreementVersion) -> None:
    members = set(session.scalars(member_council_ids()))
    for admin in users.council_admins(session, members):
        notifications.queue_email(
            session,
            to=admin.email,
            subject=f"Accept version {row.version} of the Talent Pool's s113 agreement",
            body=(
                f"Hello {admin.name},\n\nVersion {row.version} of the pool's agreement under "
                "section 113 of the Local Government Act 1972 has been published. Until your "
                "council accepts it, no new bookings can be made to or from your council.\n\n"
                "Read and accept it on the Agreement page of the LocalGov Talent Pool.\n"
            ),
            dedupe_key=f"agreement:{row.version}:{admin.id}",
            link="/agreement",
            kind="agreement",
        )


def acceptances_of_current(
    session: Session, params: PageParams
) -> tuple[list[tuple[Council, AgreementAcceptance]], str | None]:
    """The councils in the pool now, with when they accepted the current version."""
    stmt = (
        select(AgreementAcceptance)
        .join(Council, Council.id == AgreementAcceptance.council_id)
        .where(
            AgreementAcceptance.version == _current_version(),
            AgreementAcceptance.left_at.is_(None),
        )
    )
    rows, cursor = keyset_page(
        session, stmt, [AgreementAcceptance.accepted_at, AgreementAcceptance.id], params
    )
    councils = {
        c.id: c
        for c in session.scalars(
            select(Council).where(Council.id.in_([r.council_id for r in rows]))
        )
    }
    return [(councils[r.council_id], r) for r in rows], cursor
