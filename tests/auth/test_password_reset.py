"""Password reset by email: one link, stored as a digest, one hour, once; the same answer for
any email; limited; a reset ends every session of the account."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import credentials
from app.auth.models import PasswordReset
from app.config import get_settings
from app.core import clock
from app.core.errors import Conflict
from app.core.tokens import token_digest
from tests.auth.helpers import login
from tests.councils.helpers import emailed_link, emails_to
from tests.factories import PASSWORD, Factory

RESET = "/api/v1/auth/password-reset"
COMPLETE = "/api/v1/auth/password-reset/complete"
NEW = "tractor-purple-lemon"


def test_the_same_answer_whether_or_not_the_email_has_an_account(client, make, db):
    member = make.user(make.council(), "booker")
    known = client.post(RESET, json={"email": member.user.email})
    unknown = client.post(RESET, json={"email": "nobody-here@example.gov.uk"})
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert len(emails_to(db, member.user.email)) == 1
    assert emails_to(db, "nobody-here@example.gov.uk") == []


def test_reset_from_the_email_ends_every_session_and_works_once(client, app, make, db):
    member = make.user(make.council(), "booker")
    email = member.user.email
    elsewhere = client.__class__(app)
    assert login(elsewhere, email, PASSWORD).status_code == 200
    assert client.post(RESET, json={"email": email}).status_code == 202
    token = emailed_link(db, email, "/password-reset/")
    # only a digest is kept
    stored = db.scalars(select(PasswordReset.token_hash)).all()
    assert token_digest(token) in stored and token not in stored
    assert client.post(COMPLETE, json={"token": token, "password": NEW}).status_code == 204
    assert elsewhere.get("/api/v1/me").status_code == 401  # every session ended
    assert login(client, email, PASSWORD).status_code == 401
    assert login(client, email, NEW).status_code == 200
    again = client.post(COMPLETE, json={"token": token, "password": "another-fine-phrase"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, make, db):
    member = make.user(make.council(), "booker")
    client.post(RESET, json={"email": member.user.email})
    token = emailed_link(db, member.user.email, "/password-reset/")
    weak = client.post(COMPLETE, json={"token": token, "password": "aaaaaaaaaaaa"})
    assert weak.status_code == 422
    assert client.post(COMPLETE, json={"token": token, "password": NEW}).status_code == 204


def test_the_link_lasts_an_hour(client, make, db):
    member = make.user(make.council(), "booker")
    client.post(RESET, json={"email": member.user.email})
    token = emailed_link(db, member.user.email, "/password-reset/")
    with clock.travel_to(clock.now() + timedelta(minutes=61)):
        late = client.post(COMPLETE, json={"token": token, "password": NEW})
    assert late.status_code == 409
    assert login(client, member.user.email, PASSWORD).status_code == 200


def test_unknown_or_malformed_tokens_are_clear_errors(client):
    assert client.post(COMPLETE, json={"token": "nope", "password": NEW}).status_code == 409
    bad = client.post(COMPLETE, json={"token": "no spaces allowed", "password": NEW})
    assert bad.status_code == 422


def test_requests_are_limited_alike_for_known_and_unknown_emails(client, make):
    member = make.user(make.council(), "booker")
    limit = get_settings().login_max_failures
    for email in (member.user.email, "nobody-at-all@example.gov.uk"):
        answers = [client.post(RESET, json={"email": email}).status_code for _ in range(limit)]
        assert answers == [202] * limit
        over = client.post(RESET, json={"email": email})
        assert over.status_code == 429
        assert over.headers["content-type"] == "application/problem+json"


def test_two_racing_uses_of_one_link_one_wins(committed_engine):
    """Real threads, separate connections: the guarded UPDATE lets exactly one through."""
    with Session(committed_engine, expire_on_commit=False) as session:
        member = Factory(session).user(Factory(session).council(), "booker")
        credentials.request_reset(session, member.user.email, "192.0.2.10")
        session.commit()
        token = emailed_link(session, member.user.email, "/password-reset/")
    racers = 6
    barrier = threading.Barrier(racers)

    def use(n: int) -> str:
        barrier.wait()
        with Session(committed_engine) as session:
            try:
                credentials.complete_reset(session, token, f"{NEW}-{n}")
                session.commit()
                return "reset"
            except Conflict:
                session.rollback()
                return "refused"

    with ThreadPoolExecutor(racers) as pool:
        answers = sorted(pool.map(use, range(racers)))
    assert answers == ["refused"] * (racers - 1) + ["reset"]
