"""The marketplace at the 20,000-officer scale (issue 13).

1. Search that shows people (`GET /search/people`: one result per officer, weeks in date order,
   the total) beside the per-week search (`GET /search/officers`) on the same filters, in the
   same run against the same server: p50/p95 of sequential requests, and the ratio of the p95s
   (target: people search within 2x).
2. Matching a new request for help against all officers (`requests.matching_officers`, the one
   statement behind "officers whose skills match are told"), run directly on a Session: p50/p95
   (target: under 100 ms on both engines).

`python -m bench.market` runs it alone; results in bench/results/market-<engine>.json.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.core import clock
from app.db import make_engine, make_session_factory
from app.officers.models import Officer, Skill
from app.requests import service as requests
from bench.harness import engines, fresh_database, print_table, running_server, write_results
from bench.search import SERVER_WORKERS, booker_token, http_clients, scenarios, seed, timed

SEQUENTIAL = 100
MATCHING_RUNS = 50
TARGET_PEOPLE_OVER_WEEKS = 2.0
TARGET_MATCHING_MS = 100.0
MATCH_SKILLS = [
    ["town-planning"],
    ["user-researcher", "data-analyst"],
    ["highways-engineering", "building-control", "town-planning"],
]


def people_params(params: dict[str, Any]) -> dict[str, Any]:
    """The per-week scenario's filters as the people search takes them (`week` is `from`; a
    week alone is that week)."""
    out = {k: v for k, v in params.items() if k not in ("week", "to")}
    if "week" in params:
        out["from"] = params["week"]
        out["to"] = params.get("to", params["week"])
    return out


def get(client: Callable[[], Any], path: str, params: dict[str, Any]) -> Callable[[], None]:
    def call() -> None:
        response = client().get(path, params=params)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:300]}")

    return call


def measure_search(url: str, token: str) -> list[dict[str, Any]]:
    rows = []
    with running_server(url, SERVER_WORKERS) as base, http_clients(base, token) as client:
        for scenario in scenarios():
            weeks = timed(
                scenario.name, get(client, "/api/v1/search/officers", scenario.params), SEQUENTIAL
            )
            people = timed(
                scenario.name,
                get(client, "/api/v1/search/people", people_params(scenario.params)),
                SEQUENTIAL,
            )
            ratio = people.p95_ms / weeks.p95_ms
            rows.append(
                {
                    "scenario": scenario.name,
                    "per_week_p50_ms": round(weeks.p50_ms, 2),
                    "per_week_p95_ms": round(weeks.p95_ms, 2),
                    "people_p50_ms": round(people.p50_ms, 2),
                    "people_p95_ms": round(people.p95_ms, 2),
                    "people/per_week_p95": round(ratio, 2),
                    "within_2x": "yes" if ratio <= TARGET_PEOPLE_OVER_WEEKS else "NO",
                }
            )
    return rows


def measure_matching(url: str) -> list[dict[str, Any]]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    rows = []
    with factory() as session:
        # A council in the pool asks: matching leaves out its own officers.
        from_council = session.scalar(select(Officer.council_id).limit(1))
    for slugs in MATCH_SKILLS:
        with factory() as session:
            ids = list(session.scalars(select(Skill.id).where(Skill.slug.in_(slugs))))
            everyone = requests.matching_officers(session, from_council, ids, limit=1_000_000)

        def call(ids: list[int] = ids) -> None:
            with factory() as session:
                requests.matching_officers(session, from_council, ids)

        timing = timed(", ".join(slugs), call, MATCHING_RUNS)
        rows.append(
            {
                "skills": ", ".join(slugs),
                "officers_matched": len(everyone),
                "told_at_most": requests.MAX_TOLD,
                "p50_ms": round(timing.p50_ms, 2),
                "p95_ms": round(timing.p95_ms, 2),
                "under_100ms": "yes" if timing.p95_ms < TARGET_MATCHING_MS else "NO",
            }
        )
    engine.dispose()
    return rows


def run(engine_name: str, tmp: Path) -> dict[str, Any]:
    print(f"\n=== marketplace on {engine_name}: people search and request matching ===")
    with fresh_database(engine_name, tmp) as url:
        seeded = seed(url)
        _actor, token = booker_token(url)
        search_rows = measure_search(url, token)
        matching_rows = measure_matching(url)
    print_table(
        f"People search vs per-week search on {engine_name} (ms, HTTP, {SEQUENTIAL} sequential "
        "requests each, same server)",
        search_rows,
    )
    print_table(
        f"Matching a new request against all officers on {engine_name} (ms, direct, "
        f"{MATCHING_RUNS} runs; every officer considered, the best {requests.MAX_TOLD} told)",
        matching_rows,
    )
    worst_ratio = max(r["people/per_week_p95"] for r in search_rows)
    worst_matching = max(r["p95_ms"] for r in matching_rows)
    print(
        f"\nTargets on {engine_name}: people search p95 within {TARGET_PEOPLE_OVER_WEEKS:g}x "
        f"of per-week: {'met' if worst_ratio <= TARGET_PEOPLE_OVER_WEEKS else 'NOT met'} "
        f"(worst {worst_ratio}x); matching under {TARGET_MATCHING_MS:g} ms: "
        f"{'met' if worst_matching < TARGET_MATCHING_MS else 'NOT met'} (worst {worst_matching} ms)"
    )
    result = {
        "engine": engine_name,
        "today": str(clock.today()),
        "dataset": seeded,
        "people_search": search_rows,
        "matching": matching_rows,
        "targets": {
            "people_over_per_week_p95_at_most": TARGET_PEOPLE_OVER_WEEKS,
            "worst_people_over_per_week_p95": worst_ratio,
            "matching_p95_ms_below": TARGET_MATCHING_MS,
            "worst_matching_p95_ms": worst_matching,
        },
    }
    write_results(f"market-{engine_name}", result)
    return result


def main(names: list[str] | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as tmp:
        for name in names if names is not None else engines():
            run(name, Path(tmp))


if __name__ == "__main__":
    main()
