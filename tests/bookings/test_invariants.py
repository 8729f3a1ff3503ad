"""A hypothesis state machine of random requests, answers, cancellations and edits: at every
step booked <= approved, and the hours held equal the sum of the live bookings."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from app.auth import service as auth
from app.availability import service as availability
from app.availability.models import Availability
from app.bookings import service
from app.bookings.models import LIVE_STATUSES, Booking
from app.core.errors import DomainError
from app.core.isoweek import Week
from tests.bookings.conftest import WEEK
from tests.factories import approved_week

MINUTES = st.sampled_from([15, 30, 60, 90, 120, 240])


def test_capacity_invariants_hold_under_random_operations(db, make):
    lender, borrower = make.council(), make.council()
    manager = make.user(lender, "manager")
    booker = auth.actor_for(make.user(borrower, "booker").user, "token")
    manager_actor = auth.actor_for(manager.user, "token")

    class Machine(RuleBasedStateMachine):
        @initialize(hours=st.sampled_from([2, 4, 8]))
        def listed(self, hours):
            officer = make.officer(lender)
            self.officer = auth.actor_for(officer.user, "token")
            self.row_id = approved_week(db, officer, manager, WEEK, hours).id
            self.officer_id = db.get(Availability, self.row_id).officer_id
            self.bookings = []

        def _attempt(self, action):
            try:
                with db.begin_nested():
                    action()
            except DomainError:
                pass  # refused: the savepoint rolled back, as the request would

        def _row(self):
            stmt = select(Availability).where(Availability.id == self.row_id)
            return db.scalar(stmt.execution_options(populate_existing=True))

        @rule(minutes=MINUTES)
        def request(self, minutes):
            def act():
                booking = service.request_booking(
                    db, booker, self.officer_id, Week(WEEK), minutes, "x", None
                )
                self.bookings.append(booking.id)

            self._attempt(act)

        @rule(data=st.data())
        def confirm(self, data):
            if self.bookings:
                booking_id = data.draw(st.sampled_from(self.bookings))
                self._attempt(lambda: service.confirm(db, self.officer, booking_id))

        @rule(data=st.data())
        def decline(self, data):
            if self.bookings:
                booking_id = data.draw(st.sampled_from(self.bookings))
                self._attempt(lambda: service.decline(db, self.officer, booking_id, "no"))

        @rule(data=st.data(), by_booker=st.booleans())
        def cancel(self, data, by_booker):
            if self.bookings:
                booking_id = data.draw(st.sampled_from(self.bookings))
                who = booker if by_booker else self.officer
                self._attempt(lambda: service.cancel(db, who, booking_id, "no"))

        @rule(minutes=st.sampled_from([0, 30, 60, 120, 240, 480, 600]))
        def edit_week(self, minutes):
            def act():
                if minutes == 0:
                    availability.withdraw_week(db, self.officer, Week(WEEK))
                else:
                    availability.set_week(db, self.officer, Week(WEEK), minutes, False)

            self._attempt(act)

        @rule()
        def approve_raise(self):
            def act():
                if self._row().pending_minutes:
                    availability.approve(db, manager_actor, self.row_id)

            self._attempt(act)

        @invariant()
        def hours_held_match_live_bookings(self):
            if not hasattr(self, "row_id"):
                return
            row = self._row()
            live = db.scalar(
                select(func.coalesce(func.sum(Booking.minutes), 0)).where(
                    Booking.availability_id == self.row_id, Booking.status.in_(LIVE_STATUSES)
                )
            )
            assert row.booked_minutes == live
            assert 0 <= row.booked_minutes <= row.approved_minutes

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
