"""Unit and property tests for domain.marketplace.feed: sniffing, row validation, streaming."""

from __future__ import annotations

import codecs
import io
import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.marketplace.feed import (
    AVAILABILITIES,
    CONDITIONS,
    SAMPLE_SIZE,
    Batch,
    Feed,
    FeedRejected,
    FeedRow,
    RowError,
    open_feed,
    parse_price,
    write_feed,
)
from domain.shared.gtin import gtin_type

HEADER = "id\ttitle\tprice\n"


def feed(data: str | bytes, **options: Any) -> Feed:
    return open_feed(io.BytesIO(data.encode() if isinstance(data, str) else data), **options)


def read(data: str | bytes, **options: Any) -> tuple[list[FeedRow], list[RowError], list[RowError]]:
    """All rows, errors and duplicates of a feed."""
    rows, errors, duplicates = [], [], []
    for batch in feed(data, **options).batches(1000):
        rows += batch.rows
        errors += batch.errors
        duplicates += batch.duplicates
    return rows, errors, duplicates


def rejected(data: str | bytes, **options: Any) -> str:
    with pytest.raises(FeedRejected) as info:
        feed(data, **options)
    assert info.value.kind == "invalid-feed"
    return str(info.value)


# -- a good row --------------------------------------------------------------------------------


def test_a_full_row_is_normalised() -> None:
    data = (
        "id\ttitle\tdescription\tlink\timage_link\tadditional_image_link\tavailability\tprice\tsale_price\t"
        "brand\tgtin\tmpn\tcondition\tgoogle_product_category\tproduct_type\titem_group_id\n"
        " A1 \tMug\tA big mug.\thttps://s.lu/a1\thttps://s.lu/a1.jpg\t"
        "https://s.lu/a1b.jpg, https://s.lu/a1c.jpg,\t"
        "In Stock\t19.99 EUR\t14.99 EUR\tAcme\t4006381333931\tM-1\t\tHome > Kitchen\tMugs\tG1\n"
    )
    [row], errors, _ = read(data)
    assert errors == []
    assert row._replace(content_hash="", raw_hash="") == FeedRow(
        line=2, external_id="A1", title="Mug", description="A big mug.", link="https://s.lu/a1",
        image_link="https://s.lu/a1.jpg",
        additional_image_links=("https://s.lu/a1b.jpg", "https://s.lu/a1c.jpg"),
        availability="in_stock", price_cents=1999, sale_price_cents=1499, currency="EUR", brand="Acme",
        gtin="4006381333931", gtin_type="gtin13", mpn="M-1", condition="new", category="Home > Kitchen",
        product_type="Mugs", item_group_id="G1", content_hash="", raw_hash="",
    )  # fmt: skip
    assert len(row.content_hash) == 32 and int(row.content_hash, 16) >= 0
    assert len(row.raw_hash) == 32 and row.raw_hash != row.content_hash


def test_optional_columns_default() -> None:
    [row], _, _ = read(HEADER + "A1\tMug\t5 EUR\n")
    assert (row.description, row.additional_image_links) == ("", ())
    assert (row.availability, row.condition) == ("in_stock", "new")
    assert (row.gtin, row.gtin_type, row.sale_price_cents) == (None, None, None)


# -- dialects and encodings --------------------------------------------------------------------


def test_semicolon_separated_with_decimal_commas() -> None:
    opened = feed("id;title;price\nA1;Mug;19,99 EUR\n")
    assert opened.delimiter == ";"
    [row] = next(opened.batches(10)).rows
    assert (row.price_cents, row.currency) == (1999, "EUR")


def test_comma_separated_with_quoted_commas() -> None:
    opened = feed('id,title,price\nA1,"Mug, blue, 0,5 l","1,234.56 EUR"\n')
    assert opened.delimiter == ","
    [row] = next(opened.batches(10)).rows
    assert (row.title, row.price_cents) == ("Mug, blue, 0,5 l", 123456)


