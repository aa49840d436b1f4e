"""Configuration of the core module (prefix ``CORE_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from application.shared.config import ModuleSettings


class CoreConfig(ModuleSettings):
    model_config = SettingsConfigDict(env_prefix="CORE_")

    audit_page_size: int = Field(default=50, ge=1, le=200, description="Default audit page size")
    task_run_retention_days: int = Field(
        default=30, ge=1, description="Finished task runs older than this are pruned"
    )
    fired_slot_retention_days: int = Field(
        default=7, ge=1, description="Scheduler fired-slot records older than this are pruned"
    )
