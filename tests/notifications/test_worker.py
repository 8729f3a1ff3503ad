"""The outbox worker in this process, against a real SMTP server and a database that commits."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.config import get_settings
from app.core import clock
from app.core.clock import travel_to
from app.db import session_scope
from app.notifications.email import SmtpSender
from app.notifications.models import OutboxMessage
from app.notifications.service import queue
from app.notifications.worker import (
    ClaimedMessage,
    claim_batch,
    deliver,
    retry_delay,
    run_worker,
)
from tests.notifications.helpers import outbox_rows, queue_emails
from tests.smtp import SmtpServer, free_port, wait_until

LEASE = timedelta(seconds=60)


def smtp_sender(url: str) -> SmtpSender:
    return SmtpSender(url, get_settings().email_from, timeout=5)


def test_back_off_doubles_from_30_seconds_up_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in range(1, 10)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert retry_delay(1000) == timedelta(hours=1)


def test_each_queued_email_is_delivered_once(outbox_sessions, smtp_server, tag):
    ids = queue_emails(outbox_sessions, tag, 3)

    run_worker(outbox_sessions, smtp_sender(smtp_server.url), once=True)
    run_worker(outbox_sessions, smtp_sender(smtp_server.url), once=True)  # nothing left

    received = sorted(smtp_server.mailbox.tagged(tag), key=lambda r: r.subject)
    assert [r.subject for r in received] == [f"{tag} #00", f"{tag} #01", f"{tag} #02"]
    for i, (message_id, mail) in enumerate(zip(ids, received, strict=True)):
        assert mail.rcpt_tos == [f"person{i}@{tag}.example.gov.uk"]
        assert mail.message["To"] == f"person{i}@{tag}.example.gov.uk"
        assert mail.message["From"] == get_settings().email_from
        assert mail.body == f"Message {i} for {tag}.\nCharges: £120.50 a day.\n"
        assert mail.message_id == f"<outbox.{message_id.hex}@talentpool.example.gov.uk>"
    for row in outbox_rows(outbox_sessions, ids).values():
        assert row.sent_at is not None
        assert (row.attempts, row.locked_until, row.last_error) == (0, None, None)


def test_smtp_down_delays_mail_without_losing_it(outbox_sessions, tag):
    port = free_port()  # nothing listens here yet
    sender = smtp_sender(f"smtp://127.0.0.1:{port}")
    ids = queue_emails(outbox_sessions, tag, 2)
    start = clock.now()

    with travel_to(start, frozen=True):
        run_worker(outbox_sessions, sender, once=True)
    for row in outbox_rows(outbox_sessions, ids).values():
        assert row.sent_at is None
        assert row.attempts == 1
        assert row.available_at == start + timedelta(seconds=30)
        assert row.locked_until is None
        assert "Connection refused" in (row.last_error or "")

    with travel_to(start + timedelta(seconds=29), frozen=True):  # not due yet: left alone
        run_worker(outbox_sessions, sender, once=True)
    assert {row.attempts for row in outbox_rows(outbox_sessions, ids).values()} == {1}

    second_try = start + timedelta(seconds=31)
    with travel_to(second_try, frozen=True):  # due, and the server is still down
        run_worker(outbox_sessions, sender, once=True)
    for row in outbox_rows(outbox_sessions, ids).values():
        assert (row.attempts, row.sent_at) == (2, None)
        assert row.available_at == second_try + timedelta(seconds=60)

    with SmtpServer(port=port) as server:
        with travel_to(second_try + timedelta(seconds=30), frozen=True):  # up, but not due yet
            run_worker(outbox_sessions, sender, once=True)
        assert server.mailbox.tagged(tag) == []
        with travel_to(second_try + timedelta(seconds=61), frozen=True):
            run_worker(outbox_sessions, sender, once=True)
            run_worker(outbox_sessions, sender, once=True)
        subjects = Counter(r.subject for r in server.mailbox.tagged(tag))
    assert subjects == {f"{tag} #00": 1, f"{tag} #01": 1}
    for row in outbox_rows(outbox_sessions, ids).values():
        assert row.sent_at == second_try + timedelta(seconds=61)
        assert (row.attempts, row.last_error, row.locked_until) == (2, None, None)


def test_a_message_that_cannot_be_built_is_kept_and_retried_later(outbox_sessions, smtp_server,
                                                                   tag):
    with session_scope(outbox_sessions) as session:
        row = queue(session, "email", {"to": "x@example.gov.uk", "subject": tag},
                    dedupe_key=tag)
        assert row is not None
        session.flush()
        message_id = row.id
    now = clock.now()
    with travel_to(now, frozen=True):
        run_worker(outbox_sessions, smtp_sender(smtp_server.url), once=True)
    stored = outbox_rows(outbox_sessions, [message_id])[message_id]
    assert smtp_server.mailbox.tagged(tag) == []
    assert (stored.sent_at, stored.attempts) == (None, 1)
    assert stored.available_at == now + timedelta(seconds=30)
    assert "ValueError" in (stored.last_error or "")
    with session_scope(outbox_sessions) as session:  # leave nothing due behind
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                        .values(sent_at=now))


def _queue_kind(factory, kind: str, count: int, **columns) -> list[uuid.UUID]:
    """Rows of a kind only this test uses, so its claims never touch anyone else's."""
    with session_scope(factory) as session:
        rows = [OutboxMessage(kind=kind, dedupe_key=f"{kind}-{uuid.uuid4().hex}",
                              payload={"n": i}, **columns)
                for i in range(count)]
        session.add_all(rows)
        session.flush()
        return [row.id for row in rows]


