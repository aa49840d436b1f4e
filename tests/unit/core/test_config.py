from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from application.shared.config import (
    ConfigurationError,
    Environment,
    LogFormat,
    ModuleSettings,
    load_configuration,
)
from application.shared.modules import OPTIONAL, ModuleDefinition, ModuleRegistry


class ShopConfig(ModuleSettings):
    model_config = SettingsConfigDict(env_prefix="SHOP_")

    trial_days: int = Field(default=14, ge=0)
    api_url: str = "https://example.invalid"


REGISTRY = ModuleRegistry(
    [ModuleDefinition(code="shop", name="Shop", classification=OPTIONAL, config=ShopConfig)]
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(__import__("os").environ):
        if key.startswith(("WIZAMART_", "SHOP_")) and not key.startswith("WIZAMART_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)


def test_defaults_are_the_embedded_development_setup() -> None:
    config = load_configuration(REGISTRY, env_file=None)
    assert config.settings.environment is Environment.DEVELOPMENT
    assert config.settings.database_url == "sqlite:///var/wizamart.db"
    assert config.settings.redis_url is None
    assert config.settings.effective_log_format is LogFormat.CONSOLE
    assert config.module("shop").trial_days == 14


def test_module_config_reads_its_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TRIAL_DAYS", "30")
    monkeypatch.setenv("WIZAMART_WORKER_THREADS", "4")
    config = load_configuration(REGISTRY, env_file=None)
    assert config.module("shop").trial_days == 30
    assert config.settings.worker_threads == 4


def test_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TRIAL_DAYS", "-1")
    monkeypatch.setenv("WIZAMART_WORKER_THREADS", "many")
    with pytest.raises(ConfigurationError) as info:
        load_configuration(REGISTRY, env_file=None)
    assert info.value.problems == [
        "WIZAMART_WORKER_THREADS: Input should be a valid integer, unable to parse string as an integer",
        "SHOP_TRIAL_DAYS: Input should be greater than or equal to 0",
    ]


def test_unknown_variable_with_a_known_prefix_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIZAMART_DATABSE_URL", "sqlite://")
    monkeypatch.setenv("SHOP_TRIAL_DAY", "3")
    with pytest.raises(ConfigurationError) as info:
        load_configuration(REGISTRY, env_file=None)
    assert [p.split(":")[0] for p in info.value.problems] == ["SHOP_TRIAL_DAY", "WIZAMART_DATABSE_URL"]
    assert "known: API_URL, TRIAL_DAYS" in info.value.problems[0]


def test_test_only_variables_are_not_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIZAMART_TEST_DATABASE_URL", "postgresql://x")
    load_configuration(REGISTRY, env_file=None)


def test_production_refuses_the_development_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIZAMART_ENVIRONMENT", "production")
    with pytest.raises(ConfigurationError, match="WIZAMART_SECRET_KEY must be set in production"):
        load_configuration(REGISTRY, env_file=None)
    monkeypatch.setenv("WIZAMART_SECRET_KEY", "x" * 40)
    config = load_configuration(REGISTRY, env_file=None)
    assert config.settings.effective_log_format is LogFormat.JSON


def test_dotenv_file_is_read_and_environment_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("SHOP_TRIAL_DAYS=21\nWIZAMART_LOG_LEVEL=DEBUG\nOTHER_TOOL_SETTING=1\n")
    monkeypatch.setenv("WIZAMART_LOG_LEVEL", "WARNING")
    config = load_configuration(REGISTRY, env_file=env_file)
    assert config.module("shop").trial_days == 21
    assert config.settings.log_level == "WARNING"


def test_typo_in_dotenv_file_is_refused(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("WIZAMART_LOGLEVEL=DEBUG\n")
    with pytest.raises(ConfigurationError, match="WIZAMART_LOGLEVEL: unknown setting"):
        load_configuration(REGISTRY, env_file=env_file)


def test_overrides_replace_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIZAMART_DATABASE_URL", "sqlite:///a.db")
    config = load_configuration(REGISTRY, env_file=None, database_url="sqlite:///b.db")
    assert config.settings.database_url == "sqlite:///b.db"
