"""Value at platform scale, on each engine: a council's dashboard, the open data files and the
platform's monthly settlement run.

Seeded with bulk inserts into a fresh, migrated database: 400 councils (each with a finance
officer, a booker and 10 officers, each officer with one skill); 40,000 completed bookings over
the 12 months of 2026 between random pairs (council 0, the busiest, lends and borrows about
4,000 of them); synthetic market rates for half the skill families (bench figures only: the
real table is seeded empty); and, for November 2026, issued invoices both ways between 2,000
pairs of councils, a tenth of them partly credited.

Timed on a real server (`talentpool serve`, TP_TODAY=2027-01-08) over HTTP with API tokens:
1. `GET /api/v1/dashboard` for 60 councils (council 0 first), one at a time: p95 < 200 ms;
2. `GET /api/v1/open-data/monthly.json` and `.csv`, 60 each, no sign-in: p95 < 200 ms;
and in process: 3. the platform's settlement run for November (`settlements.service.generate`
for every pair, one transaction): < 10 s; then the same run again (nothing changed).
Run: `python -m bench.value` (TP_BENCH_ENGINES=sqlite,postgresql by default).
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, insert, select, update

from app.auth import service as auth
from app.auth.models import User, UserRole
from app.availability.models import Availability
from app.bookings.models import Booking as _BookingModel
from app.core import clock
from app.core.isoweek import Week
from app.councils.models import Council, CouncilSettings
from app.db import make_engine, make_session_factory
from app.invoicing.models import CreditNote, Invoice
from app.officers.models import Officer, Skill, officer_skills
from app.reports.models import MarketRate
from app.settlements import service as settlements
from bench.harness import (
    fresh_database,
    run_each_engine,
    run_timed,
    running_server,
    write_results,
)
from bench.invoicing import WEEKS as INVOICING_WEEKS
from bench.invoicing import Platform, _booking, _bulk, settle

COUNCILS = 400
OFFICERS = 10
BOOKINGS = 40_000
BUSY_SHARE = 0.1
PAIRS = 2_000
PERIOD = "2026-11"
TODAY = date(2027, 1, 8)
CALLS = 60
TARGET_MS = 200.0
RUN_TARGET_S = 10.0
SEED = 20261130
_now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WEEKS = [w for w in (Week(f"2026-W{n:02d}") for n in range(1, 53)) if w.monday.year == 2026]


def _people(connection: Connection, rng: random.Random, platform: Platform) -> None:
    councils, settings, users, roles, officers, availability = [], [], [], [], [], []
    regions = [("England", "South East"), ("England", "North West"), ("Wales", "Wales"),
               ("Scotland", "Scotland"), ("Northern Ireland", "Northern Ireland")]  # fmt: skip
    for index in range(COUNCILS):
        council_id = uuid.uuid4()
        nation, region = regions[index % len(regions)]
        platform.councils.append(council_id)
        platform.codes.append(f"V{index:03d}")
        councils.append({"id": council_id, "name": f"Value Council {index}",
                         "code": f"V{index:03d}", "nation": nation, "region": region,
                         "created_at": _now})  # fmt: skip
        settings.append({"council_id": council_id, "email_domains": []})
        for role in ("finance", "booker"):
            user_id = uuid.uuid4()
            users.append({"id": user_id, "email": f"{role}{index}@value.example.gov.uk",
                          "name": f"{role.title()} {index}", "council_id": council_id,
                          "created_at": _now})  # fmt: skip
            roles.append({"user_id": user_id, "role": role})
            (platform.finance if role == "finance" else platform.bookers).append(user_id)
        staff = []
        for n in range(OFFICERS):
            user_id, officer_id = uuid.uuid4(), uuid.uuid4()
            rate = rng.choice((3000, 4500, 5250, 6000, 7575, 9000))
            users.append({"id": user_id, "email": f"officer{index}.{n}@value.example.gov.uk",
                          "name": f"Officer {index}-{n}", "council_id": council_id,
                          "created_at": _now})  # fmt: skip
            roles.append({"user_id": user_id, "role": "officer"})
            officers.append({"id": officer_id, "user_id": user_id, "council_id": council_id,
                             "display_name": f"Officer {index}-{n}", "rate_pence_per_hour": rate,
                             "updated_at": _now})  # fmt: skip
            staff.append((officer_id, f"Officer {index}-{n}", rate))
            row_id = uuid.uuid4()
            # Every booking points at this one row: bench.invoicing._booking falls back to the
            # row of its own first week, so it is keyed under that too.
            platform.availability[(officer_id, str(WEEKS[0]))] = row_id
            platform.availability[(officer_id, str(INVOICING_WEEKS[0]))] = row_id
            availability.append({"id": row_id, "officer_id": officer_id,
                                 "council_id": council_id, "week": str(WEEKS[0]),
                                 "week_start": WEEKS[0].monday, "approved_minutes": 3600,
                                 "booked_minutes": 0, "pending_minutes": 0,
                                 "status": "approved", "created_at": _now,
                                 "updated_at": _now})  # fmt: skip
        platform.officers.append(staff)
    platform.counts["councils"] = _bulk(connection, Council, councils)
    _bulk(connection, CouncilSettings, settings)
    platform.counts["users"] = _bulk(connection, User, users)
    _bulk(connection, UserRole, roles)
    platform.counts["officers"] = _bulk(connection, Officer, officers)
    _bulk(connection, Availability, availability)


def _bookings(platform: Platform, rng: random.Random) -> Iterator[dict[str, Any]]:
    for n in range(BOOKINGS):
        if n < BOOKINGS * BUSY_SHARE:
            lender, borrower = (
                (0, rng.randrange(1, COUNCILS)) if n % 2 else (rng.randrange(1, COUNCILS), 0)
            )
        else:
            lender, borrower = rng.sample(range(1, COUNCILS), 2)
        officer = rng.choice(platform.officers[lender])
        yield _booking(platform, rng, lender, borrower, officer, rng.choice(WEEKS), "completed")


def _skills_and_rates(connection: Connection, platform: Platform, rng: random.Random) -> None:
    skills = list(connection.execute(select(Skill.id, Skill.family)))
    rows = [
        {"officer_id": officer_id, "skill_id": rng.choice(skills)[0]}
        for staff in platform.officers
        for officer_id, _name, _rate in staff
    ]
    _bulk_table(connection, officer_skills, rows)
    families = sorted({family for _id, family in skills})
    for family in families[::2]:
        connection.execute(
            update(MarketRate)
            .where(MarketRate.skill_family == family, MarketRate.skill_slug == "")
            .values(day_rate_pence=rng.choice((45000, 55000, 65000)), as_of=date(2026, 6, 1),
                    source="Bench figure, not a published rate")
        )  # fmt: skip


def _bulk_table(connection: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 10_000):
        connection.execute(insert(table), rows[start : start + 10_000])


def _invoices(connection: Connection, platform: Platform, rng: random.Random) -> int:
    """November's issued invoices both ways between PAIRS pairs; a tenth partly credited."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < PAIRS:
        a, b = rng.sample(range(COUNCILS), 2)
        pairs.add((min(a, b), max(a, b)))
    invoices, notes = [], []
    number = dict.fromkeys(range(COUNCILS), 0)
    issue_day = date(2026, 12, 4)
    for a, b in sorted(pairs):
        for issuer, customer in ((a, b), (b, a)):
            net = rng.randrange(5_000, 200_000)
            vat = (net * 2000 + 5000) // 10000
            invoice_id = uuid.uuid4()
            number[issuer] += 1
            invoices.append({
                "id": invoice_id, "issuer_council_id": platform.councils[issuer],
                "customer_council_id": platform.councils[customer], "period": PERIOD,
                "status": "draft", "vat_category": "S", "vat_rate_bps": 2000,
                "net_pence": net, "vat_pence": vat, "gross_pence": net + vat,
                "created_at": _now, "updated_at": _now,
                "number": f"{platform.codes[issuer]}-2026-{number[issuer]:06d}",
                "issue_date": issue_day})  # fmt: skip
            if rng.random() < 0.1:
                part = net // 4
                part_vat = (part * 2000 + 5000) // 10000
                notes.append({
                    "id": uuid.uuid4(), "invoice_id": invoice_id,
                    "issuer_council_id": platform.councils[issuer],
                    "customer_council_id": platform.councils[customer],
                    "number": f"{platform.codes[issuer]}-CN-2026-{number[issuer]:06d}",
                    "reason": "Bench", "net_pence": part, "vat_pence": part_vat,
                    "gross_pence": part + part_vat, "issue_date": issue_day + timedelta(days=3),
                    "issued_at": _now})  # fmt: skip
    _bulk_table(connection, Invoice.__table__, invoices)
    connection.execute(
        update(Invoice.__table__)
        .where(Invoice.__table__.c.period == PERIOD)
        .values(status="issued", due_date=issue_day + timedelta(days=30), issued_at=_now)
    )
    _bulk_table(connection, CreditNote.__table__, notes)
    by_invoice: dict[uuid.UUID, int] = {}
    for note in notes:
        by_invoice[note["invoice_id"]] = note["gross_pence"]
    for invoice_id, gross in by_invoice.items():
        connection.execute(
            update(Invoice.__table__)
            .where(Invoice.__table__.c.id == invoice_id)
            .values(credited_gross_pence=gross)
        )
    return len(invoices)


