"""Configuration of the tenancy module (prefix ``TENANCY_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from application.shared.config import ModuleSettings


class TenancyConfig(ModuleSettings):
    model_config = SettingsConfigDict(env_prefix="TENANCY_")

    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    reset_token_minutes: int = Field(default=60, ge=5, le=24 * 60)
    min_password_length: int = Field(default=10, ge=8, le=128)
    login_free_attempts: int = Field(default=5, ge=1, description="Failures before lockout")
    login_lock_seconds: int = Field(default=30, ge=1, description="First lockout; doubles after")
