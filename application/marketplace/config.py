"""Configuration of the marketplace module (prefix ``MARKETPLACE_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from application.shared.config import ModuleSettings


class MarketplaceConfig(ModuleSettings):
    model_config = SettingsConfigDict(env_prefix="MARKETPLACE_")

    import_batch_size: int = Field(default=5000, ge=1, le=50_000, description="Feed rows per committed batch")
    max_file_mb: int = Field(default=200, ge=1, description="Largest feed file accepted (upload or URL), in MB")
    max_errors_per_job: int = Field(default=1000, ge=0, description="Row errors stored per job (all are counted)")
    url_timeout_seconds: float = Field(default=30, gt=0, description="Connect/read timeout when fetching a feed URL")
    upload_dir: str = Field(default="var/marketplace/uploads", description="Where feed files wait to be imported")
    export_dir: str = Field(default="var/marketplace/exports", description="Where feed exports are written")
    stalled_after_minutes: int = Field(
        default=30, ge=1, description="A running import with no batch committed for this long is abandoned "
                                      "(its worker is gone): failed, and the vendor's next import started")
    allow_http_urls: bool = Field(default=False, description="Accept http:// feed URLs (tests); https only otherwise")

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024
