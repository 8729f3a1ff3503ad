"""Settings: the only place configuration is read (environment variables prefixed TP_)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TP_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./talentpool.db"
    secret_key: str = "dev-only-secret-change-me-in-production"  # noqa: S105 - refused in production
    # Fixes the server's idea of today (demos, acceptance tests). Unset: the real date in London.
    today: date | None = None
    environment: Literal["development", "production", "test"] = "development"
    log_json: bool = False
    log_level: str = "INFO"
    # Where the built SPA lives; served at /.
    static_dir: Path = PROJECT_ROOT / "frontend" / "dist"
    public_url: str = "http://127.0.0.1:8000"
    # Proxies (IPs or CIDR networks, comma-separated) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed. Empty: the direct peer is the client, whatever it sends.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # Request bodies: larger ones answer 413 before they are read; a body that has not
    # arrived in full within the timeout answers 408. Stripe's webhook has its own limit.
    max_body_bytes: int = Field(default=1_000_000, ge=1)
    webhook_max_body_bytes: int = Field(default=1_000_000, ge=1)
    body_timeout_seconds: float = Field(default=10.0, gt=0)
    # Requests inside the app at once per server process on PostgreSQL (the rest wait in the
    # event loop), and as many pooled connections per process, plus DB_POOL_OVERFLOW for
    # work after a response (session touches) and health checks. Keep
    # workers x (both) below the server's max_connections (100 by default): 4 x 20 = 80.
    # Under the 40 threads sync endpoints share. SQLite has its own limits (app/main.py).
    requests_in_flight: int = Field(default=16, ge=1, le=32)
    # SQLite runs one write transaction at a time: writes past these wait in the event loop
    # (woken at once, in order) rather than in SQLite's busy handler (which sleeps and polls).
    sqlite_writes_in_flight: int = Field(default=4, ge=1, le=16)
    sqlite_reads_in_flight: int = Field(default=8, ge=1, le=16)
    db_pool_overflow: int = Field(default=4, ge=0, le=8)

    session_idle_hours: int = 8
    session_absolute_days: int = 7
    cookie_secure: bool = False
    # Failed sign-ins allowed per window (app/auth/limits.py): per account and address, per
    # account from any address, per address over all accounts (loose: offices share one).
    login_max_failures: int = Field(default=10, ge=1)
    login_max_failures_per_account: int = Field(default=50, ge=1)
    login_max_failures_per_ip: int = Field(default=100, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    invitation_valid_days: int = 14
    # Asking to join the pool, valid or not, per client IP (RFC 9457 429 beyond it).
    join_requests_per_ip_per_hour: int = 10

    email_backend: Literal["outbox-log", "smtp", "notify"] = "outbox-log"
    email_from: str = "LocalGov Talent Pool <no-reply@talentpool.example.gov.uk>"
    smtp_url: str | None = None
    notify_api_key: str | None = None
    notify_base_url: str | None = None
    # How long a worker's claim on an outbox message lasts; renewed before each send, so it
    # must outlast one send (the SMTP timeout is 30 s). A crashed worker's messages wait this long.
    worker_lease_seconds: float = Field(default=120.0, gt=0)

    stripe_api_key: str | None = None
    stripe_api_base: str | None = None
    stripe_webhook_secret: str | None = None

    # Identity (issue 12). The Fernet key (urlsafe base64 of 32 bytes) that encrypts stored
    # secrets: councils' SSO client secrets and people's TOTP secrets. Unset: derived from
    # TP_SECRET_KEY (so changing that key makes them unreadable: set this one in production).
    encryption_key: str | None = None
    password_reset_valid_minutes: int = Field(default=60, ge=1)
    # The name an authenticator app shows beside the codes.
    totp_issuer: str = "LocalGov Talent Pool"
    # Calls to a council's OpenID provider (discovery, keys, token) give up after this long.
    sso_http_timeout_seconds: float = Field(default=5.0, gt=0)
    # How long a provider's discovery document and keys are kept before being fetched again
    # (keys are fetched again at once when a token names a key not seen yet: rotation).
    sso_metadata_cache_seconds: int = Field(default=3600, ge=0)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ip_network(entry, strict=False)  # ValueError names the bad entry
        return value

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key.startswith("dev-only"):
            raise ValueError("Set TP_SECRET_KEY: the development default is refused in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
