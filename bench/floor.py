"""The floor under a booking and a search: the API beside the same work done directly.

For each engine: a fresh database with a smaller platform (the bookings benchmark's 50 councils
x 20 officers x 6 weeks and its pool of officer-weeks with known hours), then

- `direct`: bookings made one after another through `bookings.service.request_booking` on a
  Session, each in its own transaction (the floor);
- `api`: as many bookings, one client, one after another, through a real `talentpool serve`
  (one worker) with a booker's bearer token and an Idempotency-Key; the two ways alternate,
  booking by booking, so that both meet the same machine;
- statements: every SQL statement counted with SQLAlchemy's `before_cursor_execute` event, per
  booking (direct, and through the API served in this process on the same engine) and per
  search scenario (the search benchmark's six, `search.search` on a Session and the API).

Prints the ratio API p50 / direct p50 beside the statement counts; writes
bench/results/floor-<engine>.json.

    python -m bench.floor             # TP_BENCH_ENGINES=sqlite to choose engines
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.auth import service as auth
from app.availability import search
from app.bookings import service as bookings
from app.config import get_settings
from app.core.actor import Actor
from app.core.isoweek import parse_week
from app.core.pagination import PageParams
from app.db import make_engine, make_session_factory, session_scope
from app.main import create_app
from bench import search as search_bench
from bench.bookings import Week, prepare
from bench.harness import (
    Timing,
    engines,
    fresh_database,
    print_table,
    running_server,
    write_results,
)

BOOKINGS = 150  # each way, one after the other
COUNTED = 20  # bookings and searches whose statements are counted in-process
MINUTES = 60
PURPOSE = "Floor benchmark"
TARGET_API_OVER_DIRECT = 2.0


class StatementCounter:
    """Counts the SQL statements an engine executes while `counting` is open."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1

    @contextmanager
    def counting(self) -> Iterator[list[int]]:
        before = self.count
        found: list[int] = []
        yield found
        found.append(self.count - before)


def targets(pool: list[Week], council_id: uuid.UUID, n: int) -> list[Week]:
    """Weeks of other councils' officers with room for `n` one-hour bookings between them."""
    others = [w for w in pool if not w.hot and w.council_id != council_id]
    return [others[i % len(others)] for i in range(n)]


def book_both_ways(
    factory: sessionmaker[Session], counter: StatementCounter, actor: Actor, base: str,
    token: str, weeks: list[Week],
) -> tuple[Timing, Timing, list[int]]:
    """Bookings directly and through the API, alternately, so that both meet the same machine
    (these shared machines vary from minute to minute)."""
    direct, api = Timing("direct (service on a Session)"), Timing("api (one client, sequential)")
    statements: list[int] = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as client:
        for n, week in enumerate(weeks):
            started = time.perf_counter()
            if n % 2 == 0:
                with counter.counting() as seen, session_scope(factory) as session:
                    bookings.request_booking(session, actor, week.officer_id,
                                             parse_week(week.week), MINUTES, PURPOSE, None)
                direct.latencies.append(time.perf_counter() - started)
                statements.extend(seen)
            else:
                response = client.post("/api/v1/bookings", json=booking_body(week),
                                       headers={"Idempotency-Key": str(uuid.uuid4())})
                if response.status_code != 201:
                    raise RuntimeError(f"booking answered {response.status_code}: "
                                       f"{response.text}")
                api.latencies.append(time.perf_counter() - started)
    direct.wall, api.wall = sum(direct.latencies), sum(api.latencies)
    return direct, api, statements


def booking_body(week: Week) -> dict[str, Any]:
    return {"officer_id": str(week.officer_id), "week": week.week, "hours": MINUTES / 60,
            "purpose": PURPOSE}


def api_statements(
    factory: sessionmaker[Session], counter: StatementCounter, token: str, weeks: list[Week],
    search_params: list[tuple[str, dict[str, Any]]],
) -> tuple[list[int], dict[str, list[int]]]:
    """Statements per API booking and per API search, served in this process."""
    booked: list[int] = []
    searched: dict[str, list[int]] = {}
    app = create_app(get_settings().model_copy(update={"log_level": "WARNING"}),
                     session_factory=factory)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        for week in weeks:
            with counter.counting() as seen:
                response = client.post("/api/v1/bookings", json=booking_body(week),
                                       headers={"Idempotency-Key": str(uuid.uuid4())})
            assert response.status_code == 201, response.text
            booked.extend(seen)
        for name, params in search_params:
            with counter.counting() as seen:
                response = client.get("/api/v1/search/officers", params=params)
            assert response.status_code == 200, response.text
            searched[name] = seen
    return booked, searched


def service_search_statements(
    factory: sessionmaker[Session], counter: StatementCounter, actor: Actor,
) -> dict[str, list[int]]:
    """Statements of `search.search` on a Session (the agreement check, the skills wanted, the
    page with its officer cards) per scenario."""
    found: dict[str, list[int]] = {}
    with factory() as session:
        for scenario in search_bench.scenarios():
            with counter.counting() as seen:
                search.search(session, actor, scenario.filters(), PageParams())
            found[scenario.name] = seen
    return found


def run(engine_name: str, tmp: Path) -> dict[str, Any]:
    print(f"\n=== floor on {engine_name}: {BOOKINGS} bookings each way, one after the other ===")
    with fresh_database(engine_name, tmp) as url:
        tokens, pool, _ = prepare(url)
        council_id, token = tokens[0]
        weeks = targets(pool, council_id, 2 * BOOKINGS + COUNTED)
        engine = make_engine(url)
        counter = StatementCounter(engine)
        factory = make_session_factory(engine)
        with factory() as session:
            actor = auth.resolve_api_token(session, token)
        assert actor is not None
        with running_server(url, workers=1) as base:
            direct, api, direct_statements = book_both_ways(
                factory, counter, actor, base, token, weeks[: 2 * BOOKINGS]
            )
        scenario_params = [(s.name, s.params) for s in search_bench.scenarios()]
        api_booked, api_searched = api_statements(
            factory, counter, token, weeks[2 * BOOKINGS:], scenario_params
        )
        direct_searched = service_search_statements(factory, counter, actor)
        engine.dispose()
    ratio = api.p50_ms / direct.p50_ms
    rows = [
        {**direct.row(), "statements": _spread(direct_statements)},
        {**api.row(), "statements": _spread(api_booked), "over_direct_p50": round(ratio, 2)},
    ]
    print_table(f"A booking on {engine_name}: API beside the floor", rows)
    search_rows = [
        {"scenario": name, "service_statements": _spread(direct_searched[name]),
         "api_statements": _spread(api_searched[name])}
        for name, _ in scenario_params
    ]
    print_table(f"Statements per search on {engine_name}", search_rows)
    met = ratio <= TARGET_API_OVER_DIRECT
    print(f"Target booking API p50 <= {TARGET_API_OVER_DIRECT:g}x direct: "
          f"{'met' if met else 'NOT met'} ({ratio:.2f}x)")
    result = {
        "engine": engine_name,
        "machine": {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]},
        "bookings": rows,
        "searches": search_rows,
        "api_over_direct_p50": round(ratio, 2),
        "target_met": met,
    }
    write_results(f"floor-{engine_name}", result)
    return result


def _spread(counts: list[int]) -> str:
    """"15" when every call ran 15 statements, "14-16" otherwise."""
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}-{high}"


def main(names: list[str] | None = None) -> bool:
    """True when a target was missed."""
    missed = False
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as tmp:
        for name in names if names is not None else engines():
            missed |= not run(name, Path(tmp))["target_met"]
    return missed


if __name__ == "__main__":
    main()
