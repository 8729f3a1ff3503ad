from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent


def test_changes_write_audit_events_readable_by_admins_of_that_council(client, make):
    council = make.council()
    admin = make.user(council, "council_admin")
    finance = make.user(council, "finance")
    booker = make.user(council, "booker")
    url = f"/api/v1/councils/{council.id}/settings"
    assert client.patch(url, json={"po_required": True}, headers=admin.headers).status_code == 200
    events = client.get(
        f"/api/v1/audit?entity=council&entity_id={council.id}", headers=finance.headers
    )
    assert events.status_code == 200
    actions = [e["action"] for e in events.json()["items"]]
    assert actions[0] == "council_settings.update"  # newest first
    assert events.json()["items"][0]["actor_user_id"] == str(admin.id)
    assert client.get("/api/v1/audit", headers=booker.headers).status_code == 403
    other_admin = make.user(make.council(), "council_admin")
    theirs = client.get(f"/api/v1/audit?entity_id={council.id}", headers=other_admin.headers)
    assert theirs.json()["items"] == []


def test_a_failed_change_writes_no_audit_event(client, make, db):
    council = make.council()
    admin = make.user(council, "council_admin")
    before = db.scalar(select(func.count()).select_from(AuditEvent))
    response = client.patch(
        f"/api/v1/councils/{council.id}/settings",
        json={"vat_treatment": "zero"},
        headers=admin.headers,
    )
    assert response.status_code == 422
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == before


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_change_audit_events(make, db, statement):
    make.council()
    event_id = db.scalar(select(AuditEvent.id).limit(1))
    stmt = (
        update(AuditEvent).where(AuditEvent.id == event_id).values(summary="rewritten")
        if statement == "update"
        else delete(AuditEvent).where(AuditEvent.id == event_id)
    )
    with pytest.raises(IntegrityError), db.begin_nested():
        db.execute(stmt)
