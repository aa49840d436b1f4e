"""Tenant isolation as a property: random sequences of operations by users of two platforms and
three vendors; nobody ever reads or changes another tenant's data, and every refusal is 404 for
an unrelated tenant, 403 for a related one without the permission."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entrypoints.bootstrap import Container
from entrypoints.http.app import create_app
from tests.conftest import make_container
from tests.fakes.tenants import World, build_world

ACTORS = ["admin_p1", "admin_p2", "owner_1a", "staff_1a", "owner_1b", "owner_2a"]
VENDORS = ["v1a", "v1b", "v2a"]
PLATFORMS = ["p1", "p2"]
PLATFORM_OF = {"v1a": "p1", "v1b": "p1", "v2a": "p2"}
MEMBER = {"owner_1a": ("v1a", "owner"), "staff_1a": ("v1a", "staff"), "owner_1b": ("v1b", "owner"),
          "owner_2a": ("v2a", "owner")}
ADMIN_OF = {"admin_p1": "p1", "admin_p2": "p2"}


def relation(actor: str, vendor: str) -> str | None:
    """The actor's role for the vendor, or None when unrelated."""
    if ADMIN_OF.get(actor) == PLATFORM_OF[vendor]:
        return "platform_admin"
    member = MEMBER.get(actor)
    return member[1] if member and member[0] == vendor else None


def expected(actor: str, vendor: str, manage: bool) -> int:
    role = relation(actor, vendor)
    if role is None:
        return 404
    return 403 if manage and role == "staff" else 200


operations = st.one_of(
    st.tuples(st.just("read"), st.sampled_from(ACTORS), st.sampled_from(VENDORS)),
    st.tuples(st.just("rename"), st.sampled_from(ACTORS), st.sampled_from(VENDORS)),
    st.tuples(st.just("team"), st.sampled_from(ACTORS), st.sampled_from(VENDORS)),
    st.tuples(st.just("invite"), st.sampled_from(ACTORS), st.sampled_from(VENDORS)),
    st.tuples(st.just("vendors"), st.sampled_from(ACTORS), st.sampled_from(PLATFORMS)),
)


@pytest.fixture
def setup(container: Container) -> Iterator[tuple[TestClient, World, dict]]:  # type: ignore[type-arg]
    c = make_container(container.settings.database_url)
    with TestClient(create_app(c)) as client:
        world = build_world(c, client)
        model = {
            "names": {v: f"Vendor {v[1:]}" for v in VENDORS},
            "teams": {v: set() for v in VENDORS},
        }
        super_h = world.headers["super"]
        for v in VENDORS:
            team = client.get(f"/api/v1/vendor/{getattr(world, v)}/team", headers=super_h).json()
            model["teams"][v] = {m["email"] for m in team}
        yield client, world, model
    c.close()


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(steps=st.lists(operations, min_size=1, max_size=8))
def test_nobody_reads_or_changes_another_tenants_data(setup, steps) -> None:  # type: ignore[no-untyped-def]
    client, world, model = setup
    ids = {v: getattr(world, v) for v in VENDORS}
    vendor_of_id = {i: v for v, i in ids.items()}
    for n, (op, actor, target) in enumerate(steps):
        h = world.headers[actor]
        if op == "vendors":
            platform_id = getattr(world, target)
            response = client.get(f"/api/v1/admin/platforms/{platform_id}/vendors", headers=h)
            allowed = ADMIN_OF.get(actor) == target
            assert response.status_code == (200 if allowed else 404), (op, actor, target)
            if allowed:
                returned = {vendor_of_id.get(v["id"]) for v in response.json()}
                assert returned <= {v for v in VENDORS if PLATFORM_OF[v] == target} | {None}
            continue
        vendor_id = ids[target]
        if op == "read":
            response = client.get(f"/api/v1/vendor/{vendor_id}/profile", headers=h)
            assert response.status_code == expected(actor, target, manage=False), (op, actor, target)
            if response.status_code == 200:
                assert response.json()["id"] == vendor_id and response.json()["name"] == model["names"][target]
        elif op == "rename":
            name = f"{target} by {actor} #{n}"
            response = client.patch(f"/api/v1/vendor/{vendor_id}/profile", headers=h, json={"name": name})
            assert response.status_code == expected(actor, target, manage=True), (op, actor, target)
            if response.status_code == 200:
                model["names"][target] = name
        elif op == "team":
            response = client.get(f"/api/v1/vendor/{vendor_id}/team", headers=h)
            assert response.status_code == expected(actor, target, manage=False), (op, actor, target)
            if response.status_code == 200:
                assert {m["email"] for m in response.json()} == model["teams"][target]
        elif op == "invite":
            email = f"invitee-{target}-{len(model['teams'][target])}@example.lu"
            response = client.post(f"/api/v1/vendor/{vendor_id}/team", headers=h,
                                   json={"email": email, "name": "Invitee", "role": "staff"})
            assert response.status_code == {200: 201}.get(expected(actor, target, manage=True),
                                                         expected(actor, target, manage=True)), (op, actor, target)
            if response.status_code == 201:
                model["teams"][target].add(email)
        # After every step, every tenant's data is exactly what its own users did to it.
        for v in VENDORS:
            seen = client.get(f"/api/v1/vendor/{ids[v]}/profile", headers=world.headers["super"]).json()
            assert seen["name"] == model["names"][v], f"{v} changed by someone else after {steps[: n + 1]}"
