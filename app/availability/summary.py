"""People search kept by the database (see `OfficerFreeMinutes` and migration 0019): which
weeks the kept rows hold, and moving them on when a new week starts.

The triggers keep each officer's row for the weeks `search_window` names. When those are
not the weeks search's default range means today (a new week began and nobody moved the
window yet), people search adds the weeks up itself, so an answer is never stale; moving the
window makes the database recompute every officer in one statement.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.availability.models import KEPT_WEEKS, OfficerFreeMinutes, SearchWindow
from app.core.isoweek import Week

# The default range: the weeks after this one, up to this many ahead (search's default too).
DEFAULT_WEEKS_AHEAD = KEPT_WEEKS
# The migration's triggers take this advisory lock shared; moving the window takes it alone.
WINDOW_LOCK = 7_019_001
# The fewest free minutes a week must have to count (search's own floor).
MIN_WEEK_MINUTES = 15


def window_for(today: date) -> tuple[date, date]:
    """The Mondays (inclusive) of the default range on `today`: next week to 12 weeks on."""
    this_week = Week.of(today)
    return this_week.plus(1).monday, this_week.plus(DEFAULT_WEEKS_AHEAD).monday


def is_current(session: Session, today: date) -> bool:
    """The kept figures add up the default range of `today`."""
    first = session.scalar(select(SearchWindow.first_monday).where(SearchWindow.id == 1))
    return first == window_for(today)[0]


def refresh_window(session: Session, today: date) -> bool:
    """Point the window at `today`'s default range, unless it already does: the database then
    recomputes every officer's row (migration 0019's trigger on `search_window`). True when it
    moved. Runs in the caller's transaction."""
    if is_current(session, today):
        return False  # the usual answer, without waiting for any lock
    if session.get_bind().dialect.name == "postgresql":
        # Commits that change what is kept wait for this (their trigger takes it shared), so
        # none writes rows for the old weeks once the new ones are being added up.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WINDOW_LOCK})
        if is_current(session, today):
            return False  # moved by another process meanwhile
    first, last = window_for(today)
    window = session.get(SearchWindow, 1)
    if window is None:
        session.add(SearchWindow(id=1, first_monday=first, last_monday=last))
    else:
        window.first_monday, window.last_monday = first, last
    session.flush()
    return True


def analyse(session: Session) -> None:
    """Fresh planner statistics for the kept rows once the window has moved and they are all
    rewritten (committed): the planner chooses between walking the order and the council index
    by them."""
    session.execute(text(f"ANALYZE {OfficerFreeMinutes.__tablename__}"))
