"""Invoicing at platform scale, on each engine: recharge runs and a year's ledger export.

Seeded with bulk inserts into a fresh, migrated database:

- 400 councils with settings, each with a finance officer, a booker and 10 officers (council 0,
  the busiest, 50), every officer with approved hours in each week of November 2026;
- about 20,000 completed, uninvoiced bookings in November 2026 (weeks whose Monday is in the
  month), 2,000 of them lent by council 0, the rest spread over the other councils; each
  booking council has one purchase order per lending council (so one invoice per pair);
- for the ledger: a year (2026) of issued invoices and credit notes issued by and to council 1,
  about 250,000 lines, each on a booking of its own (status invoiced).

After loading, the database is settled as a live one would be: ANALYZE (VACUUM ANALYZE on
PostgreSQL) and, on SQLite, a WAL checkpoint. Then, timed with `time.perf_counter`:

1. one council's recharge run: `app.invoicing.service.run_recharge` for council 0 (2,000
   bookings), in a session of its own with a finance actor, committed;
2. the platform's run: every council's `run_recharge`, one transaction each;
3. the year's ledger export for council 1 (`direction=both`) through the real streaming
   generator (`exports.ledger_rows`, sessions from a session factory as the route uses), consumed
   and its rows counted; then again under `tracemalloc` for its peak memory.

Targets: one council < 2 s, the platform < 30 s, the export's peak memory < 150 MB. A table is
printed and bench/results/invoicing-<engine>.json written. Run: `python -m bench.invoicing`
(TP_BENCH_ENGINES=sqlite,postgresql by default).
"""

from __future__ import annotations

import random
import sys
import time
import tracemalloc
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert, update
from sqlalchemy.orm import Session, sessionmaker

from app.auth import service as auth
from app.auth.models import User, UserRole
from app.availability.models import Availability
from app.bookings.models import Booking
from app.core import clock, money
from app.core.isoweek import Week
from app.councils.models import Council, CouncilSettings
from app.db import make_engine, make_session_factory
from app.invoicing import exports
from app.invoicing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine
from app.invoicing.service import run_recharge
from app.officers.models import Officer
from bench.harness import fresh_database, run_each_engine, write_results

COUNCILS = 400
OFFICERS = 10
BUSY_OFFICERS = 50
BOOKINGS = 20_000
BUSY_BOOKINGS = 2_000
PERIOD = "2026-11"
WEEKS = [Week(f"2026-W{n}") for n in range(45, 50)]  # Mondays 2, 9, 16, 23 and 30 November
LEDGER_YEAR = 2026
LEDGER_CUSTOMERS = 40  # council 1 invoices 40 councils a month ...
LEDGER_LINES = 500  # ... about 500 lines each
LEDGER_SUPPLIERS = 10  # and is invoiced by 10 a month
SUPPLIER_LINES = 80
CREDIT_NOTES_PER_MONTH = 2
TARGETS = {"one council": 2.0, "platform": 30.0}
MEMORY_TARGET_MB = 150.0
BATCH = 10_000
SEED = 20261125

_now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _bulk(connection: Connection, model: Any, rows: Iterable[dict[str, Any]]) -> int:
    table: Table = model.__table__
    count = 0
    for batch in _batches(rows):
        connection.execute(insert(table), batch)
        count += len(batch)
    return count


class Platform:
    """The seeded platform: who is who, for the scenarios."""

    def __init__(self) -> None:
        self.councils: list[uuid.UUID] = []
        self.codes: list[str] = []
        self.finance: list[uuid.UUID] = []
        self.bookers: list[uuid.UUID] = []
        self.officers: list[list[tuple[uuid.UUID, str, int]]] = []  # (id, name, rate)
        self.availability: dict[tuple[uuid.UUID, str], uuid.UUID] = {}
        self.counts: dict[str, int] = {}

    def actor(self, index: int) -> auth.Actor:
        return auth.Actor(
            user_id=self.finance[index],
            email=f"finance{index}@bench.example.gov.uk",
            name=f"Finance {index}",
            council_id=self.councils[index],
            roles=frozenset({"finance"}),
            is_platform_admin=False,
            via="system",
        )


