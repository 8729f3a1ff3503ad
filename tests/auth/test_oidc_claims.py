"""The checks on a provider's claims that the loopback provider cannot play: Microsoft Entra
ID's multi-tenant issuer (`{tenantid}` filled from `tid`) and its `preferred_username`."""

from __future__ import annotations

import pytest

from app.auth.models import CouncilSignIn
from app.auth.oidc import SsoRefused, _issuer_check, _verified_email

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
ENTRA = f"https://login.microsoftonline.com/{TENANT}/v2.0"
ROW = CouncilSignIn(email_domains=["westberks.gov.uk"])


def test_a_tenant_specific_issuer_must_match_exactly():
    check = _issuer_check({"issuer": ENTRA})
    assert check({"tid": TENANT}, ENTRA)
    assert not check({"tid": TENANT}, "https://login.microsoftonline.com/other/v2.0")


def test_the_multi_tenant_template_is_filled_from_the_tokens_tid():
    check = _issuer_check({"issuer": "https://login.microsoftonline.com/{tenantid}/v2.0"})
    assert check({"tid": TENANT}, ENTRA)
    assert not check({"tid": "another-tenant"}, ENTRA)  # iss and tid disagree
    assert not check({}, ENTRA)  # no tid: refused


def test_entra_preferred_username_stands_in_for_a_missing_email():
    claims = {"iss": ENTRA, "tid": TENANT, "preferred_username": "Ann.Officer@westberks.gov.uk"}
    assert _verified_email(ROW, claims) == "ann.officer@westberks.gov.uk"


def test_preferred_username_counts_only_in_entra_tokens():
    claims = {"iss": "https://idp.example", "preferred_username": "ann@westberks.gov.uk"}
    with pytest.raises(SsoRefused) as refused:
        _verified_email(ROW, claims)
    assert refused.value.reason == "no_email"


def test_an_unverified_email_elsewhere_is_refused_and_domains_still_apply():
    with pytest.raises(SsoRefused) as refused:
        _verified_email(ROW, {"email": "ann@westberks.gov.uk", "email_verified": False})
    assert refused.value.reason == "email_unverified"
    with pytest.raises(SsoRefused) as refused:
        _verified_email(ROW, {"iss": ENTRA, "tid": TENANT, "preferred_username": "x@evil.example"})
    assert refused.value.reason == "email_outside_domains"
