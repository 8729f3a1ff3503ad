"""Who is signed in, in one answer: the user, their council and their officer profile.

This is where auth, councils and officers meet; none of them imports the others for it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.auth import service as auth
from app.auth.models import User
from app.core import clock
from app.core.actor import Actor
from app.core.errors import NotFound
from app.core.isoweek import Week, current_week
from app.councils import service as councils
from app.councils.models import Council
from app.officers import service as officers


@dataclass(frozen=True)
class Me:
    user: User
    council: Council | None
    officer_id: uuid.UUID | None
    csrf_token: str | None
    today: date
    current_week: Week


def describe(session: Session, actor: Actor) -> Me:
    """Everything the SPA needs about who is signed in, with the server's today."""
    user = auth.get_user(session, actor.user_id)
    if user is None:
        raise NotFound("No such user.")
    council = councils.get_council(session, user.council_id) if user.council_id else None
    csrf = auth.csrf_token_for(actor.session_token) if actor.session_token else None
    return Me(
        user=user,
        council=council,
        officer_id=officers.officer_id_for_user(session, user.id),
        csrf_token=csrf,
        today=clock.today(),
        current_week=current_week(),
    )