def seed(connection: Connection, rng: random.Random) -> Platform:
    platform = Platform()
    councils, settings, users, roles, officers, availability = [], [], [], [], [], []
    for index in range(COUNCILS):
        council_id = uuid.uuid4()
        code = f"B{index:03d}"
        platform.councils.append(council_id)
        platform.codes.append(code)
        councils.append({"id": council_id, "name": f"Bench Council {index}", "code": code,
                         "gss_code": f"E0{index:07d}", "nation": "England",
                         "region": "South East", "created_at": _now})  # fmt: skip
        settings.append({"council_id": council_id, "email_domains": [],
                         "vat_number": f"GB{100000000 + index}", "ledger_code": "4010",
                         "cost_centre": f"CC{index}", "subjective_code": "S100",
                         "invoice_address": f"Town Hall\nBench {index}"})  # fmt: skip
        for role in ("finance", "booker"):
            user_id = uuid.uuid4()
            users.append({"id": user_id, "email": f"{role}{index}@bench.example.gov.uk",
                          "name": f"{role.title()} {index}", "council_id": council_id,
                          "created_at": _now})  # fmt: skip
            roles.append({"user_id": user_id, "role": role})
            (platform.finance if role == "finance" else platform.bookers).append(user_id)
        staff = []
        for n in range(BUSY_OFFICERS if index == 0 else OFFICERS):
            user_id, officer_id = uuid.uuid4(), uuid.uuid4()
            name = f"Officer {index}-{n}"
            rate = rng.choice((3000, 4500, 5250, 6000, 7575, 9000))
            users.append({"id": user_id, "email": f"officer{index}.{n}@bench.example.gov.uk",
                          "name": name, "council_id": council_id, "created_at": _now})  # fmt: skip
            roles.append({"user_id": user_id, "role": "officer"})
            officers.append({"id": officer_id, "user_id": user_id, "council_id": council_id,
                             "display_name": name, "rate_pence_per_hour": rate,
                             "updated_at": _now})  # fmt: skip
            staff.append((officer_id, name, rate))
            for week in WEEKS:
                row_id = uuid.uuid4()
                platform.availability[(officer_id, str(week))] = row_id
                availability.append({"id": row_id, "officer_id": officer_id,
                                     "council_id": council_id, "week": str(week),
                                     "week_start": week.monday, "approved_minutes": 3600,
                                     "booked_minutes": 0, "pending_minutes": 0,
                                     "status": "approved", "created_at": _now,
                                     "updated_at": _now})  # fmt: skip
        platform.officers.append(staff)
    platform.counts["councils"] = _bulk(connection, Council, councils)
    _bulk(connection, CouncilSettings, settings)
    platform.counts["users"] = _bulk(connection, User, users)
    _bulk(connection, UserRole, roles)
    platform.counts["officers"] = _bulk(connection, Officer, officers)
    platform.counts["availability"] = _bulk(connection, Availability, availability)
    platform.counts["bookings (completed)"] = _bulk(
        connection, Booking, _month_bookings(platform, rng)
    )
    lines = _ledger(connection, platform, rng)
    platform.counts["ledger lines"] = lines
    return platform


def _booking(
    platform: Platform,
    rng: random.Random,
    lender: int,
    borrower: int,
    officer: tuple[uuid.UUID, str, int],
    week: Week,
    status: str,
) -> dict[str, Any]:
    minutes = rng.choice((60, 120, 180, 240, 420))
    return {
        "id": uuid.uuid4(),
        "availability_id": platform.availability.get(
            (officer[0], str(week)), platform.availability[(officer[0], str(WEEKS[0]))]
        ),
        "officer_id": officer[0],
        "lending_council_id": platform.councils[lender],
        "booking_council_id": platform.councils[borrower],
        "booker_id": platform.bookers[borrower],
        "week": str(week),
        "week_start": week.monday,
        "minutes": minutes,
        "actual_minutes": minutes - 15 * rng.randrange(0, 3),
        "rate_pence_per_hour": officer[2],
        "purpose": "Benchmark work",
        # One purchase order per supplier a month, as councils raise them (an invoice is per
        # purchase order: a new order for every booking would make every booking an invoice).
        "purchase_order": f"PO-{borrower}-{lender}",
        "status": status,
        "requested_at": _now,
        "expires_at": _now,
        "completed_at": _now,
        "updated_at": _now,
    }  # fmt: skip


def _month_bookings(platform: Platform, rng: random.Random) -> Iterator[dict[str, Any]]:
    """2,000 bookings lent by council 0, the rest by the other councils in turn."""
    for n in range(BOOKINGS):
        lender = 0 if n < BUSY_BOOKINGS else 1 + n % (COUNCILS - 1)
        borrower = rng.randrange(COUNCILS - 1)
        borrower = borrower + 1 if borrower >= lender else borrower
        officer = rng.choice(platform.officers[lender])
        yield _booking(platform, rng, lender, borrower, officer, rng.choice(WEEKS), "completed")


