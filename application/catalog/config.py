"""Configuration of the catalog module (prefix ``CATALOG_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from application.shared.config import ModuleSettings


class CatalogConfig(ModuleSettings):
    model_config = SettingsConfigDict(env_prefix="CATALOG_")

    default_vat_class: str = Field(default="standard", description="VAT class of products created from feeds")
