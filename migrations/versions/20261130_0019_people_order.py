"""People search kept by the database: one row per officer (`officer_free_minutes`) with what
people search in the default range (the 12 weeks after this one) asks of them: their council,
whether they are listed (visible, consented to the current consent text, an active account,
their council in the pool), the free minutes of each of the 12 weeks, and the total of the
weeks with at least 15 free. Triggers recompute the rows a change touches: an officer's when
their weeks, their profile or their account change; a council's officers when it joins or
leaves the pool; everyone when a new agreement is published or the window moves (the one row
of `search_window`, moved once a week by app.availability.summary.refresh_window).

On PostgreSQL the triggers are deferred constraint triggers: they run at commit, after the
transaction has taken every row lock it needs, so a kept row is locked last and briefly. They
take a shared advisory lock that moving the window takes exclusively, so no commit writes
rows for a window being replaced.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WEEKS = 12
# pg_advisory_xact_lock key of the window (app.availability.summary.WINDOW_LOCK says the same).
WINDOW_LOCK = 7_019_001
CURRENT_VERSION = "(SELECT version FROM agreement_versions ORDER BY sequence DESC LIMIT 1)"
CURRENT_CONSENT = ("(SELECT officer_consent_text FROM agreement_versions "
                   "ORDER BY sequence DESC LIMIT 1)")


def _weeks(postgresql: bool) -> str:
    """The kept figures of the availability rows `a` joined for one officer: the total of the
    weeks with at least 15 free (search's floor), then each window week's free minutes. A week
    counts as app.availability.search._the_week_conditions says (approved or pending, not a
    part-booked single-booking week); see `_counted`."""

    def monday(n: int) -> str:
        if postgresql:
            return f"w.first_monday + {7 * n}"
        return f"date(w.first_monday, '+{7 * n} days')" if n else "w.first_monday"

    free = "(a.approved_minutes - a.booked_minutes)"
    return ",\n".join(
        [f"coalesce(sum(CASE WHEN {free} >= 15 THEN {free} END), 0)"]
        + [f"coalesce(sum(CASE WHEN a.week_start = {monday(n)} THEN {free} END), 0)"
           for n in range(WEEKS)]
    )


def _counted(officer: str, postgresql: bool) -> str:
    """The join condition of the officer's availability rows that count, in the window."""
    false = 'false' if postgresql else '0'
    return f"""a.officer_id = {officer}
        AND a.week_start >= w.first_monday AND a.week_start <= w.last_monday
        AND a.status IN ('approved', 'pending')
        AND (a.single_booking = {false} OR a.booked_minutes = 0)"""


FIGURES = ["free_minutes", *[f"week_{n + 1}" for n in range(WEEKS)]]


def _rows_of(officers: str, postgresql: bool) -> str:
    """Recompute the kept rows of the officers `officers` (a condition on `o`, officers):
    listed as app.officers.service.listed() and an active account say, and their weeks."""
    columns = ["officer_id", "council_id", "listed", *FIGURES]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    return f"""
    INSERT INTO officer_free_minutes ({", ".join(columns)})
    SELECT o.id, o.council_id,
        CASE WHEN o.visible AND u.active
            AND o.consent_version IN (SELECT version FROM agreement_versions
                                      WHERE officer_consent_text = {CURRENT_CONSENT})
            AND o.council_id IN (SELECT council_id FROM agreement_acceptances
                                 WHERE version = {CURRENT_VERSION} AND left_at IS NULL)
        THEN true ELSE false END,
        {_weeks(postgresql)}
    FROM officers o
    JOIN users u ON u.id = o.user_id
    JOIN search_window w ON w.id = 1
    LEFT JOIN availability a ON {_counted("o.id", postgresql)}
    WHERE {officers}
    GROUP BY o.id, o.council_id, o.consent_version, o.visible, u.active
    ON CONFLICT (officer_id) DO UPDATE SET {updates};
    """


def _weeks_of(officer: str, postgresql: bool) -> str:
    """Recompute only the weeks of one officer's kept row (a change to their availability
    leaves the rest as it was): what a booking's commit pays, so it reads nothing else."""
    return f"""
    UPDATE officer_free_minutes SET ({", ".join(FIGURES)}) = (
        SELECT {_weeks(postgresql)}
        FROM search_window w
        LEFT JOIN availability a ON {_counted(officer, postgresql)}
        WHERE w.id = 1)
    WHERE officer_id = {officer};
    """


# (table, events, the officers a row's change touches, of NEW for inserts and updates and of OLD
# for deletes): a condition on officers `o`, or for availability the one officer's id.
EVERYONE = "1 = 1"
TRIGGERS = [
    ('availability', ['INSERT', 'UPDATE OF approved_minutes, booked_minutes, status, '
                      'single_booking, week_start', 'DELETE'], '{row}.officer_id'),
    ('officers', ['INSERT', 'UPDATE OF visible, consent_version, council_id, user_id'],
     'o.id = {row}.id'),
    ('users', ['UPDATE OF active'], 'o.user_id = {row}.id'),
    ('agreement_acceptances', ['INSERT', 'UPDATE', 'DELETE'], 'o.council_id = {row}.council_id'),
    ('agreement_versions', ['INSERT', 'UPDATE', 'DELETE'], EVERYONE),
    ('search_window', ['INSERT', 'UPDATE'], EVERYONE),
]
GONE = "DELETE FROM officer_free_minutes WHERE officer_id = OLD.id;"


def upgrade() -> None:
    op.create_table('search_window',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('first_monday', sa.Date(), nullable=False),
    sa.Column('last_monday', sa.Date(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_search_window_one_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_window'))
    )
    op.create_table('officer_free_minutes',
    sa.Column('officer_id', sa.Uuid(), nullable=False),
    sa.Column('council_id', sa.Uuid(), nullable=False),
    sa.Column('listed', sa.Boolean(), nullable=False),
    sa.Column('free_minutes', sa.Integer(), nullable=False),
    *[sa.Column(f'week_{n + 1}', sa.Integer(), nullable=False) for n in range(WEEKS)],
    sa.PrimaryKeyConstraint('officer_id', name=op.f('pk_officer_free_minutes'))
    )
    op.create_index('ix_officer_free_minutes_council_id', 'officer_free_minutes', ['council_id'], unique=False)
    op.create_index('ix_officer_free_minutes_order', 'officer_free_minutes', ['listed', sa.text('free_minutes DESC'), 'officer_id', 'council_id'], unique=False)
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, events, touched in TRIGGERS:
        new, old = touched.format(row='NEW'), touched.format(row='OLD')
        recompute = _weeks_of if table == 'availability' else _rows_of
        if postgresql:
            on_delete = recompute(old, True) if 'DELETE' in events else 'NULL;'
            op.execute(f"""
                CREATE FUNCTION {table}_free_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_advisory_xact_lock_shared({WINDOW_LOCK});
                    IF NOT EXISTS (SELECT FROM search_window) THEN
                        RETURN NULL;  -- nothing kept yet (a new or bulk-loaded database)
                    END IF;
                    IF TG_OP = 'DELETE' THEN {on_delete}
                    ELSE {recompute(new, True)}
                    END IF;
                    RETURN NULL;
                END $$
            """)
            op.execute(f"""
                CREATE CONSTRAINT TRIGGER {table}_free_minutes AFTER {" OR ".join(events)}
                ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                EXECUTE FUNCTION {table}_free_minutes()
            """)
        else:
            for event in events:
                verb = event.split()[0].lower()
                body = recompute(old if verb == 'delete' else new, False)
                op.execute(f"CREATE TRIGGER {table}_{verb}_free_minutes AFTER {event} "
                           f"ON {table} BEGIN {body} END")
    if postgresql:
        op.execute(f"""
            CREATE FUNCTION officers_gone_free_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN {GONE} RETURN NULL; END $$
        """)
        op.execute("CREATE TRIGGER officers_gone_free_minutes AFTER DELETE ON officers "
                   "FOR EACH ROW EXECUTE FUNCTION officers_gone_free_minutes()")
    else:
        op.execute(f"CREATE TRIGGER officers_gone_free_minutes AFTER DELETE ON officers "
                   f"BEGIN {GONE} END")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, events, _touched in TRIGGERS:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_free_minutes ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_free_minutes()")
        else:
            for event in events:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event.split()[0].lower()}_free_minutes")
    if postgresql:
        op.execute("DROP TRIGGER IF EXISTS officers_gone_free_minutes ON officers")
        op.execute("DROP FUNCTION IF EXISTS officers_gone_free_minutes()")
    else:
        op.execute("DROP TRIGGER IF EXISTS officers_gone_free_minutes")
    op.drop_index('ix_officer_free_minutes_order', table_name='officer_free_minutes')
    op.drop_index('ix_officer_free_minutes_council_id', table_name='officer_free_minutes')
    op.drop_table('officer_free_minutes')
    op.drop_table('search_window')
