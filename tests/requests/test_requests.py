"""Requests for help and offers, through the API: post, matching officers told, offer under the
listing's sign-off rules, compare, accept into bookings, withdraw, close, messages."""

from __future__ import annotations

import uuid

import pytest

from app.core import clock
from app.officers.service import skills_by_slug
from app.requests import service
from tests.requests.conftest import REQUEST, approve_all, offer, post_request


def _notes(client, member):
    return client.get("/api/v1/notifications", headers=member.headers).json()["items"]


def test_a_request_tells_matching_officers_and_their_managers(client, market):
    request = post_request(client, market)
    assert request["status"] == "open" and request["mine"] is True
    assert request["offer_count"] == 0 and request["hours_per_week"] == 6
    link = f"/requests/{request['id']}"
    assert any(n["link"] == link for n in _notes(client, market.officer))
    assert any(n["link"] == link for n in _notes(client, market.manager))
    assert not any(n["link"] == link for n in _notes(client, market.other_officer))
    # Members of other councils in the pool see it, without its purchase order.
    seen = client.get(f"/api/v1/requests/{request['id']}", headers=market.officer.headers)
    assert seen.status_code == 200 and seen.json()["mine"] is False
    assert seen.json()["offer_count"] is None and seen.json()["purchase_order"] is None
    listed = client.get("/api/v1/requests?status=open", headers=market.officer.headers).json()
    assert request["id"] in [r["id"] for r in listed["items"]]


def test_the_whole_exchange_offer_sign_off_accept(client, market, db):
    request = post_request(client, market)
    made = offer(client, market.officer, request["id"], {"2026-W50": 6, "2026-W51": 4})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "made" and body["ready"] is False  # hours wait for sign-off
    assert [w["week"] for w in body["weeks"]] == ["2026-W50", "2026-W51"]
    rate = body["officer"]["rate_pence_per_hour"]
    assert body["cost"]["net_pence"] == rate * 10
    assert body["cost"]["gross_pence"] == body["cost"]["net_pence"] + body["cost"]["vat_pence"]
    # The booker was told, and sees the offer; not ready until the manager approves.
    assert any(n["kind"] == "offer" for n in _notes(client, market.booker))
    refused = client.post(f"/api/v1/offers/{body['id']}/accept", headers=market.booker.headers)
    assert refused.status_code == 409, refused.text
    assert (
        client.get(
            f"/api/v1/requests/{request['id']}/offers", headers=market.booker.headers
        ).json()["items"][0]["status"]
        == "made"
    )  # the refusal changed nothing
    approve_all(client, market.manager)
    [compared] = client.get(
        f"/api/v1/requests/{request['id']}/offers", headers=market.booker.headers
    ).json()["items"]
    assert compared["ready"] is True
    accepted = client.post(
        f"/api/v1/offers/{body['id']}/accept",
        headers={**market.booker.headers, "Idempotency-Key": "accept-1"},
    )
    assert accepted.status_code == 201, accepted.text
    result = accepted.json()
    assert result["offer"]["status"] == "accepted"
    assert [b["week"] for b in result["bookings"]] == ["2026-W50", "2026-W51"]
    assert [b["hours"] for b in result["bookings"]] == [6, 4]
    assert all(b["status"] == "requested" and b["reference"] for b in result["bookings"])
    assert all(b["purpose"].startswith("Planning backlog") for b in result["bookings"])
    again = client.post(
        f"/api/v1/offers/{body['id']}/accept",
        headers={**market.booker.headers, "Idempotency-Key": "accept-1"},
    )
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["bookings"] == result["bookings"]
    # The bookings appear on both sides.
    officer_side = client.get("/api/v1/bookings?side=mine", headers=market.officer.headers)
    assert {b["id"] for b in result["bookings"]} <= {b["id"] for b in officer_side.json()["items"]}


def test_an_officer_sees_only_their_own_offer(client, market, make):
    request = post_request(client, market)
    offer(client, market.officer, request["id"], {"2026-W50": 2})
    second = make.officer(market.lending, skills=["town-planning"])
    offer(client, second, request["id"], {"2026-W51": 2})
    mine = client.get(f"/api/v1/requests/{request['id']}/offers", headers=second.headers)
    assert len(mine.json()["items"]) == 1
    everyone = client.get(f"/api/v1/requests/{request['id']}/offers", headers=market.booker.headers)
    assert len(everyone.json()["items"]) == 2
    outsider = make.user(make.council(), "booker")
    assert (
        client.get(f"/api/v1/requests/{request['id']}/offers", headers=outsider.headers).json()[
            "items"
        ]
        == []
    )


