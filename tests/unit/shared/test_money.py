"""Unit and property tests for domain.shared.money."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared import CurrencyMismatch, Money, Rounding, ValidationFailed, sum_money
from domain.shared.money import minor_unit_exponent

EUR = "EUR"


def eur(amount: int) -> Money:
    return Money(amount, EUR)


amounts = st.integers(min_value=-10**12, max_value=10**12)
currencies = st.sampled_from(["EUR", "USD", "JPY", "KWD"])
money = st.builds(Money, amounts, currencies)
eur_money = st.builds(Money, amounts, st.just(EUR))


# -- construction and validation ---------------------------------------------


class TestConstruction:
    def test_fields(self) -> None:
        m = Money(1999, "EUR")
        assert m.amount == 1999
        assert m.currency == "EUR"

    @pytest.mark.parametrize("currency", ["eur", "EU", "EURO", "E1R", "", "ÉUR", 978])
    def test_invalid_currency(self, currency: object) -> None:
        with pytest.raises(ValidationFailed) as info:
            Money(1, currency)  # type: ignore[arg-type]
        assert [e.field for e in info.value.errors] == ["currency"]

    @pytest.mark.parametrize("amount", [1.0, True, Decimal("1"), "1", None])
    def test_invalid_amount(self, amount: object) -> None:
        with pytest.raises(ValidationFailed) as info:
            Money(amount, "EUR")  # type: ignore[arg-type]
        assert [e.field for e in info.value.errors] == ["amount"]

    def test_zero(self) -> None:
        assert Money.zero("USD") == Money(0, "USD")

    def test_immutable(self) -> None:
        m = eur(1)
        with pytest.raises(AttributeError):
            m.amount = 2  # type: ignore[misc]

    def test_value_equality_and_hash(self) -> None:
        assert eur(100) == eur(100)
        assert eur(100) != eur(101)
        assert eur(100) != Money(100, "USD")
        assert len({eur(100), eur(100), Money(100, "USD")}) == 2


class TestMinorUnits:
    @pytest.mark.parametrize(
        ("currency", "exponent"),
        [("EUR", 2), ("USD", 2), ("CHF", 2), ("JPY", 0), ("KRW", 0), ("ISK", 0),
         ("BHD", 3), ("KWD", 3), ("JOD", 3), ("OMR", 3), ("TND", 3)],
    )  # fmt: skip
    def test_exponents(self, currency: str, exponent: int) -> None:
        assert minor_unit_exponent(currency) == exponent
        assert Money(1, currency).minor_unit == exponent
        assert Money(1, currency).exponent == exponent


class TestOf:
    @pytest.mark.parametrize(
        ("value", "currency", "expected"),
        [
            ("19.99", "EUR", 1999),
            ("19.9", "EUR", 1990),
            ("19", "EUR", 1900),
            ("19.990", "EUR", 1999),
            ("-0.05", "EUR", -5),
            ("0", "EUR", 0),
            (Decimal("2.50"), "EUR", 250),
            (7, "EUR", 700),
            ("1500", "JPY", 1500),
            ("1.234", "KWD", 1234),
            ("1E+2", "EUR", 10000),
            ("  3.10 ", "EUR", 310),
        ],
    )
    def test_parses_major_units(self, value: str | Decimal | int, currency: str, expected: int) -> None:
        assert Money.of(value, currency) == Money(expected, currency)

    @pytest.mark.parametrize(
        ("value", "currency"),
        [("19.999", "EUR"), ("0.001", "USD"), ("1.5", "JPY"), ("1.2345", "KWD")],
    )
    def test_rejects_too_many_decimals(self, value: str, currency: str) -> None:
        with pytest.raises(ValidationFailed) as info:
            Money.of(value, currency)
        assert info.value.errors[0].field == "amount"
        assert "decimal places" in str(info.value)

    @pytest.mark.parametrize("value", ["abc", "", "1,50", "NaN", "Infinity", 1.5, True, None])
    def test_rejects_garbage(self, value: object) -> None:
        with pytest.raises(ValidationFailed) as info:
            Money.of(value, "EUR")  # type: ignore[arg-type]
        assert info.value.errors[0].field == "amount"

    def test_rejects_bad_currency(self) -> None:
        with pytest.raises(ValidationFailed) as info:
            Money.of("1.00", "eur")
        assert info.value.errors[0].field == "currency"

    @given(money)
    def test_round_trips_through_decimal(self, m: Money) -> None:
        assert Money.of(m.to_decimal(), m.currency) == m
        assert Money.of(str(m.to_decimal()), m.currency) == m


class TestRepresentation:
    @pytest.mark.parametrize(
        ("m", "text"),
        [
            (Money(1999, "EUR"), "19.99 EUR"),
            (Money(5, "EUR"), "0.05 EUR"),
            (Money(-5, "EUR"), "-0.05 EUR"),
            (Money(0, "EUR"), "0.00 EUR"),
            (Money(1500, "JPY"), "1500 JPY"),
            (Money(1, "KWD"), "0.001 KWD"),
            (Money(100_000_000_00, "USD"), "100000000.00 USD"),
        ],
    )
    def test_str(self, m: Money, text: str) -> None:
        assert str(m) == text

    def test_to_decimal(self) -> None:
        assert Money(1999, "EUR").to_decimal() == Decimal("19.99")
        assert Money(-1, "KWD").to_decimal() == Decimal("-0.001")
        assert Money(42, "JPY").to_decimal() == Decimal(42)


# -- arithmetic ----------------------------------------------------------------


class TestArithmetic:
    def test_add_sub(self) -> None:
        assert eur(150) + eur(75) == eur(225)
        assert eur(150) - eur(175) == eur(-25)

    def test_neg_abs(self) -> None:
        assert -eur(150) == eur(-150)
        assert abs(eur(-150)) == eur(150)
        assert abs(eur(150)) == eur(150)

    def test_multiply_by_int_quantity(self) -> None:
        assert eur(250) * 3 == eur(750)
        assert 3 * eur(250) == eur(750)
        assert eur(250) * 0 == eur(0)
        assert eur(250) * -2 == eur(-500)

    @pytest.mark.parametrize("factor", [1.5, Decimal("1.5"), Decimal("2"), True, "2"])
    def test_multiply_rejects_non_int(self, factor: object) -> None:
        with pytest.raises(TypeError):
            eur(100) * factor  # type: ignore[operator]
        with pytest.raises(TypeError):
            factor * eur(100)  # type: ignore[operator]

    def test_add_non_money_is_type_error(self) -> None:
        with pytest.raises(TypeError):
            eur(1) + 1  # type: ignore[operator]

    def test_currency_mismatch_on_add_and_sub(self) -> None:
        with pytest.raises(CurrencyMismatch) as info:
            eur(100) + Money(100, "USD")
        assert str(info.value) == "currency mismatch: EUR vs USD"
        assert info.value.details == {"expected": "EUR", "actual": "USD"}
        assert info.value.kind == "currency-mismatch"
        assert isinstance(info.value, ValidationFailed)
        with pytest.raises(CurrencyMismatch):
            eur(100) - Money(100, "USD")

    def test_bool_and_predicates(self) -> None:
        assert not eur(0)
        assert eur(1)
        assert eur(-1)
        assert eur(0).is_zero() and not eur(0).is_positive() and not eur(0).is_negative()
        assert eur(5).is_positive() and not eur(5).is_negative()
        assert eur(-5).is_negative() and not eur(-5).is_positive()

    def test_comparisons(self) -> None:
        assert eur(1) < eur(2)
        assert eur(2) <= eur(2)
        assert eur(3) > eur(2)
        assert eur(2) >= eur(2)
        assert not eur(2) < eur(2)
        assert max(eur(5), eur(-5), eur(3)) == eur(5)

    @pytest.mark.parametrize("op", ["__lt__", "__le__", "__gt__", "__ge__"])
    def test_comparison_currency_mismatch(self, op: str) -> None:
        with pytest.raises(CurrencyMismatch):
            getattr(eur(1), op)(Money(1, "USD"))

    def test_compare_with_non_money_is_type_error(self) -> None:
        with pytest.raises(TypeError):
            eur(1) < 2  # type: ignore[operator]  # noqa: B015

    def test_sum_money(self) -> None:
        assert sum_money([eur(1), eur(2), eur(3)], EUR) == eur(6)
        assert sum_money([], "USD") == Money.zero("USD")
        assert sum_money((m for m in [eur(-5), eur(5)]), EUR) == eur(0)
        with pytest.raises(CurrencyMismatch):
            sum_money([eur(1), Money(1, "USD")], EUR)
        with pytest.raises(CurrencyMismatch):
            sum_money([eur(1)], "USD")

    @given(money, amounts)
    def test_add_then_sub_is_identity(self, a: Money, b_amount: int) -> None:
        b = Money(b_amount, a.currency)
        assert a + b - b == a

    @given(eur_money, eur_money)
    def test_addition_commutative(self, a: Money, b: Money) -> None:
        assert a + b == b + a

    @given(eur_money, eur_money, eur_money)
    def test_addition_associative(self, a: Money, b: Money, c: Money) -> None:
        assert (a + b) + c == a + (b + c)

    @given(money, st.integers(min_value=0, max_value=50))
    def test_multiply_is_repeated_addition(self, m: Money, q: int) -> None:
        assert m * q == sum_money([m] * q, m.currency)
        assert q * m == m * q


# -- percentage ----------------------------------------------------------------


class TestPercentage:
    def test_examples(self) -> None:
        assert eur(1000).percentage(17) == eur(170)
        assert eur(1000).percentage("17") == eur(170)
        assert eur(1999).percentage(Decimal("17")) == eur(340)  # 339.83 -> 340
        assert eur(1000).percentage("8.5") == eur(85)
        assert eur(1000).percentage("-10") == eur(-100)
        assert Money(1000, "JPY").percentage("3") == Money(30, "JPY")

    def test_default_is_half_up(self) -> None:
        # 5 cents * 10% = 0.5 cent
        assert eur(5).percentage(10) == eur(5).percentage(10, Rounding.HALF_UP)

    @pytest.mark.parametrize(
        ("amount", "rate", "half_up", "half_even"),
        [
            (5, "10", 1, 0),  # 0.5 -> up 1, even 0
            (15, "10", 2, 2),  # 1.5 -> up 2, even 2
            (25, "10", 3, 2),  # 2.5 -> up 3, even 2
            (1, "50", 1, 0),  # 0.5
            (3, "50", 2, 2),  # 1.5
            (-5, "10", -1, 0),  # -0.5 -> away from zero -1, even 0
            (-15, "10", -2, -2),  # -1.5
            (-25, "10", -3, -2),  # -2.5
            (-1, "50", -1, 0),  # -0.5
            (5, "-10", -1, 0),  # negative rate mirrors too
            (4, "10", 0, 0),  # 0.4 -> 0 either way
            (6, "10", 1, 1),  # 0.6 -> 1 either way
            (-6, "10", -1, -1),
            (1050, "17", 179, 178),  # 178.5
        ],
    )
    def test_rounding_ties(self, amount: int, rate: str, half_up: int, half_even: int) -> None:
        assert eur(amount).percentage(rate, Rounding.HALF_UP) == eur(half_up)
        assert eur(amount).percentage(rate, Rounding.HALF_EVEN) == eur(half_even)

    @pytest.mark.parametrize("rate", ["x", "NaN", 1.5, None])
    def test_rejects_bad_rate(self, rate: object) -> None:
        with pytest.raises(ValidationFailed) as info:
            eur(100).percentage(rate)  # type: ignore[arg-type]
        assert info.value.errors[0].field == "rate"

    @given(money)
    def test_hundred_percent_is_identity(self, m: Money) -> None:
        assert m.percentage(100) == m
        assert m.percentage("100.00", Rounding.HALF_EVEN) == m

    @given(money)
    def test_zero_percent_is_zero(self, m: Money) -> None:
        assert m.percentage(0) == Money.zero(m.currency)
        assert m.percentage("0", Rounding.HALF_EVEN) == Money.zero(m.currency)

    @given(money, st.decimals(min_value=-200, max_value=200, places=3), st.sampled_from(Rounding))
    def test_within_half_unit_of_exact(self, m: Money, rate: Decimal, rounding: Rounding) -> None:
        exact = Fraction(m.amount) * Fraction(rate) / 100
        assert abs(m.percentage(rate, rounding).amount - exact) <= Fraction(1, 2)

    @given(money, st.decimals(min_value=0, max_value=100, places=2))
    def test_half_up_is_symmetric(self, m: Money, rate: Decimal) -> None:
        assert (-m).percentage(rate) == -(m.percentage(rate))


# -- allocate / split ------------------------------------------------------------


class TestAllocate:
    def test_examples(self) -> None:
        assert eur(100).allocate([1, 1, 1]) == [eur(34), eur(33), eur(33)]
        assert eur(5).allocate([3, 7]) == [eur(2), eur(3)]  # 1.5, 3.5 -> tie: first wins
        assert eur(10).allocate([70, 20, 10]) == [eur(7), eur(2), eur(1)]
        assert eur(1).allocate([1, 0, 1]) == [eur(1), eur(0), eur(0)]
        assert eur(0).allocate([1, 2]) == [eur(0), eur(0)]
        assert eur(7).allocate([0, 5]) == [eur(0), eur(7)]

    def test_largest_remainder_gets_the_extra_unit(self) -> None:
        # exact shares: 1.4, 2.8, 1.8 -> floors 1, 2, 1 (sum 4), one unit left for 0.8
        assert eur(6).allocate([7, 14, 9]) == [eur(1), eur(3), eur(2)]

    def test_negative_amounts_mirror_positive(self) -> None:
        assert eur(-100).allocate([1, 1, 1]) == [eur(-34), eur(-33), eur(-33)]
        assert eur(-6).allocate([7, 14, 9]) == [eur(-1), eur(-3), eur(-2)]

    @pytest.mark.parametrize("ratios", [[], [0, 0], [1, -1], [1.5, 1], [True, 1], ["1"]])
    def test_bad_ratios(self, ratios: list[object]) -> None:
        with pytest.raises(ValidationFailed) as info:
            eur(100).allocate(ratios)  # type: ignore[arg-type]
        assert info.value.errors[0].field == "ratios"

    def test_split(self) -> None:
        assert eur(100).split(3) == [eur(34), eur(33), eur(33)]
        assert eur(-10).split(4) == [eur(-3), eur(-3), eur(-2), eur(-2)]
        assert eur(2).split(3) == [eur(1), eur(1), eur(0)]
        assert eur(9).split(1) == [eur(9)]

    @pytest.mark.parametrize("n", [0, -1, 1.5, True])
    def test_split_rejects_bad_n(self, n: object) -> None:
        with pytest.raises(ValidationFailed):
            eur(100).split(n)  # type: ignore[arg-type]

    @given(money, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12))
    def test_allocate_properties(self, m: Money, ratios: list[int]) -> None:
        if sum(ratios) == 0:
            ratios = [*ratios, 1]
        parts = m.allocate(ratios)
        assert len(parts) == len(ratios)
        assert all(p.currency == m.currency for p in parts)
        assert sum_money(parts, m.currency) == m
        total = sum(ratios)
        for part, ratio in zip(parts, ratios, strict=True):
            exact = Fraction(m.amount * ratio, total)
            assert abs(part.amount - exact) < 1
            if ratio == 0:
                assert part.is_zero()

    @given(money, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12))
    def test_allocate_negative_mirrors_positive(self, m: Money, ratios: list[int]) -> None:
        ratios = [*ratios, 1]
        assert (-m).allocate(ratios) == [-p for p in m.allocate(ratios)]

    @given(money, st.integers(min_value=1, max_value=50))
    def test_split_parts_differ_by_at_most_one(self, m: Money, n: int) -> None:
        parts = m.split(n)
        assert len(parts) == n
        assert sum_money(parts, m.currency) == m
        part_amounts = [p.amount for p in parts]
        assert max(part_amounts) - min(part_amounts) <= 1
