"""Talent search at platform scale: 400 councils x 50 officers x 26 weeks, on each engine.

For each engine: a fresh database seeded with `app.scale.seed_scale` (timed), ANALYZEd; then
every typical search three ways in the same run:

- `api`: GET /api/v1/search/officers through a real `talentpool serve` (one worker per core, or
  TP_BENCH_SEARCH_WORKERS), with a booker's bearer token: latency of sequential requests (one
  client), and requests/s of one client and of 8 clients at once, taking turns (readers must
  not wait for each other);
- `direct`: the same statement (`search.page_query`: build_query + ordering + limit, each row
  with its officer card joined) executed on a SQLAlchemy Session in this process, planned for
  its values as search runs it: the floor;
  beside it `ping+direct/direct`, the best ratio an API could reach (the statement plus an
  HTTP round trip that does nothing), and `ping+service/direct` (the service's work plus that
  round trip: what is left for the framework is the API's p50 minus this);
- `service`: `search.search` on a Session (the agreement check, the statement, the results built);

and GET /api/ping through HTTP, the ceiling. The one-client API request, the statement, the
service and a ping take turns, request by request (`alternated`), so that the ratios compare
the same moments of these shared machines, whose speed drifts from minute to minute. Then
each search's plan (EXPLAIN QUERY PLAN on SQLite; EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL)
with a verdict: no full scan of `availability` or `officers`. Prints tables; writes
bench/results/search-<engine>.json.

    python -m bench.search            # TP_BENCH_ENGINES=sqlite to choose engines
"""

from __future__ import annotations

import os
import platform
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, event, func, select, text

from app.auth import service as auth
from app.auth.models import User
from app.availability import search
from app.availability.search import SearchFilters
from app.core import clock
from app.core.isoweek import Week
from app.core.pagination import PageParams
from app.db import make_engine, make_session_factory, planned_for_their_values, session_scope
from app.scale import seed_scale
from bench.harness import (
    Timing,
    alternated,
    engines,
    fresh_database,
    print_table,
    run_timed,
    running_server,
    write_results,
)

COUNCILS, OFFICERS_PER_COUNCIL, WEEKS = 400, 50, 26
WARM_UP = 20
SEQUENTIAL = 200  # requests per scenario, one after the other
CONCURRENCY = 8
# Searches/s of one client and of CONCURRENCY clients take turns, ROUNDS times, so that their
# ratio compares the same minutes (one burst of 200 each, a minute apart, swung it 1.2-1.7x on
# one machine): ROUND_ONE requests from one client, then ROUND_MANY from CONCURRENCY clients.
ROUNDS, ROUND_ONE, ROUND_MANY = 4, 50, 200
PING_REQUESTS = 500
# Worker processes of the server (`talentpool serve --workers`): one per core, as deployed (the
# Dockerfile runs 4). One Python process runs Python on one core at a time, so with one worker
# 8 clients could never get more searches/s than one. TP_BENCH_SEARCH_WORKERS to choose.
SERVER_WORKERS = int(os.environ.get("TP_BENCH_SEARCH_WORKERS", str(os.cpu_count() or 1)))
BIG_TABLES = ("availability", "officers")
TARGET_P95_MS = 50.0
TARGET_API_OVER_DIRECT = 2.0
# Readers never wait for each other (issue 9): 8 clients get at least 1.6x the searches per
# second of one client, and their p95 is at most 4x the single-client p95.
TARGET_SCALE_OUT = 1.6
TARGET_P95_GROWTH = 4.0


@dataclass(frozen=True)
class Scenario:
    name: str
    params: dict[str, Any]  # the API's query parameters

    def filters(self) -> SearchFilters:
        p = self.params
        return SearchFilters(
            skills=list(p.get("skill", [])),
            week=Week(p["week"]) if "week" in p else None,
            to_week=Week(p["to"]) if "to" in p else None,
            min_minutes=int(p["min_hours"] * 60) if "min_hours" in p else 15,
            nation=p.get("nation"),
            region=p.get("region"),
            max_rate_pence=p.get("max_rate_pence"),
            q=p.get("q"),
        )


def scenarios() -> list[Scenario]:
    week = Week.of(clock.today()).plus(2)
    return [
        Scenario("one skill, one week", {"skill": ["town-planning"], "week": week}),
        Scenario(
            "two skills, 4 weeks",
            {"skill": ["user-researcher", "data-analyst"], "week": week, "to": week.plus(3)},
        ),
        Scenario("free text q=planning", {"q": "planning"}),
        Scenario("nation + max rate", {"nation": "Scotland", "max_rate_pence": 5000}),
        Scenario("no filters (12 weeks)", {}),
        Scenario("min 4 hours + region", {"min_hours": 4, "region": "North West"}),
    ]


