"""Search pages are written straight from the service's results, without validating them into
response models first (issue 16: that took four times as long as writing the page). The JSON
must still be exactly what the declared models (`Page[SearchHitOut]`, `PeoplePage`) describe:
every field, no others, in the OpenAPI document's shape."""

from __future__ import annotations

import uuid

from app.availability.schemas import PeoplePage, SearchHitOut
from app.core.pagination import Page
from tests.factories import approved_week


def _as_declared(model, body):
    """`body` read into the declared model and written again: missing fields come back with
    their defaults and unknown ones are dropped, so any difference shows."""
    return model.model_validate(body).model_dump(mode="json")


def test_search_pages_are_written_in_the_declared_shape(client, make, db):
    word = "wr" + uuid.uuid4().hex[:10]
    lender = make.council(region="North West")
    manager = make.user(lender, "manager")
    ann = make.officer(lender, name=f"Ann {word}", skills=["town-planning", "data-analyst"])
    bob = make.officer(lender, name=f"Bob {word}")
    approved_week(db, ann, manager, "2026-W50", 4)
    approved_week(db, ann, manager, "2026-W51", 4)
    approved_week(db, bob, manager, "2026-W50", 2.5)
    booker = make.user(make.council(), "booker")
    for path, model, first in (
        ("officers", Page[SearchHitOut], {"q": word, "limit": 2}),
        ("people", PeoplePage, {"q": word, "limit": 1}),
    ):
        response = client.get(f"/api/v1/search/{path}", params=first, headers=booker.headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body == _as_declared(model, body)
        assert body["next_cursor"]
        officer = body["items"][0]["officer"]
        assert officer["display_name"] == f"Ann {word}"
        assert [s["slug"] for s in officer["skills"]] == ["data-analyst", "town-planning"]
        assert officer["council"]["region"] == "North West" and officer["user_id"] is None
        response = client.get(
            f"/api/v1/search/{path}",
            params={**first, "cursor": body["next_cursor"]},
            headers=booker.headers,
        )
        body = response.json()
        assert body == _as_declared(model, body)
        assert body["next_cursor"] is None
        assert [i["officer"]["display_name"] for i in body["items"]] == [f"Bob {word}"]
    hours = body["items"][0]["weeks"][0]
    assert (hours["week"], hours["week_start"], hours["available_hours"]) == (
        "2026-W50",
        "2026-12-07",
        2.5,
    )
