"""VAT rates as a dated table per country, and the rule for the platform's own fees.

Luxembourg's rates were 16/13/7/3 % in calendar year 2023 only and 17/14/8/3 % before and after
(reference/luxembourg-vat.md), so a rate is always looked up for a date: an invoice dated in
2023 recomputes with 2023 rates. Rates are keyed by country so cross-border (OSS) sales can be
added country by country; only Luxembourg is filled in.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

import attrs

from domain.shared.errors import FieldError, ValidationFailed


class VatClass(StrEnum):
    STANDARD = "standard"
    INTERMEDIATE = "intermediate"
    REDUCED = "reduced"
    SUPER_REDUCED = "super_reduced"


def _rates(standard: str, intermediate: str, reduced: str, super_reduced: str) -> dict[VatClass, Decimal]:
    return {VatClass.STANDARD: Decimal(standard), VatClass.INTERMEDIATE: Decimal(intermediate),
            VatClass.REDUCED: Decimal(reduced), VatClass.SUPER_REDUCED: Decimal(super_reduced)}


# country -> [(valid from, rates)], newest last.
RATES: dict[str, list[tuple[date, dict[VatClass, Decimal]]]] = {
    "LU": [
        (date(2015, 1, 1), _rates("17", "14", "8", "3")),
        (date(2023, 1, 1), _rates("16", "13", "7", "3")),
        (date(2024, 1, 1), _rates("17", "14", "8", "3")),
    ],
}

EU_COUNTRIES = frozenset(
    ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
)
PLATFORM_COUNTRY = "LU"
REVERSE_CHARGE = "Reverse charge"
OUTSIDE_EU = "VAT not applicable: service supplied outside the EU"


def vat_rate(country: str, vat_class: VatClass | str, on: date) -> Decimal:
    """The rate in percent for ``vat_class`` in ``country`` on ``on``."""
    table = RATES.get(country)
    if table is None:
        raise ValidationFailed(errors=[FieldError("country", f"no VAT rates for '{country}'")])
    valid = [rates for start, rates in table if start <= on]
    if not valid:
        raise ValidationFailed(errors=[FieldError("date", f"no VAT rates for {country} before {table[0][0]}")])
    return valid[-1][VatClass(vat_class)]


@attrs.frozen
class FeeVat:
    """The VAT on a platform fee: rate in percent and, where no VAT is charged, the words why."""

    rate: Decimal
    note: str = ""


def platform_fee_vat(country: str, vat_id: str | None, on: date) -> FeeVat:
    """B2B fees the platform (established in Luxembourg) charges a vendor: Luxembourg's standard
    rate for Luxembourg vendors and EU vendors without a VAT id; reverse charge (0 %) for EU
    vendors with one — its format and check digits are validated when it is stored; outside the
    EU, no Luxembourg VAT."""
    if country == PLATFORM_COUNTRY or (country in EU_COUNTRIES and not vat_id):
        return FeeVat(vat_rate(PLATFORM_COUNTRY, VatClass.STANDARD, on))
    if country in EU_COUNTRIES:
        return FeeVat(Decimal(0), REVERSE_CHARGE)
    return FeeVat(Decimal(0), OUTSIDE_EU)
