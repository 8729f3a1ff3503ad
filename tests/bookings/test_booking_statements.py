"""The statements of one booking through the API (issue 16), counted so that they cannot creep
back up: the agreements and the booking council's settings in one read, the people told read
once for the emails and the answer, and the audit, notification and outbox rows each written in
one statement."""

from __future__ import annotations

from collections import Counter

from tests.bookings.conftest import book
from tests.statements import statements

# The actor; the Idempotency-Key reserved (1: INSERT .. ON CONFLICT DO NOTHING); the officer
# with their council, its settings and their account (1); the agreements, the booking council
# and its settings, and whether the officer is listed (1); the managers who sign off the
# officer's time (1); the week found and held by one guarded UPDATE (1); the reference counter;
# the booking; the audit rows, the notifications, the outbox rows (one each); the answer stored
# under the key (1 UPDATE). The answer's councils are those the booking read (no statement).
STATEMENTS_PER_BOOKING = 12


def _inserts(seen: list[str]) -> Counter[str]:
    return Counter(s.split()[2] for s in seen if s.startswith("INSERT"))


def test_a_booking_runs_a_fixed_small_number_of_statements(client, pool, connection):
    assert book(client, pool, hours=1, key="first").status_code == 201  # the council's counter
    with statements(connection.engine) as seen:
        response = book(client, pool, hours=2, key="counted")
    assert response.status_code == 201, response.text
    assert len(seen) == STATEMENTS_PER_BOOKING, "\n".join(seen)
    # Two audit rows (one per council), the officer's and the manager's notification and email.
    assert _inserts(seen) == {
        "idempotency_keys": 1,
        "bookings": 1,
        "audit_events": 1,
        "notifications": 1,
        "outbox": 1,
    }, "\n".join(seen)
    assert not [s for s in seen if "FROM councils WHERE" in s], "a council read twice"
    # Row locks are taken after the reads of whom to tell, so they are held for writes only.
    hold = next(n for n, s in enumerate(seen) if s.startswith("UPDATE availability"))
    assert not [s for s in seen[hold:] if "FROM users" in s], "\n".join(seen)
    assert len([s for s in seen if "agreement_acceptances" in s]) == 1


def test_the_answer_names_the_people_the_emails_went_to(client, pool):
    response = book(client, pool, hours=2, key="people")
    contacts = response.json()["contacts"]
    assert [c["role"] for c in contacts["booking"]] == ["booker"]
    assert [c["role"] for c in contacts["lending"]] == ["officer", "manager"]
    assert contacts["lending"][1]["email"] == pool.manager.user.email
