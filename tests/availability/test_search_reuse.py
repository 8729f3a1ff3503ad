"""Search statements are built once per shape and reused with each search's own values: two
searches of the same shape (same filters present, different values) never see each other's
words, skills, weeks, regions, rates, cursors, council or day."""

from __future__ import annotations

import uuid
from datetime import date

from app.core import clock
from tests.factories import approved_week


def _word() -> str:
    return "re" + uuid.uuid4().hex[:10]


def _get(client, member, path, **params):
    response = client.get(f"/api/v1/search/{path}", params=params, headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _names(body) -> list[str]:
    return sorted({item["officer"]["display_name"].split()[0] for item in body["items"]})


def _listed(make, db, council, name, word, weeks, skills=()):
    manager = make.user(council, "manager")
    officer = make.officer(council, name=f"{name} {word}", skills=skills)
    for week, hours in weeks.items():
        approved_week(db, officer, manager, week, hours)
    return officer


def test_same_shape_searches_take_their_own_values(client, make, db):
    north, south = make.council(region="North West"), make.council(region="South West")
    word_a, word_b = _word(), _word()
    _listed(make, db, north, "Ann", word_a, {"2026-W50": 3}, skills=["town-planning"])
    _listed(make, db, south, "Bob", word_b, {"2026-W51": 5}, skills=["user-researcher"])
    booker = make.user(make.council(), "booker")
    for path in ("officers", "people"):
        assert _names(_get(client, booker, path, q=word_a)) == ["Ann"]
        assert _names(_get(client, booker, path, q=word_b)) == ["Bob"]
        for word in (word_a, word_b):
            assert _names(_get(client, booker, path, q=word, skill="town-planning")) == (
                ["Ann"] if word == word_a else []
            )
            assert _names(_get(client, booker, path, q=word, region="South West")) == (
                ["Bob"] if word == word_b else []
            )
    assert _names(_get(client, booker, "officers", q=word_a, week="2026-W50")) == ["Ann"]
    assert _names(_get(client, booker, "officers", q=word_a, week="2026-W51")) == []
    assert _names(_get(client, booker, "people", q=word_a, **{"from": "2026-W51"})) == []
    assert _names(_get(client, booker, "people", q=word_a, **{"from": "2026-W50"})) == ["Ann"]
    assert _names(_get(client, booker, "officers", q=word_b, max_rate_pence=1)) == []
    assert _names(_get(client, booker, "officers", q=word_b, max_rate_pence=100_000)) == ["Bob"]


def test_the_searching_council_and_the_day_are_values_too(client, make, db):
    home, other = make.council(), make.council()
    word = _word()
    _listed(make, db, home, "Cat", word, {"2026-W50": 2, "2026-W52": 4})
    _listed(make, db, other, "Dan", word, {"2026-W50": 1})
    at_home, elsewhere = make.user(home, "booker"), make.user(other, "booker")
    for path in ("officers", "people"):
        assert _names(_get(client, at_home, path, q=word)) == ["Dan"]
        assert _names(_get(client, elsewhere, path, q=word)) == ["Cat"]
    with clock.travel_to(date(2026, 12, 16)):  # 2026-W51: week 50 has passed
        body = _get(client, elsewhere, "people", q=word)
        assert [w["week"] for w in body["items"][0]["weeks"]] == ["2026-W52"]
        assert _names(_get(client, at_home, "officers", q=word)) == []


def test_cursors_of_the_same_shape_page_their_own_search(client, make, db):
    council = make.council()
    word_a, word_b = _word(), _word()
    for n in range(3):
        _listed(make, db, council, f"A{n}", word_a, {"2026-W50": n + 1})
        _listed(make, db, council, f"B{n}", word_b, {"2026-W50": n + 1})
    booker = make.user(make.council(), "booker")
    for path in ("officers", "people"):
        for word, letter in ((word_a, "A"), (word_b, "B")):
            seen, cursor = [], None
            while True:
                params = {"q": word, "limit": 1, **({"cursor": cursor} if cursor else {})}
                body = _get(client, booker, path, **params)
                seen += _names(body)
                cursor = body.get("next_cursor")
                if not cursor:
                    break
            assert seen == [f"{letter}2", f"{letter}1", f"{letter}0"]
