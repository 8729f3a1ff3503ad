"""Who is acting, what they may do, and the one scoping rule for council-owned objects.

Every domain takes an `Actor`; none needs to import the auth domain for it. Roles are held per
council; platform admins belong to no council and are a flag, not a role.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from app.core.errors import Forbidden, NotFound


class Role(StrEnum):
    officer = "officer"
    manager = "manager"
    booker = "booker"
    finance = "finance"
    council_admin = "council_admin"


class Via(StrEnum):
    """How the actor proved who they are."""

    session = "session"
    token = "token"  # noqa: S105 (a name, not a secret)
    system = "system"


@dataclass(frozen=True)
class Actor:
    """The signed-in user making a request, with their council and roles."""

    user_id: uuid.UUID
    email: str
    name: str
    council_id: uuid.UUID | None
    roles: frozenset[Role]
    is_platform_admin: bool
    via: Via
    session_token: str | None = None

    def has_any(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def in_council(self, council_id: uuid.UUID) -> bool:
        return self.council_id is not None and self.council_id == council_id


def authorize_council(
    actor: Actor, council_id: uuid.UUID, *roles: Role, platform_admin: bool = True
) -> None:
    """The one scoping rule for council-owned objects.

    Another council's object is invisible (404); one's own council's object without the role is
    forbidden (403). Platform admins pass where `platform_admin` allows it.
    """
    if platform_admin and actor.is_platform_admin:
        return
    if actor.council_id != council_id:
        raise NotFound()
    if roles and not actor.has_any(*roles):
        raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")


def require_council(actor: Actor, *roles: Role) -> uuid.UUID:
    """The actor's own council, when they hold one of `roles` there (403 otherwise)."""
    if actor.council_id is None or (roles and not actor.has_any(*roles)):
        raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
    return actor.council_id
