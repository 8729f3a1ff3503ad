"""What a request costs the server beyond its own work: CPU seconds, not wall time.

A real `talentpool serve` (one worker) on the demo data; one client makes N requests of each
path one after another, and the server's CPU (utime + stime from /proc/<pid>/stat) is divided by
N. Beside it, the pieces of a search request timed in this process on the same database: the
token's actor, `search.search`, the page written as JSON. CPU time is far steadier
than wall time on these shared machines, so the figures compare across runs.
Not part of `make bench`:

    python -m bench.overhead [sqlite|postgresql]
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from app.auth import service as auth
from app.auth.models import User
from app.availability import search
from app.availability.api import search_page
from app.core.pagination import PageParams
from app.db import make_engine, make_session_factory, session_scope
from app.demo import seed_demo
from bench.harness import RESULTS, TALENTPOOL, free_port, fresh_database, print_table

REQUESTS = 1000
WARM_UP = 100
BOOKER = "bob.booker@reading.example.gov.uk"
SEARCH = "/api/v1/search/officers?q=planning"
PATHS = ("/api/ping", "/api/v1/me", SEARCH, "/api/v1/search/people?q=planning")


def _process_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _demo_token(url: str) -> str:
    factory = make_session_factory(make_engine(url))
    with session_scope(factory) as session:
        seed_demo(session)
    with session_scope(factory) as session:
        user = auth.get_user(session, session.scalar(select(User.id).where(User.email == BOOKER)))
        assert user is not None
        _, token = auth.create_api_token(session, auth.actor_for(user, "token"), "overhead")
    return token


def server_cpu(url: str, token: str) -> list[dict[str, Any]]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own CLI
        [TALENTPOOL, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, "TP_DATABASE_URL": url, "TP_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                          headers={"Authorization": f"Bearer {token}"}) as client:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if client.get("/api/ping").status_code == 200:
                        break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            for path in PATHS:
                for _ in range(WARM_UP):
                    client.get(path)
                cpu, wall = _process_cpu(server.pid), time.perf_counter()
                for _ in range(REQUESTS):
                    if client.get(path).status_code != 200:
                        raise RuntimeError(f"{path} did not answer 200")
                rows.append({
                    "request": path,
                    "server_cpu_ms": round(1000 * (_process_cpu(server.pid) - cpu) / REQUESTS, 2),
                    "wall_ms": round(1000 * (time.perf_counter() - wall) / REQUESTS, 2),
                })
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def search_pieces(url: str, token: str) -> list[dict[str, Any]]:
    factory = make_session_factory(make_engine(url))
    filters = search.SearchFilters(q="planning")
    with factory() as session:
        actor = auth.resolve_api_token(session, token)
        assert actor is not None
        hits, cursor = search.search(session, actor, filters, PageParams())

    def in_session(work: Callable[[Any], object]) -> Callable[[], None]:
        def call() -> None:
            with factory() as session:
                work(session)
        return call

    pieces: dict[str, Callable[[], object]] = {
        "a transaction (begin, close)": in_session(lambda s: s.connection()),
        "the token's actor": in_session(lambda s: auth.resolve_api_token(s, token)),
        "search.search": in_session(lambda s: search.search(s, actor, filters, PageParams())),
        "the page written as JSON": lambda: search_page(hits, cursor),
    }
    rows = []
    for name, call in pieces.items():
        for _ in range(WARM_UP):
            call()
        cpu = _own_cpu()
        for _ in range(REQUESTS):
            call()
        rows.append({"piece": name, "cpu_ms": round(1000 * (_own_cpu() - cpu) / REQUESTS, 3)})
    return rows


def run(engine_name: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as tmp, \
            fresh_database(engine_name, Path(tmp)) as url:
        token = _demo_token(url)
        requests = server_cpu(url, token)
        pieces = search_pieces(url, token)
    print_table(f"server CPU a request ({engine_name}, one worker, one client)", requests)
    print_table(f"a search's pieces, in process ({engine_name})", pieces)
    result = {"engine": engine_name, "requests": requests, "search_pieces": pieces}
    (RESULTS / f"overhead-{engine_name}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    run(sys.argv[1] if len(sys.argv) > 1 else "sqlite")
