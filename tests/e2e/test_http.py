from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from domain.shared.errors import Conflict, FieldError, LimitExceeded, NotFound, ValidationFailed
from entrypoints.http.app import create_app
from tests.conftest import TEST_REDIS_URL, make_container


@pytest.fixture
def client(container) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(container)) as client:
        yield client


def test_live(client: TestClient) -> None:
    assert client.get("/health/live").json() == {"status": "ok"}


def test_ready_on_a_migrated_database(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert {"database", "migrations", "module:core"} <= set(body["checks"])


def test_ready_names_each_failing_part(empty_database_url: str) -> None:
    unmigrated = make_container(empty_database_url)
    with TestClient(create_app(unmigrated)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations", "module:core"]
    assert "core_task_runs" in response.json()["checks"]["module:core"]["detail"]


def test_ready_checks_redis_when_configured(container, empty_database_url: str) -> None:  # type: ignore[no-untyped-def]
    broken = make_container(container.settings.database_url, redis_url="redis://127.0.0.1:1/0")
    with TestClient(create_app(broken)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]


@pytest.mark.skipif(not TEST_REDIS_URL, reason="needs WIZAMART_TEST_REDIS_URL")
def test_ready_with_a_real_redis(container) -> None:  # type: ignore[no-untyped-def]
    with_redis = make_container(container.settings.database_url, redis_url=TEST_REDIS_URL)
    with TestClient(create_app(with_redis)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"]["ok"] is True


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    assert client.get("/health/live", headers={"X-Request-ID": "req-42"}).headers["x-request-id"] == "req-42"
    generated = client.get("/health/live").headers["x-request-id"]
    assert len(generated) == 32
    # Anything that is not a plain token is replaced, never reflected.
    assert client.get("/health/live", headers={"X-Request-ID": "a b\x7f"}).headers["x-request-id"] != "a b\x7f"


def test_admin_routes_need_a_super_admin_token(client: TestClient, container, admin_headers) -> None:  # type: ignore[no-untyped-def]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/admin/modules", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] in {
            "https://wizamart.lu/problems/unauthenticated", "https://wizamart.lu/problems/unauthorized"}
    response = client.get("/api/v1/admin/modules", headers=admin_headers(client))
    assert response.status_code == 200
    assert [m["code"] for m in response.json()] == container.registry.codes


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here", headers={"X-Request-ID": "r1"})
    assert response.status_code == 404
    assert response.json() == {
        "type": "https://wizamart.lu/problems/not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "Not Found",
        "instance": "/api/v1/nothing-here",
        "request_id": "r1",
    }


def test_validation_problem_lists_each_bad_field(client: TestClient, admin_headers) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/admin/audit-log?limit=0&offset=-1", headers=admin_headers(client))
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "https://wizamart.lu/problems/validation"
    assert sorted(p["name"] for p in body["invalid_params"]) == ["query.limit", "query.offset"]


def test_audit_log_listing(client: TestClient, admin_headers) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/admin/audit-log", headers=admin_headers(client))
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["limit"], body["offset"]) == (1, 50, 0)
    assert body["items"][0]["action"] == "user.created"


class Payload(BaseModel):
    sku: str = Field(min_length=1)
    price: int = Field(ge=0)


@pytest.fixture
def error_client(container) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    app = create_app(container)
    router = APIRouter()
    errors = {
        "not-found": NotFound("vendor 7 not found"),
        "conflict": Conflict("sku already exists", field="sku"),
        "validation": ValidationFailed(errors=[FieldError("price", "must not be negative")]),
        "limit": LimitExceeded("plan allows 100 products", limit="products"),
    }

    @router.get("/raise/{kind}")
    def raise_(kind: str) -> None:
        raise errors[kind]

    @router.post("/echo")
    def echo(payload: Payload) -> Payload:
        return payload

    app.include_router(router)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    ("kind", "status", "problem_type", "extra"),
    [
        ("not-found", 404, "not-found", {}),
        ("conflict", 409, "conflict", {"field": "sku"}),
        ("validation", 422, "validation", {"invalid_params": [{"name": "price", "reason": "must not be negative"}]}),
        ("limit", 402, "limit-exceeded", {"limit": "products"}),
    ],
)
def test_domain_errors_map_to_stable_problem_types(
    error_client: TestClient, kind: str, status: int, problem_type: str, extra: dict[str, object]
) -> None:
    response = error_client.get(f"/raise/{kind}")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"https://wizamart.lu/problems/{problem_type}"
    assert body["status"] == status
    for key, value in extra.items():
        assert body[key] == value


def test_body_validation_names_fields(error_client: TestClient) -> None:
    response = error_client.post("/echo", json={"sku": "", "price": -1})
    assert response.status_code == 422
    assert sorted(p["name"] for p in response.json()["invalid_params"]) == ["price", "sku"]


def test_openapi_documents_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/health/live", "/health/ready", "/api/v1/admin/modules", "/api/v1/admin/audit-log"} <= set(spec["paths"])
    assert "Problem" in spec["components"]["schemas"]