def test_a_claim_takes_only_due_unleased_unsent_rows(outbox_sessions, tag):
    now = clock.now()
    with travel_to(now - timedelta(seconds=1), frozen=True):
        [due] = _queue_kind(outbox_sessions, tag, 1)
        [expired_lease] = _queue_kind(outbox_sessions, tag + "e", 1,
                                      locked_until=now - timedelta(seconds=1))
        [leased] = _queue_kind(outbox_sessions, tag + "l", 1,
                               locked_until=now + timedelta(seconds=5))
        [sent] = _queue_kind(outbox_sessions, tag + "s", 1, sent_at=now)
        [later] = _queue_kind(outbox_sessions, tag + "f", 1,
                              available_at=now + timedelta(seconds=1))
    kinds = [tag + suffix for suffix in ("", "e", "l", "s", "f")]

    with travel_to(now, frozen=True), outbox_sessions() as session:
        claimed = claim_batch(session, 10, LEASE, kinds)
    assert {m.id for m in claimed} == {due, expired_lease}
    assert {m.lease_token for m in claimed} == {now + LEASE}
    rows = outbox_rows(outbox_sessions, [due, expired_lease, leased, sent, later])
    assert rows[due].locked_until == now + LEASE
    assert rows[expired_lease].locked_until == now + LEASE
    assert rows[leased].locked_until == now + timedelta(seconds=5)

    with travel_to(now + timedelta(seconds=2), frozen=True), outbox_sessions() as session:
        assert [m.id for m in claim_batch(session, 10, LEASE, kinds)] == [later]
    with travel_to(now + LEASE + timedelta(seconds=1), frozen=True), outbox_sessions() as session:
        # the first leases have run out, `later`'s has not; the sent row stays sent
        again = claim_batch(session, 10, LEASE, kinds)
    assert {m.id for m in again} == {due, expired_lease, leased}


def test_a_claim_takes_the_oldest_first_and_at_most_the_limit(outbox_sessions, tag):
    now = clock.now()
    ages = [3, 1, 4, 0, 2]  # minutes
    ids: dict[int, uuid.UUID] = {}
    for age in ages:
        with travel_to(now - timedelta(minutes=age), frozen=True):
            [ids[age]] = _queue_kind(outbox_sessions, tag, 1)
    oldest_first = [ids[age] for age in sorted(ages, reverse=True)]
    with outbox_sessions() as session:
        assert [m.id for m in claim_batch(session, 3, LEASE, [tag])] == oldest_first[:3]
    with outbox_sessions() as session:
        assert [m.id for m in claim_batch(session, 3, LEASE, [tag])] == oldest_first[3:]


