"""`talentpool seed-scale`: a realistic platform of every UK council, built with bulk inserts.

400 councils of 50 officers gives 20,000 officers with skills, rates and search words; about
half of them list approved hours in each of the coming weeks. Each council also gets a booker,
a manager and a finance officer who can sign in (password SCALE_PASSWORD), for benchmarks.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.auth.models import User, UserRole
from app.availability.models import Availability
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
    count = 0
    for batch in _batches(rows):
        connection.execute(insert(table), batch)
        count += len(batch)
    return count


def _councils(session: Session, wanted: int) -> list[Council]:
    """The register's current councils, topped up with made-up ones beyond the 397."""
    councils.import_register(session, REGISTER)
    rows = list(session.scalars(select(Council).order_by(Council.code)))
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
    started = time.perf_counter()

    chosen = _councils(session, councils_wanted)
    council_ids = [c.id for c in chosen]
    accepted = councils.accepted_council_ids(session, council_ids)
    _bulk(
        connection,
        AgreementAcceptance.__table__,  # type: ignore[arg-type]
        (
            {
                "id": uuid.uuid4(),
                "council_id": cid,
                "version": councils.CURRENT_AGREEMENT.version,
                "accepted_at": clock.now(),
                "accepted_by_id": None,
            }
            for cid in council_ids
            if cid not in accepted
        ),
    )
    for settings in session.scalars(
        select(CouncilSettings).where(CouncilSettings.council_id.in_(council_ids))
    ):
        settings.default_rate_pence_per_hour = rng.randrange(3000, 7000, 50)
    session.flush()
    report.councils = len(chosen)
    report.seconds["councils"] = time.perf_counter() - started

    started = time.perf_counter()
    skills = list(session.scalars(select(Skill)))
    password_hash = auth.hash_password(SCALE_PASSWORD)
    now = clock.now()
    users: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    officers: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    terms: list[dict[str, Any]] = []
    for council in chosen:
        domain = f"{council.code.lower()}.scale.example.gov.uk"
        for role in ("booker", "manager", "finance"):
            user_id = uuid.uuid4()
            users.append(
                {
                    "id": user_id,
                    "email": f"{role}@{domain}",
                    "name": f"{role.title()} {council.code}",
                    "password_hash": password_hash,
                    "council_id": council.id,
                    "active": True,
                    "is_platform_admin": False,
                    "created_at": now,
                }
            )
            roles.append({"user_id": user_id, "role": role})
        for n in range(officers_per_council):
            user_id, officer_id = uuid.uuid4(), uuid.uuid4()
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            own_skills = rng.sample(skills, rng.randint(1, 4))
            title = f"{rng.choice(TITLES)}: {own_skills[0].name.lower()}"
            summary = (
                f"{own_skills[0].name} at {council.short_name or council.name}; also "
                f"{', '.join(s.name.lower() for s in own_skills[1:]) or 'general work'}."
            )
            users.append(
                {
                    "id": user_id,
                    "email": f"officer{n}@{domain}",
                    "name": name,
                    "password_hash": None,
                    "council_id": council.id,
                    "active": True,
                    "is_platform_admin": False,
                    "created_at": now,
                }
            )
            roles.append({"user_id": user_id, "role": "officer"})
            officers.append(
                {
                    "id": officer_id,
                    "user_id": user_id,
                    "council_id": council.id,
                    "display_name": name,
                    "job_title": title,
                    "summary": summary,
                    "visible": rng.random() < 0.95,
                    "rate_pence_per_hour": rng.randrange(2500, 9000, 25)
                    if rng.random() < 0.7
                    else None,
                    "consent_version": councils.CURRENT_AGREEMENT.version,
                    "consented_at": now,
                    "updated_at": now,
                }
            )
            links.extend({"officer_id": officer_id, "skill_id": s.id} for s in own_skills)
            words = search_terms(
                name, title, summary, *(f"{s.name} {s.family}" for s in own_skills)
            )
            terms.extend({"term": t, "officer_id": officer_id} for t in words)
    _bulk(connection, User.__table__, users)  # type: ignore[arg-type]
    _bulk(connection, UserRole.__table__, roles)  # type: ignore[arg-type]
    report.officers = _bulk(connection, Officer.__table__, officers)  # type: ignore[arg-type]
    report.skills = _bulk(connection, officer_skills, links)
    report.search_terms = _bulk(connection, OfficerSearchTerm.__table__, terms)  # type: ignore[arg-type]
    report.seconds["people"] = time.perf_counter() - started

    started = time.perf_counter()
    first_monday = monday_of(week_of(clock.today())) + timedelta(days=7)
    report.availability_rows = _bulk(
        connection,
        Availability.__table__,  # type: ignore[arg-type]
        _availability(rng, officers, first_monday, weeks, now),
    )
    report.seconds["availability"] = time.perf_counter() - started
    report.sign_ins = [f"booker@{chosen[0].code.lower()}.scale.example.gov.uk"]
    return report


def _availability(
    rng: random.Random,
    officers: Sequence[dict[str, Any]],
    first_monday: date,
    weeks: int,
    now: Any,
) -> Iterator[dict[str, Any]]:
    """About half the officers list hours in any week; most are approved, some partly booked."""
    for week_index in range(weeks):
        monday = first_monday + timedelta(weeks=week_index)
        week = format_week(monday)
        for officer in officers:
            if rng.random() >= 0.5:
                continue
            minutes = rng.randint(1, 24) * 15
            pending = rng.random() < 0.1
            booked = 0 if pending or rng.random() < 0.7 else rng.randint(0, minutes // 15) * 15
            yield {
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
