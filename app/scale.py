"""`talentpool seed-scale`: a realistic platform of every UK council, built with bulk inserts.

400 councils of 50 officers gives 20,000 officers with skills, rates and search words; about
half of them list approved hours in each of the coming weeks, and some of those hours are held by
confirmed bookings of other councils (booked minutes always equal the sum of the live bookings).
Each council also gets a booker, a manager and a finance officer who can sign in (password
SCALE_PASSWORD), for benchmarks. Everything runs in the caller's transaction; the big tables are
written with COPY on PostgreSQL and the driver's executemany on SQLite.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.auth.models import User, UserRole
from app.availability.models import Availability
from app.bookings.models import Booking
from app.core import clock
from app.core.isoweek import format_week, monday_of, week_of
from app.councils import service as councils
from app.councils.models import AgreementAcceptance, Council, CouncilSettings
from app.demo import REGISTER
from app.officers.models import Officer, OfficerSearchTerm, Skill, officer_skills
from app.officers.service import search_terms

SCALE_PASSWORD = "scale-password-2026"  # noqa: S105 - benchmark accounts only
BATCH = 5000

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "George",
    "Hannah",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mo",
    "Nia",
    "Owen",
    "Priya",
    "Quinn",
    "Rhys",
    "Sara",
    "Tom",
    "Uma",
    "Vik",
    "Will",
    "Yasmin",
    "Zac",
    "Aled",
    "Bryony",
    "Catriona",
    "Declan",
    "Eilidh",
    "Fraser",
    "Gwen",
    "Hamish",
]
SURNAMES = [
    "Adams",
    "Bell",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Smith",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
    "Zhang",
    "Murphy",
    "Kelly",
    "Reid",
]
TITLES = ("Officer", "Senior officer", "Principal officer", "Lead", "Specialist", "Manager")


@dataclass
class ScaleReport:
    councils: int = 0
    officers: int = 0
    skills: int = 0
    search_terms: int = 0
    weeks: int = 0
    availability_rows: int = 0
    bookings: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    sign_ins: list[str] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _bulk(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert `rows` in the connection's transaction, the fastest way the engine offers.

    PostgreSQL: COPY through psycopg (its own adapters for UUIDs, dates and booleans). SQLite:
    the driver's executemany on tuples converted once by the columns' own bind processors,
    without SQLAlchemy's per-row statement machinery, which costs more than SQLite's insert.
    Any other engine: SQLAlchemy's executemany. Every row must have the same keys.
    """
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = [table.c[name] for name in first]
    dialect = connection.dialect
    everything = chain([first], iterator)
    if dialect.name == "postgresql":
        return _copy(connection, table, columns, everything)
    if dialect.name != "sqlite":
        count = 0
        for batch in _batches(everything):
            connection.execute(insert(table), batch)
            count += len(batch)
        return count
    # Names come from the table's metadata, quoted; the values are all parameters.
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608
    processors = [(c.name, _processor(c, dialect)) for c in columns]
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    count = 0
    try:
        for batch in _batches(everything):
            cursor.executemany(
                sql,
                [
                    tuple(
                        row[name] if process is None or row[name] is None else process(row[name])
                        for name, process in processors
                    )
                    for row in batch
                ],
            )
            count += len(batch)
    finally:
        cursor.close()
    return count


def _processor(column: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column's bind processor; memoised for dates and times, which repeat a lot."""
    process: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is not None and column.type.python_type in (date, datetime):
        return lru_cache(maxsize=4096)(process)
    return process


def _copy(
    connection: Connection, table: Table, columns: Sequence[Any], rows: Iterable[dict[str, Any]]
) -> int:
    names = [c.name for c in columns]
    quote = connection.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    count = 0
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])
                count += 1
    finally:
        cursor.close()
    return count


def _councils(session: Session, wanted: int) -> list[Council]:
    """The register's current councils, topped up with made-up ones beyond the 397."""
    councils.import_register(session, REGISTER)
    # Sorted here, not by the database: PostgreSQL's collation orders codes unlike SQLite's,
    # and the same seed should give the same data on both engines.
    rows = sorted(session.scalars(select(Council)), key=lambda council: council.code)
    for n in range(len(rows), wanted):
        rows.append(
            councils.create_council(
                session, None, f"Scale Council {n}", f"S{n:04d}", "England", "South East"
            )
        )
    session.flush()
    return rows[:wanted]


