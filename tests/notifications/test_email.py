"""The email backends: settings, the outbox-log backend, SMTP against a real server."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime

import pytest
import structlog
from structlog.testing import LogCapture

from app.config import Settings
from app.core.clock import travel_to
from app.notifications.email import (
    EmailConfigurationError,
    EmailMessage,
    LogSender,
    SmtpSender,
    SmtpTarget,
    parse_smtp_url,
    sender_from_settings,
)
from tests.smtp import SmtpServer, free_port

FROM = "LocalGov Talent Pool <no-reply@talentpool.example.gov.uk>"


def email(reference: str = "0123abcd", subject: str = "Your booking") -> EmailMessage:
    return EmailMessage(to="ana@example.gov.uk", subject=subject,
                        body="Hello Ana,\nYour booking is confirmed: £240.00.", reference=reference)


@pytest.mark.parametrize(("url", "target"), [
    ("smtp://mail.example", SmtpTarget("mail.example", 25)),
    ("smtp://127.0.0.1:2525", SmtpTarget("127.0.0.1", 2525)),
    ("smtp://user:p%40ss%3Aword@mail.example:2525",
     SmtpTarget("mail.example", 2525, "user", "p@ss:word")),
    ("smtp://mail.example?starttls=1", SmtpTarget("mail.example", 587, starttls=True)),
    ("smtp://u:p@mail.example:2587?starttls=true",
     SmtpTarget("mail.example", 2587, "u", "p", starttls=True)),
    ("smtps://u:p@mail.example", SmtpTarget("mail.example", 465, "u", "p", implicit_tls=True)),
])
def test_smtp_urls(url, target):
    assert parse_smtp_url(url) == target


@pytest.mark.parametrize("url", [
    "http://mail.example", "smtp://", "smtp://mail.example:notaport",
    "smtp://mail.example?tls=1", "smtps://mail.example?starttls=1",
])
def test_bad_smtp_urls_fail_clearly(url):
    with pytest.raises(EmailConfigurationError):
        parse_smtp_url(url)


def test_the_settings_choose_the_backend():
    assert isinstance(sender_from_settings(Settings(email_backend="outbox-log")), LogSender)
    smtp = sender_from_settings(Settings(email_backend="smtp", smtp_url="smtp://127.0.0.1:2525"))
    assert isinstance(smtp, SmtpSender)
    assert smtp.target == SmtpTarget("127.0.0.1", 2525)
    with pytest.raises(EmailConfigurationError, match="TP_SMTP_URL"):
        sender_from_settings(Settings(email_backend="smtp", smtp_url=None))
    with pytest.raises(EmailConfigurationError, match="not available"):
        sender_from_settings(Settings(email_backend="notify"))


def test_the_default_backend_only_logs():
    assert Settings.model_fields["email_backend"].default == "outbox-log"
    capture = LogCapture()  # its own logger: the suite's log level may hide info lines
    LogSender(structlog.wrap_logger(None, processors=[capture],
                                    wrapper_class=structlog.BoundLogger)).send(email())
    assert capture.entries == [{
        "event": "email.logged", "log_level": "info", "to": "ana@example.gov.uk",
        "subject": "Your booking", "body": "Hello Ana,\nYour booking is confirmed: £240.00.",
        "reference": "0123abcd",
    }]


def test_smtp_sends_one_message_with_a_message_id_made_from_our_id(smtp_server):
    sender = SmtpSender(smtp_server.url, FROM, timeout=5)
    with travel_to(datetime(2026, 12, 7, 9, 30, tzinfo=UTC)):
        sender.send(email(reference="5f1c"))
    [received] = smtp_server.mailbox.received
    assert received.rcpt_tos == ["ana@example.gov.uk"]
    assert received.mail_from == "no-reply@talentpool.example.gov.uk"
    message = received.message
    assert message["From"] == FROM
    assert message["To"] == "ana@example.gov.uk"
    assert message["Subject"] == "Your booking"
    assert message["Message-ID"] == "<outbox.5f1c@talentpool.example.gov.uk>"
    assert message["Date"] == "Mon, 07 Dec 2026 09:30:00 +0000"
    assert message["Auto-Submitted"] == "auto-generated"
    assert received.body == "Hello Ana,\nYour booking is confirmed: £240.00.\n"


def test_a_resend_carries_the_same_message_id(smtp_server):
    sender = SmtpSender(smtp_server.url, FROM, timeout=5)
    sender.send(email(reference="abc"))
    sender.send(email(reference="abc"))
    sender.send(email(reference="def"))
    ids = [r.message_id for r in smtp_server.mailbox.received]
    assert ids[0] == ids[1] != ids[2]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_signs_in_when_the_url_has_credentials():
    with SmtpServer(credentials=("talentpool", "s3cret:pw")) as server:
        SmtpSender(f"smtp://talentpool:s3cret%3Apw@127.0.0.1:{server.port}", FROM,
                   timeout=5).send(email())
        assert len(server.mailbox.received) == 1
        with pytest.raises(smtplib.SMTPAuthenticationError):
            SmtpSender(f"smtp://talentpool:wrong@127.0.0.1:{server.port}", FROM,
                       timeout=5).send(email())
        with pytest.raises(smtplib.SMTPSenderRefused):  # AUTH required, none given
            SmtpSender(server.url, FROM, timeout=5).send(email())
        assert len(server.mailbox.received) == 1


def test_smtp_down_raises():
    with pytest.raises(ConnectionRefusedError):
        SmtpSender(f"smtp://127.0.0.1:{free_port()}", FROM, timeout=5).send(email())
