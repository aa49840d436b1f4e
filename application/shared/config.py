"""Configuration: global settings (``WIZAMART_``) and one settings class per module (``<CODE>_``).

Everything is validated at start-up by :func:`load_configuration`, so a typo or a bad value stops
the process before the first request, with the variable's name in the message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs
from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from application.shared.modules import ModuleRegistry

GLOBAL_PREFIX = "WIZAMART_"
# Variables with the global prefix that are not settings of the product itself.
NOT_SETTINGS_PREFIXES = ("WIZAMART_TEST_", "WIZAMART_NEW_ADMIN_PASSWORD")
DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused in production


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class LogFormat(StrEnum):
    CONSOLE = "console"
    JSON = "json"


class ModuleSettings(BaseSettings):
    """Base class for a module's config; subclasses set ``env_prefix`` to ``<CODE>_``."""

    model_config = SettingsConfigDict(
        extra="ignore", env_nested_delimiter="__", env_ignore_empty=True, frozen=True
    )


class Settings(BaseSettings):
    """Global settings, prefix ``WIZAMART_``."""

    model_config = SettingsConfigDict(
        env_prefix=GLOBAL_PREFIX,
        extra="ignore",
        env_nested_delimiter="__",
        env_ignore_empty=True,
        frozen=True,
    )

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = Field(
        default="sqlite:///var/wizamart.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    redis_url: str | None = Field(
        default=None, description="Redis URL; when unset, the embedded in-process broker is used"
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEV_SECRET_KEY),
        description="Signs tokens and derives the encryption key for secrets at rest",
    )
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)$")
    log_format: LogFormat | None = Field(
        default=None, description="console or json; defaults to json in production"
    )
    worker_threads: int = Field(
        default=2, ge=1, le=64, description="In-process worker threads in embedded mode"
    )
    queue_namespace: str = Field(
        default="wizamart", pattern=r"^[a-z0-9_\-]{1,40}$", description="Redis key prefix of the queues"
    )

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            if self.secret_key.get_secret_value() == DEV_SECRET_KEY:
                raise ValueError("WIZAMART_SECRET_KEY must be set in production")
            if len(self.secret_key.get_secret_value()) < 32:
                raise ValueError("WIZAMART_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def effective_log_format(self) -> LogFormat:
        if self.log_format is not None:
            return self.log_format
        return LogFormat.JSON if self.environment is Environment.PRODUCTION else LogFormat.CONSOLE

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


class ConfigurationError(Exception):
    """A setting is missing, unknown or invalid; the message names each variable."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration: " + "; ".join(problems))


@attrs.frozen
class Configuration:
    settings: Settings
    modules: Mapping[str, BaseSettings]

    def module(self, code: str) -> Any:
        return self.modules[code]


def _describe(error: ValidationError, prefix: str) -> list[str]:
    out = []
    for item in error.errors():
        loc = "__".join(str(part) for part in item["loc"]).upper()
        name = f"{prefix}{loc}" if loc else f"{prefix}*"
        message = item["msg"].removeprefix("Value error, ")
        out.append(f"{name}: {message}" if loc else message)
    return out


def _fields(cls: type[BaseSettings]) -> set[str]:
    return {name.upper() for name in cls.model_fields}


def load_configuration(
    registry: ModuleRegistry, env_file: str | Path | None = ".env", **overrides: Any
) -> Configuration:
    """Build and validate global and per-module settings from the environment and ``env_file``.

    The process environment wins over the file. ``overrides`` replace global settings (tests).
    Unknown variables that carry a known prefix are refused, so ``WIZAMART_DATABSE_URL`` fails
    instead of being silently ignored. Every problem is collected, then raised at once.
    """
    env_file = env_file if env_file is not None and Path(env_file).is_file() else None
    seen = dict(dotenv_values(env_file)) if env_file else {}
    seen.update(os.environ)

    prefixes: dict[str, set[str]] = {GLOBAL_PREFIX: _fields(Settings)}
    for definition in registry:
        if definition.config is not None:
            prefixes[definition.env_prefix] = _fields(definition.config)

    problems: list[str] = []
    for key in sorted(seen):
        if key.startswith(NOT_SETTINGS_PREFIXES):
            continue
        for prefix, fields in prefixes.items():
            top = key[len(prefix) :].split("__", 1)[0]
            if key.startswith(prefix) and top not in fields:
                problems.append(f"{key}: unknown setting (known: {', '.join(sorted(fields))})")

    def build(cls: type[BaseSettings], prefix: str, **kwargs: Any) -> Any:
        try:
            return cls(_env_file=env_file, **kwargs)  # type: ignore[call-arg]
        except ValidationError as exc:
            problems.extend(_describe(exc, prefix))
            return None

    settings = build(Settings, GLOBAL_PREFIX, **overrides)
    modules = {
        d.code: build(d.config, d.env_prefix) for d in registry if d.config is not None
    }
    if problems:
        raise ConfigurationError(problems)
    return Configuration(settings=settings, modules=modules)
