"""Single sign-on with a council's own OpenID provider, against a real provider on loopback
(tests/oidc_provider.py): the council admin registers it, email-first sign-in routes to it, and
every way a provider's answer can be wrong is refused with a clear reason and nothing written."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from app.account import service as account
from app.auth.models import AuthSession, CouncilSignIn, SsoState, User
from app.core.actor import Role
from app.councils import service as councils
from tests.auth.helpers import login
from tests.factories import PASSWORD
from tests.oidc_provider import running_provider
from tests.server import free_port


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture(autouse=True)
def _no_fault(provider):
    provider.fault = None
    provider.down = False
    yield
    provider.fault = None
    provider.down = False


def _domain(council) -> str:
    return f"{council.code.lower()}.example.gov.uk"


@pytest.fixture
def council(make):
    council = make.council()
    councils.council_settings(make.db, council.id).email_domains = [_domain(council)]
    make.db.commit()
    return council


@pytest.fixture
def admin(make, council):
    return make.user(council, "council_admin")


def configure(client, admin, council, issuer, **changes):
    body = {
        "issuer": issuer,
        "client_id": "talent-pool",
        "client_secret": "s3cret-from-the-provider",
        "email_domains": [_domain(council)],
        "create_officers": True,
        **changes,
    }
    return client.put(f"/api/v1/councils/{council.id}/sso", json=body, headers=admin.headers)


def sign_in(client, provider, email, *, sub=None):
    """Email-first sign-in through the provider's login page; the callback's answer."""
    start = client.get("/api/v1/auth/sso/start", params={"email": email}, follow_redirects=False)
    assert start.status_code == 303, start.text
    assert start.headers["location"].startswith(provider.url), start.headers["location"]
    back = urlsplit(provider.authorize(start.headers["location"], sub or email))
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)


def refused(response) -> str:
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == "/sign-in/sso-failed", response.headers["location"]
    assert "tp_session" not in response.headers.get("set-cookie", "")
    return parse_qs(location.query)["reason"][0]


def counts(db) -> tuple[int, int]:
    db.expire_all()
    return (
        db.scalar(select(func.count()).select_from(User)),
        db.scalar(select(func.count()).select_from(AuthSession)),
    )


@pytest.fixture
def configured(client, provider, admin, council):
    response = configure(client, admin, council, provider.url)
    assert response.status_code == 200, response.text
    return council


# --- configuring ----------------------------------------------------------------------------


def test_admin_registers_the_provider_and_the_secret_is_stored_encrypted(
    client, provider, admin, council, db
):
    response = configure(client, admin, council, provider.url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["issuer"] == provider.url
    assert body["client_secret_set"] is True
    assert "client_secret" not in body
    assert body["redirect_uri"].endswith("/api/v1/auth/sso/callback")
    stored = db.get(CouncilSignIn, council.id)
    assert stored.client_secret and "s3cret" not in stored.client_secret
    shown = client.get(f"/api/v1/councils/{council.id}/sso", headers=admin.headers).json()
    assert shown == body


def test_only_the_councils_own_admin_configures_its_provider(client, provider, make, council):
    other_admin = make.user(make.council(), "council_admin")
    officer = make.user(council, "officer")
    platform = make.user(make.council(), platform_admin=True)
    assert configure(client, other_admin, council, provider.url).status_code == 404
    assert client.get(
        f"/api/v1/councils/{council.id}/sso", headers=other_admin.headers
    ).status_code == 404
    assert configure(client, officer, council, provider.url).status_code == 403
    assert configure(client, platform, council, provider.url).status_code == 404


def test_domains_must_be_the_councils_own(client, provider, admin, council):
    response = configure(
        client, admin, council, provider.url, email_domains=["elsewhere.example.gov.uk"]
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "email_domains"]


def test_email_first_discovery(client, configured):
    domain = _domain(configured)

    def discover(email):
        return client.post("/api/v1/auth/discover", json={"email": email}).json()

    assert discover(f"anyone@{domain}") == {"method": "sso"}
    assert discover("someone@elsewhere.example.gov.uk") == {"method": "password"}


# --- signing in -----------------------------------------------------------------------------


def test_a_new_person_arrives_as_an_officer_through_the_provider(
    client, provider, configured, db
):
    email = f"nina.new@{_domain(configured)}"
    provider.set_user(email, name="Nina New")
    start = client.get("/api/v1/auth/sso/start", params={"email": email}, follow_redirects=False)
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["response_type"] == ["code"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    assert query["login_hint"] == [email]
    back = urlsplit(provider.authorize(start.headers["location"], email))
    done = client.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/"
    me = client.get("/api/v1/me").json()
    assert me["email"] == email and me["name"] == "Nina New"
    assert me["roles"] == ["officer"] and me["signed_in_with"] == "sso"
    assert me["officer_id"] is not None
    # PKCE: the verifier sent with the code matches the challenge sent to the provider.
    assert db.scalar(select(func.count()).select_from(SsoState)) == 0


def test_an_existing_person_is_matched_by_email_and_needs_no_second_factor(
    client, provider, configured, db
):
    email = f"fran.finance@{_domain(configured)}"
    account.add_member(db, None, configured.id, email, "Fran", [Role.finance], PASSWORD)
    db.commit()
    provider.set_user(email)
    assert sign_in(client, provider, email).headers["location"] == "/"
    me = client.get("/api/v1/me").json()
    assert me["roles"] == ["finance"]
    assert me["two_factor_setup_required"] is False
    assert client.get("/api/v1/invoices").status_code == 200  # not held at the set-up
    # and the password no longer signs this person in: their council's provider does
    assert login(client, email, PASSWORD).status_code == 401


def test_new_people_must_be_invited_unless_the_council_allows_it(
    client, provider, admin, council, db
):
    configure(client, admin, council, provider.url, create_officers=False)
    email = f"uninvited@{_domain(council)}"
    provider.set_user(email)
    before = counts(db)
    assert refused(sign_in(client, provider, email)) == "not_invited"
    assert counts(db) == before


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("wrong_audience", "invalid_token"),
        ("expired", "invalid_token"),
        ("bad_signature", "invalid_token"),
        ("replayed_nonce", "invalid_token"),
    ],
)
def test_a_bad_id_token_is_refused_and_nothing_is_written(
    client, provider, configured, db, fault, reason
):
    email = f"victim@{_domain(configured)}"
    provider.set_user(email)
    if fault == "replayed_nonce":  # an earlier, genuine sign-in gave the nonce now replayed
        provider.nonces.clear()
        assert sign_in(client, provider, email).headers["location"] == "/"
        client.cookies.clear()
    before = counts(db)
    provider.fault = fault
    assert refused(sign_in(client, provider, email)) == reason
    assert counts(db) == before
    assert client.get("/api/v1/me").status_code == 401


def test_a_token_re_signed_unchanged_is_accepted(client, provider, configured):
    """The control for the faults above: re-signing alone breaks nothing."""
    email = f"control@{_domain(configured)}"
    provider.set_user(email)
    provider.fault = "resigned"
    assert sign_in(client, provider, email).headers["location"] == "/"


def test_an_unverified_email_is_refused(client, provider, configured, db):
    email = f"unverified@{_domain(configured)}"
    provider.set_user(email, email_verified=False)
    before = counts(db)
    assert refused(sign_in(client, provider, email)) == "email_unverified"
    assert counts(db) == before


def test_an_email_outside_the_councils_domains_is_refused(client, provider, configured, db):
    """The provider vouches for an address at a domain the council did not give it."""
    typed = f"someone@{_domain(configured)}"
    provider.set_user("intruder@elsewhere.example.gov.uk")
    before = counts(db)
    reason = refused(sign_in(client, provider, typed, sub="intruder@elsewhere.example.gov.uk"))
    assert reason == "email_outside_domains"
    assert counts(db) == before


def test_a_replayed_callback_is_refused(client, provider, configured, db):
    email = f"twice@{_domain(configured)}"
    provider.set_user(email)
    start = client.get("/api/v1/auth/sso/start", params={"email": email}, follow_redirects=False)
    back = urlsplit(provider.authorize(start.headers["location"], email))
    first = client.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert first.headers["location"] == "/"
    before = counts(db)
    client.cookies.set("tp_sso_state", parse_qs(back.query)["state"][0], path="/api/v1/auth/sso")
    assert refused(client.get(f"{back.path}?{back.query}", follow_redirects=False)) == "state_used"
    assert counts(db) == before


def test_a_callback_in_another_browser_is_refused(client, app, provider, configured):
    """Login CSRF: the state is bound to the browser that started the sign-in."""
    email = f"bound@{_domain(configured)}"
    provider.set_user(email)
    start = client.get("/api/v1/auth/sso/start", params={"email": email}, follow_redirects=False)
    back = urlsplit(provider.authorize(start.headers["location"], email))
    client.cookies.clear()
    assert refused(client.get(f"{back.path}?{back.query}", follow_redirects=False)) == (
        "state_mismatch"
    )


def test_keys_rotated_by_the_provider_are_fetched_again(client, provider, configured):
    email = f"rotation@{_domain(configured)}"
    provider.set_user(email)
    fetched = provider.jwks_fetches
    assert sign_in(client, provider, email).headers["location"] == "/"
    assert sign_in(client, provider, email).headers["location"] == "/"
    assert provider.jwks_fetches == fetched + 1  # cached between sign-ins
    provider.rotate_key()
    assert sign_in(client, provider, email).headers["location"] == "/"
    assert provider.jwks_fetches == fetched + 2  # an unknown key: fetched again at once


def test_a_provider_that_is_down_gives_a_clear_error_and_password_users_sign_in(
    client, make, admin, council, db
):
    dead = f"http://127.0.0.1:{free_port()}"
    assert configure(client, admin, council, dead).status_code == 200
    before = counts(db)
    start = client.get(
        "/api/v1/auth/sso/start",
        params={"email": f"someone@{_domain(council)}"},
        follow_redirects=False,
    )
    assert refused(start) == "provider_unavailable"
    assert counts(db)[0] == before[0]
    password_user = make.user(council, "booker")  # at example.gov.uk, not the SSO domain
    assert login(client, password_user.user.email, PASSWORD).status_code == 200


def test_a_provider_failing_after_the_redirect_is_a_clear_error(client, provider, configured, db):
    email = f"midway@{_domain(configured)}"
    provider.set_user(email)
    start = client.get("/api/v1/auth/sso/start", params={"email": email}, follow_redirects=False)
    back = urlsplit(provider.authorize(start.headers["location"], email))
    provider.down = True
    before = counts(db)
    reason = refused(client.get(f"{back.path}?{back.query}", follow_redirects=False))
    assert reason in {"provider_unavailable", "token_refused"}
    assert counts(db) == before


def test_sign_out_ends_ours_and_offers_the_providers(client, provider, configured, db):
    email = f"leaving@{_domain(configured)}"
    provider.set_user(email)
    sign_in(client, provider, email)
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    out = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    end = out.headers["x-end-session-url"]
    assert end.startswith(f"{provider.url}/oauth2/end_session?")
    assert "id_token_hint=" in end and "post_logout_redirect_uri=" in end
    assert client.get("/api/v1/me").status_code == 401


def test_pkce_challenge_is_s256_of_a_verifier_we_keep(client, provider, configured, db):
    email = f"pkce@{_domain(configured)}"
    start = client.get("/api/v1/auth/sso/start", params={"email": email}, follow_redirects=False)
    challenge = parse_qs(urlsplit(start.headers["location"]).query)["code_challenge"][0]
    verifier = db.scalar(select(SsoState.code_verifier))
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert digest.decode() == challenge