def test_delimiter_inside_quoted_header_names_does_not_count() -> None:
    assert feed('"id";"title";"price";"weight, size, colour, more"\n').delimiter == ";"


def test_delimiter_tie_prefers_tab_then_semicolon() -> None:
    assert feed("id\tprice\tx;y;z,w,v\n", required=("id",)).delimiter == "\t"
    assert feed("id;price;x,y,z\n", required=("id",)).delimiter == ";"


def test_cp1252_spreadsheet_export() -> None:
    opened = feed("id;title;price\nA1;Café crème;2,50 EUR\n".encode("cp1252"))
    assert opened.encoding == "cp1252"
    [row] = next(opened.batches(10)).rows
    assert row.title == "Café crème"


def test_utf8_bom_is_not_part_of_the_first_column() -> None:
    opened = feed(b"\xef\xbb\xbf" + (HEADER + "A1\tCafé\t1 EUR\n").encode())
    assert (opened.encoding, opened.columns) == ("utf-8-sig", ("id", "title", "price"))
    [row] = next(opened.batches(10)).rows
    assert (row.external_id, row.title) == ("A1", "Café")


def test_utf16_unicode_text_export() -> None:
    opened = feed((HEADER + "A1\tCafé\t1 EUR\n").encode("utf-16"))
    assert opened.encoding == "utf-16"
    [row] = next(opened.batches(10)).rows
    assert row.title == "Café"


def test_multibyte_character_cut_at_the_sample_end_is_still_utf8() -> None:
    head = (HEADER + "A1\t").encode()
    title = "x" * (SAMPLE_SIZE - len(head) - 1) + "é"  # é's two bytes straddle the sample end
    opened = feed(head + f"{title}\t1 EUR\n".encode())
    assert opened.encoding == "utf-8"
    [row] = next(opened.batches(10)).rows
    assert row.title == title