def test_withdraw_until_accepted_then_offer_again(client, market):
    request = post_request(client, market)
    first = offer(client, market.officer, request["id"], {"2026-W50": 2}).json()
    assert offer(client, market.officer, request["id"], {"2026-W51": 2}).status_code == 409
    other = client.post(f"/api/v1/offers/{first['id']}/withdraw", headers=market.booker.headers)
    assert other.status_code == 403
    withdrawn = client.post(
        f"/api/v1/offers/{first['id']}/withdraw", headers=market.officer.headers
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert (
        client.post(
            f"/api/v1/offers/{first['id']}/accept", headers=market.booker.headers
        ).status_code
        == 409
    )
    assert offer(client, market.officer, request["id"], {"2026-W51": 2}).status_code == 201


def test_an_accepted_offer_cannot_be_withdrawn(client, market):
    request = post_request(client, market)
    made = offer(client, market.officer, request["id"], {"2026-W50": 2}).json()
    approve_all(client, market.manager)
    assert (
        client.post(
            f"/api/v1/offers/{made['id']}/accept", headers=market.booker.headers
        ).status_code
        == 201
    )
    response = client.post(f"/api/v1/offers/{made['id']}/withdraw", headers=market.officer.headers)
    assert response.status_code == 409


def test_filled_requests_take_no_offers_and_lapse_the_rest(client, market):
    request = post_request(client, market)
    made = offer(client, market.officer, request["id"], {"2026-W50": 2}).json()
    closed = client.post(
        f"/api/v1/requests/{request['id']}/close",
        json={"filled": True},
        headers=market.booker.headers,
    )
    assert closed.status_code == 200 and closed.json()["status"] == "filled"
    [lapsed] = client.get(
        f"/api/v1/requests/{request['id']}/offers", headers=market.booker.headers
    ).json()["items"]
    assert lapsed["id"] == made["id"] and lapsed["status"] == "lapsed"
    assert offer(client, market.other_officer, request["id"], {"2026-W50": 1}).status_code == 409
    assert (
        client.post(
            f"/api/v1/requests/{request['id']}/close", headers=market.booker.headers
        ).status_code
        == 409
    )


def test_a_request_closes_on_its_date(client, market, db):
    request = post_request(client, market, closes_on="2026-11-30")
    with clock.travel_to(clock.today().replace(day=30)):
        assert (
            client.get(f"/api/v1/requests/{request['id']}", headers=market.booker.headers).json()[
                "status"
            ]
            == "open"
        )
    later = clock.today().replace(month=12, day=1)
    with clock.travel_to(later):
        assert (
            client.get(f"/api/v1/requests/{request['id']}", headers=market.booker.headers).json()[
                "status"
            ]
            == "closed"
        )
        assert offer(client, market.officer, request["id"], {"2026-W50": 1}).status_code == 409
        assert service.close_due(db) >= 1
        db.flush()
        assert service.close_due(db) == 0


def test_only_the_asking_councils_bookers_accept_or_close(client, market, make):
    request = post_request(client, market)
    made = offer(client, market.officer, request["id"], {"2026-W50": 2}).json()
    colleague = make.user(market.asking, "finance")
    assert (
        client.post(f"/api/v1/offers/{made['id']}/accept", headers=colleague.headers).status_code
        == 403
    )
    outsider = make.user(make.council(), "booker")
    assert (
        client.post(f"/api/v1/offers/{made['id']}/accept", headers=outsider.headers).status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/requests/{request['id']}/close", headers=outsider.headers).status_code
        == 404
    )


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"skills": []},
        {"skills": ["no-such-skill"]},
        {"from_week": "2026-W47"},  # started
        {"to_week": "2026-W49"},  # before the first
        {"to_week": "2027-W30"},  # too many weeks
        {"hours_per_week": 0.1},
        {"max_rate_pence": -1},
        {"closes_on": "2026-11-01"},
        {"closes_on": "2027-01-01"},  # after the last week
        {"description": "x\u0000y"},
        {"surprise": True},
    ],
)
def test_bad_requests_are_refused_and_change_nothing(client, market, change):
    before = client.get("/api/v1/requests?council=mine", headers=market.booker.headers).json()
    response = client.post(
        "/api/v1/requests", json={**REQUEST, **change}, headers=market.booker.headers
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    after = client.get("/api/v1/requests?council=mine", headers=market.booker.headers).json()
    assert after == before


@pytest.mark.parametrize(
    "weeks",
    [{}, {"2026-W49": 2}, {"2027-W05": 2}, {"2026-W50": 0}, {"2026-W50": 100}],
)
def test_bad_offers_are_refused(client, market, weeks):
    request = post_request(client, market)
    response = offer(client, market.officer, request["id"], weeks)
    assert response.status_code == 422, response.text


def test_own_council_cannot_offer_and_unknown_ids_are_404(client, market, make):
    request = post_request(client, market)
    own = make.officer(market.asking, skills=["town-planning"])
    assert offer(client, own, request["id"], {"2026-W50": 1}).status_code == 422
    assert (
        client.get(f"/api/v1/requests/{uuid.uuid4()}", headers=market.booker.headers).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/offers/{uuid.uuid4()}/accept", headers=market.booker.headers
        ).status_code
        == 404
    )


