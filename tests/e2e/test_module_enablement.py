"""Switching optional modules per platform: rules, hooks, events, audit, 404s, menus, events
ignored for a platform that switched the subscriber off."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from adapters.sql.plumbing import inbox, outbox
from adapters.sql.uow import SqlUnitOfWork
from application.core.module import MODULE as CORE
from application.shared.modules import (
    INTERNAL,
    OPTIONAL,
    MenuItem,
    ModuleDefinition,
    ModuleHooks,
    ModuleRegistry,
)
from application.tenancy.access import Access
from application.tenancy.module import MODULE as TENANCY
from contracts.shared.events import IntegrationEvent
from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from entrypoints.http.auth import authorize, require_module
from tests.conftest import make_container
from tests.fakes.tenants import World, build_world

HOOK_CALLS: list[tuple[str, int]] = []
HANDLED: list[str] = []


class AlphaNews(IntegrationEvent):
    event_type = "test.alpha_news"
    version = 1
    text: str


def handle_news(event: AlphaNews, ctx) -> None:  # type: ignore[no-untyped-def]
    HANDLED.append(event.text)


ALPHA = ModuleDefinition(
    code="alpha", name="Alpha", classification=OPTIONAL,
    permissions=("alpha.view",), vendor_permissions=("alpha.view",),
    menus=(MenuItem(area="vendor", key="alpha", label={"en": "Alpha", "fr": "Alpha FR"}, path="/vendor/alpha",
                    permission="alpha.view", order=50),),
    hooks=ModuleHooks(on_enable=lambda platform_id, ctx: HOOK_CALLS.append(("enable", platform_id)),
                      on_disable=lambda platform_id, ctx: HOOK_CALLS.append(("disable", platform_id))),
    subscriptions={AlphaNews: handle_news},
)
BETA = ModuleDefinition(code="beta", name="Beta", classification=OPTIONAL, requires=("alpha",))
OPS = ModuleDefinition(code="ops", name="Ops", classification=INTERNAL)


@pytest.fixture
def app_container(container: Container) -> Iterator[Container]:
    HOOK_CALLS.clear()
    HANDLED.clear()
    c = make_container(container.settings.database_url,
                       registry=ModuleRegistry([CORE, TENANCY, ALPHA, BETA, OPS]))
    yield c
    c.close()


@pytest.fixture
def client(app_container: Container) -> Iterator[TestClient]:
    app = create_app(app_container)
    router = APIRouter()

    @router.get("/api/v1/vendor/{vendor_id}/alpha/ping")
    def ping(vendor_id: int, access: Annotated[Access, authorize("alpha.view")]) -> dict[str, int]:
        return {"pong": vendor_id}

    app.include_router(router, dependencies=[Depends(require_module("alpha"))])
    with TestClient(app) as client:
        yield client


@pytest.fixture
def world(app_container: Container, client: TestClient) -> World:
    return build_world(app_container, client)


def modules_url(world: World, platform: int | None = None) -> str:
    return f"/api/v1/admin/platforms/{platform or world.p1}/modules"


def test_enable_requires_what_the_module_requires(client: TestClient, world: World) -> None:
    h = world.headers["admin_p1"]
    refused = client.post(f"{modules_url(world)}/beta/enable", headers=h)
    assert refused.status_code == 409 and refused.json()["missing"] == "alpha"
    assert "enable alpha first" in refused.json()["detail"]
    assert client.post(f"{modules_url(world)}/alpha/enable", headers=h).json()["enabled"] is True
    assert client.post(f"{modules_url(world)}/beta/enable", headers=h).json()["enabled"] is True
    states = {m["code"]: m["enabled"] for m in client.get(modules_url(world), headers=h).json()}
    assert states == {"core": True, "tenancy": True, "alpha": True, "beta": True}  # no internal module shown
    # Platform 2 is untouched.
    p2 = {m["code"]: m["enabled"] for m in client.get(modules_url(world, world.p2), headers=world.headers["admin_p2"]).json()}
    assert p2["alpha"] is False


def test_disable_is_refused_while_a_dependent_is_on_and_preview_says_why(client: TestClient, world: World) -> None:
    h = world.headers["admin_p1"]
    client.post(f"{modules_url(world)}/alpha/enable", headers=h)
    client.post(f"{modules_url(world)}/beta/enable", headers=h)
    preview = client.get(f"{modules_url(world)}/alpha/disable-preview", headers=h).json()
    assert preview["allowed"] is False and preview["blocked_by"] == ["beta"]
    assert preview["menus"] == ["vendor:/vendor/alpha"]
    refused = client.post(f"{modules_url(world)}/alpha/disable", headers=h)
    assert refused.status_code == 409 and refused.json()["blocked_by"] == "beta"
    assert client.post(f"{modules_url(world)}/beta/disable", headers=h).json()["enabled"] is False
    assert client.get(f"{modules_url(world)}/alpha/disable-preview", headers=h).json()["allowed"] is True
    assert client.post(f"{modules_url(world)}/alpha/disable", headers=h).json()["enabled"] is False


def test_hooks_events_and_audit(client: TestClient, world: World, app_container: Container) -> None:
    h = world.headers["admin_p1"]
    client.post(f"{modules_url(world)}/alpha/enable", headers=h)
    client.post(f"{modules_url(world)}/alpha/enable", headers=h)  # already on: nothing happens twice
    client.post(f"{modules_url(world)}/alpha/disable", headers=h)
    assert [("enable", world.p1), ("disable", world.p1)] == HOOK_CALLS
    with app_container.engine.connect() as c:
        events = c.execute(select(outbox.c.event_type, outbox.c.payload).where(
            outbox.c.event_type.like("tenancy.module_%")).order_by(outbox.c.id)).all()
    assert [(e.event_type, e.payload["module"], e.payload["actor"]) for e in events] == [
        ("tenancy.module_enabled", "alpha", "admin-p1@example.lu"),
        ("tenancy.module_disabled", "alpha", "admin-p1@example.lu"),
    ]
    audit = client.get(f"/api/v1/admin/platforms/{world.p1}/audit-log?action=module.enabled", headers=h).json()
    assert [(e["target_id"], e["actor"]) for e in audit["items"]] == [("alpha", "admin-p1@example.lu")]


def test_internal_modules_are_for_operators_only(client: TestClient, world: World) -> None:
    refused = client.post(f"{modules_url(world)}/ops/enable", headers=world.headers["admin_p1"])
    assert refused.status_code == 403
    assert client.post(f"{modules_url(world)}/ops/enable", headers=world.headers["super"]).json()["enabled"] is True


def test_routes_of_a_disabled_module_answer_404_and_data_stays(client: TestClient, world: World) -> None:
    owner = world.headers["owner_1a"]
    assert client.get(f"/api/v1/vendor/{world.v1a}/alpha/ping", headers=owner).status_code == 404
    client.post(f"{modules_url(world)}/alpha/enable", headers=world.headers["admin_p1"])
    assert client.get(f"/api/v1/vendor/{world.v1a}/alpha/ping", headers=owner).json() == {"pong": world.v1a}
    # Another platform's vendor: the module is off there.
    assert client.get(f"/api/v1/vendor/{world.v2a}/alpha/ping", headers=world.headers["owner_2a"]).status_code == 404


def test_menus_show_enabled_modules_only(client: TestClient, world: World) -> None:
    url = f"/api/v1/vendor/{world.v1a}/menu?lang=fr"
    owner = world.headers["owner_1a"]
    assert "alpha" not in [m["key"] for m in client.get(url, headers=owner).json()]
    client.post(f"{modules_url(world)}/alpha/enable", headers=world.headers["admin_p1"])
    menu = client.get(url, headers=owner).json()
    assert [m["key"] for m in menu] == ["profile", "team", "alpha"] and menu[2]["label"] == "Alpha FR"


def test_event_subscriptions_ignore_platforms_that_switched_the_module_off(
    client: TestClient, world: World, app_container: Container
) -> None:
    client.post(f"{modules_url(world)}/alpha/enable", headers=world.headers["admin_p1"])
    now = datetime(2026, 11, 22, tzinfo=UTC)
    uow = SqlUnitOfWork(app_container.write_sessions)
    with uow:
        uow.publish(AlphaNews(occurred_at=now, platform_id=world.p1, text="for p1"))
        uow.publish(AlphaNews(occurred_at=now, platform_id=world.p2, text="for p2"))
        uow.commit()
    report = app_container.relay.relay()
    assert report.delivered >= 2
    assert HANDLED == ["for p1"]
    with app_container.engine.connect() as c:
        statuses = sorted(c.scalars(select(inbox.c.status).where(inbox.c.subscriber.like("alpha:%"))))
    assert statuses == ["ignored", "processed"]


def test_cli_enable_disable_preview(app_container: Container, world: World) -> None:
    from entrypoints.cli import context
    from entrypoints.cli.main import app

    runner = CliRunner()
    context.use_container(app_container)
    try:
        refused = runner.invoke(app, ["modules", "enable", "beta", "--platform", "p-one"])
        assert refused.exit_code == 1 and "enable alpha first" in refused.stderr
        assert runner.invoke(app, ["modules", "enable", "alpha", "--platform", "p-one"]).output.strip() == "alpha on p-one: enabled"
        runner.invoke(app, ["modules", "enable", "beta", "--platform", "p-one"])
        preview = runner.invoke(app, ["modules", "disable", "alpha", "--platform", "p-one", "--preview"])
        assert "refused" in preview.output and "blocked by: beta" in preview.output
        assert runner.invoke(app, ["modules", "disable", "beta", "--platform", "p-one"]).exit_code == 0
        unknown = runner.invoke(app, ["modules", "enable", "alpha", "--platform", "nope"])
        assert unknown.exit_code == 1 and "no platform with code 'nope'" in unknown.stderr
    finally:
        context.use_container(None)


def test_anonymous_callers_cannot_tell_whether_a_module_is_on(client: TestClient, world: World) -> None:
    off = client.get(f"/api/v1/vendor/{world.v1a}/alpha/ping")
    client.post(f"{modules_url(world)}/alpha/enable", headers=world.headers["admin_p1"])
    on = client.get(f"/api/v1/vendor/{world.v1a}/alpha/ping")
    assert off.status_code == on.status_code == 401
