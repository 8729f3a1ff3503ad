"""Every request resolves its actor first, so that costs one statement: the session (or API
token), its user and the user's roles together (issue 16)."""

from __future__ import annotations

from app.auth import service as auth
from tests.statements import statements


def test_a_cookie_session_resolves_in_one_statement(db, make):
    member = make.user(make.council(), "booker", "manager")
    token = auth.open_session(db, member.user)
    db.commit()
    db.expunge_all()  # nothing already loaded helps
    with statements(db) as seen:
        actor = auth.resolve_session(db, token, touch=False)
    assert actor is not None and actor.user_id == member.user.id
    assert {role.value for role in actor.roles} == {"booker", "manager"}
    assert len(seen) == 1, seen
    with statements(db) as seen:  # the session row is already in hand for the request
        auth.session_touch_due(db, token)
        assert auth.session_of(db, token) is not None
    assert seen == []


def test_an_api_token_resolves_in_one_statement(db, make):
    member = make.user(make.council(), "booker")
    _, token = auth.create_api_token(db, auth.actor_for(member.user, "token"), "one statement")
    db.commit()
    db.expunge_all()
    with statements(db) as seen:
        actor = auth.resolve_api_token(db, token)
    assert actor is not None and actor.user_id == member.user.id
    assert len(seen) == 1, seen


def test_an_unknown_or_ended_session_is_no_one(db, make):
    member = make.user(make.council(), "booker")
    token = auth.open_session(db, member.user)
    member.user.active = False
    db.commit()
    assert auth.resolve_session(db, token) is None
    assert auth.resolve_session(db, "not-a-token") is None