def seed(connection: Connection, rng: random.Random) -> Platform:
    platform = Platform()
    _people(connection, rng, platform)
    _skills_and_rates(connection, platform, rng)
    platform.counts["bookings (completed)"] = _bulk(
        connection, _BookingModel, _bookings(platform, rng)
    )
    platform.counts["invoices (issued)"] = _invoices(connection, platform, rng)
    return platform


def _tokens(factory: Any, platform: Platform, count: int) -> list[str]:
    tokens = []
    with factory() as session:
        for index in range(count):
            _row, raw = auth.create_api_token(session, platform.actor(index), "bench")
            tokens.append(raw)
        session.commit()
    return tokens


def _get(client: httpx.Client, path: str, headers: dict[str, str] | None = None) -> None:
    answer = client.get(path, headers=headers or {})
    assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text[:200]}"


def _settlement_run(factory: Any) -> int:
    with factory() as session, clock.travel_to(TODAY):
        written = settlements.generate(session, PERIOD, None)
        session.commit()
    return written


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
        tokens = _tokens(factory, platform, CALLS)

        started = time.perf_counter()
        written = _settlement_run(factory)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = _settlement_run(factory)
        second = time.perf_counter() - started
        for name, seconds, count in (
            ("settlement run", first, written),
            ("settlement run again", second, again),
        ):
            results.append({"engine": engine_name, "scenario": name, "n": 1,
                            "p50_ms": "", "p95_ms": round(seconds * 1000, 1),
                            "target": f"< {RUN_TARGET_S:g} s", "ok": seconds < RUN_TARGET_S,
                            "detail": f"{count} statements written, {PAIRS} pairs"})  # fmt: skip

        with (
            running_server(url, env={"TP_TODAY": TODAY.isoformat()}) as base,
            httpx.Client(base_url=base, timeout=60) as client,
        ):
            _get(client, "/api/v1/dashboard", {"Authorization": f"Bearer {tokens[0]}"})  # warm
            scenarios = [
                ("dashboard", [
                    (lambda t=t: _get(client, "/api/v1/dashboard",
                                      {"Authorization": f"Bearer {t}"}))
                    for t in tokens
                ]),
                ("open data json", [
                    (lambda: _get(client, "/api/v1/open-data/monthly.json"))
                ] * CALLS),
                ("open data csv", [
                    (lambda: _get(client, "/api/v1/open-data/monthly.csv"))
                ] * CALLS),
            ]  # fmt: skip
            for name, calls in scenarios:
                timing = run_timed(name, calls)
                results.append({"engine": engine_name, **timing.row(),
                                "target": f"p95 < {TARGET_MS:g} ms",
                                "ok": timing.p95_ms < TARGET_MS, "detail": ""})  # fmt: skip
        engine.dispose()
        write_results(f"value-{engine_name}", {
            "engine": engine_name, "seeded_seconds": round(seeded, 1), "counts": platform.counts,
            "results": results,
        })  # fmt: skip
    return results


def main(names: Sequence[str] | None = None) -> int:
    """Every scenario on each engine (`names`, else TP_BENCH_ENGINES); 1 if a target is missed."""
    return run_each_engine(
        "Value: dashboard, open data and the settlement run", "tp-bench-value-", run, names
    )


if __name__ == "__main__":
    sys.exit(main())