def _ledger(connection: Connection, platform: Platform, rng: random.Random) -> int:
    """A year of council 1's issued invoices (outgoing and incoming) and credit notes."""
    home = 1
    others = [i for i in range(COUNCILS) if i != home]
    total = 0
    sequence: dict[int, int] = {}
    for month in range(1, 13):
        issue_day = date(LEDGER_YEAR, month, 5)
        monday = Week.of(date(LEDGER_YEAR, month, 1) + timedelta(days=7))
        customers = rng.sample(others, LEDGER_CUSTOMERS)
        suppliers = rng.sample(others, LEDGER_SUPPLIERS)
        documents = [(home, c, LEDGER_LINES + rng.randrange(-40, 41)) for c in customers]
        documents += [(s, home, SUPPLIER_LINES) for s in suppliers]
        credit: list[tuple[uuid.UUID, int, int, list[dict[str, Any]]]] = []
        for position, (issuer, customer, size) in enumerate(documents):
            bookings = [
                _booking(platform, rng, issuer, customer, rng.choice(platform.officers[issuer]),
                         monday, "invoiced")
                for _ in range(size)
            ]  # fmt: skip
            _bulk(connection, Booking, bookings)
            invoice_id = uuid.uuid4()
            lines = [
                {"id": uuid.uuid4(), "invoice_id": invoice_id, "position": n + 1,
                 "booking_id": b["id"], "officer_id": b["officer_id"],
                 "officer_name": "Officer", "week": b["week"],
                 "purchase_order": b["purchase_order"], "minutes": b["actual_minutes"],
                 "rate_pence_per_hour": b["rate_pence_per_hour"],
                 "amount_pence": money.line_amount_pence(b["actual_minutes"],
                                                         b["rate_pence_per_hour"]),
                 "vat_category": "S", "vat_rate_bps": 2000}
                for n, b in enumerate(bookings)
            ]  # fmt: skip
            net = sum(line["amount_pence"] for line in lines)
            vat = money.vat_pence(net, 2000)
            connection.execute(insert(Invoice.__table__), [{
                "id": invoice_id, "issuer_council_id": platform.councils[issuer],
                "customer_council_id": platform.councils[customer],
                "period": f"{LEDGER_YEAR}-{month:02d}", "status": "draft",
                "vat_category": "S", "vat_rate_bps": 2000, "net_pence": net, "vat_pence": vat,
                "gross_pence": net + vat, "created_at": _now, "updated_at": _now}])  # fmt: skip
            total += _bulk(connection, InvoiceLine, lines)
            number = sequence[issuer] = sequence.get(issuer, 0) + 1
            party = {
                i: {"code": platform.codes[i], "gss_code": f"E0{i:07d}",
                    "vat_number": f"GB{100000000 + i}"}
                for i in (issuer, customer)
            }  # fmt: skip
            connection.execute(
                update(Invoice.__table__)
                .where(Invoice.__table__.c.id == invoice_id)
                .values(status="issued", number=f"{platform.codes[issuer]}-2026-{number:06d}",
                        issue_date=issue_day, due_date=issue_day + timedelta(days=30),
                        issued_at=datetime.combine(issue_day, datetime.min.time(), UTC)
                        + timedelta(seconds=position),
                        parties={"seller": party[issuer], "buyer": party[customer]})
            )  # fmt: skip
            if issuer == home and len(credit) < CREDIT_NOTES_PER_MONTH:
                credit.append((invoice_id, issuer, customer, lines[:5]))
        for n, (invoice_id, issuer, customer, lines) in enumerate(credit):
            note_id = uuid.uuid4()
            net = sum(line["amount_pence"] for line in lines)
            vat = money.vat_pence(net, 2000)
            number = sequence[issuer] = sequence[issuer] + 1
            connection.execute(insert(CreditNote.__table__), [{
                "id": note_id, "invoice_id": invoice_id,
                "issuer_council_id": platform.councils[issuer],
                "customer_council_id": platform.councils[customer],
                "number": f"{platform.codes[issuer]}-CN-2026-{number:06d}",
                "reason": "Benchmark", "net_pence": net, "vat_pence": vat,
                "gross_pence": net + vat, "issue_date": issue_day + timedelta(days=10),
                "issued_at": _now + timedelta(seconds=n)}])  # fmt: skip
            total += _bulk(connection, CreditNoteLine, [
                {"id": uuid.uuid4(), "credit_note_id": note_id, "invoice_line_id": line["id"],
                 "position": p + 1, "minutes": line["minutes"],
                 "amount_pence": line["amount_pence"]}
                for p, line in enumerate(lines)])  # fmt: skip
    return total


