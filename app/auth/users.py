"""People and their roles: creating users, listing a council's people, changing roles, line
managers and whether someone is active. A council always keeps one active council admin."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.audit import service as audit
from app.auth import service as auth
from app.auth.models import User, UserRole
from app.auth.schemas import UserUpdate
from app.core.actor import Actor, Role, authorize_council
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.pagination import PageParams, keyset_page


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(User.id).where(User.email == email.strip().lower())) is not None


def create_user(
    session: Session,
    actor: Actor | None,
    council_id: uuid.UUID | None,
    email: str,
    name: str,
    roles: Iterable[Role],
    password: str | None,
    is_platform_admin: bool = False,
) -> User:
    """Add a person (to a council, with their roles). Officer profiles are the officers
    domain's business: callers that can grant the officer role ensure one (app.account)."""
    email = email.strip().lower()
    if email_taken(session, email):
        raise Conflict(f"{email} already has an account.")
    user = User(
        email=email,
        name=name,
        council_id=council_id,
        password_hash=auth.hash_password(password) if password else None,
        is_platform_admin=is_platform_admin,
    )
    user.role_rows = [UserRole(role=Role(role).value) for role in sorted(set(roles))]
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request took the email
        raise Conflict(f"{email} already has an account.") from exc
    audit.record(
        session,
        actor,
        "user.create",
        "user",
        user.id,
        council_id,
        f"{name} <{email}> joined with roles {', '.join(user.roles) or 'none'}",
    )
    return user


def list_users(
    session: Session,
    actor: Actor,
    council_id: uuid.UUID,
    params: PageParams,
    role: Role | None = None,
    active: bool | None = None,
) -> tuple[list[User], str | None]:
    """A council's people (council admins), optionally only those with `role` or activity."""
    authorize_council(actor, council_id, Role.council_admin)
    stmt = select(User).where(User.council_id == council_id).options(selectinload(User.role_rows))
    if role is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role.value)))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return keyset_page(session, stmt, [User.name, User.id], params)


def get_member(session: Session, actor: Actor, user_id: uuid.UUID) -> User:
    """One person of the actor's council, for its council admins."""
    user = auth.get_user(session, user_id)
    if user is None or user.council_id is None:
        raise NotFound("No such user.")
    authorize_council(actor, user.council_id, Role.council_admin)
    return user


def user_name(session: Session, user_id: uuid.UUID) -> str | None:
    return session.scalar(select(User.name).where(User.id == user_id))


def platform_admins(session: Session) -> list[User]:
    stmt = select(User).where(User.is_platform_admin.is_(True), User.active.is_(True))
    return list(session.scalars(stmt.order_by(User.email)))


def council_admins(session: Session, council_ids: set[uuid.UUID]) -> list[User]:
    """The active council admins of these councils."""
    if not council_ids:
        return []
    stmt = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.council_id.in_(council_ids),
            User.active.is_(True),
            UserRole.role == Role.council_admin.value,
        )
        .order_by(User.email)
    )
    return list(session.scalars(stmt))


def council_ids_with_people() -> Select[uuid.UUID | None]:
    """A statement of the councils that have at least one user."""
    return select(User.council_id).where(User.council_id.is_not(None))


def people_per_council(session: Session, council_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    stmt = (
        select(User.council_id, func.count())
        .where(User.council_id.in_(council_ids))
        .group_by(User.council_id)
    )
    return {council_id: count for council_id, count in session.execute(stmt) if council_id}


def _active_admins(session: Session, council_id: uuid.UUID) -> int:
    stmt = (
        select(func.count())
        .select_from(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.council_id == council_id,
            User.active.is_(True),
            UserRole.role == Role.council_admin,
        )
    )
    return session.scalar(stmt) or 0


def _check_line_manager(session: Session, user: User, manager_id: uuid.UUID | None) -> None:
    if manager_id is None:
        return
    manager = auth.get_user(session, manager_id)
    if manager is None or manager.council_id != user.council_id:
        raise InvalidInput(
            "The line manager must be someone in the same council.", ["body", "line_manager_id"]
        )
    if manager.id == user.id:
        raise InvalidInput("Nobody can be their own line manager.", ["body", "line_manager_id"])
    if Role.manager not in manager.roles:
        raise InvalidInput("The line manager needs the manager role.", ["body", "line_manager_id"])


def update_user(session: Session, actor: Actor, user_id: uuid.UUID, changes: UserUpdate) -> User:
    """Change what `changes` sets (roles, line manager, active); nothing else."""
    user = auth.get_user(session, user_id)
    if user is None or user.council_id is None:
        raise NotFound("No such user.")
    authorize_council(actor, user.council_id, Role.council_admin)
    changed = sorted(changes.model_fields_set)
    was_admin = user.active and Role.council_admin in user.roles
    if "roles" in changes.model_fields_set and changes.roles is not None:
        user.role_rows = [UserRole(role=role.value) for role in sorted(set(changes.roles))]
    if "line_manager_id" in changes.model_fields_set:
        _check_line_manager(session, user, changes.line_manager_id)
        user.line_manager_id = changes.line_manager_id
    if changes.active is not None:
        user.active = changes.active
        if not user.active:
            auth.end_all_sessions(session, user.id)
    session.flush()
    still_admin = user.active and Role.council_admin in user.roles
    if was_admin and not still_admin and _active_admins(session, user.council_id) == 0:
        raise Conflict("A council must keep at least one active council admin.")
    audit.record(
        session,
        actor,
        "user.update",
        "user",
        user.id,
        user.council_id,
        f"{user.email} changed: {', '.join(changed)}",
        {"changed": changed},
    )
    return user
