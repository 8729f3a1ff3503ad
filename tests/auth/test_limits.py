"""Sign-in throttling: counted and checked in one step (no race), per account and address, per
account, and loosely per address; the address comes only from trusted proxies."""

from __future__ import annotations

import ipaddress
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.auth import limits
from app.auth.models import LoginThrottle
from app.config import Settings, get_settings
from app.core.errors import TooManyRequests
from app.core.middleware import forwarded_client
from tests.factories import PASSWORD, Factory
from tests.server import running_server

LOGIN = "/api/v1/auth/login"
RACERS = 40


def login(client, email, password=PASSWORD, **kwargs):
    return client.post(LOGIN, json={"email": email, "password": password}, **kwargs)


def test_colleagues_typos_do_not_lock_out_the_office(client, make):
    """Everyone signs in from the office's one address: fifteen colleagues mistyping once
    (more than one person's limit) leave a sixteenth free to sign in."""
    council = make.council()
    colleagues = [make.user(council, "booker") for _ in range(16)]
    for colleague in colleagues[:15]:
        assert login(client, colleague.user.email, "wrong-password").status_code == 401
    assert login(client, colleagues[15].user.email).status_code == 200


def test_one_account_from_one_address_is_limited_at_ten(client, make):
    officer = make.user(make.council(), "booker")
    other = make.user(make.council(), "booker")
    for _ in range(get_settings().login_max_failures):
        assert login(client, officer.user.email, "wrong-password").status_code == 401
    assert login(client, officer.user.email).status_code == 429  # even the right password
    assert login(client, other.user.email).status_code == 200  # the address is not blocked


def test_one_account_from_many_addresses_is_limited(db):
    limit = get_settings().login_max_failures_per_account
    for n in range(limit):
        limits.check_and_count_failure(db, "target@example.gov.uk", f"10.0.{n // 250}.{n % 250}")
    with pytest.raises(TooManyRequests):
        limits.check_and_count_failure(db, "target@example.gov.uk", "10.9.9.9")
    limits.check_and_count_failure(db, "someone-else@example.gov.uk", "10.9.9.9")


def test_one_address_over_many_accounts_is_limited(db):
    """Credential stuffing: one address, a different account each time."""
    limit = get_settings().login_max_failures_per_ip
    for n in range(limit):
        limits.check_and_count_failure(db, f"victim{n}@example.gov.uk", "203.0.113.9")
    with pytest.raises(TooManyRequests):
        limits.check_and_count_failure(db, "victim-next@example.gov.uk", "203.0.113.9")
    limits.check_and_count_failure(db, "victim-next@example.gov.uk", "203.0.113.10")


def test_other_secrets_count_apart_from_passwords(db):
    for _ in range(get_settings().login_max_failures):
        limits.check_and_count_failure(db, "person@example.gov.uk", "10.1.1.1")
    with pytest.raises(TooManyRequests):
        limits.check_and_count_failure(db, "person@example.gov.uk", "10.1.1.1")
    limits.check_and_count_failure(db, "person@example.gov.uk", "10.1.1.1", kind="totp")


# --- real concurrency and real addresses, through a real server --------------------------------


@pytest.fixture(autouse=True)
def _no_failures_yet(request):
    """The tests through a real server commit failures from loopback into the shared database:
    each starts and ends with none."""
    if not {"server", "proxied_server", "strict_server"} & set(request.fixturenames):
        yield
        return
    engine = request.getfixturevalue("committed_engine")
    with engine.begin() as connection:
        connection.execute(delete(LoginThrottle))
    yield
    with engine.begin() as connection:
        connection.execute(delete(LoginThrottle))


@pytest.fixture
def target(committed_engine):
    with Session(committed_engine, expire_on_commit=False) as session:
        return Factory(session).user(Factory(session).council(), "booker")


@pytest.fixture
def server(database_url, tmp_path):
    with running_server(database_url, tmp_path / "server.log") as base:
        yield base


@pytest.fixture
def proxied_server(database_url, tmp_path):
    """Behind a proxy on loopback, which the settings trust."""
    with running_server(
        database_url, tmp_path / "proxied.log", TP_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8"
    ) as base:
        yield base


