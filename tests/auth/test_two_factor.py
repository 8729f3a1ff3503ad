"""Two-factor sign-in (TOTP): who must set it up, setting it up (QR drawn on our server, ten
recovery codes shown once), signing in with a code or a recovery code (each once), resetting
it, and failed codes counting towards the sign-in limits."""

from __future__ import annotations

import base64
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import credentials, totp
from app.auth import service as auth
from app.auth.models import CouncilSignIn, RecoveryCode, User
from app.config import get_settings
from tests.auth.helpers import code_for, csrf, enrol, login
from tests.factories import PASSWORD, Factory

SECOND_FACTOR = "/problems/second-factor-required"
SET_UP = "/problems/second-factor-setup-required"


@pytest.fixture
def council(make):
    return make.council()


@pytest.mark.parametrize("roles", [("finance",), ("council_admin",), ("booker", "finance")])
def test_finance_and_admins_must_set_it_up_before_anything_else(client, make, council, roles):
    member = make.user(council, *roles)
    signed_in = login(client, member.user.email, PASSWORD)
    assert signed_in.status_code == 200
    assert signed_in.json()["user"]["two_factor_setup_required"] is True
    held = client.get("/api/v1/home")
    assert held.status_code == 403
    assert held.json()["type"] == SET_UP
    assert client.get("/api/v1/me").status_code == 200  # the SPA learns what to do
    _secret, codes = enrol(client, csrf(signed_in))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/api/v1/home").status_code == 200
    assert client.get("/api/v1/me").json()["two_factor_setup_required"] is False


def test_platform_admins_must_too_and_officers_need_not(client, make, council):
    platform = make.user(council, platform_admin=True)
    signed_in = login(client, platform.user.email, PASSWORD)
    assert signed_in.json()["user"]["two_factor_setup_required"] is True
    officer = make.user(council, "officer")
    signed_in = login(client, officer.user.email, PASSWORD)
    assert signed_in.json()["user"]["two_factor_setup_required"] is False
    assert client.get("/api/v1/home").status_code == 200


def test_everyone_when_the_council_says_so(client, make, council, db):
    db.add(CouncilSignIn(council_id=council.id, email_domains=[], require_two_factor=True))
    db.commit()
    officer = make.user(council, "officer")
    signed_in = login(client, officer.user.email, PASSWORD)
    assert signed_in.json()["user"]["two_factor_setup_required"] is True


