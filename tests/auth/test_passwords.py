"""Passwords as the NCSC advises: 12 characters or more, no composition rules, not common."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from app.auth import passwords
from tests.auth.helpers import csrf, login
from tests.councils.helpers import emailed_link
from tests.factories import PASSWORD

COMMON_LONG = [word for word in FREQUENCY_LISTS["passwords"] if len(word) >= 12]


@pytest.mark.parametrize(
    "weak",
    ["aaaaaaaaaaaa", "abcdefghijkl", "123456789012", "qwertyuiopas", "password1234",
     "Password123!", "123qweasdzxc", "passwordpassword"],
)
def test_common_repeated_and_sequential_passwords_are_refused(weak):
    assert passwords.problem_with(weak) is not None


@pytest.mark.parametrize(
    "fine",
    ["demo-password-2026", "correct-horse-battery", "tractor purple lemon", "ilovemycat12",
     "all lower case words here", "ЖжЖ-кириллица-пароль"],
)
def test_long_uncommon_passwords_pass_whatever_characters_they_hold(fine):
    assert passwords.problem_with(fine) is None


@given(st.text(max_size=11))
def test_anything_under_twelve_characters_is_refused_for_its_length(short):
    assert passwords.problem_with(short) == "Your password must be at least 12 characters long."


@settings(max_examples=50)
@given(st.sampled_from(COMMON_LONG), st.booleans())
def test_every_long_password_on_the_list_is_refused_in_any_case(word, upper):
    assert passwords.problem_with(word.upper() if upper else word) is not None


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8"), min_size=6, max_size=12), min_size=3,
        max_size=3, unique=True,
    )
)
def test_no_composition_rule_refuses_what_the_list_and_estimate_allow(words):
    """Whatever is refused is refused for length, the list or guessability: never for lacking
    a digit, a capital or a symbol (the three messages are the only ones)."""
    problem = passwords.problem_with(" ".join(words))
    assert problem is None or problem.startswith(("Your password must", "That password"))


def test_aaaaaaaaaaaa_is_refused_when_accepting_an_invitation(client, make, db):
    council = make.council()
    admin = make.user(council, "council_admin")
    invited = client.post(
        f"/api/v1/councils/{council.id}/invitations",
        json={"email": "weak@example.gov.uk", "name": "Weak", "roles": ["officer"]},
        headers=admin.headers,
    )
    assert invited.status_code == 201, invited.text
    token = emailed_link(db, "weak@example.gov.uk", "/invitations/")
    weak = client.post(f"/api/v1/invitations/{token}/accept", json={"password": "aaaaaaaaaaaa"})
    assert weak.status_code == 422
    assert weak.headers["content-type"] == "application/problem+json"
    assert weak.json()["errors"][0]["loc"] == ["body", "password"]
    fine = client.post(
        f"/api/v1/invitations/{token}/accept", json={"password": "tractor-purple-lemon"}
    )
    assert fine.status_code == 200, fine.text


def test_change_password_needs_the_current_one_and_a_good_new_one(client, make):
    member = make.user(make.council(), "booker")
    email = member.user.email
    signed_in = login(client, email, PASSWORD)
    headers = csrf(signed_in)

    def change(current, new):
        return client.post(
            "/api/v1/auth/password",
            json={"current_password": current, "new_password": new},
            headers=headers,
        )

    assert change("not-the-password", "tractor-purple-lemon").status_code == 401
    refused = change(PASSWORD, "password1234")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "new_password"]
    assert login(client, email, PASSWORD).status_code == 200  # nothing changed
    headers = csrf(login(client, email, PASSWORD))
    other = client.__class__(client.app)
    assert login(other, email, PASSWORD).status_code == 200
    assert change(PASSWORD, "tractor-purple-lemon").status_code == 204
    assert client.get("/api/v1/me").status_code == 200  # this session goes on
    assert other.get("/api/v1/me").status_code == 401  # the others end
    assert login(client, email, PASSWORD).status_code == 401
    assert login(client, email, "tractor-purple-lemon").status_code == 200
