"""What every benchmark needs: a fresh database per engine, a real server, timing, a table."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from alembic import command

from app.cli import alembic_config
from app.db import create_postgres_database, drop_postgres_database

RESULTS = Path(__file__).resolve().parent / "results"
POSTGRES_ADMIN_URL = os.environ.get(
    "TP_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TALENTPOOL = str(Path(sys.executable).with_name("talentpool"))


def postgres_available() -> bool:
    import psycopg
    from sqlalchemy.engine import make_url

    dsn = make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql")
    try:
        psycopg.connect(dsn.render_as_string(hide_password=False), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def engines() -> list[str]:
    wanted = os.environ.get("TP_BENCH_ENGINES", "sqlite,postgresql").split(",")
    found = []
    for name in wanted:
        if name == "postgresql" and not postgres_available():
            print("*** PostgreSQL does not answer: its benchmarks are SKIPPED ***")
            continue
        found.append(name)
    return found


@contextmanager
def fresh_database(engine: str, tmp: Path) -> Iterator[str]:
    """A migrated, empty database of the given engine, removed afterwards."""
    if engine == "sqlite":
        path = tmp / f"bench-{int(time.time() * 1000)}.db"
        url = f"sqlite:///{path}"
    else:
        url = create_postgres_database(POSTGRES_ADMIN_URL, "tp_bench")
    try:
        command.upgrade(alembic_config(url), "head")
        yield url
    finally:
        if engine == "postgresql":
            drop_postgres_database(POSTGRES_ADMIN_URL, url)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(url: str, workers: int = 1, env: dict[str, str] | None = None) -> Iterator[str]:
    """`talentpool serve` as a real process on loopback; yields its base URL."""
    port = free_port()
    command = [TALENTPOOL, "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(  # noqa: S603 - our own CLI, arguments built here
        [*command, "--workers", str(workers)],
        env={**os.environ, "TP_DATABASE_URL": url, "TP_LOG_LEVEL": "WARNING", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # workers import the app at once on a busy machine
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # stuck requests keep uvicorn from shutting down
            process.kill()
            process.wait(timeout=30)


@dataclass
class Timing:
    """Latencies of one scenario, in seconds."""

    name: str
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def row(self) -> dict[str, Any]:
        return {
            "scenario": self.name,
            "n": len(self.latencies),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "per_second": round(self.per_second, 1),
            **self.extra,
        }


def run_timed(name: str, calls: Sequence[Callable[[], Any]], concurrency: int = 1) -> Timing:
    """Run `calls` on `concurrency` threads; each call's latency and the wall time."""
    timing = Timing(name)
    lock = threading.Lock()
    queue = list(reversed(calls))

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                call = queue.pop()
            started = time.perf_counter()
            call()
            elapsed = time.perf_counter() - started
            with lock:
                timing.latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timing.wall = time.perf_counter() - started
    return timing


def alternated(name: str, calls: dict[str, Callable[[], Any]], n: int) -> dict[str, Timing]:
    """Each of `calls` `n` times, one after another and taking turns (a, b, c, a, b, c, ...), so
    that ratios between them compare the same moments of these shared machines, whose speed
    drifts from minute to minute. `wall` is each one's own time added up."""
    timings = {key: Timing(name) for key in calls}
    for _ in range(n):
        for key, call in calls.items():
            started = time.perf_counter()
            call()
            timings[key].latencies.append(time.perf_counter() - started)
    for timing in timings.values():
        timing.wall = sum(timing.latencies)
    return timings


def print_table(title: str, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    widths = {c: max(len(c), *(len(str(row.get(c, ""))) for row in rows)) for c in columns}
    print(f"\n{title}")
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))


def run_each_engine(
    title: str,
    prefix: str,
    run: Callable[[str, Path], Sequence[dict[str, Any]]],
    names: Sequence[str] | None = None,
) -> int:
    """`run(engine, tmp)` on each engine (`names`, else TP_BENCH_ENGINES), its rows printed as
    one table; 1 when a row is not `ok` (a missed target), else 0."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        for engine_name in names if names is not None else engines():
            rows.extend(run(engine_name, Path(tmp)))
    print_table(title, rows)
    return 0 if all(row["ok"] for row in rows) else 1


def write_results(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    # When, by the real clock: figures from different days are from different machines.
    stamped = {"measured_at": datetime.now(UTC).isoformat(timespec="minutes"), **data}
    path.write_text(json.dumps(stamped, indent=2, default=str) + "\n")
    print(f"(written to {path.relative_to(RESULTS.parent.parent)})")
    return path