def test_messages_go_each_way_notified_and_audited(client, market, db):
    request = post_request(client, market)
    # Before offering, an officer of another council is not in the conversation.
    blocked = client.post(
        f"/api/v1/requests/{request['id']}/messages",
        json={"text": "Hi"},
        headers=market.officer.headers,
    )
    assert blocked.status_code == 404
    made = offer(client, market.officer, request["id"], {"2026-W50": 2}).json()
    asked = client.post(
        f"/api/v1/requests/{request['id']}/messages",
        json={"text": "Is it remote?"},
        headers=market.officer.headers,
    )
    assert asked.status_code == 201, asked.text
    answer = client.post(
        f"/api/v1/requests/{request['id']}/messages",
        json={"text": "Yes, remote."},
        headers=market.booker.headers,
    )
    assert answer.status_code == 201
    thread = client.get(
        f"/api/v1/requests/{request['id']}/messages", headers=market.officer.headers
    ).json()["items"]
    assert [m["text"] for m in thread] == ["Is it remote?", "Yes, remote."]
    assert [m["mine"] for m in thread] == [True, False]
    assert any(n["kind"] == "message" for n in _notes(client, market.booker))
    assert any(n["kind"] == "message" for n in _notes(client, market.officer))
    # On the booking too.
    approve_all(client, market.manager)
    booking = client.post(
        f"/api/v1/offers/{made['id']}/accept", headers=market.booker.headers
    ).json()["bookings"][0]
    for member, text in ((market.booker, "Welcome aboard"), (market.officer, "Thanks!")):
        sent = client.post(
            f"/api/v1/bookings/{booking['id']}/messages",
            json={"text": text},
            headers=member.headers,
        )
        assert sent.status_code == 201, sent.text
    on_booking = client.get(
        f"/api/v1/bookings/{booking['id']}/messages", headers=market.manager.headers
    ).json()["items"]
    assert [m["text"] for m in on_booking] == ["Welcome aboard", "Thanks!"]
    history = client.get(
        f"/api/v1/bookings/{booking['id']}/history", headers=market.booker.headers
    ).json()
    assert sum(e["action"] == "message.post" for e in history) == 2
    for bad in ({"text": ""}, {"text": "x" * 4001}, {"text": "a\u0000"}, {}):
        response = client.post(
            f"/api/v1/bookings/{booking['id']}/messages", json=bad, headers=market.booker.headers
        )
        assert response.status_code == 422


def test_matching_is_by_skill_and_stays_in_the_pool(db, make, market):
    [skill] = skills_by_slug(db, ["town-planning"])
    found = service.matching_officers(db, market.asking.id, [skill.id], limit=100_000)
    officer_ids = {officer_id for officer_id, _user, _n in found}
    assert market.officer.user.id in {user_id for _o, user_id, _n in found}
    own = make.officer(market.asking, skills=["town-planning"])
    found = service.matching_officers(db, market.asking.id, [skill.id], limit=100_000)
    assert own.user.id not in {user_id for _o, user_id, _n in found}
    assert officer_ids


def test_matching_ranks_by_skills_matched_and_leaves_out_the_unlisted(db, make, market):
    wanted = skills_by_slug(db, ["town-planning", "user-researcher", "data-analyst"])
    ids = [skill.id for skill in wanted]
    both = make.officer(market.lending, skills=["town-planning", "data-analyst"])
    all_three = make.officer(
        market.lending, skills=["town-planning", "user-researcher", "data-analyst"]
    )
    hidden = make.officer(market.lending, skills=["town-planning"], visible=False)
    unconsented = make.officer(market.lending, skills=["town-planning"], consent=False)
    gone = make.officer(market.lending, skills=["town-planning"])
    gone.user.active = False
    db.commit()
    found = service.matching_officers(db, market.asking.id, ids + ids, limit=100_000)
    ours = [all_three, both, market.officer, market.other_officer, hidden, unconsented, gone]
    ours_ids = {member.user.id for member in ours}  # other tests' officers may match too
    matched = {user_id: n for _officer, user_id, n in found if user_id in ours_ids}
    assert matched == {
        all_three.user.id: 3,
        both.user.id: 2,
        market.officer.user.id: 1,
        market.other_officer.user.id: 1,
    }
    counts = [n for _o, _u, n in found]
    assert counts == sorted(counts, reverse=True)
    ones = [officer_id for officer_id, _u, n in found if n == 1]
    assert ones == sorted(ones)
    assert service.matching_officers(db, market.asking.id, ids, limit=2) == found[:2]