def seed_scale(
    session: Session,
    councils_wanted: int = 400,
    officers_per_council: int = 50,
    weeks: int = 26,
    seed: int = 2026,
) -> ScaleReport:
    """Build the dataset in the caller's transaction (bulk Core inserts for the big tables)."""
    rng = random.Random(seed)
    report = ScaleReport(weeks=weeks)
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # A page cache big enough for the indexes being built (the default 2 MB spills the
        # uncommitted pages to the WAL over and over), for the rest of this connection's life.
        connection.exec_driver_sql("PRAGMA cache_size=-262144")

    started = time.perf_counter()
    chosen = _seed_councils(session, rng, councils_wanted)
    council_ids = [c.id for c in chosen]
    report.councils = len(chosen)
    report.seconds["councils"] = time.perf_counter() - started

    started = time.perf_counter()
    skills = list(session.scalars(select(Skill)))
    consent = councils.current_agreement(session).version
    people = _people(rng, chosen, skills, officers_per_council, consent)
    _bulk(connection, User.__table__, people.users)  # type: ignore[arg-type]
    _bulk(connection, UserRole.__table__, people.roles)  # type: ignore[arg-type]
    report.officers = _bulk(connection, Officer.__table__, people.officers)  # type: ignore[arg-type]
    report.skills = _bulk(connection, officer_skills, people.links)
    report.search_terms = _bulk(connection, OfficerSearchTerm.__table__, people.terms)  # type: ignore[arg-type]
    report.seconds["people"] = time.perf_counter() - started

    started = time.perf_counter()
    now = clock.now()
    first_monday = monday_of(week_of(clock.today())) + timedelta(days=7)
    held: list[dict[str, Any]] = []
    report.availability_rows = _bulk(
        connection,
        Availability.__table__,  # type: ignore[arg-type]
        _availability(rng, people.officers, first_monday, weeks, now, held),
    )
    report.seconds["availability"] = time.perf_counter() - started

    started = time.perf_counter()
    bookers = {u["council_id"]: u["id"] for u in people.users if u["email"].startswith("booker@")}
    rates = {cid: s.default_rate_pence_per_hour for cid, s in _settings(session, council_ids)}
    officer_users = {o["id"]: o["user_id"] for o in people.officers}
    report.bookings = _bulk(
        connection,
        Booking.__table__,  # type: ignore[arg-type]
        _bookings(rng, held, council_ids, bookers, rates, officer_users, now),
    )
    report.seconds["bookings"] = time.perf_counter() - started
    report.sign_ins = [f"booker@{chosen[0].code.lower()}.scale.example.gov.uk"]
    return report


def _seed_councils(session: Session, rng: random.Random, wanted: int) -> list[Council]:
    """The chosen councils, all in the agreement, each with a default rate."""
    chosen = _councils(session, wanted)
    council_ids = [c.id for c in chosen]
    accepted = councils.accepted_council_ids(session, council_ids)
    # Read before the COPY starts: the connection can run nothing else until it ends.
    version = councils.current_agreement(session).version
    _bulk(
        session.connection(),
        AgreementAcceptance.__table__,  # type: ignore[arg-type]
        (
            {
                "id": uuid.uuid4(),
                "council_id": cid,
                "version": version,
                "accepted_at": clock.now(),
                "accepted_by_id": None,
            }
            for cid in council_ids
            if cid not in accepted
        ),
    )
    for _, settings in _settings(session, council_ids):
        settings.default_rate_pence_per_hour = rng.randrange(3000, 7000, 50)
    session.flush()
    return chosen


@dataclass
class _People:
    """Rows for the people tables, built in memory and inserted in bulk."""

    users: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    officers: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    # The agreement version officers consented to (the current one).
    consent_version: str = ""

    def add_user(
        self, council: Council, email: str, name: str, role: str, password: str | None
    ) -> uuid.UUID:
        user_id = uuid.uuid4()
        self.users.append(
            {
                "id": user_id,
                "email": email,
                "name": name,
                "password_hash": password,
                "council_id": council.id,
                "active": True,
                "is_platform_admin": False,
                "created_at": clock.now(),
            }
        )
        self.roles.append({"user_id": user_id, "role": role})
        return user_id


def _people(
    rng: random.Random,
    chosen: Sequence[Council],
    skills: list[Skill],
    officers_per_council: int,
    consent_version: str,
) -> _People:
    """A booker, a manager and finance per council (they sign in), and its officers."""
    people = _People(consent_version=consent_version)
    password_hash = auth.hash_password(SCALE_PASSWORD)
    for council in chosen:
        domain = f"{council.code.lower()}.scale.example.gov.uk"
        for role in ("booker", "manager", "finance"):
            people.add_user(
                council, f"{role}@{domain}", f"{role.title()} {council.code}", role, password_hash
            )
        for n in range(officers_per_council):
            _add_officer(people, rng, council, skills, f"officer{n}@{domain}")
    return people


