"""Secrets we must read back (a council's SSO client secret, a person's TOTP secret) are kept
encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under the key from the settings."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from app.config import get_settings


def _fernet() -> Fernet:
    settings = get_settings()
    key = settings.encryption_key
    if not key:
        digest = hashlib.sha256(b"talentpool-encryption:" + settings.secret_key.encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    """The plain text, or ValueError when the key has changed or the token was altered."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("the stored secret cannot be decrypted with the current key") from exc
