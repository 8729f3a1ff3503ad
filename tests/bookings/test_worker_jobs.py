"""The worker's scheduled jobs expire unanswered requests and remind bookers, with real commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.auth import service as auth
from app.bookings import service as bookings
from app.bookings.models import Booking
from app.cli import _scheduled_jobs
from app.core import clock
from app.core.clock import LONDON
from app.core.isoweek import Week
from app.notifications.email import SmtpSender
from app.notifications.worker import run_worker
from tests.bookings.conftest import WEEK
from tests.factories import Factory, approved_week
from tests.smtp import SmtpServer


def test_worker_expires_requests_and_mails_the_booker(committed_engine):
    factory = sessionmaker(bind=committed_engine, expire_on_commit=False)
    with Session(committed_engine, expire_on_commit=False) as session:
        make = Factory(session)
        lender = make.council()
        officer, manager = make.officer(lender), make.user(lender, "manager")
        booker = make.user(make.council(), "booker")
        row = approved_week(session, officer, manager, WEEK, 4)
        booking = bookings.request_booking(
            session,
            auth.actor_for(booker.user, "token"),
            row.officer_id,
            Week(WEEK),
            60,
            "Worker",
            None,
        )
        session.commit()
    with SmtpServer() as smtp, clock.travel_to(datetime(2026, 12, 1, 0, 30, tzinfo=LONDON)):
        sender = SmtpSender(smtp.url, "Talent Pool <pool@example.gov.uk>")
        run_worker(factory, sender, once=True, periodic=_scheduled_jobs, batch_size=500)
        received = smtp.mailbox.received
    with factory() as session:
        assert session.scalar(select(Booking.status).where(Booking.id == booking.id)) == "expired"
    assert any(booker.user.email in r.rcpt_tos and "expired" in r.subject for r in received)