def _add_officer(
    people: _People, rng: random.Random, council: Council, skills: list[Skill], email: str
) -> None:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    own_skills = rng.sample(skills, rng.randint(1, 4))
    title = f"{rng.choice(TITLES)}: {own_skills[0].name.lower()}"
    summary = (
        f"{own_skills[0].name} at {council.short_name or council.name}; also "
        f"{', '.join(s.name.lower() for s in own_skills[1:]) or 'general work'}."
    )
    user_id = people.add_user(council, email, name, "officer", None)
    officer_id = uuid.uuid4()
    people.officers.append(
        {
            "id": officer_id,
            "user_id": user_id,
            "council_id": council.id,
            "display_name": name,
            "job_title": title,
            "summary": summary,
            "visible": rng.random() < 0.95,
            "rate_pence_per_hour": rng.randrange(2500, 9000, 25) if rng.random() < 0.7 else None,
            "consent_version": people.consent_version,
            "consented_at": clock.now(),
            "updated_at": clock.now(),
        }
    )
    people.links.extend({"officer_id": officer_id, "skill_id": s.id} for s in own_skills)
    words = search_terms(name, title, summary, *(f"{s.name} {s.family}" for s in own_skills))
    people.terms.extend({"term": t, "officer_id": officer_id} for t in words)


def _settings(
    session: Session, council_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, CouncilSettings]]:
    stmt = select(CouncilSettings).where(CouncilSettings.council_id.in_(council_ids))
    return [(s.council_id, s) for s in session.scalars(stmt)]


def _availability(
    rng: random.Random,
    officers: Sequence[dict[str, Any]],
    first_monday: date,
    weeks: int,
    now: Any,
    held: list[dict[str, Any]],
) -> Iterator[dict[str, Any]]:
    """About half the officers list hours in any week; most are approved, some partly booked.

    Every partly booked row is appended to `held`: a real booking holds those minutes, so the
    data keeps DESIGN.md rule 1's invariant (booked minutes = the sum of live bookings).
    """
    for week_index in range(weeks):
        monday = first_monday + timedelta(weeks=week_index)
        week = format_week(monday)
        for officer in officers:
            if rng.random() >= 0.5:
                continue
            minutes = rng.randint(1, 24) * 15
            pending = rng.random() < 0.1
            booked = 0 if pending or rng.random() < 0.7 else rng.randint(0, minutes // 15) * 15
            row = {
                "id": uuid.uuid4(),
                "officer_id": officer["id"],
                "council_id": officer["council_id"],
                "week": week,
                "week_start": monday,
                "approved_minutes": 0 if pending else minutes,
                "pending_minutes": minutes if pending else 0,
                "booked_minutes": booked,
                "single_booking": rng.random() < 0.1,
                "status": "pending" if pending else "approved",
                "created_at": now,
                "updated_at": now,
            }
            if booked:
                held.append({**row, "rate": officer["rate_pence_per_hour"]})
            yield row


def _bookings(
    rng: random.Random,
    held: Sequence[dict[str, Any]],
    council_ids: Sequence[uuid.UUID],
    bookers: dict[uuid.UUID, uuid.UUID],
    rates: dict[uuid.UUID, int],
    officer_users: dict[uuid.UUID, uuid.UUID],
    now: datetime,
) -> Iterator[dict[str, Any]]:
    """One confirmed booking by another council's booker for each partly booked week."""
    for number, row in enumerate(held, start=1):
        council_id = rng.choice(council_ids)
        while council_id == row["council_id"]:
            council_id = rng.choice(council_ids)
        yield {
            "id": uuid.uuid4(),
            "availability_id": row["id"],
            "officer_id": row["officer_id"],
            "lending_council_id": row["council_id"],
            "booking_council_id": council_id,
            "booker_id": bookers[council_id],
            "week": row["week"],
            "week_start": row["week_start"],
            "minutes": row["booked_minutes"],
            "rate_pence_per_hour": row["rate"] or rates[row["council_id"]],
            "purpose": "Scale data: a confirmed booking",
            "reference": f"SCALE-{number:06d}",  # outside any council's own numbering
            "purchase_order": None,
            "status": "confirmed",
            "requested_at": now,
            "expires_at": min(
                now + timedelta(days=3),
                datetime.combine(row["week_start"], datetime.min.time(), tzinfo=UTC),
            ),
            "decided_at": now,
            "decided_by_id": officer_users[row["officer_id"]],
            "late_cancellation": False,
            "updated_at": now,
        }
