"""What the marketplace module shows other modules and the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en", "fr", "de"]
ImportStateName = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class ImportOptions(BaseModel):
    """How a feed is imported: into the catalog (creating missing products, or only updating
    those that exist), or only staged as marketplace listings."""

    language: Language = "fr"
    into_catalog: bool = True
    create_missing: bool = True


class UrlImportIn(ImportOptions):
    url: str = Field(min_length=1, max_length=2000, description="https:// URL of the feed file")


class ImportJobView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    platform_id: int
    vendor_id: int
    language: str
    source: str
    url: str | None
    file_name: str
    file_size: int | None
    into_catalog: bool
    create_missing: bool
    state: ImportStateName
    cancel_requested: bool
    progress: int
    rows_read: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    duplicates: int
    products_created: int
    products_updated: int
    products_refused: int
    errors_stored: int
    last_line: int
    attempts: int
    error: str | None
    encoding: str | None
    delimiter: str | None
    unknown_columns: list[str]
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    rows_per_second: float | None = None


class ImportErrorView(BaseModel):
    """A rejected row (severity ``error``), or a warning: a duplicate id, an unknown column,
    a row the catalog refused."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    line: int
    column: str
    reason: str
    external_id: str | None
    severity: Literal["error", "warning"]


class ImportJobDetail(ImportJobView):
    errors: list[ImportErrorView] = Field(default_factory=list, description="The first stored errors")


class ImportJobFilter(BaseModel):
    vendor_id: int | None = None
    state: ImportStateName | None = None
    language: Language | None = None