# --- seeding --------------------------------------------------------------------------------


def seed(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    started = time.perf_counter()
    with session_scope(make_session_factory(engine)) as session:
        report = seed_scale(session, COUNCILS, OFFICERS_PER_COUNCIL, WEEKS)
        committing = time.perf_counter()
    seconds = dict(report.seconds)
    seconds["commit"] = time.perf_counter() - committing
    analysing = time.perf_counter()
    analyse(engine)
    seconds["analyze"] = time.perf_counter() - analysing
    total = time.perf_counter() - started
    engine.dispose()
    counts = {
        "councils": report.councils,
        "officers": report.officers,
        "officer_skills": report.skills,
        "search_terms": report.search_terms,
        "weeks": report.weeks,
        "availability_rows": report.availability_rows,
        "bookings": report.bookings,
    }
    print(f"seeded in {total:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print("  " + ", ".join(f"{phase} {s:.1f} s" for phase, s in seconds.items()))
    return {
        "counts": counts,
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "total_seconds": round(total, 2),
    }


def analyse(engine: Engine) -> None:
    """Fresh planner statistics after a bulk load, as an operator would run them."""
    if engine.dialect.name == "postgresql":
        # VACUUM also sets the visibility map, so index-only scans are index-only.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.exec_driver_sql("PRAGMA optimize")
            connection.commit()


def booker_token(url: str) -> tuple[auth.Actor, str]:
    """A booker of the first council, with an API token created directly in the database."""
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as session:
        user_id = session.scalar(
            select(User.id).where(User.email.like("booker@%.scale.example.gov.uk")).order_by(
                User.email
            )
        )
        assert user_id is not None, "the scale data has no booker"
        user = auth.get_user(session, user_id)
        assert user is not None
        actor = auth.actor_for(user, "token")
        _, token = auth.create_api_token(session, actor, "search benchmark")
    engine.dispose()
    return actor, token


# --- the three ways -------------------------------------------------------------------------


@contextmanager
def http_clients(base: str, token: str) -> Iterator[Callable[[], httpx.Client]]:
    """One keep-alive client per thread."""
    local = threading.local()
    made: list[httpx.Client] = []
    lock = threading.Lock()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
            )
            with lock:
                made.append(local.client)
        return local.client  # type: ignore[no-any-return]

    try:
        yield client
    finally:
        for c in made:
            c.close()


def api_call(client: Callable[[], httpx.Client], params: dict[str, Any]) -> Callable[[], None]:
    def call() -> None:
        response = client().get("/api/v1/search/officers", params=params)
        if response.status_code != 200:
            raise RuntimeError(f"search answered {response.status_code}: {response.text[:300]}")

    return call


def ping_call(client: Callable[[], httpx.Client]) -> Callable[[], None]:
    def call() -> None:
        if client().get("/api/ping").status_code != 200:
            raise RuntimeError("ping failed")

    return call


def timed(name: str, call: Callable[[], None], n: int, concurrency: int = 1) -> Timing:
    for _ in range(WARM_UP):
        call()
    return run_timed(name, [call] * n, concurrency)


def one_and_many(name: str, call: Callable[[], None]) -> tuple[Timing, Timing]:
    """`call` from one client and from CONCURRENCY clients, taking turns ROUNDS times."""
    one, many = Timing(name), Timing(name)
    for _ in range(ROUNDS):
        for timing, n, clients in ((one, ROUND_ONE, 1), (many, ROUND_MANY, CONCURRENCY)):
            burst = run_timed(name, [call] * n, clients)
            timing.latencies.extend(burst.latencies)
            timing.wall += burst.wall
    return one, many


def measure(url: str, actor: auth.Actor, token: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    today = clock.today()
    rows: list[dict[str, Any]] = []
    with factory() as session:
        skill_ids = {
            s.name: search.skill_ids_for(session, s.filters().skills) if s.filters().skills else []
            for s in scenarios()
        }

    def direct(scenario: Scenario) -> Callable[[], None]:
        statement = search.page_query(
            actor, scenario.filters(), skill_ids[scenario.name], today, PageParams()
        )

        def call() -> None:
            with factory() as session, planned_for_their_values(session.connection()) as db:
                db.execute(statement).all()

        return call

    def service(scenario: Scenario) -> Callable[[], None]:
        def call() -> None:
            with factory() as session:
                search.search(session, actor, scenario.filters(), PageParams())

        return call

    with running_server(url, SERVER_WORKERS) as base, http_clients(base, token) as client:
        ping = timed("GET /api/ping", ping_call(client), PING_REQUESTS)
        ping_conc = timed("GET /api/ping", ping_call(client), PING_REQUESTS, CONCURRENCY)
        for scenario in scenarios():
            ways = {
                "api": api_call(client, scenario.params),
                "direct": direct(scenario),
                "service": service(scenario),
                "ping": ping_call(client),
            }
            for call in ways.values():
                for _ in range(WARM_UP):
                    call()
            one_by_one = alternated(scenario.name, ways, SEQUENTIAL)
            api, floor, middle = one_by_one["api"], one_by_one["direct"], one_by_one["service"]
            ping_here = one_by_one["ping"]
            api_one, api_conc = one_and_many(scenario.name, ways["api"])
            rows.append(
                {
                    "scenario": scenario.name,
                    "api_p50_ms": round(api.p50_ms, 2),
                    "api_p95_ms": round(api.p95_ms, 2),
                    "api_rps_c1": round(api_one.per_second, 1),
                    f"api_rps_c{CONCURRENCY}": round(api_conc.per_second, 1),
                    f"api_p95_ms_c{CONCURRENCY}": round(api_conc.p95_ms, 2),
                    f"rps_c{CONCURRENCY}/c1": round(api_conc.per_second / api_one.per_second, 2),
                    f"p95_c{CONCURRENCY}/c1": round(api_conc.p95_ms / api_one.p95_ms, 2),
                    "service_p50_ms": round(middle.p50_ms, 2),
                    "direct_p50_ms": round(floor.p50_ms, 2),
                    "direct_p95_ms": round(floor.p95_ms, 2),
                    "ping_p50_ms": round(ping_here.p50_ms, 2),
                    "api/direct": round(api.p50_ms / floor.p50_ms, 2),
                    # The least any API could answer in: the statement plus an HTTP round trip
                    # that does nothing (ping), over the statement.
                    "ping+direct/direct": round(
                        (ping_here.p50_ms + floor.p50_ms) / floor.p50_ms, 2
                    ),
                    # The same with the whole service (agreement check, results built) and no
                    # cost at all for tokens, parameters, threads or JSON.
                    "ping+service/direct": round(
                        (ping_here.p50_ms + middle.p50_ms) / floor.p50_ms, 2
                    ),
                    "api/ping": round(api.p50_ms / ping_here.p50_ms, 2),
                    "p95<50ms": "yes" if api.p95_ms < TARGET_P95_MS else "NO",
                }
            )
    engine.dispose()
    ceiling = {
        "p50_ms": round(ping.p50_ms, 2),
        "p95_ms": round(ping.p95_ms, 2),
        f"rps_c{CONCURRENCY}": round(ping_conc.per_second, 1),
    }
    return rows, ceiling


# --- plans ----------------------------------------------------------------------------------


def plans(url: str, actor: auth.Actor) -> list[dict[str, Any]]:
    """Each search's plan as the database runs it, and whether it scans a big table."""
    engine = make_engine(url)
    captured: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((statement, parameters))

    sqlite = engine.dialect.name == "sqlite"
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
    found = []
    with make_session_factory(engine)() as session:
        for scenario in scenarios():
            filters = scenario.filters()
            skill_ids = search.skill_ids_for(session, filters.skills) if filters.skills else []
            statement = search.page_query(actor, filters, skill_ids, clock.today(), PageParams())
            captured.clear()
            session.execute(statement).all()
            sql, parameters = captured[-1]
            result = session.connection().exec_driver_sql(prefix + sql, parameters).all()
            lines = [str(r[3]) if sqlite else str(r[0]) for r in result]
            scans = full_scans(lines, sqlite)
            verdict = (
                f"FULL SCAN of {', '.join(scans)}"
                if scans
                else "OK: no full scan of availability or officers"
            )
            found.append({"scenario": scenario.name, "verdict": verdict, "plan": lines})
    engine.dispose()
    return found


def full_scans(lines: list[str], sqlite: bool) -> list[str]:
    tables = "|".join(BIG_TABLES)
    if sqlite:
        # "SCAN t" reads every row; "SCAN t USING [COVERING] INDEX i" every index entry.
        pattern = re.compile(rf"^SCAN ({tables})\b")
    else:
        pattern = re.compile(rf"Seq Scan on ({tables})\b")
    return sorted({m.group(1) for line in lines if (m := pattern.search(line.strip()))})


def print_plans(found: list[dict[str, Any]]) -> None:
    for item in found:
        print(f"\n-- plan: {item['scenario']}")
        for line in item["plan"]:
            print(f"   {line}")
        print(f"   => {item['verdict']}")
    print("\nPlan verdicts:")
    for item in found:
        print(f"  {item['scenario']:28} {item['verdict']}")


# --- the run --------------------------------------------------------------------------------


def table_sizes(url: str) -> dict[str, int]:
    engine = make_engine(url)
    sizes = {}
    with engine.connect() as connection:
        for table in ("availability", "officers", "officer_skills", "officer_search_terms",
                      "bookings", "users"):
            sizes[table] = int(connection.scalar(select(func.count()).select_from(text(table))))
    engine.dispose()
    return sizes


def run(engine_name: str, tmp: Path) -> dict[str, Any]:
    print(f"\n=== search on {engine_name}: {COUNCILS} councils x {OFFICERS_PER_COUNCIL} officers"
          f" x {WEEKS} weeks ===")
    load_before = os.getloadavg()
    with fresh_database(engine_name, tmp) as url:
        seeded = seed(url)
        actor, token = booker_token(url)
        rows, ceiling = measure(url, actor, token)
        found = plans(url, actor)
        sizes = table_sizes(url)
    print_table(f"Search on {engine_name} (ms; api = HTTP via `talentpool serve`, "
                f"{SERVER_WORKERS} worker(s); "
                f"direct = the same statement on a Session; rps with {CONCURRENCY} clients)",
                rows)
    print(f"Ceiling GET /api/ping: p50 {ceiling['p50_ms']} ms, p95 {ceiling['p95_ms']} ms, "
          f"{ceiling[f'rps_c{CONCURRENCY}']} requests/s with {CONCURRENCY} clients")
    print_plans(found)
    worst = max(r["api_p95_ms"] for r in rows)
    ratio = max(r["api/direct"] for r in rows)
    scale_out = min(r[f"rps_c{CONCURRENCY}/c1"] for r in rows)
    p95_growth = max(r[f"p95_c{CONCURRENCY}/c1"] for r in rows)
    print(f"\nTargets on {engine_name}: search p95 < {TARGET_P95_MS:g} ms: "
          f"{'met' if worst < TARGET_P95_MS else 'NOT met'} (worst {worst} ms); "
          f"API p50 within {TARGET_API_OVER_DIRECT:g}x of direct: "
          f"{'met' if ratio <= TARGET_API_OVER_DIRECT else 'NOT met'} (worst {ratio}x); "
          f"{CONCURRENCY} clients >= {TARGET_SCALE_OUT:g}x the searches/s of one: "
          f"{'met' if scale_out >= TARGET_SCALE_OUT else 'NOT met'} (worst {scale_out}x); "
          f"p95 at {CONCURRENCY} clients <= {TARGET_P95_GROWTH:g}x one client's: "
          f"{'met' if p95_growth <= TARGET_P95_GROWTH else 'NOT met'} (worst {p95_growth}x)")
    result = {
        "engine": engine_name,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "dataset": {**seeded, "table_rows": sizes},
        "settings": {
            "sequential_requests": SEQUENTIAL,
            "rounds": ROUNDS, "round_one_client": ROUND_ONE, "round_many_clients": ROUND_MANY,
            "concurrency": CONCURRENCY,
            "warm_up": WARM_UP,
            "server_workers": SERVER_WORKERS,
            "page_size": PageParams().limit,
        },
        "scenarios": rows,
        "ping": ceiling,
        "plans": found,
        "targets": {
            "p95_ms_below": TARGET_P95_MS,
            "worst_api_p95_ms": worst,
            "api_over_direct_at_most": TARGET_API_OVER_DIRECT,
            "worst_api_over_direct": ratio,
            "scale_out_at_least": TARGET_SCALE_OUT,
            "worst_scale_out": scale_out,
            "p95_growth_at_most": TARGET_P95_GROWTH,
            "worst_p95_growth": p95_growth,
        },
    }
    write_results(f"search-{engine_name}", result)
    return result


def main(names: list[str] | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as tmp:
        for name in names if names is not None else engines():
            run(name, Path(tmp))


if __name__ == "__main__":
    main()