def test_forty_concurrent_wrong_passwords_check_no_more_than_the_limit(server, target):
    barrier = threading.Barrier(RACERS)

    def guess(_n):
        with httpx.Client(base_url=server, timeout=120) as client:
            barrier.wait()
            return login(client, target.user.email, "wrong-password").status_code

    with ThreadPoolExecutor(RACERS) as pool:
        answers = Counter(pool.map(guess, range(RACERS)))
    limit = get_settings().login_max_failures
    assert answers == {401: limit, 429: RACERS - limit}, answers


@pytest.fixture
def strict_server(database_url, tmp_path):
    """Five failures per address, so that the address counted shows after a few attempts."""
    with running_server(
        database_url, tmp_path / "strict.log", TP_LOGIN_MAX_FAILURES_PER_IP="5"
    ) as base:
        yield base


def test_forwarded_for_from_an_untrusted_peer_is_ignored(strict_server):
    """Without trusted proxies, a client on loopback cannot choose the address counted: five
    guesses at five accounts, each 'from' another address, all count against loopback."""
    with httpx.Client(base_url=strict_server, timeout=30) as client:
        for n in range(5):
            forged = {"X-Forwarded-For": f"198.51.100.{n}"}
            answer = login(client, f"guess{n}@example.gov.uk", "wrong", headers=forged)
            assert answer.status_code == 401
        forged = {"X-Forwarded-For": "198.51.100.99"}
        assert login(client, "guess9@example.gov.uk", "wrong", headers=forged).status_code == 429


def test_forwarded_for_from_a_trusted_proxy_is_the_client(proxied_server, target):
    limit = get_settings().login_max_failures
    with httpx.Client(base_url=proxied_server, timeout=30) as client:
        for _ in range(limit):
            away = {"X-Forwarded-For": "203.0.113.5"}
            assert login(client, target.user.email, "wrong", headers=away).status_code == 401
        # the same address again is limited, even with an address the client made up in front
        spoofed = {"X-Forwarded-For": "192.0.2.1, 203.0.113.5"}
        assert login(client, target.user.email, headers=spoofed).status_code == 429
        # the person at their own desk signs in: another address, behind the same proxy
        home = {"X-Forwarded-For": "203.0.113.77", "X-Forwarded-Proto": "https"}
        answer = login(client, target.user.email, headers=home)
        assert answer.status_code == 200, answer.text
        assert "secure" in answer.headers["set-cookie"].lower()  # the proxy said https


TRUSTED = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("127.0.0.1/32")]


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("192.0.2.1", ["203.0.113.5"], "192.0.2.1"),  # untrusted peer: its header is ignored
        ("127.0.0.1", [], "127.0.0.1"),  # a trusted peer with no header is the client
        ("127.0.0.1", ["203.0.113.5"], "203.0.113.5"),
        ("127.0.0.1", ["198.51.100.7, 203.0.113.5"], "203.0.113.5"),  # left part: the client's
        ("127.0.0.1", ["203.0.113.5, 10.1.2.3"], "203.0.113.5"),  # through two proxies
        ("127.0.0.1", ["203.0.113.5", "10.1.2.3"], "203.0.113.5"),  # two header lines
        ("127.0.0.1", ["10.1.2.3"], "10.1.2.3"),  # only proxies: the last one left
        ("127.0.0.1", ["garbage"], "127.0.0.1"),
        ("127.0.0.1", ["2001:db8::1"], "2001:db8::1"),
    ],
)
def test_forwarded_client_walks_from_the_right(peer, forwarded, client):
    assert forwarded_client(peer, forwarded, TRUSTED) == client


def test_trusted_proxies_setting_takes_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("TP_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
    assert Settings().trusted_proxies == ["10.0.0.0/8", "192.0.2.1"]
    monkeypatch.setenv("TP_TRUSTED_PROXIES", "not-an-address")
    with pytest.raises(ValueError, match="not-an-address"):
        Settings()
    monkeypatch.delenv("TP_TRUSTED_PROXIES")
    assert Settings().trusted_proxies == []