def test_set_up_shows_a_qr_code_drawn_here_and_the_secret(client, make, council):
    member = make.user(council, "officer")
    headers = csrf(login(client, member.user.email, PASSWORD))
    started = client.post("/api/v1/auth/totp", headers=headers).json()
    uri = urlsplit(started["otpauth_uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert parse_qs(uri.query)["secret"] == [started["secret"]]
    assert started["qr_svg"].startswith("data:image/svg+xml")
    wrong = client.post("/api/v1/auth/totp/confirm", json={"code": "000000"}, headers=headers)
    assert wrong.status_code == 401
    assert client.get("/api/v1/auth/totp").json()["enabled"] is False


def test_the_code_is_needed_next_time_and_works_once(client, make, council):
    member = make.user(council, "finance")
    email = member.user.email
    secret, _codes = enrol(client, csrf(login(client, email, PASSWORD)))
    asked = login(client, email, PASSWORD)
    assert asked.status_code == 401
    assert asked.json()["type"] == SECOND_FACTOR
    code = code_for(secret, 1)  # the next step's code (the one used to enrol is spent)
    assert login(client, email, PASSWORD, totp=code).status_code == 200
    assert client.get("/api/v1/home").status_code == 200
    replay = login(client, email, PASSWORD, totp=code)
    assert replay.status_code == 401 and replay.json()["type"] == "about:blank"
    assert login(client, email, "wrong-password", totp=code_for(secret)).status_code == 401


def test_a_recovery_code_signs_in_once(client, make, council):
    member = make.user(council, "council_admin")
    email = member.user.email
    _secret, codes = enrol(client, csrf(login(client, email, PASSWORD)))
    assert login(client, email, PASSWORD, recovery_code=codes[3].upper()).status_code == 200
    assert login(client, email, PASSWORD, recovery_code=codes[3]).status_code == 401
    assert client.get("/api/v1/auth/totp").json()["recovery_codes_left"] == 9


def test_recovery_codes_are_stored_as_digests(client, make, council, db):
    member = make.user(council, "finance")
    _secret, codes = enrol(client, csrf(login(client, member.user.email, PASSWORD)))
    stored = db.scalars(select(RecoveryCode.code_hash)).all()
    assert not {code.replace("-", "") for code in codes} & set(stored)
    user = db.get(User, member.user.id)
    db.refresh(user)
    assert user.totp_secret and _secret not in user.totp_secret  # encrypted


def test_wrong_codes_count_towards_the_sign_in_limits(client, make, council):
    member = make.user(council, "finance")
    email = member.user.email
    secret, _codes = enrol(client, csrf(login(client, email, PASSWORD)))
    for _ in range(get_settings().login_max_failures):
        assert login(client, email, PASSWORD, totp="123456").status_code == 401
    blocked = login(client, email, PASSWORD, totp=code_for(secret, 1))
    assert blocked.status_code == 429  # even with the right code now


def test_reset_with_a_recovery_code_then_set_up_again(client, make, council):
    member = make.user(council, "finance")
    email = member.user.email
    headers = csrf(login(client, email, PASSWORD))
    _secret, codes = enrol(client, headers)
    lost_phone = client.post(
        "/api/v1/auth/totp/reset", json={"recovery_code": codes[0]}, headers=headers
    )
    assert lost_phone.status_code == 204
    assert client.get("/api/v1/home").json()["type"] == SET_UP  # finance: set it up again
    secret, _new_codes = enrol(client, headers)
    assert login(client, email, PASSWORD, recovery_code=codes[1]).status_code == 401  # old
    assert login(client, email, PASSWORD, totp=code_for(secret, 1)).status_code == 200


def test_reset_needs_a_right_code(client, make, council):
    member = make.user(council, "officer")
    headers = csrf(login(client, member.user.email, PASSWORD))
    enrol(client, headers)
    wrong = client.post("/api/v1/auth/totp/reset", json={"code": "999999"}, headers=headers)
    assert wrong.status_code == 401
    assert client.get("/api/v1/auth/totp").json()["enabled"] is True


def test_the_qr_code_is_an_svg(client, make, council):
    member = make.user(council, "officer")
    headers = csrf(login(client, member.user.email, PASSWORD))
    data_uri = client.post("/api/v1/auth/totp", headers=headers).json()["qr_svg"]
    header, _, payload = data_uri.partition(",")
    svg = base64.b64decode(payload) if header.endswith(";base64") else payload
    text = svg.decode() if isinstance(svg, bytes) else unquote(svg)
    assert "<svg" in text


def test_one_code_sent_twice_at_once_works_once(committed_engine):
    """Real threads, separate connections: the step is claimed by one guarded UPDATE."""
    with Session(committed_engine, expire_on_commit=False) as session:
        member = Factory(session).user(Factory(session).council(), "finance")
        secret = totp.new_secret()
        credentials.enrol_with_secret(session, session.get(User, member.user.id), secret)
        session.commit()
    code = code_for(secret)
    racers = 8
    barrier = threading.Barrier(racers)

    def use(_n: int) -> bool:
        barrier.wait()
        with Session(committed_engine) as session:
            user = auth.get_user(session, member.user.id)
            ok = totp.use_code(session, user, code)
            session.commit()
            return ok

    with ThreadPoolExecutor(racers) as pool:
        answers = sorted(pool.map(use, range(racers)))
    assert answers == [False] * (racers - 1) + [True]