def settle(engine: Any) -> None:
    """What a live database has and a bulk load does not: planner statistics, and (SQLite) a
    write-ahead log checkpointed into the file, not one huge seeding transaction in the WAL."""
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            cursor = raw.cursor()
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        else:
            raw.driver_connection.autocommit = True  # VACUUM runs outside a transaction
            try:
                raw.driver_connection.execute("VACUUM ANALYZE")
            finally:
                raw.driver_connection.autocommit = False
    finally:
        raw.close()


# --- the scenarios ---------------------------------------------------------------------------


def _recharge(factory: sessionmaker[Session], platform: Platform, index: int) -> tuple[int, int]:
    with factory() as session:
        drafts = run_recharge(session, platform.actor(index), PERIOD)
        invoices = len(drafts)
        session.commit()
    return invoices, 0


def _export(factory: sessionmaker[Session], platform: Platform) -> int:
    with factory() as session:
        export = exports.ledger_export(
            session, platform.actor(1), "both", date(LEDGER_YEAR, 1, 1), date(LEDGER_YEAR, 12, 31)
        )
        session.rollback()
    rows = 0
    for chunk in export.stream(factory):  # the route's generator, sessions of its own
        rows += chunk.count("\r\n")  # the bench's names hold no line breaks
    return rows - 2  # the header and the control row


def run(engine_name: str, tmp: Path) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    with fresh_database(engine_name, tmp) as url:
        engine = make_engine(url)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        with engine.begin() as connection:
            platform = seed(connection, random.Random(SEED))
        seeded = time.perf_counter() - started
        settle(engine)
        print(f"[{engine_name}] seeded in {seeded:.1f}s: {platform.counts}", flush=True)

        with clock.travel_to(date(2026, 12, 7)):
            started = time.perf_counter()
            invoices, _ = _recharge(factory, platform, 0)
            one = time.perf_counter() - started
            results.append(_row(engine_name, "one council", one, TARGETS["one council"],
                                f"{BUSY_BOOKINGS} bookings, {invoices} drafts"))  # fmt: skip

            started = time.perf_counter()
            drafts = sum(_recharge(factory, platform, i)[0] for i in range(COUNCILS))
            platform_run = time.perf_counter() - started
            detail = f"{COUNCILS} councils, {BOOKINGS} bookings, {drafts} drafts"
            results.append(_row(engine_name, "platform", platform_run, TARGETS["platform"], detail))

            started = time.perf_counter()
            rows = _export(factory, platform)
            export_seconds = time.perf_counter() - started
            tracemalloc.start()
            again = _export(factory, platform)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert rows == again == platform.counts["ledger lines"], (rows, again, platform.counts)
        peak_mb = peak / 1024 / 1024
        results.append({
            "engine": engine_name, "scenario": "ledger export (year)",
            "seconds": round(export_seconds, 2), "target": f"peak < {MEMORY_TARGET_MB:.0f} MB",
            "peak_mb": round(peak_mb, 1), "ok": peak_mb < MEMORY_TARGET_MB,
            "detail": f"{rows} lines, {rows / export_seconds:,.0f} lines/s",
        })  # fmt: skip
        engine.dispose()
        write_results(f"invoicing-{engine_name}", {
            "engine": engine_name, "seeded_seconds": round(seeded, 1), "counts": platform.counts,
            "results": results,
        })  # fmt: skip
    return results


def _row(engine: str, scenario: str, seconds: float, target: float, detail: str) -> dict[str, Any]:
    return {"engine": engine, "scenario": scenario, "seconds": round(seconds, 2),
            "target": f"< {target:g} s", "peak_mb": "", "ok": seconds < target,
            "detail": detail}  # fmt: skip


def main(names: Sequence[str] | None = None) -> int:
    """Every scenario on each engine (`names`, else TP_BENCH_ENGINES); 1 if a target is missed."""
    return run_each_engine(
        "Invoicing: recharge runs and the ledger export", "tp-bench-invoicing-", run, names
    )


if __name__ == "__main__":
    sys.exit(main())
