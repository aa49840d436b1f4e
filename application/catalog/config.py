"""Configuration of the catalog module (prefix ``CATALOG_``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from application.shared.config import ModuleSettings
from domain.shared.vat import VatClass


class CatalogConfig(ModuleSettings):
    model_config = SettingsConfigDict(env_prefix="CATALOG_")

    default_vat_class: VatClass = Field(default=VatClass.STANDARD, description="VAT class of products created from feeds")
