"""`talentpool worker` as a real process: killed mid-batch and restarted, nothing is lost or
sent twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from app.config import PROJECT_ROOT
from tests.notifications.helpers import outbox_rows, queue_emails
from tests.smtp import wait_until


def _command() -> list[str]:
    script = Path(sys.executable).with_name("talentpool")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from app.cli import main; main()"]


class WorkerProcess:
    def __init__(self, database_url: str, smtp_url: str, log: Path) -> None:
        env = dict(os.environ)
        env.update(
            TP_DATABASE_URL=database_url,
            TP_EMAIL_BACKEND="smtp",
            TP_SMTP_URL=smtp_url,
            TP_WORKER_LEASE_SECONDS="1",  # a killed worker's claims come back after 1 s
            TP_ENVIRONMENT="test",
            TP_LOG_LEVEL="INFO",
        )
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [*_command(), "worker", "--batch-size", "10", "--poll-interval", "0.1"],
                env=env, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=20)

    def ensure_dead(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)


def test_a_worker_killed_mid_batch_and_restarted_delivers_each_email_once(
    database_url, outbox_sessions, smtp_server, tag, tmp_path
):
    count = 20
    ids = queue_emails(outbox_sessions, tag, count)
    mailbox = smtp_server.mailbox
    # The 6th message is held unanswered: the worker is killed while it waits for the reply.
    mailbox.hold_at = 6
    log = tmp_path / "worker.log"

    first = WorkerProcess(database_url, smtp_server.url, log)
    try:
        wait_until(lambda: mailbox.holding or first.process.poll() is not None, timeout=30,
                   what="the first worker to reach the 6th message")
        assert first.process.poll() is None, first.output()
        delivered_before = len(mailbox.tagged(tag))
        assert 0 < delivered_before < count
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL
    finally:
        first.ensure_dead()
    wait_until(lambda: not mailbox.holding, what="the server to see the connection drop")
    mailbox.hold_at = None
    [held] = mailbox.held

    second = WorkerProcess(database_url, smtp_server.url, log)
    try:
        def all_sent() -> bool:
            rows = outbox_rows(outbox_sessions, ids).values()
            return len(mailbox.tagged(tag)) >= count and all(r.sent_at for r in rows)

        wait_until(all_sent, timeout=30, what="every email to be delivered")
        assert second.stop(signal.SIGTERM) == 0, second.output()  # a clean stop
    finally:
        second.ensure_dead()

    received = mailbox.tagged(tag)
    subjects = Counter(r.subject for r in received)
    assert subjects == {f"{tag} #{i:02}": 1 for i in range(count)}, second.output()
    assert Counter(r.message_id for r in received) == {
        f"<outbox.{message_id.hex}@talentpool.example.gov.uk>": 1 for message_id in ids
    }
    # the message the first worker died sending went out again under the same Message-ID
    assert str(held["Message-ID"]).strip() in {r.message_id for r in received}
    assert {row.attempts for row in outbox_rows(outbox_sessions, ids).values()} == {0}
