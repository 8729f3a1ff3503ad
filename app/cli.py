"""The `talentpool` command line."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from alembic import command
from alembic.config import Config
from sqlalchemy.orm import Session

from app import demo, scale, supervisor
from app.account import service as account
from app.auth import passwords
from app.availability import summary
from app.bookings import service as bookings
from app.config import PROJECT_ROOT, get_settings
from app.core import clock
from app.core.actor import Role
from app.core.errors import DomainError
from app.core.logging import configure_logging
from app.councils import service as council_service
from app.councils.schemas import CouncilCreate
from app.db import get_engine, make_session_factory, session_scope
from app.notifications.email import sender_from_settings
from app.notifications.worker import run_worker
from app.requests import service as requests

cli = typer.Typer(help="LocalGov Talent Pool", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_cli = typer.Typer(help="Platform administration.", no_args_is_help=True)
councils_cli = typer.Typer(help="The register of councils.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(admin_cli, name="admin")
cli.add_typer(councils_cli, name="councils")


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if url:
        config.attributes["url"] = url
    return config


def _public_url_follows(host: str, port: int) -> None:
    """Links in emails and calendar addresses name this server, unless TP_PUBLIC_URL is set."""
    configured = "public_url" in get_settings().model_fields_set
    os.environ.update(supervisor.environment_for(os.environ, configured, host, port))
    get_settings.cache_clear()


WORKER_HEALTHCHECK_SECONDS = 60


@cli.command()
def serve(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
) -> None:
    """Serve the API and the SPA."""
    _public_url_follows(host, port)
    _move_search_window()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # uvicorn kills a worker that does not answer its supervisor's ping within this many
        # seconds (default 5): on a busy machine a worker still importing the app, or busy, was
        # killed and restarted over and over (`--workers 4` under load never served).
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        access_log=False,
        # Not uvicorn's: it believes X-Forwarded-For from loopback whatever sends it. The app
        # reads forwarded headers only from TP_TRUSTED_PROXIES (TrustedProxyMiddleware).
        proxy_headers=False,
    )


@cli.command()
def run(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port (or PORT=8001)")] = 8000,
) -> None:
    """Serve the app and run the worker (emails, expiring requests) together; Ctrl+C stops both."""
    configured = "public_url" in get_settings().model_fields_set
    env = supervisor.environment_for(os.environ, configured, host, port)
    typer.echo(
        f"Serving on {supervisor.public_url_for(host, port)} with the worker beside it "
        f"(emails are logged here unless TP_EMAIL_BACKEND says otherwise). "
        f"Ctrl+C stops both."
    )
    code = supervisor.supervise(
        [
            supervisor.Child(
                "server", supervisor.app_command("serve", "--host", host, "--port", str(port))
            ),
            supervisor.Child("worker", supervisor.app_command("worker")),
        ],
        env,
    )
    raise typer.Exit(code)


@cli.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Deliver what is due, then exit.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Messages claimed at a time.")] = 10,
    poll_interval: Annotated[
        float, typer.Option(min=0.0, help="Seconds between polls when idle.")
    ] = 5.0,
) -> None:
    """Deliver the outbox (emails) until SIGTERM or Ctrl+C; several may run at once."""

    settings = get_settings()
    configure_logging(settings.log_json, settings.log_level)
    run_worker(
        make_session_factory(get_engine()),
        sender_from_settings(settings),
        once=once,
        poll_interval=poll_interval,
        batch_size=batch_size,
        lease=timedelta(seconds=settings.worker_lease_seconds),
        periodic=_scheduled_jobs,
    )


def _move_search_window() -> None:
    """People search's kept figures follow the weeks ahead of today (a stale window only
    makes people search add the weeks up, so this is speed, not correctness)."""
    with session_scope(make_session_factory(get_engine())) as session:
        moved = summary.refresh_window(session, clock.today())
    if moved:
        with session_scope(make_session_factory(get_engine())) as session:
            summary.analyse(session)


def _scheduled_jobs(session: Session) -> None:
    """What the worker does besides mail: expire unanswered requests, remind bookers, move
    people search's window when a new week starts."""
    summary.refresh_window(session, clock.today())
    bookings.expire_due(session)
    bookings.remind_to_record_hours(session)
    # market (issue 13): requests for help close on their date; saved searches' daily digest
    requests.close_due(session)
    requests.send_digests(session)


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    command.upgrade(alembic_config(get_settings().database_url), revision)


