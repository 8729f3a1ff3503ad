"""Search shows exactly the officers other councils may see (`officers.is_listed`, and an
active account). Search says "council in the pool" of each week's council, which is the
officer's, and works out the current consent versions once (issue 16: PostgreSQL planned a
light search for longer than it ran); these tests hold it to the definition."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from app.auth import service as auth
from app.auth.models import User
from app.councils import agreement
from app.officers import service as officers
from app.officers.models import Officer
from tests.factories import approved_week


def test_officer_search_finds_exactly_the_listed_officers(client, make, db):
    word = "li" + uuid.uuid4().hex[:10]
    lending = [make.council(), make.council()]
    people = {}
    for council, names in zip(lending, ("ABCD", "EF"), strict=True):
        manager = make.user(council, "manager")
        for name in names:
            people[name] = make.officer(council, name=f"{name} {word}")
            approved_week(db, people[name], manager, "2026-W50", 2)
    booker = make.user(make.council(), "booker")

    def found() -> list[str]:
        seen = []
        for params in ({"q": word}, {"q": word, "week": "2026-W50"}):
            response = client.get("/api/v1/search/officers", params=params, headers=booker.headers)
            assert response.status_code == 200, response.text
            seen.append(sorted(i["officer"]["display_name"][0] for i in response.json()["items"]))
        assert seen[0] == seen[1]
        return seen[0]

    def listed() -> list[str]:
        shown = []
        for name, member in people.items():
            officer = db.scalar(select(Officer).where(Officer.user_id == member.user.id))
            db.refresh(officer)
            if officers.is_listed(db, officer) and member.user.active:
                shown.append(name)
        return shown

    assert found() == listed() == list("ABCDEF")
    db.execute(update(Officer).where(Officer.user_id == people["A"].user.id).values(visible=False))
    db.execute(update(User).where(User.id == people["B"].user.id).values(active=False))
    db.execute(
        update(Officer).where(Officer.user_id == people["C"].user.id).values(consent_version=None)
    )
    db.commit()
    db.expire_all()
    assert found() == listed() == list("DEF")
    admin = make.user(lending[1], "council_admin")
    agreement.leave_pool(db, auth.actor_for(admin.user, "token"), lending[1].id)
    db.commit()
    db.expire_all()
    assert found() == listed() == ["D"]
