"""A repository built for one tenant cannot return another tenant's row, for any id."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.shared.errors import NotFound
from tests.conftest import make_container
from tests.fakes.tenants import build_world


def test_scoped_reads_never_cross_tenants(container) -> None:  # type: ignore[no-untyped-def]
    c = make_container(container.settings.database_url)
    world = build_world(c, None)
    _check_all_ids(c, world)
    c.close()


def _check_all_ids(c, world) -> None:  # type: ignore[no-untyped-def]
    platforms = {world.p1: {world.v1a, world.v1b}, world.p2: {world.v2a}}
    with c.unit_of_work("tenancy") as uow:
        all_memberships = {m.id: (m.platform_id, m.vendor_id) for p in platforms for m in uow.memberships(p).list()}
        companies = {x.id: x.platform_id for p in platforms for x in uow.companies(p).list()}
    check = _checker(c, platforms, all_memberships, companies)
    ids = st.integers(min_value=-2, max_value=max([*all_memberships, world.v2a, *companies]) + 3)
    given(platform=st.sampled_from(sorted(platforms)), vendor=st.sampled_from([world.v1a, world.v1b, world.v2a]),
          some_id=ids)(settings(max_examples=200, deadline=None)(check))()


def _checker(c, platforms, memberships, companies):  # type: ignore[no-untyped-def]
    def check(platform: int, vendor: int, some_id: int) -> None:
        with c.unit_of_work("tenancy") as uow:
            found = uow.vendors(platform).get_or_none(some_id)
            assert (found is not None) == (some_id in platforms[platform])
            assert (uow.companies(platform).get_or_none(some_id) is not None) == (companies.get(some_id) == platform)
            member = memberships.get(some_id)
            try:
                uow.team(vendor).get(some_id)
                assert member is not None and member[1] == vendor
            except NotFound:
                assert member is None or member[1] != vendor
            try:
                uow.memberships(platform).get(some_id)
                assert member is not None and member[0] == platform
            except NotFound:
                assert member is None or member[0] != platform
    return check