def test_a_worker_whose_lease_ran_out_and_was_taken_over_does_not_send(outbox_sessions,
                                                                        smtp_server, tag):
    [message_id] = _queue_kind(outbox_sessions, tag, 1)
    now = clock.now()
    with travel_to(now, frozen=True), outbox_sessions() as session:
        [slow] = claim_batch(session, 10, LEASE, [tag])
    with travel_to(now + LEASE + timedelta(seconds=1), frozen=True), outbox_sessions() as session:
        [other] = claim_batch(session, 10, LEASE, [tag])  # another worker takes it over
    result = deliver(outbox_sessions, smtp_sender(smtp_server.url), [slow], LEASE)
    assert (result.sent, result.failed, result.lost) == (0, 0, 1)
    assert smtp_server.mailbox.received == []
    row = outbox_rows(outbox_sessions, [message_id])[message_id]
    assert row.locked_until == other.lease_token  # still the other worker's
    assert row.sent_at is None


def test_a_stopping_worker_hands_its_claims_back(outbox_sessions, smtp_server, tag):
    ids = queue_emails(outbox_sessions, tag, 3)
    with outbox_sessions() as session:
        claimed = claim_batch(session, 1000, LEASE)
    assert set(ids) <= {m.id for m in claimed}
    stop = threading.Event()
    stop.set()
    result = deliver(outbox_sessions, smtp_sender(smtp_server.url), claimed, LEASE, stop)
    assert (result.sent, result.released) == (0, len(claimed))
    rows = outbox_rows(outbox_sessions, ids)
    assert all(row.locked_until is None and row.sent_at is None for row in rows.values())
    run_worker(outbox_sessions, smtp_sender(smtp_server.url), once=True)
    assert len(smtp_server.mailbox.tagged(tag)) == 3


@pytest.mark.parametrize("workers", [2, 4])
def test_concurrent_claims_never_overlap(outbox_sessions, tag, workers):
    ids = _queue_kind(outbox_sessions, tag, 40)
    claims: list[list[ClaimedMessage]] = [[] for _ in range(workers)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def claim(slot: int) -> None:
        try:
            barrier.wait(timeout=10)
            while True:
                with outbox_sessions() as session:
                    batch = claim_batch(session, 3, LEASE, [tag])
                if not batch:
                    return
                claims[slot] += batch
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(slot,)) for slot in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert not any(thread.is_alive() for thread in threads)
    claimed = Counter(m.id for batch in claims for m in batch)
    assert set(claimed) == set(ids)
    assert set(claimed.values()) == {1}


def test_two_workers_at_once_never_send_the_same_message_twice(outbox_sessions, smtp_server,
                                                               tag):
    count = 30
    ids = queue_emails(outbox_sessions, tag, count)
    mailbox = smtp_server.mailbox
    mailbox.meet = 2  # the first sends wait until both workers are sending at once
    mailbox.delay = 0.005
    sent: dict[str, int] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            sent[name] = run_worker(outbox_sessions, smtp_sender(smtp_server.url), once=True,
                                    batch_size=3)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert not any(thread.is_alive() for thread in threads)

    assert mailbox.max_in_flight >= 2  # the two really overlapped
    assert sent["a"] > 0 and sent["b"] > 0
    received = Counter(r.message_id for r in mailbox.tagged(tag))
    assert len(received) == count
    assert set(received.values()) == {1}
    assert all(row.sent_at is not None for row in outbox_rows(outbox_sessions, ids).values())


def test_worker_loop_stops_when_asked(outbox_sessions, smtp_server, tag):
    stop = threading.Event()
    done: list[int] = []
    thread = threading.Thread(target=lambda: done.append(run_worker(
        outbox_sessions, smtp_sender(smtp_server.url), poll_interval=0.05, stop=stop)))
    thread.start()
    try:
        queue_emails(outbox_sessions, tag, 2)
        wait_until(lambda: len(smtp_server.mailbox.tagged(tag)) == 2, what="2 emails")
    finally:
        stop.set()
        thread.join(timeout=15)
    assert not thread.is_alive()
    assert done and done[0] >= 2


def test_only_rows_of_handled_kinds_are_claimed(outbox_sessions, smtp_server, tag):
    [other] = _queue_kind(outbox_sessions, tag, 1)
    with outbox_sessions() as session:
        claimed = claim_batch(session, 1000, LEASE)
    stop = threading.Event()
    stop.set()
    deliver(outbox_sessions, smtp_sender(smtp_server.url), claimed, LEASE, stop)  # hand back
    assert other not in {m.id for m in claimed}
    assert outbox_rows(outbox_sessions, [other])[other].locked_until is None
