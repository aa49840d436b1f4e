"""The catalog's column-at-a-time rules for a feed batch's new products agree with the row-by-row
ones: ``all_valid`` never vouches for a product ``validate`` refuses, and ``derived_columns``
gives what ``derived`` gives."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.catalog.model import (
    AVAILABILITIES,
    LANGUAGES,
    MAX_TITLE,
    all_valid,
    derived,
    derived_columns,
    validate,
)
from domain.shared.gtin import check_digit
from domain.shared.vat import VatClass

_GOOD_GTIN = "400638133393" + str(check_digit("400638133393"))
_products = st.fixed_dictionaries({
    "sku": st.one_of(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._\-/]{0,20}", fullmatch=True),
                     st.sampled_from(["", " A", "a b", "x" * 101, "-lead", "ok"])),
    "gtin": st.sampled_from([None, _GOOD_GTIN, _GOOD_GTIN[:-1] + "0", "96385074", "abc", "1234567"]),
    "title": st.one_of(st.text(max_size=8), st.sampled_from(["", "  ", "x" * MAX_TITLE, "x" * (MAX_TITLE + 1)])),
    "price": st.one_of(st.none(), st.integers(-5, 5000)),
    "sale": st.one_of(st.none(), st.integers(-5, 5000)),
    "availability": st.sampled_from([*AVAILABILITIES, "soon", ""]),
})  # fmt: skip


def _as_validated(product: dict[str, Any], language: str, vat_class: str) -> dict[str, Any]:
    """The product's fields as the catalog's feed sync validates them row by row."""
    return {**derived(product["sku"], product["gtin"], {language: product["title"]}), "sku": product["sku"],
            "descriptions": {}, "price_cents": product["price"], "sale_price_cents": product["sale"],
            "availability": product["availability"], "vat_class": vat_class}


def _all_valid(products: list[dict[str, Any]], language: str, vat_class: str) -> bool:
    skus, titles = [p["sku"] for p in products], [p["title"] for p in products]
    columns = derived_columns(skus, [p["gtin"] for p in products], titles, language)
    return all_valid(skus=skus, gtins=columns["gtin"], gtin_types=columns["gtin_type"], titles=titles,
                     language=language, prices=[p["price"] for p in products],
                     sale_prices=[p["sale"] for p in products],
                     availabilities=[p["availability"] for p in products], vat_class=vat_class)


@given(st.lists(_products, max_size=6), st.sampled_from([*LANGUAGES, "it"]),
       st.sampled_from([*VatClass, "luxury"]))
def test_all_valid_vouches_only_for_products_validate_accepts(products, language, vat_class) -> None:  # type: ignore[no-untyped-def]
    if _all_valid(products, language, vat_class):
        assert all(validate(_as_validated(p, language, vat_class)) == [] for p in products)


@given(st.lists(_products, max_size=6), st.sampled_from(LANGUAGES))
def test_derived_columns_are_derived_row_by_row(products, language) -> None:  # type: ignore[no-untyped-def]
    skus, gtins, titles = ([p[name] for p in products] for name in ("sku", "gtin", "title"))
    columns = derived_columns(skus, gtins, titles, language)
    rows = [derived(sku, gtin, {language: title}) for sku, gtin, title in zip(skus, gtins, titles, strict=True)]
    assert columns == {name: [row[name] for row in rows] for name in ("gtin", "gtin_type", "titles", "search_text")}


GOOD = {"sku": "MUG-1", "gtin": _GOOD_GTIN, "title": "Mug", "price": 1999, "sale": 1500, "availability": "in_stock"}


def test_all_valid_vouches_for_good_products() -> None:
    assert _all_valid([GOOD, {**GOOD, "sku": "MUG-2", "gtin": None, "sale": None}], "fr", "standard")
    assert _all_valid([], "fr", "standard")


@pytest.mark.parametrize("change", [
    {"sku": "has space"}, {"gtin": _GOOD_GTIN[:-1] + "0"}, {"title": " "}, {"title": "x" * (MAX_TITLE + 1)},
    {"price": -1}, {"price": None}, {"sale": -1}, {"sale": 2000}, {"availability": "soon"},
])  # fmt: skip
def test_all_valid_does_not_vouch_for_a_batch_with_one_bad_product(change: dict[str, Any]) -> None:
    bad = {**GOOD, "sku": "MUG-2", **change}
    assert validate(_as_validated(bad, "fr", "standard")) != []
    assert not _all_valid([GOOD, bad], "fr", "standard")


def test_all_valid_does_not_vouch_for_a_language_or_vat_class_the_rules_refuse() -> None:
    assert not _all_valid([GOOD], "it", "standard")
    assert not _all_valid([GOOD], "fr", "luxury")
