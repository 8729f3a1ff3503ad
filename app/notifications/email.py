"""Sending email: one small interface, one adapter per backend.

Backends (`TP_EMAIL_BACKEND`):
- `outbox-log` (the default): writes the email to the structured log and succeeds, so nothing
  needs to listen on a laptop or in tests;
- `smtp`: stdlib `smtplib` to `TP_SMTP_URL`;
- `notify` (GOV.UK Notify): not built yet; choosing it fails at start-up with a clear message.

Every message carries `reference`, our own id for it (the outbox row id), the same on every
retry. The SMTP backend turns it into the Message-ID, so a message sent twice after a crash
(see the at-least-once window in `app/notifications/worker.py`) is recognisable downstream.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime, parseaddr
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import structlog

from app.config import Settings
from app.core import clock

log = structlog.get_logger("talentpool.email")

DEFAULT_SMTP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class EmailMessage:
    """One plain-text email to one person."""

    to: str
    subject: str
    body: str
    # Our id for this message (the outbox row id), identical on every retry: an idempotency key.
    reference: str


class EmailSender(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand the message over for delivery, or raise; raising means "try again later"."""
        ...


class EmailConfigurationError(ValueError):
    """The email settings cannot work (a bad `TP_SMTP_URL`, an unbuilt backend)."""


class LogSender:
    """The `outbox-log` backend: the email goes to the log, nothing leaves the machine."""

    def __init__(self, logger: Any = None) -> None:
        self.log = logger if logger is not None else log

    def send(self, message: EmailMessage) -> None:
        self.log.info(
            "email.logged",
            to=message.to,
            subject=message.subject,
            body=message.body,
            reference=message.reference,
        )


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to connect, parsed from `TP_SMTP_URL`.

    `smtp://host:port` plain; `smtp://user:pass@host:port` with AUTH (percent-encode special
    characters); `?starttls=1` upgrades a plain connection with STARTTLS (default port 587);
    `smtps://` is TLS from the first byte, "implicit TLS" (default port 465, RFC 8314).
    """

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    implicit_tls: bool = False
    starttls: bool = False


_TRUE = {"1", "true", "yes", "on"}


def parse_smtp_url(url: str) -> SmtpTarget:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise EmailConfigurationError(f"TP_SMTP_URL is not a valid URL: {exc}") from exc
    if parts.scheme not in ("smtp", "smtps"):
        raise EmailConfigurationError("TP_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise EmailConfigurationError("TP_SMTP_URL needs a host, as in smtp://mail.example:25")
    query = parse_qs(parts.query)
    unknown = set(query) - {"starttls"}
    if unknown:
        raise EmailConfigurationError(f"TP_SMTP_URL has unknown options {sorted(unknown)}")
    implicit_tls = parts.scheme == "smtps"
    starttls = query.get("starttls", ["0"])[-1].lower() in _TRUE
    if implicit_tls and starttls:
        raise EmailConfigurationError("smtps:// is already TLS: drop ?starttls=1")
    if port is None:
        port = 465 if implicit_tls else 587 if starttls else 25
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        implicit_tls=implicit_tls,
        starttls=starttls,
    )


def _domain_of(address: str) -> str:
    _name, addr = parseaddr(address)
    domain = addr.rpartition("@")[2]
    return domain or "talentpool.invalid"


def message_id_for(reference: str, domain: str) -> str:
    """The Message-ID of a message: made from our own id, so a resend carries the same one."""
    return f"<outbox.{reference}@{domain}>"


class SmtpSender:
    """The `smtp` backend: one connection per message, through the stdlib."""

    def __init__(
        self, url: str, sender: str, timeout: float = DEFAULT_SMTP_TIMEOUT_SECONDS
    ) -> None:
        self.target = parse_smtp_url(url)
        self.sender = sender
        self.timeout = timeout
        self.domain = _domain_of(sender)

    def build(self, message: EmailMessage) -> MimeMessage:
        mime = MimeMessage()
        mime["From"] = self.sender
        mime["To"] = message.to
        mime["Subject"] = message.subject
        mime["Date"] = format_datetime(clock.now())
        mime["Message-ID"] = message_id_for(message.reference, self.domain)
        mime["Auto-Submitted"] = "auto-generated"
        mime.set_content(message.body)
        return mime

    def send(self, message: EmailMessage) -> None:
        mime = self.build(message)
        target = self.target
        smtp: smtplib.SMTP
        if target.implicit_tls:
            smtp = smtplib.SMTP_SSL(
                target.host, target.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(target.host, target.port, timeout=self.timeout)
        with smtp:
            if target.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if target.username is not None:
                smtp.login(target.username, target.password or "")
            smtp.send_message(mime)


def sender_from_settings(settings: Settings) -> EmailSender:
    """The backend the settings choose; a setting that cannot work fails here, at start-up."""
    if settings.email_backend == "outbox-log":
        return LogSender()
    if settings.email_backend == "smtp":
        if not settings.smtp_url:
            raise EmailConfigurationError("TP_EMAIL_BACKEND=smtp needs TP_SMTP_URL")
        return SmtpSender(settings.smtp_url, settings.email_from)
    raise EmailConfigurationError(
        f"email backend {settings.email_backend!r} is not available yet; use outbox-log or smtp"
    )
