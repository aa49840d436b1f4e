"""Tests for domain errors, domain events, ids and time helpers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest

from domain.shared import (
    DEFAULT_TIMEZONE,
    CompanyId,
    Conflict,
    CurrencyMismatch,
    DomainError,
    DomainEvent,
    FieldError,
    LimitExceeded,
    NotFound,
    PermissionDenied,
    RecordsEvents,
    ValidationFailed,
    ensure_aware,
    new_uuid,
    to_utc,
    utc_from_timestamp,
    zone,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


# -- errors ------------------------------------------------------------------------


class TestErrors:
    def test_domain_error_basics(self) -> None:
        error = DomainError("something broke", order_id=7)
        assert str(error) == "something broke"
        assert error.message == "something broke"
        assert error.details == {"order_id": 7}
        assert error.kind == "domain-error"
        assert isinstance(error, Exception)

    @pytest.mark.parametrize(
        ("cls", "kind"),
        [
            (NotFound, "not-found"),
            (Conflict, "conflict"),
            (ValidationFailed, "validation"),
            (PermissionDenied, "permission-denied"),
            (CurrencyMismatch, "currency-mismatch"),
        ],
    )
    def test_kinds(self, cls: type[DomainError], kind: str) -> None:
        error = cls("nope")
        assert error.kind == kind
        assert str(error) == "nope"
        assert isinstance(error, DomainError)

    def test_limit_exceeded(self) -> None:
        error = LimitExceeded("product limit of 100 reached", limit="products", maximum=100)
        assert error.kind == "limit-exceeded"
        assert error.limit == "products"
        assert error.details == {"limit": "products", "maximum": 100}
        assert str(error) == "product limit of 100 reached"

    def test_limit_exceeded_requires_limit(self) -> None:
        with pytest.raises(TypeError):
            LimitExceeded("too many")  # type: ignore[call-arg]

    def test_field_error_is_frozen_value(self) -> None:
        assert FieldError("sku", "required") == FieldError(field="sku", message="required")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            FieldError("sku", "required").field = "x"  # type: ignore[misc]

    def test_validation_message_built_from_field_errors(self) -> None:
        error = ValidationFailed(
            errors=[FieldError("price", "must not be negative"), FieldError("sku", "required")]
        )
        assert str(error) == "price: must not be negative; sku: required"
        assert error.errors == (
            FieldError("price", "must not be negative"),
            FieldError("sku", "required"),
        )

    def test_validation_explicit_message_wins(self) -> None:
        error = ValidationFailed("bad product", errors=[FieldError("sku", "required")], row=3)
        assert str(error) == "bad product"
        assert error.errors == (FieldError("sku", "required"),)
        assert error.details == {"row": 3}

    def test_validation_without_anything(self) -> None:
        error = ValidationFailed()
        assert str(error) == "validation failed"
        assert error.errors == ()

    def test_for_field(self) -> None:
        error = ValidationFailed.for_field("email", "invalid address")
        assert str(error) == "email: invalid address"
        assert error.errors == (FieldError("email", "invalid address"),)

    def test_currency_mismatch_is_validation(self) -> None:
        with pytest.raises(ValidationFailed):
            raise CurrencyMismatch("EUR vs USD")


# -- events ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ProductPublished(DomainEvent):
    product_id: int


@attrs.frozen
class StockChanged(DomainEvent):
    """Subclass without kw_only: base fields stay keyword-only."""

    sku: str
    delta: int = 0


class TestDomainEvent:
    def test_fields(self) -> None:
        event = ProductPublished(occurred_at=NOW, product_id=5)
        assert event.occurred_at == NOW
        assert event.product_id == 5
        assert isinstance(event.event_id, uuid.UUID)
        assert event.event_id.version == 4

    def test_event_ids_are_unique(self) -> None:
        assert ProductPublished(occurred_at=NOW, product_id=1).event_id != ProductPublished(
            occurred_at=NOW, product_id=1
        ).event_id

    def test_explicit_event_id(self) -> None:
        event_id = uuid.uuid4()
        event = ProductPublished(occurred_at=NOW, product_id=1, event_id=event_id)
        assert event.event_id == event_id

    def test_non_kw_only_subclass(self) -> None:
        event = StockChanged("SKU-1", 3, occurred_at=NOW)
        assert (event.sku, event.delta) == ("SKU-1", 3)

    def test_rejects_naive_datetime(self) -> None:
        with pytest.raises(ValueError, match="naive"):
            ProductPublished(occurred_at=datetime(2025, 3, 1, 12, 0), product_id=1)

    def test_rejects_non_datetime(self) -> None:
        with pytest.raises(TypeError):
            ProductPublished(occurred_at="2025-03-01", product_id=1)  # type: ignore[arg-type]

    def test_accepts_non_utc_aware(self) -> None:
        local = datetime(2025, 3, 1, 13, 0, tzinfo=ZoneInfo("Europe/Luxembourg"))
        assert ProductPublished(occurred_at=local, product_id=1).occurred_at == NOW

    def test_requires_occurred_at(self) -> None:
        with pytest.raises(TypeError):
            ProductPublished(product_id=1)  # type: ignore[call-arg]

    def test_frozen(self) -> None:
        event = ProductPublished(occurred_at=NOW, product_id=1)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            event.product_id = 2  # type: ignore[misc]


@attrs.define(slots=False, eq=False)
class Product(RecordsEvents):
    id: int
    title: str

    def publish(self, at: datetime) -> None:
        self.record(ProductPublished(occurred_at=at, product_id=self.id))


class TestRecordsEvents:
    def test_record_and_pull(self) -> None:
        product = Product(1, "Mug")
        assert product.pending_events == ()
        product.publish(NOW)
        product.publish(NOW + timedelta(minutes=1))
        pending = product.pending_events
        assert [e.occurred_at for e in pending] == [NOW, NOW + timedelta(minutes=1)]

        pulled = product.pull_events()
        assert list(pending) == pulled
        assert product.pull_events() == []
        assert product.pending_events == ()

    def test_pending_view_is_read_only(self) -> None:
        product = Product(1, "Mug")
        product.publish(NOW)
        view = product.pending_events
        assert isinstance(view, tuple)
        assert len(product.pending_events) == 1

    def test_pulled_list_is_independent(self) -> None:
        product = Product(1, "Mug")
        product.publish(NOW)
        pulled = product.pull_events()
        product.publish(NOW)
        assert len(pulled) == 1
        assert len(product.pending_events) == 1

    def test_works_when_init_was_bypassed(self) -> None:
        product = object.__new__(Product)  # as an ORM would load it
        product.id = 9
        product.title = "Loaded"
        assert product.pending_events == ()
        assert product.pull_events() == []
        product.publish(NOW)
        assert [e.product_id for e in product.pull_events()] == [9]  # type: ignore[attr-defined]
        assert product.pending_events == ()

    def test_instances_do_not_share_events(self) -> None:
        a, b = Product(1, "A"), Product(2, "B")
        a.publish(NOW)
        assert len(a.pending_events) == 1
        assert b.pending_events == ()

    def test_event_buffer_is_not_an_attrs_field(self) -> None:
        product = Product(1, "Mug")
        product.publish(NOW)
        assert [f.name for f in attrs.fields(Product)] == ["id", "title"]
        assert "Mug" in repr(product)


# -- ids and time --------------------------------------------------------------------


class TestIdsAndTime:
    def test_ids(self) -> None:
        assert CompanyId(3) == 3
        first, second = new_uuid(), new_uuid()
        assert first.version == 4
        assert first != second

    def test_ensure_aware(self) -> None:
        assert ensure_aware(NOW) is NOW
        with pytest.raises(ValueError):
            ensure_aware(datetime(2025, 1, 1))

    def test_to_utc(self) -> None:
        plus_two = datetime(2025, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
        converted = to_utc(plus_two)
        assert converted == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
        assert converted.utcoffset() == timedelta(0)
        with pytest.raises(ValueError):
            to_utc(datetime(2025, 6, 1, 14, 0))

    def test_utc_from_timestamp(self) -> None:
        assert utc_from_timestamp(0) == datetime(1970, 1, 1, tzinfo=UTC)
        assert utc_from_timestamp(1.5).microsecond == 500_000
        assert utc_from_timestamp(0).tzinfo is UTC

    def test_zone(self) -> None:
        assert DEFAULT_TIMEZONE == "Europe/Luxembourg"
        assert zone(DEFAULT_TIMEZONE) == ZoneInfo("Europe/Luxembourg")

    @pytest.mark.parametrize("name", ["Mars/Olympus", "europe/luxembourg", "", "Europe", "../etc"])
    def test_zone_rejects_unknown(self, name: str) -> None:
        with pytest.raises(ValidationFailed) as info:
            zone(name)
        assert info.value.errors[0].field == "timezone"
