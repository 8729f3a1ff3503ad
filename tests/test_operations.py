"""Operations: security headers, request ids, health, the SPA, the OpenAPI document, and GET
requests that never change state."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.models import Base


def test_security_headers_on_every_response(client):
    for path in ("/api/health", "/api/v1/me", "/", "/api/v1/nope"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "object-src 'none'" in csp
        assert "base-uri 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self';" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
        assert "strict-transport-security" not in response.headers  # plain HTTP here


def test_hsts_when_served_over_https(app):
    with TestClient(app, base_url="https://testserver") as https_client:
        response = https_client.get("/api/health")
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_every_response_carries_a_request_id(client):
    generated = client.get("/api/health").headers["x-request-id"]
    assert len(generated) >= 16
    echoed = client.get("/api/health", headers={"X-Request-ID": "abc-123-def-456"})
    assert echoed.headers["x-request-id"] == "abc-123-def-456"
    bogus = client.get("/api/health", headers={"X-Request-ID": "<script>"})
    assert bogus.headers["x-request-id"] != "<script>"


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    engine = make_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    app = create_app(session_factory=sessionmaker(bind=engine))
    with TestClient(app) as down:
        response = down.get("/api/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_unknown_api_paths_are_problem_404(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_wrong_method_is_405_with_every_allowed_method(client):
    response = client.put("/api/v1/auth/tokens")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST"}


def test_spa_routes_fall_back_to_index_html(tmp_path, session_factory):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.js").write_text("console.log(1)")
    (tmp_path / "index.html").write_text("<!doctype html><title>SPA</title>")
    app = create_app(Settings(static_dir=tmp_path), session_factory=session_factory)
    with TestClient(app) as spa:
        for path in ("/", "/profile", "/council/users"):
            page = spa.get(path)
            assert page.status_code == 200 and "<title>SPA</title>" in page.text
        assert spa.get("/assets/app.js").text == "console.log(1)"
        assert spa.get("/assets/missing.js").status_code == 404


def test_openapi_and_docs_are_served(client):
    document = client.get("/api/openapi.json").json()
    assert "/api/v1/auth/login" in document["paths"]
    assert "Problem" in document["components"]["schemas"]
    assert client.get("/api/docs").status_code == 200


def test_get_requests_never_change_state(client, make, db):
    council = make.council()
    admin = make.user(council, "council_admin", "officer", "finance", "manager")
    db.commit()

    def counts():
        return {
            t.name: db.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }

    before = counts()
    document = client.get("/api/openapi.json").json()
    for path, operations in document["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        assert client.get(path, headers=admin.headers).status_code < 500
    assert counts() == before
