"""Tenancy over HTTP: sign-in, sessions, tenants, isolation, bad input."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from adapters.sql.plumbing import outbox
from application.shared.clock import FrozenClock
from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from tests.conftest import make_container
from tests.fakes.accounts import PASSWORD, RecordingMailer
from tests.fakes.tenants import World, build_world

START = datetime(2026, 11, 22, 9, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def app_container(container: Container, clock: FrozenClock) -> Iterator[Container]:
    c = make_container(container.settings.database_url, clock=clock)
    c.module_services("tenancy").mailer = RecordingMailer()
    yield c
    c.close()


@pytest.fixture
def client(app_container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(app_container)) as client:
        yield client


@pytest.fixture
def world(app_container: Container, client: TestClient) -> World:
    return build_world(app_container, client)


def mailer(c: Container) -> RecordingMailer:
    return c.module_services("tenancy").mailer


# ---------------------------------------------------------------- sign-in and sessions
def test_login_me_and_permissions(client: TestClient, world: World) -> None:
    me = client.get("/api/v1/me", headers=world.headers["owner_1a"]).json()
    assert me["user"]["email"] == "owner-1a@example.lu"
    assert [(m["vendor_id"], m["role"]) for m in me["memberships"]] == [(world.v1a, "owner")]
    assert "tenancy.team.manage" in me["permissions"][f"vendor:{world.v1a}"]
    assert "password" not in str(me) and "hash" not in str(me)
    staff = client.get("/api/v1/me", headers=world.headers["staff_1a"]).json()
    assert staff["permissions"][f"vendor:{world.v1a}"] == ["billing.view", "catalog.view", "marketplace.view", "tenancy.profile.view",
                                                           "tenancy.team.view"]


def test_wrong_password_and_unknown_email_answer_alike(client: TestClient, world: World) -> None:
    wrong = client.post("/api/v1/auth/login", json={"email": "owner-1a@example.lu", "password": "nope nope nope"})
    unknown = client.post("/api/v1/auth/login", json={"email": "ghost@example.lu", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"] == "invalid email or password"


def test_repeated_failures_lock_the_email_with_backoff(client: TestClient, world: World, clock: FrozenClock) -> None:
    bad = {"email": "owner-1a@example.lu", "password": "wrong password!"}
    for _ in range(5):
        assert client.post("/api/v1/auth/login", json=bad).status_code == 401
    locked = client.post("/api/v1/auth/login", json={"email": "owner-1a@example.lu", "password": PASSWORD})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert locked.json()["type"].endswith("/too-many-attempts")
    # Unknown emails are locked the same way (no hint that they do not exist).
    for _ in range(5):
        client.post("/api/v1/auth/login", json={"email": "ghost@example.lu", "password": "x" * 12})
    assert client.post("/api/v1/auth/login", json={"email": "ghost@example.lu", "password": "x" * 12}).status_code == 429
    clock.advance(timedelta(minutes=2))
    assert client.post("/api/v1/auth/login", json={"email": "owner-1a@example.lu", "password": PASSWORD}).status_code == 200


def test_refresh_rotates_and_reuse_revokes_the_family(client: TestClient, world: World) -> None:
    first = client.post("/api/v1/auth/login", json={"email": "owner-1a@example.lu", "password": PASSWORD}).json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    # The thief's reuse ended the whole session: the legitimate newer token is dead too.
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}).status_code == 401


def test_logout_revokes_the_session(client: TestClient, world: World) -> None:
    pair = client.post("/api/v1/auth/login", json={"email": "owner-1a@example.lu", "password": PASSWORD}).json()
    assert client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]}).status_code == 204
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401


def test_expired_forged_and_tampered_tokens_are_401(client: TestClient, world: World, clock: FrozenClock,
                                                    app_container: Container) -> None:
    good = world.headers["owner_1a"]["Authorization"].split()[1]
    header, payload, signature = good.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    forged = jwt.encode({"sub": str(world.users["super"]), "iat": int(START.timestamp()),
                         "exp": int((START + timedelta(hours=1)).timestamp()), "iss": "wizamart", "typ": "access"},
                        "not-our-secret-key-at-all-0123456789", algorithm="HS256")
    unsigned = jwt.encode({"sub": "1"}, None, algorithm="none")
    for token in (tampered, forged, unsigned, "garbage", ""):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
        assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/me").status_code == 401
    clock.advance(timedelta(minutes=16))  # access tokens live 15 minutes
    assert client.get("/api/v1/me", headers=world.headers["owner_1a"]).status_code == 401


def test_change_password(client: TestClient, world: World) -> None:
    h = world.headers["owner_1a"]
    pair = client.post("/api/v1/auth/login", json={"email": "owner-1a@example.lu", "password": PASSWORD}).json()
    wrong = client.post("/api/v1/auth/password", headers=h,
                        json={"current_password": "not it at all", "new_password": "a brand new secret"})
    assert wrong.status_code == 422 and wrong.json()["invalid_params"][0]["name"] == "current_password"
    short = client.post("/api/v1/auth/password", headers=h, json={"current_password": PASSWORD, "new_password": "short"})
    assert short.status_code == 422 and short.json()["invalid_params"][0]["name"] == "new_password"
    ok = client.post("/api/v1/auth/password", headers=h,
                     json={"current_password": PASSWORD, "new_password": "a brand new secret"})
    assert ok.status_code == 204
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    assert client.post("/api/v1/auth/login", json={"email": "owner-1a@example.lu",
                                                   "password": "a brand new secret"}).status_code == 200


def test_password_reset_by_emailed_token(client: TestClient, world: World, app_container: Container) -> None:
    unknown = client.post("/api/v1/auth/password-reset/request", json={"email": "ghost@example.lu"})
    known = client.post("/api/v1/auth/password-reset/request", json={"email": "Owner-1A@example.lu"})
    assert unknown.status_code == known.status_code == 202 and unknown.json() == known.json()
    sent = mailer(app_container).sent
    assert [to for to, _, _ in sent] == ["owner-1a@example.lu"]
    token = mailer(app_container).last_token("owner-1a@example.lu")
    assert client.post("/api/v1/auth/password-reset", json={"token": token, "new_password": "reset and fresh"}).status_code == 204
    again = client.post("/api/v1/auth/password-reset", json={"token": token, "new_password": "another one here"})
    assert again.status_code == 401
    assert client.post("/api/v1/auth/login", json={"email": "owner-1a@example.lu", "password": "reset and fresh"}).status_code == 200


# ------------------------------------------------------------------------- isolation
FOREIGN_VENDOR_ROUTES = [
    ("get", "/api/v1/vendor/{v}/profile", None),
    ("patch", "/api/v1/vendor/{v}/profile", {"name": "Hijacked"}),
    ("get", "/api/v1/vendor/{v}/team", None),
    ("post", "/api/v1/vendor/{v}/team", {"email": "x@example.lu", "name": "X", "role": "staff"}),
    ("patch", "/api/v1/vendor/{v}/team/1", {"role": "staff"}),
    ("delete", "/api/v1/vendor/{v}/team/1", None),
    ("get", "/api/v1/vendor/{v}/menu", None),
]
FOREIGN_PLATFORM_ROUTES = [
    ("get", "/api/v1/admin/platforms/{p}", None),
    ("patch", "/api/v1/admin/platforms/{p}", {"name": "Hijacked"}),
    ("patch", "/api/v1/admin/platforms/{p}/companies/1", {"legal_name": "Hijacked"}),
    ("patch", "/api/v1/admin/platforms/{p}/vendors/{v}", {"name": "Hijacked"}),
    ("post", "/api/v1/admin/platforms/{p}/vendors/{v}/close", None),
    ("get", "/api/v1/admin/platforms/{p}/companies", None),
    ("post", "/api/v1/admin/platforms/{p}/companies", {"legal_name": "X"}),
    ("get", "/api/v1/admin/platforms/{p}/vendors", None),
    ("post", "/api/v1/admin/platforms/{p}/vendors", {"company_id": 1, "code": "xx", "name": "X"}),
    ("get", "/api/v1/admin/platforms/{p}/vendors/{v}", None),
    ("post", "/api/v1/admin/platforms/{p}/vendors/{v}/suspend", None),
    ("get", "/api/v1/admin/platforms/{p}/users", None),
    ("post", "/api/v1/admin/platforms/{p}/users", {"email": "y@example.lu", "name": "Y", "password": "long enough pw"}),
    ("get", "/api/v1/admin/platforms/{p}/memberships", None),
    ("post", "/api/v1/admin/platforms/{p}/memberships", {"user_id": 1, "role": "platform_admin"}),
    ("delete", "/api/v1/admin/platforms/{p}/memberships/1", None),
    ("get", "/api/v1/admin/platforms/{p}/roles", None),
    ("put", "/api/v1/admin/platforms/{p}/roles/staff", {"permissions": []}),
    ("get", "/api/v1/admin/platforms/{p}/modules", None),
    ("get", "/api/v1/admin/platforms/{p}/modules/core/disable-preview", None),
    ("post", "/api/v1/admin/platforms/{p}/modules/core/enable", None),
    ("get", "/api/v1/admin/platforms/{p}/audit-log", None),
]


def call(client: TestClient, method: str, path: str, headers: dict[str, str], body: object):  # type: ignore[no-untyped-def]
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["json"] = body
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize(("method", "template", "body"), FOREIGN_VENDOR_ROUTES)
def test_vendor_routes_answer_404_to_another_tenant(client: TestClient, world: World, method: str,
                                                    template: str, body: object) -> None:
    for actor, foreign_vendor in (("owner_1a", world.v1b), ("owner_1a", world.v2a), ("admin_p1", world.v2a),
                                  ("owner_2a", world.v1a)):
        response = call(client, method, template.format(v=foreign_vendor), world.headers[actor], body)
        assert response.status_code == 404, (actor, template, response.json())
    before = client.get(f"/api/v1/vendor/{world.v1b}/profile", headers=world.headers["owner_1b"]).json()
    assert before["name"] == "Vendor 1b"  # nothing was changed by the refused calls


@pytest.mark.parametrize(("method", "template", "body"), FOREIGN_PLATFORM_ROUTES)
def test_admin_routes_answer_404_to_another_tenant(client: TestClient, world: World, method: str,
                                                   template: str, body: object) -> None:
    for actor, platform, vendor in (("admin_p1", world.p2, world.v2a), ("admin_p2", world.p1, world.v1a),
                                    ("owner_1a", world.p1, world.v1a), ("owner_1a", world.p2, world.v2a)):
        response = call(client, method, template.format(p=platform, v=vendor), world.headers[actor], body)
        assert response.status_code == 404, (actor, template, response.json())


def test_a_vendor_of_another_platform_in_the_path_is_404_even_for_its_platform_admin(client: TestClient, world: World) -> None:
    mixed = client.get(f"/api/v1/admin/platforms/{world.p1}/vendors/{world.v2a}", headers=world.headers["admin_p2"])
    assert mixed.status_code == 404


def test_related_tenant_without_permission_is_403(client: TestClient, world: World) -> None:
    staff = world.headers["staff_1a"]
    assert client.get(f"/api/v1/vendor/{world.v1a}/team", headers=staff).status_code == 200
    invite = client.post(f"/api/v1/vendor/{world.v1a}/team", headers=staff,
                         json={"email": "new@example.lu", "name": "New", "role": "staff"})
    assert invite.status_code == 403 and "tenancy.team.manage" in invite.json()["detail"]
    assert client.get("/api/v1/admin/users", headers=world.headers["admin_p1"]).status_code == 403
    assert client.get("/api/v1/admin/tasks/runs", headers=world.headers["admin_p1"]).status_code == 403


def test_platform_admin_sees_own_platform_only(client: TestClient, world: World) -> None:
    listed = client.get("/api/v1/admin/platforms", headers=world.headers["admin_p1"]).json()
    assert [p["id"] for p in listed] == [world.p1]
    vendors = client.get(f"/api/v1/admin/platforms/{world.p1}/vendors", headers=world.headers["admin_p1"]).json()
    assert {v["id"] for v in vendors} == {world.v1a, world.v1b}
    everything = client.get("/api/v1/admin/platforms", headers=world.headers["super"]).json()
    assert {p["id"] for p in everything} >= {world.p1, world.p2}


# --------------------------------------------------------------------------- bad input
def test_duplicates_are_409_naming_the_field(client: TestClient, world: World) -> None:
    h = world.headers["super"]
    dup_platform = client.post("/api/v1/admin/platforms", headers=h, json={"code": "p-one", "name": "Again"})
    assert dup_platform.status_code == 409 and dup_platform.json()["field"] == "code"
    dup_vendor = client.post(f"/api/v1/admin/platforms/{world.p1}/vendors", headers=h,
                             json={"company_id": world.c1, "code": "v-1a", "name": "Again"})
    assert dup_vendor.status_code == 409 and dup_vendor.json()["field"] == "code"
    # The same vendor code on another platform is fine.
    other = client.post(f"/api/v1/admin/platforms/{world.p2}/vendors", headers=h,
                        json={"company_id": world.c2, "code": "v-1a", "name": "Twin"})
    assert other.status_code == 201
    dup_user = client.post("/api/v1/admin/users", headers=h,
                           json={"email": "OWNER-1A@example.lu", "name": "Dup", "password": "long enough pw"})
    assert dup_user.status_code == 409 and dup_user.json()["field"] == "email"


def test_invalid_vat_email_and_language_are_422_naming_the_field(client: TestClient, world: World) -> None:
    h = world.headers["super"]
    vat = client.post(f"/api/v1/admin/platforms/{world.p1}/companies", headers=h,
                      json={"legal_name": "Bad VAT", "vat_id": "LU12345678"})
    assert vat.status_code == 422 and vat.json()["invalid_params"][0]["name"] == "vat_id"
    good = client.post(f"/api/v1/admin/platforms/{world.p1}/companies", headers=h,
                       json={"legal_name": "Good VAT", "vat_id": "LU 2637 5245"})
    assert good.status_code == 201 and good.json()["vat_id"] == "LU26375245"
    email = client.post("/api/v1/admin/users", headers=h, json={"email": "not-an-email", "name": "X",
                                                               "password": "long enough pw"})
    assert email.status_code == 422 and email.json()["invalid_params"][0]["name"] == "email"
    language = client.post("/api/v1/admin/platforms", headers=h,
                           json={"code": "p-lang", "name": "L", "languages": ["en", "xx"]})
    assert language.status_code == 422 and language.json()["invalid_params"][0]["name"].startswith("languages")
    code = client.post("/api/v1/admin/platforms", headers=h, json={"code": "Bad Code!", "name": "L"})
    assert code.status_code == 422 and code.json()["invalid_params"][0]["name"] == "code"


def test_platform_admin_cannot_create_a_super_admin(client: TestClient, world: World) -> None:
    response = client.post(f"/api/v1/admin/platforms/{world.p1}/users", headers=world.headers["admin_p1"],
                           json={"email": "evil@example.lu", "name": "E", "password": "long enough pw",
                                 "is_super_admin": True})
    assert response.status_code == 403


# ------------------------------------------------------------------------------- team
def test_team_invite_change_role_and_last_owner(client: TestClient, world: World, app_container: Container) -> None:
    h = world.headers["owner_1a"]
    invited = client.post(f"/api/v1/vendor/{world.v1a}/team", headers=h,
                          json={"email": "New.Member@example.lu", "name": "New Member", "role": "manager"})
    assert invited.status_code == 201
    member = invited.json()
    assert (member["email"], member["role"]) == ("new.member@example.lu", "manager")
    token = mailer(app_container).last_token("new.member@example.lu")
    assert client.post("/api/v1/auth/password-reset", json={"token": token, "new_password": "my own password"}).status_code == 204
    assert client.post("/api/v1/auth/login", json={"email": "new.member@example.lu",
                                                   "password": "my own password"}).status_code == 200
    again = client.post(f"/api/v1/vendor/{world.v1a}/team", headers=h,
                        json={"email": "new.member@example.lu", "name": "Again", "role": "staff"})
    assert again.status_code == 409

    team = {m["email"]: m for m in client.get(f"/api/v1/vendor/{world.v1a}/team", headers=h).json()}
    owner = team["owner-1a@example.lu"]
    last = client.patch(f"/api/v1/vendor/{world.v1a}/team/{owner['membership_id']}", headers=h, json={"role": "staff"})
    assert last.status_code == 409 and "at least one owner" in last.json()["detail"]
    assert client.delete(f"/api/v1/vendor/{world.v1a}/team/{owner['membership_id']}", headers=h).status_code == 409
    promoted = client.patch(f"/api/v1/vendor/{world.v1a}/team/{member['membership_id']}", headers=h, json={"role": "owner"})
    assert promoted.json()["role"] == "owner"
    assert client.delete(f"/api/v1/vendor/{world.v1a}/team/{owner['membership_id']}", headers=h).status_code == 204
    # A membership of another vendor cannot be reached through this vendor's path.
    other = client.get(f"/api/v1/vendor/{world.v1b}/team", headers=world.headers["owner_1b"]).json()[0]
    hijack = client.delete(f"/api/v1/vendor/{world.v1a}/team/{other['membership_id']}", headers=world.headers["admin_p1"])
    assert hijack.status_code == 404


def test_vendor_profile_and_audit(client: TestClient, world: World) -> None:
    h = world.headers["owner_1a"]
    updated = client.patch(f"/api/v1/vendor/{world.v1a}/profile", headers=h,
                           json={"name": "Renamed", "languages": ["fr", "de"]})
    assert updated.status_code == 200 and updated.json()["languages"] == ["fr", "de"]
    audit = client.get(f"/api/v1/admin/platforms/{world.p1}/audit-log", headers=world.headers["admin_p1"]).json()
    entry = next(e for e in audit["items"] if e["action"] == "vendor.profile_updated")
    assert entry["actor"] == "owner-1a@example.lu" and entry["vendor_id"] == world.v1a
    assert entry["request_id"]
    p2_audit = client.get(f"/api/v1/admin/platforms/{world.p2}/audit-log", headers=world.headers["admin_p2"]).json()
    assert all(e["platform_id"] == world.p2 for e in p2_audit["items"])


def test_vendor_created_event_is_published(client: TestClient, world: World, app_container: Container) -> None:
    with app_container.engine.connect() as c:
        rows = c.execute(select(outbox.c.event_type, outbox.c.vendor_id, outbox.c.platform_id)
                         .where(outbox.c.event_type == "tenancy.vendor_created")).all()
    assert {(r.vendor_id, r.platform_id) for r in rows} >= {(world.v1a, world.p1), (world.v2a, world.p2)}


def test_suspend_vendor(client: TestClient, world: World) -> None:
    h = world.headers["admin_p1"]
    suspended = client.post(f"/api/v1/admin/platforms/{world.p1}/vendors/{world.v1b}/suspend", headers=h)
    assert suspended.json()["status"] == "suspended"
    back = client.post(f"/api/v1/admin/platforms/{world.p1}/vendors/{world.v1b}/reactivate", headers=h)
    assert back.json()["status"] == "active"
    assert client.post(f"/api/v1/admin/platforms/{world.p1}/vendors/{world.v1b}/explode", headers=h).status_code == 422


def test_roles_are_editable_per_platform_within_bounds(client: TestClient, world: World) -> None:
    h = world.headers["admin_p1"]
    roles = {r["name"]: r["permissions"] for r in client.get(f"/api/v1/admin/platforms/{world.p1}/roles", headers=h).json()}
    assert set(roles) == {"platform_admin", "owner", "manager", "staff"}
    assert "tenancy.team.manage" in roles["owner"] and "tenancy.team.manage" not in roles["manager"]
    bad = client.put(f"/api/v1/admin/platforms/{world.p1}/roles/staff", headers=h,
                     json={"permissions": ["tenancy.platforms.manage"]})
    assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "permissions"
    ok = client.put(f"/api/v1/admin/platforms/{world.p1}/roles/staff", headers=h,
                    json={"permissions": ["tenancy.profile.view"]})
    assert ok.json()["permissions"] == ["tenancy.profile.view"]
    # Staff of p1 lost team.view; p2's staff role is untouched.
    assert client.get(f"/api/v1/vendor/{world.v1a}/team", headers=world.headers["staff_1a"]).status_code == 403
    p2_roles = {r["name"]: r["permissions"] for r in client.get(f"/api/v1/admin/platforms/{world.p2}/roles",
                                                                 headers=world.headers["admin_p2"]).json()}
    assert "tenancy.team.view" in p2_roles["staff"]


def test_menus_follow_permissions_and_language(client: TestClient, world: World) -> None:
    owner = client.get(f"/api/v1/vendor/{world.v1a}/menu?lang=fr", headers=world.headers["owner_1a"]).json()
    assert [(m["key"], m["label"]) for m in owner] == [("profile", "Profil de la boutique"), ("team", "Équipe"),
                                                      ("products", "Produits")]
    staff_de = client.get(f"/api/v1/vendor/{world.v1a}/menu?lang=de", headers=world.headers["staff_1a"]).json()
    assert [m["label"] for m in staff_de] == ["Shop-Profil", "Team", "Produkte"]
    admin = [m["key"] for m in client.get("/api/v1/admin/menu", headers=world.headers["super"]).json()]
    assert admin == ["platforms", "vendors", "users", "modules", "tiers", "marketplace-imports", "audit-log", "background-tasks"]
    assert client.get("/api/v1/admin/menu", headers=world.headers["owner_1a"]).json() == []


def test_core_modules_cannot_be_switched(client: TestClient, world: World) -> None:
    h = world.headers["admin_p1"]
    for module in ("core", "tenancy"):
        response = client.post(f"/api/v1/admin/platforms/{world.p1}/modules/{module}/disable", headers=h)
        assert response.status_code == 409 and "core module" in response.json()["detail"]
    assert client.post(f"/api/v1/admin/platforms/{world.p1}/modules/nope/enable", headers=h).status_code == 404


def test_admin_updates_and_closing(client: TestClient, world: World) -> None:
    h = world.headers["admin_p1"]
    platform = client.patch(f"/api/v1/admin/platforms/{world.p1}", headers=h,
                            json={"name": "Renamed P1", "languages": ["fr", "de"], "default_language": "fr"})
    assert platform.status_code == 200 and platform.json()["languages"] == ["fr", "de"]
    bad = client.patch(f"/api/v1/admin/platforms/{world.p1}", headers=h, json={"languages": ["de"]})
    assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "default_language"
    company = client.patch(f"/api/v1/admin/platforms/{world.p1}/companies/{world.c1}", headers=h,
                           json={"vat_id": "LU26375245", "rcs_number": "B1"})
    assert company.json()["vat_id"] == "LU26375245"
    assert client.patch(f"/api/v1/admin/platforms/{world.p1}/companies/{world.c2}", headers=h,
                        json={"rcs_number": "B2"}).status_code == 404  # p2's company through p1's path
    vendor = client.patch(f"/api/v1/admin/platforms/{world.p1}/vendors/{world.v1b}", headers=h, json={"name": "Admin named"})
    assert vendor.json()["name"] == "Admin named"
    closed = client.post(f"/api/v1/admin/platforms/{world.p1}/vendors/{world.v1b}/close", headers=h)
    assert closed.json()["status"] == "closed"
    again = client.post(f"/api/v1/admin/platforms/{world.p1}/vendors/{world.v1b}/reactivate", headers=h)
    assert again.status_code == 409


def test_deactivating_a_user_ends_their_sessions(client: TestClient, world: World) -> None:
    pair = client.post("/api/v1/auth/login", json={"email": "owner-1b@example.lu", "password": PASSWORD}).json()
    refused = client.patch(f"/api/v1/admin/users/{world.users['owner_1b']}", headers=world.headers["admin_p1"],
                           json={"active": False})
    assert refused.status_code == 403  # users are global: super admins only
    done = client.patch(f"/api/v1/admin/users/{world.users['owner_1b']}", headers=world.headers["super"],
                        json={"active": False, "language": "lb"})
    assert done.json()["active"] is False and done.json()["language"] == "lb"
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    assert client.get("/api/v1/me", headers=world.headers["owner_1b"]).status_code == 401
    assert client.post("/api/v1/auth/login", json={"email": "owner-1b@example.lu", "password": PASSWORD}).status_code == 401
