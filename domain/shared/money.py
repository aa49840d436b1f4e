"""Money as an integer amount of minor units plus an ISO 4217 currency code.

Amounts are never floats: ``Money(1999, "EUR")`` is 19.99 EUR. Arithmetic is
exact integer arithmetic; rounding only happens in ``percentage`` and is
explicit. ``allocate`` splits amounts without losing or inventing a cent.
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from domain.shared.errors import CurrencyMismatch, ValidationFailed

__all__ = ["Money", "Rounding", "minor_unit_exponent", "sum_money"]

DEFAULT_EXPONENT = 2

# ISO 4217 minor-unit exponents that differ from the default of 2.
_EXPONENTS: dict[str, int] = {
    # no minor unit
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0,
    "KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0,
    "XAF": 0, "XOF": 0, "XPF": 0,
    # three decimal places
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip


def minor_unit_exponent(currency: str) -> int:
    """Number of decimal places of ``currency`` (2 unless listed otherwise)."""
    return _EXPONENTS.get(currency, DEFAULT_EXPONENT)


class Rounding(enum.Enum):
    """How ``Money.percentage`` rounds a result that falls between two minor units.

    ``HALF_UP`` (ties away from zero: 0.5 -> 1, -0.5 -> -1) is the default
    because it is the commercial convention used on Luxembourg invoices and
    what customers and accountants expect when checking a VAT line by hand.
    ``HALF_EVEN`` (banker's rounding: 0.5 -> 0, 1.5 -> 2) avoids an upward bias
    when many roundings are summed.
    """

    HALF_UP = decimal.ROUND_HALF_UP
    HALF_EVEN = decimal.ROUND_HALF_EVEN


def _validate_currency(_instance: object, _attribute: object, value: object) -> None:
    if not (
        isinstance(value, str)
        and len(value) == 3
        and value.isascii()
        and value.isalpha()
        and value.isupper()
    ):
        raise ValidationFailed.for_field(
            "currency", f"must be a 3-letter uppercase ISO 4217 code, got {value!r}"
        )


def _validate_amount(_instance: object, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed.for_field(
            "amount", f"must be an integer number of minor units, got {value!r}"
        )


def _round_division(numerator: int, denominator: int, rounding: Rounding) -> int:
    """``numerator / denominator`` rounded to an integer (``denominator > 0``)."""
    quotient, remainder = divmod(abs(numerator), denominator)
    twice = 2 * remainder
    if twice > denominator or (
        twice == denominator and (rounding is Rounding.HALF_UP or quotient % 2 == 1)
    ):
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def _to_decimal(value: object, field: str) -> Decimal:
    """Parse a ``str``/``Decimal``/``int`` into a finite Decimal, else ValidationFailed."""
    if isinstance(value, bool) or not isinstance(value, str | Decimal | int):
        raise ValidationFailed.for_field(
            field, f"must be a decimal string, Decimal or int, got {value!r}"
        )
    try:
        number = Decimal(value)
    except decimal.InvalidOperation:
        raise ValidationFailed.for_field(field, f"not a decimal number: {value!r}") from None
    if not number.is_finite():
        raise ValidationFailed.for_field(field, f"must be finite, got {value!r}")
    return number


@attrs.frozen(slots=True)
class Money:
    """An exact amount of money: ``amount`` minor units of ``currency``.

    Value object: equality is value equality, instances are immutable and
    hashable. Mixing currencies raises ``CurrencyMismatch``.
    """

    amount: int = attrs.field(validator=_validate_amount)
    currency: str = attrs.field(validator=_validate_currency)

    # -- construction -------------------------------------------------------

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``."""
        return cls(0, currency)

    @classmethod
    def of(cls, value: str | Decimal | int, currency: str) -> Money:
        """Build from major units, e.g. ``Money.of("19.99", "EUR") == Money(1999, "EUR")``.

        More decimal places than the currency allows raise ``ValidationFailed``
        (field ``amount``); trailing zeros are fine (``"19.990"``).
        """
        _validate_currency(None, None, currency)
        number = _to_decimal(value, "amount")
        exponent = minor_unit_exponent(currency)
        sign, digits, number_exponent = number.as_tuple()
        assert isinstance(number_exponent, int)  # finite, checked above
        coefficient = int("".join(map(str, digits)))
        shift = number_exponent + exponent
        if shift >= 0:
            minor = coefficient * 10**shift
        else:
            minor, rest = divmod(coefficient, 10**-shift)
            if rest:
                raise ValidationFailed.for_field(
                    "amount", f"{currency} allows at most {exponent} decimal places, got {value!r}"
                )
        return cls(-minor if sign else minor, currency)

    # -- representation -----------------------------------------------------

    @property
    def minor_unit(self) -> int:
        """ISO 4217 minor unit: the number of decimal places of the currency."""
        return minor_unit_exponent(self.currency)

    @property
    def exponent(self) -> int:
        """Alias of ``minor_unit``."""
        return self.minor_unit

    def to_decimal(self) -> Decimal:
        """The amount in major units, exactly: ``Money(1999, "EUR") -> Decimal("19.99")``."""
        return Decimal(f"{self.amount}E-{self.minor_unit}")

    def __str__(self) -> str:
        return f"{self.to_decimal():f} {self.currency}"

    # -- predicates ---------------------------------------------------------

    def __bool__(self) -> bool:
        return self.amount != 0

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def is_positive(self) -> bool:
        return self.amount > 0

    # -- arithmetic ---------------------------------------------------------

    def _check_same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"currency mismatch: {self.currency} vs {other.currency}",
                expected=self.currency,
                actual=other.currency,
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, quantity: int) -> Money:
        """Multiply by an integer quantity; floats and Decimals raise ``TypeError``."""
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise TypeError(
                f"Money can only be multiplied by an int quantity, got {type(quantity).__name__}; "
                "use percentage() for rates"
            )
        return Money(self.amount * quantity, self.currency)

    def __rmul__(self, quantity: int) -> Money:
        return self.__mul__(quantity)

    # -- ordering (same currency only) --------------------------------------

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other)
        return self.amount >= other.amount

    # -- rates and splitting ------------------------------------------------

    def percentage(
        self, rate: Decimal | str | int, rounding: Rounding = Rounding.HALF_UP
    ) -> Money:
        """``rate`` percent of this amount, rounded to the minor unit.

        ``Money(1000, "EUR").percentage("17") == Money(170, "EUR")``. Rounding
        defaults to ``HALF_UP`` (ties away from zero), the Luxembourg invoice
        convention; pass ``Rounding.HALF_EVEN`` for banker's rounding.
        """
        numerator, denominator = _to_decimal(rate, "rate").as_integer_ratio()
        return Money(
            _round_division(self.amount * numerator, denominator * 100, rounding),
            self.currency,
        )

    def allocate(self, ratios: Sequence[int]) -> list[Money]:
        """Split in proportion to non-negative integer ``ratios`` (largest-remainder method).

        The parts always sum exactly to ``self``; each part is within one minor
        unit of its exact share, leftover units going to the largest remainders
        (earlier parts win ties). Negative amounts are split as the mirror image
        of the positive amount.
        """
        ratios = list(ratios)
        if not ratios or any(
            isinstance(r, bool) or not isinstance(r, int) or r < 0 for r in ratios
        ):
            raise ValidationFailed.for_field(
                "ratios", "must be a non-empty list of non-negative integers"
            )
        total = sum(ratios)
        if total == 0:
            raise ValidationFailed.for_field("ratios", "at least one ratio must be positive")

        magnitude = abs(self.amount)
        shares = [magnitude * ratio // total for ratio in ratios]
        remainders = [magnitude * ratio % total for ratio in ratios]
        leftover = magnitude - sum(shares)
        by_remainder = sorted(range(len(ratios)), key=lambda i: (-remainders[i], i))
        for index in by_remainder[:leftover]:
            shares[index] += 1

        sign = -1 if self.amount < 0 else 1
        return [Money(sign * share, self.currency) for share in shares]

    def split(self, n: int) -> list[Money]:
        """Split into ``n`` parts differing by at most one minor unit (first parts get more)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValidationFailed.for_field("n", f"must be a positive integer, got {n!r}")
        return self.allocate([1] * n)


def sum_money(items: Iterable[Money], currency: str) -> Money:
    """Sum of ``items``, ``Money.zero(currency)`` when empty; mixed currencies raise."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total