@cli.command("seed-demo")
def seed_demo() -> None:
    """Demo councils and people (idempotent); prints the sign-ins."""
    with session_scope(make_session_factory(get_engine())) as session:
        sign_ins = demo.seed_demo(session)
    typer.echo(f"Demo sign-ins (password for all: {demo.DEMO_PASSWORD}):")
    for email, roles in sign_ins:
        typer.echo(f"  {email:50} {roles}")
    typer.echo(
        "Two-factor sign-in: these people are enrolled already; add their secret to any "
        "authenticator app (or run `oathtool --totp -b SECRET`) for the 6-digit code:"
    )
    for email, secret in demo.two_factor_sign_ins(sign_ins):
        typer.echo(f"  {email:50} {secret}")


@cli.command("seed-scale")
def seed_scale(
    councils: Annotated[int, typer.Option(min=1, help="Councils (the register has 397)")] = 400,
    officers_per_council: Annotated[int, typer.Option(min=1)] = 50,
    weeks: Annotated[int, typer.Option(min=1, max=106, help="Weeks of availability")] = 26,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same data")] = 2026,
) -> None:
    """A realistic platform for benchmarks on an empty, migrated database, in one
    transaction; prints the counts and how long each phase took."""

    started = time.perf_counter()
    with session_scope(make_session_factory(get_engine())) as session:
        report = scale.seed_scale(session, councils, officers_per_council, weeks, seed)
        commit_started = time.perf_counter()
    report.seconds["commit"] = time.perf_counter() - commit_started
    typer.echo(
        f"councils {report.councils}, officers {report.officers}, officer skills "
        f"{report.skills}, search terms {report.search_terms}, weeks {report.weeks}, "
        f"availability rows {report.availability_rows}, bookings {report.bookings}"
    )
    for phase, seconds in report.seconds.items():
        typer.echo(f"  {phase:14} {seconds:7.2f} s")
    typer.echo(f"  {'total':14} {time.perf_counter() - started:7.2f} s")
    typer.echo(
        f"Sign in as booker@<council code>.scale.example.gov.uk, e.g. "
        f"{report.sign_ins[0]} (password {scale.SCALE_PASSWORD})"
    )


@admin_cli.command("create-council")
def create_council(
    name: Annotated[str, typer.Option()],
    code: Annotated[str, typer.Option()],
    nation: Annotated[str, typer.Option()],
    region: Annotated[str, typer.Option()],
) -> None:
    """Add a council."""

    data = _validated(CouncilCreate, name=name, code=code, nation=nation, region=region)
    with session_scope(make_session_factory(get_engine())) as session:
        council = council_service.create_council(
            session, None, data.name, data.code, data.nation, data.region
        )
        typer.echo(f"Created {council.name} ({council.code}) id={council.id}")


@admin_cli.command("create-user")
def create_user(
    email: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    council: Annotated[str, typer.Option(help="Council code")],
    role: Annotated[list[str] | None, typer.Option(help="Repeat for several roles")] = None,
    platform_admin: bool = False,
) -> None:
    """Add a person to a council with roles."""

    unknown = [r for r in role or [] if r not in Role.__members__]
    if unknown:
        raise typer.BadParameter(f"unknown roles {unknown}; choose from {list(Role.__members__)}")
    problem = passwords.problem_with(password, email, name)
    if problem:
        raise typer.BadParameter(problem)
    with session_scope(make_session_factory(get_engine())) as session:
        target = council_service.get_council_by_code(session, council)
        user = account.add_member(
            session,
            None,
            target.id,
            email,
            name,
            [Role(r) for r in role or []],
            password,
            is_platform_admin=platform_admin,
        )
        typer.echo(f"Created {user.email} in {target.code} with roles {user.roles}")


@councils_cli.command("import")
def import_councils(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    include_past: bool = False,
) -> None:
    """Load the register of UK councils (mySociety's CSV). Re-importing updates in place."""

    with session_scope(make_session_factory(get_engine())) as session:
        result = council_service.import_register(session, file, include_past)
    typer.echo(
        f"created {result.created}, updated {result.updated}, "
        f"unchanged {result.unchanged}, skipped {len(result.skipped)}"
    )
    for line in result.skipped:
        typer.echo(f"  skipped {line}", err=True)


def _validated(model: type, **values: object):  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    try:
        return model(**values)
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc


def main() -> None:

    try:
        cli()
    except DomainError as exc:
        typer.echo(f"Error: {exc.detail}", err=True)
        raise SystemExit(1) from exc
