"""The architecture holds: import contracts pass and can fail, modules share one shape."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from application.shared.modules import discover

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("domain", "application", "contracts", "adapters", "entrypoints")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# The files every module has, per layer ("<code>" is the module code).
MODULE_FILE_SET = (
    "domain/<code>/__init__.py",
    "domain/<code>/model.py",
    "application/<code>/__init__.py",
    "application/<code>/module.py",
    "application/<code>/config.py",
    "application/<code>/ports.py",
    "application/<code>/use_cases/__init__.py",
    "contracts/<code>/__init__.py",
    "contracts/<code>/dto.py",
    "adapters/<code>/__init__.py",
    "adapters/<code>/orm.py",
    "adapters/<code>/repositories.py",
    "entrypoints/http/routers/<code>.py",
    "entrypoints/cli/commands/<code>.py",
    "migrations/versions/<code>",
    "docs/modules/<code>.md",
)


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(cwd / ".importlinter")],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


def test_import_contracts_pass() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_ignored_imports() -> None:
    assert "ignore_imports" not in (ROOT / ".importlinter").read_text().replace(
        "Keep ignore_imports empty", ""
    )


CANARIES = {
    # file -> (source, the contract it must break)
    "domain/core/_canary_framework.py": (
        "import sqlalchemy\n",
        "Domain imports no framework",
    ),
    "application/core/_canary_adapter.py": (
        "from adapters.sql import engine\n",
        "Only entrypoints (and the migration environment) import adapters",
    ),
    "domain/shared/_canary_upward.py": (
        "from domain.core import model\n",
        "Domain modules are independent siblings above domain.shared",
    ),
    "contracts/core/_canary_layer.py": (
        "from application.shared import modules\n",
        "Layers: entrypoints -> adapters -> application -> domain | contracts",
    ),
    "application/core/_canary_http.py": (
        "import fastapi\n",
        "Application and contracts import no web, database, queue or vendor framework",
    ),
}


def test_canary_breaks_the_contracts(tmp_path: Path) -> None:
    """A copy of the code with deliberate violations makes the same contracts fail."""
    for package in (*LAYERS, "migrations"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    for relative, (source, _) in CANARIES.items():
        (tmp_path / relative).write_text(source)
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[1]
    for relative, (_, contract) in CANARIES.items():
        assert contract in broken, f"{relative} should break '{contract}'"
        module = relative.removesuffix(".py").replace("/", ".")
        assert module in broken, f"the report should name {module}"
    assert "Move the code down" in broken  # guidance text is shown


def test_every_folder_is_a_package() -> None:
    missing = [
        str(folder.relative_to(ROOT))
        for layer in (*LAYERS, "tests")
        for folder in [ROOT / layer, *(ROOT / layer).rglob("*")]
        if folder.is_dir()
        and folder.name != "__pycache__"
        and any(folder.glob("*.py"))
        and not (folder / "__init__.py").exists()
    ]
    assert missing == []


@pytest.mark.parametrize("code", discover().codes)
def test_every_module_has_the_same_file_set(code: str) -> None:
    missing = [p for p in (f.replace("<code>", code) for f in MODULE_FILE_SET) if not (ROOT / p).exists()]
    assert missing == [], f"module {code} lacks {missing}"


# Contracts published ahead of their module (ADR 0010): events only, until the module lands.
PUBLISHED_AHEAD = {"orders"}


def test_contracts_published_ahead_hold_events_only() -> None:
    registry = discover()
    for code in PUBLISHED_AHEAD:
        assert code not in registry, f"module {code} exists now: remove it from PUBLISHED_AHEAD"
        files = {p.name for p in (ROOT / "contracts" / code).glob("*.py")}
        assert files == {"__init__.py", "events.py"}, f"contracts/{code}: {sorted(files)}"


def test_registry_validates_and_matches_the_packages() -> None:
    registry = discover()
    for layer in ("domain", "application", "contracts", "adapters"):
        packages = {p.name for p in (ROOT / layer).iterdir() if (p / "__init__.py").exists()}
        if layer == "contracts":
            packages -= PUBLISHED_AHEAD
        module_packages = packages & set(registry.codes) | (packages - {"shared", "sql", "probes", "dramatiq", "scheduler"})
        assert module_packages == set(registry.codes), f"{layer}: packages {sorted(packages)}"
