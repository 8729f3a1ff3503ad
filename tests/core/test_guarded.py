"""The one helper for guarded UPDATEs: exactly N rows, else 409 (or False for a claim)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.core.errors import Conflict
from app.core.guarded import claimed, guarded
from app.councils.models import CouncilSettings


def _stmt(council_id, days_now):
    return (
        update(CouncilSettings)
        .where(
            CouncilSettings.council_id == council_id,
            CouncilSettings.payment_terms_days == days_now,
        )
        .values(payment_terms_days=days_now + 1)
        .execution_options(synchronize_session=False)
    )


def test_guarded_passes_when_the_row_matched_and_refuses_when_not(db, make):
    council = make.council(payment_terms_days=30)
    assert guarded(db, _stmt(council.id, 30)) == ()
    with pytest.raises(Conflict, match="Lost"):
        guarded(db, _stmt(council.id, 30), conflict="Lost")


def test_guarded_counts_returning_rows_and_returns_them(db, make):
    council = make.council(payment_terms_days=10)
    [row] = guarded(db, _stmt(council.id, 10).returning(CouncilSettings.payment_terms_days))
    assert row.payment_terms_days == 11
    with pytest.raises(Conflict):
        guarded(db, _stmt(council.id, 10).returning(CouncilSettings.payment_terms_days))


def test_guarded_wants_exactly_n_rows(db, make):
    first, second = make.council(payment_terms_days=5), make.council(payment_terms_days=5)
    both = (
        update(CouncilSettings)
        .where(CouncilSettings.council_id.in_([first.id, second.id]))
        .values(payment_terms_days=6)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(Conflict):
        guarded(db, both, rows=3)
    guarded(db, both, rows=2)


def test_claimed_answers_true_once(db, make):
    council = make.council(payment_terms_days=20)
    assert claimed(db, _stmt(council.id, 20)) is True
    assert claimed(db, _stmt(council.id, 20)) is False
