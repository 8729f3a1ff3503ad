"""`talentpool run`: the web server and the worker as two child processes, started and stopped
together. Ctrl+C or SIGTERM stops both; when one of them dies, the other is stopped too, so
nothing is left running behind the person who started them.

It imports no domain: it only starts processes (`python -m app serve`, `python -m app worker`).
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import FrameType

# How long the children get to finish what they are doing after being asked to stop.
GRACE_SECONDS = 10.0
POLL_SECONDS = 0.2
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when its parent dies


@dataclass(frozen=True)
class Child:
    name: str
    command: Sequence[str]


def public_url_for(host: str, port: int) -> str:
    """The address people use for a server listening on `host`:`port`. An unspecified address
    (listening everywhere) is reached on this machine through loopback."""
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def environment_for(
    environ: Mapping[str, str], public_url_configured: bool, host: str, port: int
) -> dict[str, str]:
    """The environment for the server and the worker: the public URL (links in emails and
    calendar addresses) follows the port unless TP_PUBLIC_URL (or .env) says otherwise."""
    env = dict(environ)
    if not public_url_configured:
        env["TP_PUBLIC_URL"] = public_url_for(host, port)
    return env


def app_command(*args: str) -> list[str]:
    """`talentpool ARGS` run by this same Python, whatever the PATH says."""
    return [sys.executable, "-m", "app", *args]


def _die_with_parent() -> None:
    """Runs in the child before it starts: if the supervisor is killed outright (SIGKILL), the
    kernel sends the child SIGTERM, so no orphan is left serving or polling."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def supervise(
    children: Sequence[Child], env: Mapping[str, str], grace: float = GRACE_SECONDS
) -> int:
    """Start every child; return when a signal asks to stop (0) or a child ends (its exit code,
    or 1), after stopping the others (SIGTERM, then SIGKILL after `grace` seconds)."""
    received: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    running: list[tuple[Child, subprocess.Popen[bytes]]] = []
    try:
        for child in children:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                list(child.command), env=dict(env), preexec_fn=_die_with_parent
            )
            running.append((child, process))
        while not received and all(process.poll() is None for _, process in running):
            time.sleep(POLL_SECONDS)
    finally:
        _stop_all(running, grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        return 0
    ended = [(child, process.returncode) for child, process in running]
    child, code = next(((c, rc) for c, rc in ended if rc != 0), ended[0])
    print(
        f"talentpool run: the {child.name} stopped (exit code {code}), so everything stopped.",
        file=sys.stderr,
    )
    return code or 1


def _stop_all(running: Sequence[tuple[Child, subprocess.Popen[bytes]]], grace: float) -> None:
    # SIGTERM, not SIGINT: uvicorn takes a second SIGINT (Ctrl+C already sent one to the whole
    # terminal's process group) as "quit at once", while SIGTERM lets it finish its requests.
    for _, process in running:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for _, process in running:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
