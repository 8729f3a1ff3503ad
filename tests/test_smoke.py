def test_health(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_me_with_token(client, make):
    council = make.council()
    member = make.user(council, "booker")
    response = client.get("/api/v1/me", headers=member.headers)
    assert response.status_code == 200, response.text
    assert response.json()["roles"] == ["booker"]
