"""VAT on the platform's fees, and mirrored invoices that arrive in any order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.billing.model import Invoice
from domain.shared.errors import ValidationFailed
from domain.shared.vat import REVERSE_CHARGE, FeeVat, VatClass, platform_fee_vat, vat_rate

AT = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(("on", "standard", "reduced"), [
    (date(2022, 12, 31), "17", "8"), (date(2023, 1, 1), "16", "7"), (date(2023, 12, 31), "16", "7"),
    (date(2024, 1, 1), "17", "8"),
])
def test_luxembourg_rates_are_dated(on: date, standard: str, reduced: str) -> None:
    assert vat_rate("LU", VatClass.STANDARD, on) == Decimal(standard)
    assert vat_rate("LU", "reduced", on) == Decimal(reduced)
    assert vat_rate("LU", VatClass.SUPER_REDUCED, on) == 3


def test_an_unknown_country_names_the_field() -> None:
    with pytest.raises(ValidationFailed) as failure:
        vat_rate("XX", VatClass.STANDARD, date(2026, 1, 1))
    assert failure.value.errors[0].field == "country"


@pytest.mark.parametrize(("country", "vat_id", "expected"), [
    ("LU", "LU26375245", FeeVat(Decimal(17))),
    ("LU", None, FeeVat(Decimal(17))),
    ("BE", "BE0428759497", FeeVat(Decimal(0), REVERSE_CHARGE)),
    ("BE", None, FeeVat(Decimal(17))),
    ("CH", None, FeeVat(Decimal(0), "VAT not applicable: service supplied outside the EU")),
])
def test_platform_fee_vat(country: str, vat_id: str | None, expected: FeeVat) -> None:
    assert platform_fee_vat(country, vat_id, date(2026, 3, 1)) == expected
    assert platform_fee_vat("LU", None, date(2023, 6, 1)).rate == 16  # a 2023 invoice recomputes at 16 %


def _mirror(invoice: Invoice, at: datetime, status: str, net: int = 4900, vat: FeeVat = FeeVat(Decimal(17))) -> bool:
    return invoice.mirror(at=at, number="WZM-1", status=status, currency="eur", net_cents=net, vat=vat,
                          pdf_url=None, period_start=None, period_end=None, issued_at=at)


def test_newest_view_wins_whatever_the_order() -> None:
    invoice = Invoice(vendor_id=1, platform_id=1, stripe_invoice_id="in_1", created_at=AT, updated_at=AT)
    assert _mirror(invoice, AT + timedelta(seconds=2), "paid")
    assert not _mirror(invoice, AT + timedelta(seconds=1), "open")  # finalized, delivered late
    assert (invoice.status, invoice.net_cents, invoice.vat_cents, invoice.gross_cents, invoice.vat_rate) == (
        "paid", 4900, 833, 5733, "17")


def test_vat_rounds_half_up_and_bad_values_are_refused() -> None:
    invoice = Invoice(vendor_id=1, platform_id=1, stripe_invoice_id="in_1", created_at=AT, updated_at=AT)
    _mirror(invoice, AT, "open", net=50)  # 8.5 cents -> 9
    assert (invoice.vat_cents, invoice.gross_cents) == (9, 59)
    with pytest.raises(ValidationFailed):
        _mirror(invoice, AT + timedelta(seconds=1), "mystery")
    with pytest.raises(ValidationFailed):
        _mirror(invoice, AT + timedelta(seconds=1), "open", net=-1)


def test_an_issued_invoice_keeps_its_vat_treatment() -> None:
    invoice = Invoice(vendor_id=1, platform_id=1, stripe_invoice_id="in_1", created_at=AT, updated_at=AT)
    _mirror(invoice, AT, "open", vat=FeeVat(Decimal(0), REVERSE_CHARGE))
    _mirror(invoice, AT + timedelta(seconds=1), "paid", vat=FeeVat(Decimal(17)))  # the vendor moved since
    assert (invoice.status, invoice.vat_rate, invoice.vat_cents, invoice.vat_note) == ("paid", "0", 0, REVERSE_CHARGE)
