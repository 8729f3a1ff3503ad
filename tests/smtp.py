"""A real SMTP server (aiosmtpd) on loopback for tests, and a bounded wait.

    with SmtpServer() as server:          # or the `smtp_server` fixture
        ... send to server.url ...
        wait_until(lambda: len(server.mailbox.tagged("my-test")) == 3)

The handler runs in the server's own thread; everything the tests read is copied under a lock.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A loopback port nothing listens on (just now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    predicate: Callable[[], bool],
    timeout: float = 15.0,
    interval: float = 0.02,
    what: str = "the condition",
) -> None:
    """Poll `predicate` until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@dataclass(frozen=True)
class Received:
    message: EmailMessage
    mail_from: str
    rcpt_tos: list[str]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        # A long Message-ID is folded onto a second line; unfolded, it keeps a leading space.
        return str(self.message["Message-ID"]).strip()

    @property
    def body(self) -> str:
        """The text, with the wire's CRLF line ends turned back into newlines."""
        content = self.message.get_content()  # type: ignore[no-untyped-call]
        return str(content).replace("\r\n", "\n")


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts.

    Knobs for tests of failure and concurrency (set them before the mail arrives):
    - `delay`: seconds each message takes to be accepted;
    - `hold_at`: the n-th DATA (1-based) is held, unanswered and never stored, until the client
      goes away (the server then cancels the handler) or `release_held()` (answered 451);
    - `meet`: each message waits (at most `meet_timeout` s) until this many are in flight at
      once, which proves that senders really overlap; `max_in_flight` records the most seen.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self.data_commands = 0
        self.delay = 0.0
        self.hold_at: int | None = None
        self.held: list[EmailMessage] = []
        self.holding = False
        self._released = False
        self.meet = 0
        self.meet_timeout = 5.0
        self.in_flight = 0
        self.max_in_flight = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.data_commands += 1
            number = self.data_commands
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.hold_at is not None and number == self.hold_at:
                with self._lock:
                    self.held.append(message)
                    self.holding = True
                try:
                    while not self._released:
                        await asyncio.sleep(0.01)
                finally:
                    self.holding = False
                return "451 4.3.0 Held by the test, try again later"
            if self.meet:
                deadline = time.monotonic() + self.meet_timeout
                while self.max_in_flight < self.meet and time.monotonic() < deadline:
                    await asyncio.sleep(0.005)
            if self.delay:
                await asyncio.sleep(self.delay)
            with self._lock:
                self._received.append(
                    Received(message, envelope.mail_from, list(envelope.rcpt_tos))
                )
            return "250 2.0.0 Message accepted for delivery"
        finally:
            with self._lock:
                self.in_flight -= 1

    def release_held(self) -> None:
        self._released = True

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def tagged(self, tag: str) -> list[Received]:
        """The messages whose subject starts with `tag` (tests share one database)."""
        return [r for r in self.received if r.subject.startswith(tag)]


class SmtpServer:
    """aiosmtpd on 127.0.0.1; `port` None picks a free one. Optional AUTH (no TLS) with
    `credentials=(user, password)`."""

    def __init__(self, port: int | None = None, credentials: tuple[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self.credentials = credentials
        self.running = False
        kwargs: dict[str, Any] = {}
        if credentials is not None:
            kwargs.update(
                authenticator=self._authenticate, auth_required=True, auth_require_tls=False
            )
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **kwargs)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if self.credentials and isinstance(auth_data, LoginPassword):
            user, password = self.credentials
            if auth_data.login == user.encode() and auth_data.password == password.encode():
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> SmtpServer:
        self.controller.start()
        self.running = True
        return self

    def stop(self) -> None:
        """Stop listening (the port refuses connections afterwards); stopping twice is fine."""
        self.mailbox.release_held()
        if self.running:
            self.controller.stop()
            self.running = False

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
