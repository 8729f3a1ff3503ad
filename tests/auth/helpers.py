"""Signing in as a person would, second factor included."""

from __future__ import annotations

import time

import pyotp

LOGIN = "/api/v1/auth/login"


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """The authenticator app's code now (or for a later 30-second step)."""
    return pyotp.TOTP(secret).at(int(time.time()) + 30 * steps_ahead)


def login(client, email, password, **extra):
    return client.post(LOGIN, json={"email": email, "password": password, **extra})


def csrf(response) -> dict[str, str]:
    return {"X-CSRF-Token": response.json()["csrf_token"]}


def enrol(client, headers) -> tuple[str, list[str]]:
    """Set up two-factor sign-in for the signed-in session: (secret, recovery codes)."""
    started = client.post("/api/v1/auth/totp", headers=headers)
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    confirmed = client.post(
        "/api/v1/auth/totp/confirm", json={"code": code_for(secret)}, headers=headers
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]
