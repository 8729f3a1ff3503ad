"""Test data made through the services, as the app itself would make it."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.account import service as account
from app.auth import service as auth
from app.auth.models import User
from app.core.actor import Actor, Via
from app.councils import service as councils
from app.councils.models import Council
from app.officers import service as officers

PASSWORD = "correct-horse-battery"
# Hashed once: argon2 is slow on purpose, and most tests sign in with API tokens.
_PASSWORD_HASH = auth.hash_password(PASSWORD)
_counter = itertools.count(1)
READY_TO_INVOICE: dict[str, Any] = {
    "bank_account_name": "Test Council General Account",
    "bank_sort_code": "309950",
    "bank_account_number": "12345678",
}


def _code() -> str:
    return "T" + uuid.uuid4().hex[:8].upper()


@dataclass
class Member:
    user: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def id(self) -> Any:
        return self.user.id


class Factory:
    def __init__(self, db: Session) -> None:
        self.db = db

    def council(
        self,
        nation: str = "England",
        region: str = "South East",
        accepted: bool = True,
        **settings: Any,
    ) -> Council:
        n = next(_counter)
        council = councils.create_council(
            self.db, None, f"Test Council {n}", _code(), nation, region
        )
        row = councils.council_settings(self.db, council.id)
        # Ready to issue invoices (issue 8): bank details unless a test says otherwise.
        settings = {**READY_TO_INVOICE, **settings}
        for key, value in settings.items():
            setattr(row, key, value)
        if accepted:
            admin = self.system_admin()
            councils.accept_agreement(self.db, admin, council.id, None)
        self.db.commit()
        return council

    def system_admin(self) -> Actor:
        return Actor(
            user_id=None,  # type: ignore[arg-type]
            email="system",
            name="system",
            council_id=None,
            roles=frozenset(),
            is_platform_admin=True,
            via=Via.system,
        )

    def user(
        self, council: Council, *roles: str, name: str | None = None, platform_admin: bool = False
    ) -> Member:
        n = next(_counter)
        user = account.add_member(
            self.db,
            None,
            council.id,
            f"user{n}.{council.code.lower()}@example.gov.uk",
            name or f"User {n}",
            roles,
            None,
            is_platform_admin=platform_admin,
        )
        user.password_hash = _PASSWORD_HASH
        _row, raw = auth.create_api_token(self.db, auth.actor_for(user, Via.token), "tests")
        self.db.commit()
        return Member(user=user, token=raw)

    def officer(
        self,
        council: Council,
        consent: bool = True,
        skills: Iterable[str] = (),
        visible: bool = True,
        name: str | None = None,
    ) -> Member:
        member = self.user(council, "officer", name=name)
        actor = auth.actor_for(member.user, Via.token)
        officers.update_my_profile(
            self.db, actor, member.user.name, "Officer", "Summary", list(skills), visible
        )
        if consent:
            officers.give_consent(self.db, actor, None, councils.current_agreement(self.db).version)
        self.db.commit()
        return member


def approved_week(db: Session, officer: Member, manager: Member, week: str, hours: float,
                  single_booking: bool = False) -> Any:
    """List `hours` in `week` as the officer and approve them as the manager."""
    from app.availability import service as availability
    from app.core.isoweek import Week

    view = availability.set_week(db, auth.actor_for(officer.user, "token"), Week(week),
                                 int(hours * 60), single_booking)
    if view.row is not None and view.row.pending_minutes:
        availability.approve(db, auth.actor_for(manager.user, "token"), view.row.id)
    db.commit()
    return view.row
