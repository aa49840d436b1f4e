"""`wizamart tenancy ...`, `wizamart demo seed` and `wizamart users create-admin` as typed."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from entrypoints.bootstrap import Container
from entrypoints.cli import context
from entrypoints.cli.main import app
from tests.conftest import make_container

runner = CliRunner()


@pytest.fixture
def cli(container: Container) -> Iterator[Container]:
    c = make_container(container.settings.database_url)
    context.use_container(c)
    yield c
    context.use_container(None)
    c.close()


def run(*args: str, **kwargs) -> object:  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), **kwargs)


def test_platforms_vendors_users(cli: Container) -> None:
    assert run("tenancy", "platforms", "create", "lux", "--name", "Lux Market", "--languages", "fr,de,en",
               "--default-language", "fr").output.startswith("platform lux created")
    dup = run("tenancy", "platforms", "create", "lux", "--name", "Again")
    assert dup.exit_code == 1 and dup.stderr.strip() == "error: platform code 'lux' is taken"
    created = run("tenancy", "vendors", "create", "bakery", "--name", "Bakery", "--platform", "lux",
                  "--company", "Bakery S.A.", "--vat-id", "LU26375245")
    assert created.exit_code == 0, created.output
    second = run("tenancy", "vendors", "create", "cafe", "--name", "Cafe", "--platform", "lux", "--company", "Bakery S.A.")
    assert second.exit_code == 0  # the company is reused
    bad_vat = run("tenancy", "vendors", "create", "shop", "--name", "Shop", "--platform", "lux", "--company", "Other",
                  "--vat-id", "LU12345678")
    assert bad_vat.exit_code == 1 and "vat_id" in bad_vat.stderr
    listed = run("tenancy", "vendors", "list", "--platform", "lux").output
    assert "bakery" in listed and "cafe" in listed and "shop" not in listed
    assert "suspended" in run("tenancy", "vendors", "suspend", "cafe", "--platform", "lux").output
    missing = run("tenancy", "vendors", "suspend", "nope", "--platform", "lux")
    assert missing.exit_code == 1 and "no vendor 'nope'" in missing.stderr
    assert "Lux Market" in run("tenancy", "platforms", "list").output


def test_create_admin_from_prompt_and_env(cli: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    prompted = run("tenancy", "users", "create-admin", "root@example.lu", "--name", "Root",
                   input="a long admin password\na long admin password\n")
    assert prompted.exit_code == 0 and "super admin root@example.lu created" in prompted.output
    assert "a long admin password" not in prompted.output  # hidden input
    monkeypatch.setenv("WIZAMART_NEW_ADMIN_PASSWORD", "another long password")
    context.use_container(make_container(cli.settings.database_url))
    from_env = run("tenancy", "users", "create-admin", "ops@example.lu", "--name", "Ops")
    assert from_env.exit_code == 0, from_env.output
    monkeypatch.delenv("WIZAMART_NEW_ADMIN_PASSWORD")
    short = run("tenancy", "users", "create-admin", "weak@example.lu", "--name", "Weak", input="short\nshort\n")
    assert short.exit_code == 1 and short.stderr.strip() == "error: password: at least 10 characters"
    listed = run("tenancy", "users", "list").output
    assert "root@example.lu" in listed and "ops@example.lu" in listed


def test_demo_seed_is_idempotent_and_shows_passwords_once(cli: Container) -> None:
    first = run("demo", "seed")
    assert first.exit_code == 0, first.output
    passwords = dict(re.findall(r"demo user (\S+)\s+password: (\S+)", first.output))
    assert set(passwords) == {"admin@demo.wizamart.lu", "platform@demo.wizamart.lu",
                              "owner@boulangerie.demo.lu", "owner@velo.demo.lu"}
    second = run("demo", "seed")
    assert second.output.strip() == "demo data present; nothing created"
    vendors = run("tenancy", "vendors", "list", "--platform", "demo").output
    assert "boulangerie" in vendors and "velo" in vendors
    # The printed password signs in.
    from fastapi.testclient import TestClient

    from entrypoints.http.app import create_app

    with TestClient(create_app(cli)) as client:
        ok = client.post("/api/v1/auth/login", json={"email": "owner@velo.demo.lu",
                                                     "password": passwords["owner@velo.demo.lu"]})
        assert ok.status_code == 200
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {ok.json()['access_token']}"}).json()
        assert [m["role"] for m in me["memberships"]] == ["owner"]
