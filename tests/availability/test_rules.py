"""Every change is audited; refused requests change nothing."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.availability.models import Availability, StandingPermission
from app.notifications.models import OutboxMessage
from tests.availability.helpers import API, audit_actions, count, listed, officer_id, put_week


def test_every_change_writes_an_audit_event(client, db, council, officer, manager):
    seen = Counter()

    def new_events():
        now = Counter(audit_actions(db, council))
        now.update(audit_actions(db, council, "standing_permission"))
        added = now - seen
        seen.update(added)
        return dict(added)

    week = listed(client, officer, "2026-W50", 10)
    assert new_events() == {"availability.set": 1}
    listed(client, officer, "2026-W50", 10)
    assert new_events() == {}  # no change, no event
    client.post(f"{API}/availability/{week['id']}/approve", headers=manager.headers)
    assert new_events() == {"availability.approve": 1}
    listed(client, officer, "2026-W50", 12)
    assert new_events() == {"availability.set": 1}
    client.post(f"{API}/availability/{week['id']}/reject", json={"reason": "No"},
                headers=manager.headers)
    assert new_events() == {"availability.reject": 1}
    listed(client, officer, "2026-W50", 8)
    assert new_events() == {"availability.set": 1}
    listed(client, officer, "2026-W50", 8, single_booking=True)
    assert new_events() == {"availability.set": 1}
    client.delete(f"{API}/officers/me/availability/2026-W50", headers=officer.headers)
    assert new_events() == {"availability.withdraw": 1}
    client.delete(f"{API}/officers/me/availability/2026-W50", headers=officer.headers)
    assert new_events() == {}
    client.post(f"{API}/officers/me/availability/plan",
                json={"from_week": "2026-W51", "weeks": 2, "hours": 3}, headers=officer.headers)
    assert new_events() == {"availability.set": 2}
    client.post(f"{API}/approvals/approve", headers=manager.headers)
    assert new_events() == {"availability.approve": 2}
    listed(client, officer, "2026-W53", 4)
    permission = client.post(f"{API}/officers/{officer_id(client, officer)}/permissions",
                             json={"max_hours_per_week": 5, "valid_from": "2026-11-30"},
                             headers=manager.headers).json()
    assert new_events() == {"availability.set": 1, "permission.create": 1,
                            "availability.approve": 1}
    client.delete(f"{API}/permissions/{permission['id']}", headers=manager.headers)
    assert new_events() == {"permission.end": 1}

    events = db.scalars(select(AuditEvent).where(
        AuditEvent.entity == "availability",
        AuditEvent.actor_user_id.in_([officer.id, manager.id]))).all()
    assert len(events) == 13
    assert {e.council_id for e in events} == {council.id}
    assert {e.actor_user_id for e in events} == {officer.id, manager.id}
    reject = next(e for e in events if e.action == "availability.reject")
    assert reject.data["reason"] == "No" and reject.data["refused_minutes"] == 120


def _counts(db):
    return {model.__name__: count(db, model)
            for model in (Availability, StandingPermission, AuditEvent, OutboxMessage)}


def test_bad_input_changes_nothing(client, db, make, council, officer, manager):
    week = listed(client, officer, "2026-W50", 10)
    other_officer = make.officer(make.council())
    before = _counts(db)
    uuid_of_officer = officer_id(client, officer)
    refused = [
        put_week(client, officer, "2026-W50", 0.3),
        put_week(client, officer, "2026-W50", -2),
        put_week(client, officer, "2026-W50", 61),
        put_week(client, officer, "2026-W48", 2),
        put_week(client, officer, "2026-W60", 2),
        put_week(client, make.officer(council, consent=False), "2026-W50", 2),
        client.put(f"{API}/officers/me/availability/2026-W51", content=b"{not json",
                   headers={**officer.headers, "content-type": "application/json"}),
        client.post(f"{API}/officers/me/availability/plan",
                    json={"from_week": "2026-W50", "weeks": 60, "hours": 2},
                    headers=officer.headers),
        client.post(f"{API}/officers/me/availability/plan",
                    json={"from_week": "2026-W48", "weeks": 4, "hours": 2},
                    headers=officer.headers),
        client.post(f"{API}/availability/{week['id']}/reject", json={"reason": ""},
                    headers=manager.headers),
        client.post(f"{API}/availability/{week['id']}/approve", headers=officer.headers),
        client.post(f"{API}/availability/{week['id']}/approve",
                    headers=make.user(make.council(), "manager").headers),
        client.post(f"{API}/officers/{uuid_of_officer}/permissions",
                    json={"max_hours_per_week": 0.1, "valid_from": "2026-12-01"},
                    headers=manager.headers),
        client.post(f"{API}/officers/{officer_id(client, other_officer)}/permissions",
                    json={"max_hours_per_week": 5, "valid_from": "2026-12-01"},
                    headers=manager.headers),
        client.delete(f"{API}/officers/me/availability/2026-W52", headers=officer.headers),
        client.post(f"{API}/approvals/approve", json={"ids": "all"}, headers=manager.headers),
    ]
    assert [r.status_code for r in refused] == [
        422, 422, 422, 422, 422, 409, 400, 422, 422, 422, 403, 404, 422, 404, 404, 422,
    ]
    for response in refused:
        assert response.headers["content-type"].startswith("application/problem+json")
    # The consent-less officer and the other council's manager were made in between: their
    # own rows aside, nothing changed.
    after = _counts(db)
    assert after["Availability"] == before["Availability"]
    assert after["StandingPermission"] == before["StandingPermission"]
    assert after["OutboxMessage"] == before["OutboxMessage"]
    assert audit_actions(db, council) == ["availability.set"]
    assert audit_actions(db, council, "standing_permission") == []
