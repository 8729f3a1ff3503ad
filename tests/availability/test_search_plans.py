"""PostgreSQL plans a search for the values it is given, every time. psycopg prepares a
statement on its fifth run on a connection, and PostgreSQL may then plan it once for any values
(a generic plan): search's prefix and range conditions went from 4 ms to 400 ms that way. So
search's statements are never prepared, while everything else is (a booking's dozen key lookups
and writes, and the officer cards of a page of results, then skip planning)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from app.availability.search import _padded
from tests.factories import approved_week

SEARCH_TABLES = ("officer_search_terms", "officer_free_minutes")


def test_search_statements_are_never_prepared_and_the_rest_are(
    client, make, db, connection, engine_name
):
    if engine_name != "postgresql":
        pytest.skip("SQLite plans every statement as it runs; nothing is prepared")
    word = "pl" + uuid.uuid4().hex[:10]
    lender = make.council()
    officer = make.officer(lender, name=f"Ann {word}")
    approved_week(db, officer, make.user(lender, "manager"), "2026-W50", 3)
    booker = make.user(make.council(), "booker")
    for _ in range(8):  # well past psycopg's prepare threshold (5 runs)
        for path in ("officers", "people"):
            response = client.get(
                f"/api/v1/search/{path}", params={"q": word}, headers=booker.headers
            )
            assert response.status_code == 200, response.text
            assert [i["officer"]["display_name"] for i in response.json()["items"]] == [
                f"Ann {word}"
            ]
    prepared = connection.execute(text("SELECT statement FROM pg_prepared_statements")).scalars()
    statements = list(prepared)
    assert statements, "nothing was prepared: the actor's statement ran 16 times"
    searches = [
        s
        for s in statements
        if not s.startswith(("INSERT", "UPDATE", "DELETE")) and any(t in s for t in SEARCH_TABLES)
    ]
    assert searches == []
    # The officer cards of a page are lookups by primary key: prepared, planned once.
    assert any("string_agg" in s and "FROM officers" in s for s in statements), statements


@given(st.lists(st.uuids(), min_size=1, max_size=300))
def test_padded_ids_are_the_same_ids_in_a_few_sizes(ids):
    padded = _padded(ids)
    assert padded[: len(ids)] == ids and set(padded) == set(ids)
    assert len(padded) & (len(padded) - 1) == 0 and len(padded) < 2 * len(ids)
