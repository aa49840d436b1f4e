"""Configuration of the core module (prefix ``CORE_``)."""

from __future__ import annotations

from pydantic import Field, model_validator
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
    heartbeat_interval_seconds: float = Field(
        default=10, gt=0, description="How often a worker marks its running tasks alive"
    )
    heartbeat_timeout_seconds: float = Field(
        default=60, gt=0, description="A running task silent this long is dead (reaped)"
    )
    scheduler_tick_seconds: float = Field(default=5, gt=0, description="Scheduler loop interval")
    scheduler_grace_seconds: int = Field(
        default=300, ge=0, description="How late a slot may still fire with catch_up=none"
    )
    outbox_max_attempts: int = Field(
        default=10, ge=1, description="Failed deliveries of an event before it is parked"
    )

    @model_validator(mode="after")
    def _timeout_exceeds_interval(self) -> CoreConfig:
        if self.heartbeat_timeout_seconds <= 2 * self.heartbeat_interval_seconds:
            raise ValueError(
                "CORE_HEARTBEAT_TIMEOUT_SECONDS must be more than twice "
                "CORE_HEARTBEAT_INTERVAL_SECONDS"
            )
        return self