def test_invalid_utf8_after_the_sample_rejects_the_file_at_its_line() -> None:
    rows = "".join(f"A{n}\t{'x' * 100}\t1 EUR\n" for n in range(SAMPLE_SIZE // 100))  # lines 2-10486
    opened = feed((HEADER + rows).encode() + b"B1\tcaf\xe9\t1 EUR\n")
    with pytest.raises(FeedRejected, match=r"^line 10487 is not valid utf-8 \(detected from the first MiB"):
        list(opened.batches(1000))


def test_a_quote_left_open_swallows_the_rest_until_the_field_limit() -> None:
    rows = "".join(f"A{n}\tMug\t1 EUR\n" for n in range(2, 20_000))
    opened = feed(HEADER + 'A1\t"Mug\t1 EUR\n' + rows)
    with pytest.raises(
        FeedRejected, match=r"^cannot read the record starting on line 2: field larger than field"
    ):
        list(opened.batches(1000))


# -- line numbers ------------------------------------------------------------------------------


def test_quoted_newlines_and_tabs_keep_physical_line_numbers() -> None:
    data = HEADER.replace("price", "description\tprice") + (
        'A1\tMug\t"first line\nsecond\tline"\t1 EUR\n'  # lines 2-3
        'A2\t"Big\r\nmug"\t\t2 EUR\n'  # lines 4-5, a Windows line break inside the field
        "A3\t\t\t3 EUR\n"  # line 6
    )
    rows, errors, _ = read(data)
    assert [(row.line, row.title, row.description) for row in rows] == [
        (2, "Mug", "first line\nsecond\tline"), (4, "Big\nmug", ""),
    ]  # fmt: skip
    assert errors == [RowError(6, "title", "is empty", "A3")]


def test_windows_line_endings() -> None:
    rows, errors, _ = read("id;title;price\r\nA1;Mug;1 EUR\r\nA2;;2 EUR\r\n")
    assert [row.line for row in rows] == [2]
    assert errors == [RowError(3, "title", "is empty", "A2")]


def test_blank_lines_are_skipped_but_counted() -> None:
    rows, errors, _ = read("\n \n" + HEADER + "\nA1\tMug\t1 EUR\n\n\t\t\n\nA2\t\t2 EUR\n\n")
    assert [row.line for row in rows] == [5]
    assert errors == [RowError(9, "title", "is empty", "A2")]


def test_batches_cover_consecutive_lines() -> None:
    data = HEADER + 'A1\t"two\nlines"\t1 EUR\nA2\tMug\t1 EUR\n\nA3\tMug\t1 EUR\n'
    batches = list(feed(data).batches(2))
    assert [(b.first_line, b.last_line, [r.external_id for r in b.rows]) for b in batches] == [
        (2, 4, ["A1", "A2"]), (6, 6, ["A3"]),
    ]  # fmt: skip


def test_resume_after_the_last_committed_batch() -> None:
    data = HEADER + "".join(f"A{n}\tMug\t{n} EUR\n" for n in range(1, 7)) + "A2\tMug again\t9 EUR\n"
    first = next(feed(data).batches(2))
    assert (first.last_line, [r.external_id for r in first.rows]) == (3, ["A1", "A2"])
    resumed = list(feed(data).batches(2, start_after_line=first.last_line))
    assert [r.external_id for b in resumed for r in b.rows] == ["A3", "A4", "A5", "A6", "A2"]
    # the skipped rows' ids still count: A2 on line 8 overrides line 3
    assert [d for b in resumed for d in b.duplicates] == [
        RowError(8, "id", "duplicate id, an earlier line is overridden", "A2")
    ]


def test_resume_in_the_middle_of_a_batch() -> None:
    data = HEADER + "".join(f"A{n}\tMug\t{n} EUR\n" for n in range(1, 6))
    batches = list(feed(data).batches(3, start_after_line=3))
    assert [(b.first_line, [r.external_id for r in b.rows]) for b in batches] == [(4, ["A3", "A4", "A5"])]


# -- records the caller already holds ---------------------------------------------------------


def test_records_the_caller_holds_unchanged_are_counted_not_validated() -> None:
    data = HEADER + "A1\tMug\t5 EUR\nA2\tCup\t6 EUR\nA3\tBowl\t7 EUR\n"
    [first] = feed(data).batches(10)
    held = {row.external_id: row.raw_hash for row in first.rows}
    asked: list[tuple[list[str], list[str]]] = []

    def unchanged(ids: list[str], raw_hashes: Callable[[], list[str]]) -> set[str]:
        hashes = raw_hashes()
        assert raw_hashes() is hashes  # hashed once
        asked.append((ids, hashes))
        return {i for i, h in zip(ids, hashes, strict=True) if held.get(i) == h and i != "A2"}

    [again] = feed(data).batches(10, unchanged=unchanged)
    assert asked == [(["A1", "A2", "A3"], [row.raw_hash for row in first.rows])]
    assert ([r.external_id for r in again.rows], again.unchanged, again.read) == (["A2"], 2, 3)
    assert again.rows[0] == first.rows[1]


def test_the_raw_hash_is_the_record_as_written_under_its_layout() -> None:
    [plain] = read(HEADER + "A1\tMug\t5 EUR\n")[0]
    [spaced] = read(HEADER + "A1\tMug \t5 EUR\n")[0]
    [semicolons] = read("id;title;price\nA1;Mug;5 EUR\n")[0]
    [reordered] = read("title\tid\tprice\nA1\tMug\t5 EUR\n")[0]
    assert plain.content_hash == spaced.content_hash == semicolons.content_hash
    assert len({plain.raw_hash, spaced.raw_hash, semicolons.raw_hash, reordered.raw_hash}) == 4
    assert read(HEADER + "A1\tMug\t5 EUR\n")[0][0].raw_hash == plain.raw_hash
    assert read(HEADER + "A1\tMug\t5 EUR\n", default_currency="USD")[0][0].raw_hash != plain.raw_hash


def test_a_repeated_id_is_validated_even_when_held_unchanged() -> None:
    data = HEADER + "A1\tMug\t5 EUR\nA1\tMug\t5 EUR\nB1\tCup\t6 EUR\n"
    batches = list(feed(data).batches(2, unchanged=lambda ids, raw_hashes: set(ids)))
    assert [([r.external_id for r in b.rows], b.unchanged) for b in batches] == [(["A1"], 0), ([], 1)]
    assert batches[0].duplicates == [RowError(3, "id", "duplicate id, line 2 is overridden", "A1")]


# -- job-level errors --------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \r\n", b'""\n'])
def test_empty_file(data: bytes) -> None:
    assert rejected(data) == "the file is empty"


def test_header_without_rows_is_not_an_error() -> None:
    assert list(feed(HEADER).batches(10)) == []


def test_png_is_not_a_text_file() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    assert rejected(png) == "not a text file"


def test_random_bytes_are_not_a_text_file() -> None:
    noise = random.Random(7).randbytes(4096)
    assert rejected(noise) == "not a text file"
    assert rejected(noise.replace(b"\x00", b"\x01")) == "not a text file"  # control characters


def test_neither_utf8_nor_cp1252_is_not_a_text_file() -> None:
    assert rejected(HEADER.encode() + b"A1\t\x81\x8d\t1 EUR\n") == "not a text file: not utf-8 or cp1252"
    assert rejected(codecs.BOM_UTF16_LE + b"i\x00d\x00\x00\xdc") == "not a text file: not utf-16"


def test_missing_required_column_is_named() -> None:
    assert rejected("id\ttitle\tdescription\n") == "missing required column 'price'"
    assert rejected("id;description\n") == "missing required columns 'title', 'price'"


def test_extra_required_column() -> None:
    assert rejected(HEADER, required=("id", "title", "price", "gtin")) == "missing required column 'gtin'"
    _, errors, _ = read(HEADER.replace("\n", "\tbrand\n") + "A1\tMug\t1 EUR\t\n", required=("brand",))
    assert errors == [RowError(2, "brand", "is empty", "A1")]


def test_column_named_twice() -> None:
    assert rejected("id\ttitle\tprice\tG:Price\n") == "column 'price' appears twice in the header"


# -- header mapping ----------------------------------------------------------------------------


def test_columns_in_any_order_with_normalised_names() -> None:
    opened = feed(
        ' "G:Price" \tTitle\tImage Link\tsale-price\t ID \nEUR 3,50\tMug\thttps://s.lu/i.jpg\t\tA1\n'
    )
    assert opened.columns == ("price", "title", "image_link", "sale_price", "id")
    [row] = next(opened.batches(10)).rows
    assert (row.external_id, row.title, row.price_cents) == ("A1", "Mug", 350)
    assert row.image_link == "https://s.lu/i.jpg"


def test_unknown_columns_are_ignored_and_listed_once() -> None:
    opened = feed(
        "id\tColour\ttitle\tweight\tprice\tColour\t\n"
        "A1\tred\tMug\t1 kg\t1 EUR\tred\t\n"
        "A2\tblue\tCup\t\t2 EUR\n"
    )
    assert opened.unknown_columns == ("Colour", "weight")
    rows = next(opened.batches(10)).rows
    assert [(row.external_id, row.title) for row in rows] == [("A1", "Mug"), ("A2", "Cup")]


def test_short_rows_are_padded_and_extra_fields_ignored() -> None:
    data = "id\ttitle\tprice\tbrand\nA1\tMug\t1 EUR\nA2\tCup\t2 EUR\tAcme\textra\textra\nA3\tBowl\n"
    rows, errors, _ = read(data)
    assert [(row.external_id, row.brand) for row in rows] == [("A1", ""), ("A2", "Acme")]
    assert errors == [RowError(4, "price", "is missing", "A3")]


# -- row errors --------------------------------------------------------------------------------


def row_errors(line: str, header: str = HEADER, **options: Any) -> list[RowError]:
    rows, errors, _ = read(header + line, **options)
    assert rows == []
    return errors


def test_empty_id() -> None:
    assert row_errors(" \tMug\t1 EUR\n") == [RowError(2, "id", "is empty", None)]


def test_over_long_id() -> None:
    assert row_errors("ABCDEF\tMug\t1 EUR\n", max_id_length=5) == [
        RowError(2, "id", "is longer than 5 characters", "ABCDEF")
    ]


def test_empty_title() -> None:
    assert row_errors("A1\t\t1 EUR\n") == [RowError(2, "title", "is empty", "A1")]


def test_missing_price() -> None:
    assert row_errors("A1\tMug\t \n") == [RowError(2, "price", "is missing", "A1")]


def test_unparsable_price() -> None:
    assert row_errors("A1\tMug\tcheap\n") == [RowError(2, "price", "cannot read 'cheap' as a price", "A1")]


def test_negative_price() -> None:
    assert row_errors("A1\tMug\t-1.00 EUR\n") == [RowError(2, "price", "must not be negative", "A1")]


def test_unparsable_sale_price() -> None:
    header = HEADER.replace("\n", "\tsale_price\n")
    assert row_errors("A1\tMug\t5 EUR\t4.5.6,7,8\n", header) == [
        RowError(2, "sale_price", "cannot read '4.5.6,7,8' as a price", "A1")
    ]


def test_negative_sale_price() -> None:
    header = HEADER.replace("\n", "\tsale_price\n")
    assert row_errors("A1\tMug\t5 EUR\t-4 EUR\n", header) == [
        RowError(2, "sale_price", "must not be negative", "A1")
    ]


def test_sale_price_in_another_currency() -> None:
    header = HEADER.replace("\n", "\tsale_price\n")
    assert row_errors("A1\tMug\t5 EUR\t4 USD\n", header) == [
        RowError(2, "sale_price", "is in USD, the price in EUR", "A1")
    ]


def test_bad_gtin_check_digit() -> None:
    header = HEADER.replace("\n", "\tgtin\n")
    assert row_errors("A1\tMug\t1 EUR\t4006381333932\n", header) == [
        RowError(2, "gtin", "check digit should be 1", "A1")
    ]


def test_bad_gtin_length() -> None:
    header = HEADER.replace("\n", "\tgtin\n")
    assert row_errors("A1\tMug\t1 EUR\t12345\n", header) == [
        RowError(2, "gtin", "must be 8, 12, 13 or 14 digits, got 5", "A1")
    ]


def test_unknown_availability() -> None:
    header = HEADER.replace("\n", "\tavailability\n")
    assert row_errors("A1\tMug\t1 EUR\tsoon\n", header) == [
        RowError(
            2, "availability", "must be one of in_stock, out_of_stock, preorder, backorder, got 'soon'", "A1"
        )
    ]


def test_availability_spellings() -> None:
    data = HEADER.replace("\n", "\tavailability\n") + "".join(
        f"A{n}\tMug\t1 EUR\t{text}\n"
        for n, text in enumerate(["in stock", "Out Of Stock", "out-of-stock", "", "PREORDER"])
    )
    rows, _, _ = read(data)
    expected = ["in_stock", "out_of_stock", "out_of_stock", "in_stock", "preorder"]
    assert [row.availability for row in rows] == expected


def test_unknown_condition() -> None:
    header = HEADER.replace("\n", "\tcondition\n")
    assert row_errors("A1\tMug\t1 EUR\tmint\n", header) == [
        RowError(2, "condition", "must be one of new, refurbished, used, got 'mint'", "A1")
    ]


def test_every_problem_of_a_row_is_reported_and_good_rows_still_import() -> None:
    header = HEADER.replace("\n", "\tgtin\n")
    rows, errors, _ = read(header + "A1\t\tfree\t123\nA2\tMug\t1 EUR\t\n")
    assert [row.external_id for row in rows] == ["A2"]
    assert errors == [
        RowError(2, "title", "is empty", "A1"),
        RowError(2, "price", "cannot read 'free' as a price", "A1"),
        RowError(2, "gtin", "must be 8, 12, 13 or 14 digits, got 3", "A1"),
    ]


# -- duplicates --------------------------------------------------------------------------------


def test_duplicate_ids_last_wins_within_a_batch() -> None:
    rows, _, duplicates = read(HEADER + "A1\tOld\t1 EUR\nA2\tCup\t2 EUR\nA1\tNew\t3 EUR\n")
    assert [(row.external_id, row.title, row.line) for row in rows] == [("A2", "Cup", 3), ("A1", "New", 4)]
    assert duplicates == [RowError(4, "id", "duplicate id, line 2 is overridden", "A1")]


def test_duplicate_ids_across_batches_are_reported_in_the_later_batch() -> None:
    batches = list(
        feed(HEADER + "A1\tOld\t1 EUR\nA2\tCup\t2 EUR\nA1\tNew\t3 EUR\nA1\tNewer\t4 EUR\n").batches(2)
    )
    assert [([r.title for r in b.rows], b.duplicates) for b in batches] == [
        (["Old", "Cup"], []),
        (["Newer"], [RowError(4, "id", "duplicate id, an earlier line is overridden", "A1"),
                     RowError(5, "id", "duplicate id, line 4 is overridden", "A1")]),
    ]  # fmt: skip  # across batches only the ids' hashes are kept, not their lines


def test_a_rejected_row_does_not_override() -> None:
    rows, errors, duplicates = read(HEADER + "A1\tMug\t1 EUR\nA1\t\t2 EUR\n")
    assert [(row.line, row.price_cents) for row in rows] == [(2, 100)]
    assert (errors, duplicates) == ([RowError(3, "title", "is empty", "A1")], [])


# -- prices ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19.99 EUR", (1999, "EUR")),
        ("19,99 EUR", (1999, "EUR")),
        ("EUR 19.99", (1999, "EUR")),
        ("19.99", (1999, "EUR")),
        ("19 EUR", (1900, "EUR")),
        ("0,5 EUR", (50, "EUR")),
        ("1.234,56 EUR", (123456, "EUR")),
        ("1,234.56 EUR", (123456, "EUR")),
        ("1.234.567 EUR", (123456700, "EUR")),
        ("1 234,50 EUR", (123450, "EUR")),
        ("19.99EUR", (1999, "EUR")),
        ("19,99 €", (1999, "EUR")),
        ("19.99 usd", (1999, "USD")),
        ("1999 JPY", (1999, "JPY")),
        ("1.500 KWD", (1500, "KWD")),
        ("-1.50 EUR", (-150, "EUR")),
    ],
)
def test_price_formats(text: str, expected: tuple[int, str]) -> None:
    assert parse_price(text, "EUR") == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "cannot read '' as a price"),
        ("cheap", "cannot read 'cheap' as a price"),
        ("19.99 EURO", "cannot read '19.99 EURO' as a price"),
        ("EUR 5 USD", "cannot read 'EUR 5 USD' as a price: two currencies"),
        ("1.234 EUR", "EUR has at most 2 decimal places, got '1.234 EUR'"),
        ("19.5 JPY", "JPY has at most 0 decimal places, got '19.5 JPY'"),
    ],
)
def test_unreadable_prices(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_price(text, "EUR")
    assert str(info.value) == reason


def test_missing_currency_uses_the_default() -> None:
    [row], _, _ = read(HEADER + "A1\tMug\t19.99\n", default_currency="USD")
    assert (row.price_cents, row.currency) == (1999, "USD")


# -- reading once, streams ---------------------------------------------------------------------


def test_a_feed_is_read_once_and_the_stream_stays_open() -> None:
    stream = io.BytesIO((HEADER + "A1\tMug\t1 EUR\n").encode())
    opened = open_feed(stream)
    assert [type(batch) for batch in opened.batches(10)] == [Batch]
    with pytest.raises(RuntimeError, match="read once"):
        next(opened.batches(10))
    assert not stream.closed


# -- writing and round trips -------------------------------------------------------------------


def test_write_feed_format() -> None:
    [row], _, _ = read(
        HEADER.replace("\n", "\tsale_price\tgtin\n") + 'A1\t"Mug\t12"" tall"\t19,9 EUR\t5 EUR\t96385074\n'
    )
    out = io.StringIO()
    assert write_feed([row], out) == 1
    assert out.getvalue() == (
        "id\ttitle\tdescription\tlink\timage_link\tadditional_image_link\tavailability\tprice\tsale_price\t"
        "brand\tgtin\tmpn\tcondition\tgoogle_product_category\tproduct_type\titem_group_id\n"
        'A1\t"Mug\t12"" tall"\t\t\t\t\tin_stock\t19.90 EUR\t5.00 EUR\t\t96385074\t\tnew\t\t\t\n'
    )


def test_same_product_has_the_same_hash_in_any_dialect() -> None:
    [tab], _, _ = read('id\ttitle\tprice\tdescription\nA1\tCafé\t2.50 EUR\t"one\ntwo"\n')
    [semicolon], _, _ = read('description;price;title;id\r\n"one\r\ntwo";2,50;Café;A1\r\n'.encode("cp1252"))
    assert tab.content_hash == semicolon.content_hash
    [changed], _, _ = read('id\ttitle\tprice\tdescription\nA1\tCafé\t2.51 EUR\t"one\ntwo"\n')
    assert changed.content_hash != tab.content_hash


def _text(value: str) -> str:
    """What the reader makes of a value: line breaks as ``\\n``, no surrounding whitespace."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# Product text: any printable character plus the ones that need quoting; no control characters
# (a file full of them is rejected as binary) and no surrogates (not encodable).
texts = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r\"',; "), max_size=40
).map(_text)
filled = texts.filter(bool)
links = st.lists(filled.filter(lambda t: "," not in t).map(str.strip).filter(bool), max_size=3).map(tuple)
gtins = st.none() | st.text("0123456789", min_size=12, max_size=12).map(
    lambda body: next(body + digit for digit in "0123456789" if gtin_type(body + digit))
)


rows = st.builds(
    FeedRow, line=st.just(0), external_id=filled.filter(lambda t: len(t) <= 100), title=filled,
    description=texts, link=texts, image_link=texts, additional_image_links=links,
    availability=st.sampled_from(AVAILABILITIES), price_cents=st.integers(0, 10**9),
    sale_price_cents=st.none() | st.integers(0, 10**9),
    currency=st.sampled_from(["EUR", "USD", "JPY", "KWD"]),
    brand=texts, gtin=gtins, gtin_type=st.none(), mpn=texts, condition=st.sampled_from(CONDITIONS),
    category=texts, product_type=texts, item_group_id=texts, content_hash=st.just(""), raw_hash=st.just(""),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(rows, max_size=8, unique_by=lambda row: row.external_id))
def test_write_then_read_round_trips(originals: list[FeedRow]) -> None:
    out = io.StringIO()
    write_feed(originals, out)
    read_back, errors, duplicates = read(out.getvalue())
    assert (errors, duplicates) == ([], [])
    assert [row._replace(line=0, content_hash="", gtin_type=None, raw_hash="") for row in read_back] == originals
    assert [row.gtin_type for row in read_back] == [row.gtin and f"gtin{len(row.gtin)}" for row in originals]

    again = io.StringIO()
    write_feed(read_back, again)
    assert again.getvalue() == out.getvalue()
    assert [row.content_hash for row in read(again.getvalue())[0]] == [row.content_hash for row in read_back]
