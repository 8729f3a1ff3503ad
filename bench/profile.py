"""Where a booking and a light search spend their time: py-spy samples a real
`talentpool serve` (one worker) while one client makes them one after another.

Prints, per request kind, the share of samples under each frame (inclusive) and at each
frame's own code, and writes that summary to bench/results/profile-<engine>/ (py-spy's raw
stacks, megabytes, stay in a temporary directory).
Shares of the busy server's samples, not absolute times: these shared machines vary too much.

    python -m bench.profile [sqlite|postgresql]
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.bookings import prepare
from bench.floor import booking_body, targets
from bench.harness import RESULTS, TALENTPOOL, free_port, fresh_database

REQUESTS = 400
WARM_UP = 20
SAMPLES_PER_SECOND = 400
SHOWN = 40


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: pip install -e '.[dev]'")
    return found


def frame_name(frame: str) -> str:
    """`function (module.py)` from py-spy's `function (path/module.py:line)`."""
    function, _, where = frame.partition(" (")
    return f"{function} ({Path(where.split(':')[0]).name})" if where else function


def summary(raw: Path, label: str) -> str:
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = [frame_name(f) for f in stack.split(";")]
        total += n
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    lines = [f"{label}: {total} samples", "inclusive:"]
    lines += [f"{100 * v / total:5.1f}%  {k}" for k, v in inclusive.most_common(SHOWN)]
    lines += ["own:"] + [f"{100 * v / total:5.1f}%  {k}" for k, v in own.most_common(SHOWN // 2)]
    return "\n".join(lines)


def sampled(pid: int, raw: Path, label: str, call: Callable[[int], httpx.Response]) -> str:
    spy = subprocess.Popen(  # noqa: S603 - py-spy on our own server
        [py_spy(), "record", "--pid", str(pid), "--rate", str(SAMPLES_PER_SECOND),
         "--format", "raw", "--nonblocking", "-o", str(raw)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)  # py-spy attached
    started = time.perf_counter()
    statuses = collections.Counter(call(n).status_code for n in range(REQUESTS))
    wall = time.perf_counter() - started
    spy.send_signal(2)
    spy.wait(timeout=60)
    head = f"{label}: {dict(statuses)}, {1000 * wall / REQUESTS:.1f} ms a request (sampled)"
    return head + "\n" + summary(raw, label)


def run(engine_name: str) -> None:
    out = RESULTS / f"profile-{engine_name}"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tp-bench-") as tmp, \
            fresh_database(engine_name, Path(tmp)) as url:
        tokens, pool, _ = prepare(url)
        council_id, token = tokens[0]
        weeks = targets(pool, council_id, WARM_UP + REQUESTS)
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - our own CLI
            [TALENTPOOL, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, "TP_DATABASE_URL": url, "TP_LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"},
                              timeout=60) as client:
                _wait_until_up(client)

                def book(n: int) -> httpx.Response:
                    return client.post("/api/v1/bookings", json=booking_body(weeks[n]),
                                       headers={"Idempotency-Key": str(uuid.uuid4())})

                def search(_: int) -> httpx.Response:
                    return client.get("/api/v1/search/officers", params={"q": "planning"})

                for n in range(WARM_UP):
                    book(REQUESTS + n)
                    search(n)
                for label, call in (("booking", book), ("search", search)):
                    text = sampled(server.pid, Path(tmp) / f"{label}.raw", label, call)
                    (out / f"{label}.txt").write_text(text + "\n")
                    print(text)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_up(client: httpx.Client) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if client.get("/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    run(sys.argv[1] if len(sys.argv) > 1 else "sqlite")
