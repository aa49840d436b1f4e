"""Unit and property tests for domain.shared.gtin."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.gtin import check_gtin, gtin_type


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("96385074", "gtin8"),
        ("012345678905", "gtin12"),
        ("4006381333931", "gtin13"),
        ("5449000000996", "gtin13"),
        ("00012345600012", "gtin14"),
    ],
)
def test_valid_gtins_and_their_type(value: str, kind: str) -> None:
    assert gtin_type(value) == kind
    assert check_gtin(value) == kind


def test_wrong_check_digit_names_the_right_one() -> None:
    assert gtin_type("4006381333932") is None
    with pytest.raises(ValueError, match="^check digit should be 1$"):
        check_gtin("4006381333932")


def test_empty() -> None:
    assert gtin_type("") is None
    with pytest.raises(ValueError, match="^is empty$"):
        check_gtin("")


@pytest.mark.parametrize("value", ["123", "1234567", "12345678901", "123456789012345"])
def test_wrong_length(value: str) -> None:
    assert gtin_type(value) is None
    with pytest.raises(ValueError, match=rf"^must be 8, 12, 13 or 14 digits, got {len(value)}$"):
        check_gtin(value)


@pytest.mark.parametrize(
    "value", ["400638133393X", "4006381 33393", "４００６３８１３３３９３１", "4.00638E+12"]
)
def test_only_ascii_digits(value: str) -> None:
    assert gtin_type(value) is None
    with pytest.raises(ValueError, match="^must contain only digits$"):
        check_gtin(value)


def _check_digit(body: str) -> int:
    """The GS1 rule spelled out: weights 3, 1, 3, ... from the right of the body."""
    total = sum(int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


@given(
    st.sampled_from([8, 12, 13, 14]).flatmap(lambda n: st.text("0123456789", min_size=n - 1, max_size=n - 1))
)
def test_exactly_one_check_digit_is_valid(body: str) -> None:
    valid = [digit for digit in "0123456789" if gtin_type(body + digit)]
    assert valid == [str(_check_digit(body))]
    assert gtin_type(body + valid[0]) == f"gtin{len(body) + 1}"
