from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from application.shared.modules import discover
from entrypoints.bootstrap import GC_THRESHOLDS
from entrypoints.cli import context
from entrypoints.cli.main import app

runner = CliRunner()
KNOWN = ", ".join(discover().codes)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, empty_database_url: str) -> Iterator[str]:
    """A clean environment pointing at an empty database; the CLI bootstraps from it."""
    for key in list(os.environ):
        if key.startswith(("WIZAMART_", "CORE_")) and not key.startswith("WIZAMART_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WIZAMART_DATABASE_URL", empty_database_url)
    context.use_container(None)
    yield empty_database_url
    if context._container is not None:
        context._container.close()
    context.use_container(None)


def test_help_everywhere() -> None:
    for args in ([], ["db"], ["modules"], ["config"], ["core"], ["db", "revision", "--help"]):
        result = runner.invoke(app, [*args, "--help"] if args[-1:] != ["--help"] else args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage" in result.output


def test_usage_errors_exit_2() -> None:
    result = runner.invoke(app, ["db", "no-such-command"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["serve", "--port", "0"])
    assert result.exit_code == 2


def test_modules_list_and_graph() -> None:
    result = runner.invoke(app, ["modules", "list"], terminal_width=200)
    assert result.exit_code == 0
    for header in ("code", "class", "requires", "tasks", "schedules", "permissions"):
        assert header in result.output
    assert "core.audit.view" in result.output
    graph = runner.invoke(app, ["modules", "graph"])
    assert graph.exit_code == 0
    assert graph.output.splitlines()[0] == "graph TD"
    assert 'core["Core (core)"]' in graph.output


def test_db_upgrade_current_history(cli_env: str) -> None:
    result = runner.invoke(app, ["db", "current"])
    assert result.exit_code == 0 and "core: -" in result.output
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["db", "current"])
    assert "core: core_0001  up to date" in result.output
    result = runner.invoke(app, ["db", "history"], terminal_width=200)
    assert "core_0001" in result.output and "create plumbing tables" in result.output
    result = runner.invoke(app, ["db", "downgrade", "core@base"])
    assert result.exit_code == 0 and "core: -" in result.output


def test_user_errors_exit_1_with_one_line(cli_env: str) -> None:
    result = runner.invoke(app, ["db", "upgrade", "nope"])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: unknown module 'nope' (known: {KNOWN})"
    result = runner.invoke(app, ["db", "downgrade", "core_9999"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: revision:") and result.stderr.count("\n") == 1


def test_bad_environment_variable_stops_with_its_name(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIZAMART_WORKER_THREADS", "0")
    result = runner.invoke(app, ["db", "current"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: invalid configuration: WIZAMART_WORKER_THREADS:")


def test_config_show_masks_secrets(cli_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIZAMART_SECRET_KEY", "s3cr3t-value-that-must-not-leak")
    monkeypatch.setenv("WIZAMART_REDIS_URL", "redis://:hunter2@127.0.0.1:6379/0")
    Path(".env").write_text("CORE_AUDIT_PAGE_SIZE=25\n")
    result = runner.invoke(app, ["config", "show"], terminal_width=250)
    assert result.exit_code == 0, result.output
    assert "s3cr3t" not in result.output and "hunter2" not in result.output
    assert "redis://:********@127.0.0.1:6379/0" in result.output.replace("│", "").replace(" ", "").replace("\n", "")
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if line.count("│") >= 3}
    assert "25" in lines["CORE_AUDIT_PAGE_SIZE"] and ".env" in lines["CORE_AUDIT_PAGE_SIZE"]
    assert "********" in lines["WIZAMART_SECRET_KEY"] and "env" in lines["WIZAMART_SECRET_KEY"]


def test_core_audit_command(container) -> None:  # type: ignore[no-untyped-def]
    context.use_container(container)
    try:
        result = runner.invoke(app, ["core", "audit"])
    finally:
        context.use_container(None)
    assert result.exit_code == 0
    assert "0 entries" in result.output


def test_console_script_runs(cli_env: str) -> None:
    """The installed `wizamart` script, as a user types it."""
    script = Path(sys.executable).parent / "wizamart"
    result = subprocess.run([str(script), "modules", "graph"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("graph TD")
    result = subprocess.run([str(script), "db", "upgrade", "nope"], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: unknown module 'nope' (known: {KNOWN})"


def test_the_cli_process_collects_garbage_at_bulk_work_thresholds(cli_env: str) -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        context.container()
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)
