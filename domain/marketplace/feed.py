"""Marketplace product feeds: a streaming reader that copes with real-world files, and a writer.

Vendors upload Google-Shopping-style feeds exported from shop systems and spreadsheets: tab-,
semicolon- or comma-separated, UTF-8 with or without BOM or Windows-1252, quoted fields with
embedded newlines, decimal commas, missing currencies, blank lines, duplicate ids, columns in any
order. ``open_feed`` sniffs the encoding and the delimiter from the first MiB and maps the header;
``Feed.batches`` then streams the rest, so a 300 MB file is read in flat memory (apart from the ids
seen so far, kept to report duplicates). A problem with the whole file raises ``FeedRejected``; a
bad row becomes a ``RowError`` with its physical line number, and the good rows still import.

The whole import must reach 25,000 rows/s including database writes, so the parser must cost a
fraction of that: lines without quotes are split with ``str.split`` instead of ``csv``, rows are
validated column by column in C-level loops, and what feeds repeat (price texts, availability
and condition spellings) is memoised.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import operator
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import cache, partial
from itertools import compress, repeat
from operator import attrgetter, itemgetter
from typing import Any, BinaryIO, ClassVar, NamedTuple, Protocol, TextIO

import attrs

from domain.marketplace.model import MAX_ID_LENGTH
from domain.shared.errors import DomainError
from domain.shared.gtin import check_gtin, gtin_type
from domain.shared.money import minor_unit_exponent

__all__ = [
    "AVAILABILITIES",
    "CONDITIONS",
    "EXPORT_COLUMNS",
    "KNOWN_COLUMNS",
    "SAMPLE_SIZE",
    "Batch",
    "ExportRow",
    "Feed",
    "FeedRejected",
    "FeedRow",
    "RowError",
    "open_feed",
    "parse_price",
    "write_feed",
]

# The columns a row is built from, in the order write_feed writes them.
EXPORT_COLUMNS = (
    "id", "title", "description", "link", "image_link", "additional_image_link", "availability",
    "price", "sale_price", "brand", "gtin", "mpn", "condition", "google_product_category",
    "product_type", "item_group_id",
)  # fmt: skip
# Recognised but not (yet) imported; listed so they are not reported as unknown.
KNOWN_COLUMNS = (*EXPORT_COLUMNS, "identifier_exists", "shipping")
AVAILABILITIES = ("in_stock", "out_of_stock", "preorder", "backorder")
CONDITIONS = ("new", "refurbished", "used")

# Raise when validation or normalisation changes what a record reads as: stored raw hashes
# (Feed.batches' ``unchanged``) then stop matching, and every record is validated again.
_RULES_VERSION = 1
SAMPLE_SIZE = 1 << 20  # bytes sniffed for the encoding and the delimiter
_DELIMITERS = ("\t", ";", ",")  # on a tie the earlier one wins
_QUOTED = re.compile(r'"[^"]*"')
# Bytes that do not occur in text files (tab, newlines, vertical tab, form feed excluded).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_SHARE = 0.05
_PRICE = re.compile(r"([A-Za-z]{3}|€)?\s*([-+]?)\s*([0-9][0-9.,' \u00a0]*?)\s*([A-Za-z]{3}|€)?")
_PRICE_CACHE_SIZE = 100_000
# Records are validated this many at a time: a chunk that stays in the CPU cache validates about
# 1.5 times as fast as a batch of 5,000 records (measured on the 2-core reference machine).
_CHUNK = 256


class FeedRejected(DomainError):
    """The file as a whole cannot be imported: not text, empty, unusable header, unreadable part."""

    kind: ClassVar[str] = "invalid-feed"


@attrs.frozen(slots=True)
class RowError:
    """A rejected row, or a duplicate id, at the physical ``line`` where its record starts."""

    line: int
    column: str
    reason: str
    external_id: str | None = None

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.reason}"


class FeedRow(NamedTuple):
    """One valid, normalised feed row. ``content_hash`` covers every field except ``line`` and
    ``raw_hash``, so an unchanged product has the same hash whatever the file's encoding,
    delimiter or row order. ``raw_hash`` is the hash of the record as written (see
    ``Feed.batches``). A tuple: a million of them are built per million-row import, and a
    tuple is built in C."""

    line: int
    external_id: str
    title: str
    description: str
    link: str
    image_link: str
    additional_image_links: tuple[str, ...]
    availability: str
    price_cents: int
    sale_price_cents: int | None
    currency: str
    brand: str
    gtin: str | None
    gtin_type: str | None
    mpn: str
    condition: str
    category: str
    product_type: str
    item_group_id: str
    content_hash: str
    raw_hash: str


_ROW_FIELDS = FeedRow._fields
_new_row = partial(tuple.__new__, FeedRow)  # FeedRow(*values) without the Python-level __new__


@attrs.frozen(slots=True)
class Batch:
    """Up to ``size`` consecutive records, ``first_line``..``last_line`` of the file.

    ``rows`` holds the valid rows, one per id (the last occurrence in the batch); ``errors`` the
    rejected ones; ``duplicates`` the rows that override an earlier row with the same id;
    ``unchanged`` counts the records the caller's ``unchanged`` check let through unvalidated,
    ``rejected`` the rejected records (one per line, whatever the number of reasons). ``read``
    counts the records read: the valid and unchanged rows before the duplicates were dropped, and
    the rejected ones. Resuming with ``start_after_line=last_line`` continues right after this
    batch.
    """

    rows: list[FeedRow]
    errors: list[RowError]
    duplicates: list[RowError]
    first_line: int
    last_line: int
    read: int
    unchanged: int = 0
    rejected: int = 0


class ExportRow(Protocol):
    """What ``write_feed`` needs of a row: the fields of ``FeedRow`` that make up a feed."""

    @property
    def external_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def link(self) -> str: ...
    @property
    def image_link(self) -> str: ...
    @property
    def additional_image_links(self) -> Sequence[str]: ...
    @property
    def availability(self) -> str: ...
    @property
    def price_cents(self) -> int: ...
    @property
    def sale_price_cents(self) -> int | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def brand(self) -> str: ...
    @property
    def gtin(self) -> str | None: ...
    @property
    def mpn(self) -> str: ...
    @property
    def condition(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def product_type(self) -> str: ...
    @property
    def item_group_id(self) -> str: ...


# -- prices -------------------------------------------------------------------------------------


def parse_price(text: str, default_currency: str) -> tuple[int, str]:
    """``(minor units, currency)`` of a feed price; ``ValueError`` with a reason otherwise.

    Accepts ``"19.99 EUR"``, ``"19,99 EUR"``, ``"EUR 19.99"``, ``"19.99"`` (``default_currency``),
    ``"19 EUR"``, ``"1.234,56 EUR"`` and ``"1,234.56 EUR"``: when both separators appear the last
    one is the decimal separator; a separator that appears several times alone groups thousands.
    More decimals than the currency has (``"1.234 EUR"``) is an error rather than a guess.
    """
    match = _PRICE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"cannot read {text!r} as a price")
    before, sign, number, after = match.groups()
    if before and after:
        raise ValueError(f"cannot read {text!r} as a price: two currencies")
    currency = before or after
    currency = default_currency if currency is None else "EUR" if currency == "€" else currency.upper()
    exponent = minor_unit_exponent(currency)
    number = number.replace(" ", "").replace("\u00a0", "").replace("'", "")
    dot, comma = number.rfind("."), number.rfind(",")
    if dot >= 0 and comma >= 0:
        decimal, grouping = (".", ",") if dot > comma else (",", ".")
        number = number.replace(grouping, "")
    else:
        decimal = "." if dot >= 0 else ","
        if number.count(decimal) > 1:
            number = number.replace(decimal, "")
    whole, _, fraction = number.partition(decimal)
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise ValueError(f"cannot read {text!r} as a price")
    if len(fraction) > exponent:
        raise ValueError(f"{currency} has at most {exponent} decimal places, got {text!r}")
    units = int(whole) * 10**exponent + int(fraction.ljust(exponent, "0") or "0")
    return (-units if sign == "-" else units), currency


def _format_price(units: int, currency: str) -> str:
    """The feed form of a price, ``"19.99 EUR"`` (``"1999 JPY"`` for a currency without cents)."""
    exponent = minor_unit_exponent(currency)
    if exponent == 0:
        return f"{units} {currency}"
    whole, fraction = divmod(abs(units), 10**exponent)
    return f"{'-' if units < 0 else ''}{whole}.{fraction:0{exponent}d} {currency}"


# -- reading ------------------------------------------------------------------------------------


class _Replay(io.RawIOBase):
    """The sniffed sample, then the rest of the stream: sniffing needs no seekable stream, and
    closing this does not close the caller's stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_sample(stream: BinaryIO) -> bytes:
    """Up to ``SAMPLE_SIZE`` bytes; loops because a pipe or socket may return short reads."""
    chunks: list[bytes] = []
    size = 0
    while size < SAMPLE_SIZE:
        chunk = stream.read(SAMPLE_SIZE - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _decode_sample(sample: bytes, encoding: str, complete: bool) -> str:
    """Decode strictly; an incomplete sample may end in the middle of a multi-byte character."""
    return codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)


def _sniff_encoding(sample: bytes, complete: bool) -> tuple[str, str]:
    """``(encoding, decoded sample)``: a BOM decides, else UTF-8 if it decodes, else cp1252.

    UTF-16 (with BOM) is what spreadsheet programs write as "Unicode text"; any other file with
    NUL bytes, or with many control characters, is binary.
    """
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if b"\x00" in sample or controls > _MAX_CONTROL_SHARE * len(sample):
            raise FeedRejected("not a text file")
        candidates = ("utf-8-sig" if sample.startswith(codecs.BOM_UTF8) else "utf-8", "cp1252")
    for encoding in candidates:
        try:
            return encoding, _decode_sample(sample, encoding, complete)
        except UnicodeDecodeError:
            continue
    raise FeedRejected(f"not a text file: not {' or '.join(candidates)}")


def _sniff_delimiter(text: str) -> str:
    """The most frequent of tab, semicolon and comma outside quotes in the first non-blank line."""
    header = next(line for line in io.StringIO(text, newline="") if line.strip())
    unquoted = _QUOTED.sub("", header)
    return max(_DELIMITERS, key=unquoted.count)


def _column_name(raw: str) -> str:
    """``' "G:Image Link" '`` -> ``image_link``."""
    name = raw.strip().strip("\"'").strip().lower().replace(" ", "_").replace("-", "_")
    return name.removeprefix("g:")


def _one_newline(text: str) -> str:
    """Windows and old-Mac line breaks inside a field become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _split_links(text: str) -> tuple[str, ...]:
    """``"a.jpg, b.jpg,"`` -> ``("a.jpg", "b.jpg")``."""
    return tuple(filter(None, map(str.strip, text.split(","))))


def _indices(values: Sequence[object], value: object) -> list[int]:
    """Where ``value`` occurs in ``values``: the slow path, once a C-level check found a problem."""
    return [index for index, candidate in enumerate(values) if candidate == value]


# A record: its fields, or the line it is (without quotes, so splitting gives the fields).
Record = list[str] | str


class _Pushback:
    """Lines for ``csv.reader``: first the line the fast path already took, then the file's."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.head: str | None = None

    def __iter__(self) -> _Pushback:
        return self

    def __next__(self) -> str:
        line, self.head = self.head, None
        return next(self._lines) if line is None else line


class _Records:
    """The records of the file with the physical line each starts on.

    A line without a quote character is split with ``str.split``, several times faster than
    ``csv.reader`` and the same result; a line with one goes through ``csv.reader``, which reads
    on while a quoted field spans lines. ``line`` counts the lines consumed (blank ones too).
    """

    def __init__(self, text: TextIO, delimiter: str, encoding: str) -> None:
        self._lines = iter(text)
        self._pushback = _Pushback(self._lines)
        self._csv = csv.reader(self._pushback, delimiter=delimiter)
        self._delimiter = delimiter
        self._encoding = encoding
        self.line = 0

    def read(self, size: int) -> tuple[list[int], list[Record], list[str]]:
        """Up to ``size`` records that are not blank lines, their start lines and their raw
        texts (the line as read; for a quoted record, its fields joined); none at the end.
        A line without quotes is left unsplit (``split`` splits it), since a record the caller
        holds unchanged needs only its id."""
        starts: list[int] = []
        records: list[Record] = []
        raws: list[str] = []
        pushback, reader = self._pushback, self._csv
        line_number = self.line
        try:
            for line in self._lines:
                line_number += 1
                start = line_number
                if '"' in line:
                    pushback.head = line
                    before = reader.line_num
                    fields = next(reader)
                    line_number += reader.line_num - before - 1
                    if line_number > start:  # only a multi-line record can hold a line break
                        fields = [_one_newline(field) for field in fields]
                    raws.append("\x1e".join(fields))
                    records.append(fields)
                elif len(line) < 3 and not line.strip():
                    continue
                else:
                    raws.append(line)
                    records.append(line)
                starts.append(start)
                if len(records) == size:
                    break
        except UnicodeDecodeError as error:
            # The text layer decodes ahead in chunks: count the lines of the chunk before the error.
            bad_line = line_number + 1 + error.object[: error.start].count(b"\n")
            raise FeedRejected(
                f"line {bad_line} is not valid {self._encoding} (detected from the first MiB of the file)",
                line=bad_line,
            ) from None
        except csv.Error as error:
            raise FeedRejected(
                f"cannot read the record starting on line {line_number}: {error}; is a quote left open?",
                line=line_number,
            ) from None
        finally:
            self.line = line_number
        return starts, records, raws

    def split(self, records: list[Record]) -> list[list[str]]:
        """The fields of each record."""
        delimiter = self._delimiter
        return [record.rstrip("\r\n").split(delimiter) if type(record) is str else record for record in records]

    def external_id(self, record: Record, position: int) -> str:
        """The id cell (at ``position``) of a record, stripped: an unsplit line is split only up to it."""
        cells = record.split(self._delimiter, position + 1) if type(record) is str else record
        return cells[position].strip() if len(cells) > position else ""


class _Validator:
    """Turns the records of a batch into ``FeedRow``s and ``RowError``s, for one header layout.

    It works column by column: ``map``, ``all`` and set operations run in C over a chunk of
    records for the common case, and a Python loop looks only at a column that has a problem. On
    the reference machine this made the whole read about 1.4 times as fast as row by row.
    """

    def __init__(
        self, positions: dict[str, int], required: Sequence[str], default_currency: str, max_id_length: int
    ) -> None:
        self._positions = [(name, positions[name]) for name in EXPORT_COLUMNS if name in positions]
        self._min_width = max(positions.values()) + 1
        self.id_position = positions["id"]
        self._required = [name for name in required if name not in ("id", "price")]
        self._default_currency = default_currency
        self._max_id_length = max_id_length
        self._prices: dict[str, tuple[int, str]] = {}
        self._price_errors: dict[str, str] = {}
        self._availabilities = {name: name for name in AVAILABILITIES} | {"": "in_stock"}
        self._conditions = {name: name for name in CONDITIONS} | {"": "new"}

    def validate(
        self, starts: list[int], records: list[list[str]], raw_hashes: list[str]
    ) -> tuple[list[FeedRow], list[RowError]]:
        """The valid rows and the errors of some records; records of empty cells are dropped."""
        count = len(records)
        if min(map(len, records)) < self._min_width:  # missing trailing cells are empty
            records = [fields + [""] * (self._min_width - len(fields)) for fields in records]
        absent = [""] * count
        values = dict.fromkeys(EXPORT_COLUMNS, absent)
        # By column; as long as the shortest record, which is at least _min_width: extra cells drop.
        cells = list(zip(*records, strict=False))
        values.update((name, list(map(str.strip, cells[position]))) for name, position in self._positions)
        problems: defaultdict[int, list[tuple[str, str]]] = defaultdict(list)

        ids = values["id"]
        blank: set[int] = set()
        if not all(ids):
            for index in _indices(ids, ""):
                if any(map(str.strip, records[index])):
                    problems[index].append(("id", "is empty"))
                else:
                    blank.add(index)
        if max(map(len, ids)) > self._max_id_length:
            for index, external_id in enumerate(ids):
                if len(external_id) > self._max_id_length:
                    problems[index].append(("id", f"is longer than {self._max_id_length} characters"))
        for name in self._required:
            if not all(values[name]):
                for index in _indices(values[name], ""):
                    problems[index].append((name, "is empty"))

        prices, reasons = self._parse_prices(values["price"])
        for index, reason in reasons.items():
            problems[index].append(("price", reason))
        currencies = list(map(itemgetter(1), prices))
        sale_prices = self._sale_prices(values["sale_price"], currencies, problems)
        kinds = list(map(gtin_type, values["gtin"]))
        if kinds.count(None) != values["gtin"].count(""):
            for index, (gtin, kind) in enumerate(zip(values["gtin"], kinds, strict=True)):
                if gtin and kind is None:
                    try:
                        check_gtin(gtin)
                    except ValueError as error:
                        problems[index].append(("gtin", str(error)))
        availabilities = self._canonical(
            "availability", values, self._availabilities, AVAILABILITIES, problems
        )
        conditions = self._canonical("condition", values, self._conditions, CONDITIONS, problems)

        errors = [
            RowError(starts[index], column, reason, ids[index] or None)
            for index in sorted(problems.keys() - blank)
            for column, reason in problems[index]
        ]
        links = [_split_links(text) if text else () for text in values["additional_image_link"]]
        columns: dict[str, list[Any]] = {
            "line": starts, "external_id": ids, "title": values["title"],
            "description": values["description"], "link": values["link"], "image_link": values["image_link"],
            "additional_image_links": links, "availability": availabilities,
            "price_cents": list(map(itemgetter(0), prices)), "sale_price_cents": sale_prices,
            "currency": currencies, "brand": values["brand"], "gtin": values["gtin"], "gtin_type": kinds,
            "mpn": values["mpn"], "condition": conditions,
            "category": values["google_product_category"], "product_type": values["product_type"],
            "item_group_id": values["item_group_id"], "raw_hash": raw_hashes,
        }  # fmt: skip
        if problems or blank:
            rejected = problems.keys() | blank
            keep = [index not in rejected for index in range(count)]
            columns = {name: list(compress(column, keep)) for name, column in columns.items()}
        columns["content_hash"] = _content_hashes(columns)
        columns["gtin"] = [gtin or None for gtin in columns["gtin"]]
        return list(map(_new_row, zip(*(columns[name] for name in _ROW_FIELDS), strict=True))), errors

    def _parse_prices(self, texts: list[str]) -> tuple[list[tuple[int, str]], dict[int, str]]:
        """Parsed prices (zero where unreadable) and the reasons by index. Memoised: a feed
        repeats a few hundred price texts, and a cache hit costs a C-level dict lookup."""
        prices = list(map(self._prices.get, texts))
        reasons: dict[int, str] = {}
        if None in prices:
            for index in _indices(prices, None):
                price = self._parse_price(texts[index])
                if isinstance(price, str):
                    reasons[index] = price
                    price = (0, self._default_currency)
                prices[index] = price
        return prices, reasons  # type: ignore[return-value]  # no None left

    def _parse_price(self, text: str) -> tuple[int, str] | str:
        """A price text not met before, parsed, or the reason it is unusable; remembered."""
        reason = self._price_errors.get(text)
        if reason is not None:
            return reason
        try:
            price = parse_price(text, self._default_currency)
        except ValueError as error:
            reason = str(error) if text else "is missing"
        else:
            if price[0] >= 0:
                _remember(self._prices, text, price)
                return price
            reason = "must not be negative"
        _remember(self._price_errors, text, reason)
        return reason

    def _sale_prices(
        self, texts: list[str], currencies: list[str], problems: defaultdict[int, list[tuple[str, str]]]
    ) -> list[int | None]:
        """Sale prices in minor units, None where there is none; must be in the price's currency."""
        sale_prices: list[int | None] = [None] * len(texts)
        if any(texts):
            present = [index for index, text in enumerate(texts) if text]
            prices, reasons = self._parse_prices([texts[index] for index in present])
            for position, index in enumerate(present):
                amount, currency = prices[position]
                if position in reasons:
                    problems[index].append(("sale_price", reasons[position]))
                elif currency != currencies[index]:
                    problems[index].append(
                        ("sale_price", f"is in {currency}, the price in {currencies[index]}")
                    )
                else:
                    sale_prices[index] = amount
        return sale_prices

    @staticmethod
    def _canonical(
        column: str, values: dict[str, list[str]], known: dict[str, str], allowed: tuple[str, ...],
        problems: defaultdict[int, list[tuple[str, str]]],
    ) -> list[str]:  # fmt: skip
        """Canonical spellings (``"In Stock"`` -> ``in_stock``, ``""`` -> the default). ``known``
        remembers each spelling met, so the common case is one set difference per batch."""
        texts = values[column]
        for text in set(texts).difference(known):
            canonical = known.get(text.lower().replace(" ", "_").replace("-", "_"))
            if canonical is not None:
                known[text] = canonical
                continue
            reason = f"must be one of {', '.join(allowed)}, got {text!r}"
            for index in _indices(texts, text):
                problems[index].append((column, reason))
        return list(map(known.get, texts))  # type: ignore[arg-type]  # None only in rejected rows


def _remember(cache: dict[str, Any], key: str, value: object) -> None:
    """Store in a memo, emptied when full: a file of unique price texts must not grow it forever."""
    if len(cache) >= _PRICE_CACHE_SIZE:
        cache.clear()
    cache[key] = value


def _content_hashes(columns: dict[str, list[Any]]) -> list[str]:
    """A 32-hex-digit blake2b of each row's normalised fields (all but the line number)."""
    sale_prices = ["" if cents is None else str(cents) for cents in columns["sale_price_cents"]]
    keys = map("\x1f".join, zip(
        columns["external_id"], columns["title"], columns["description"], columns["link"],
        columns["image_link"], map(",".join, columns["additional_image_links"]), columns["availability"],
        map(str, columns["price_cents"]), sale_prices, columns["currency"], columns["brand"], columns["gtin"],
        columns["mpn"], columns["condition"], columns["category"], columns["product_type"],
        columns["item_group_id"],
        strict=True,
    ))  # fmt: skip
    return [hashlib.blake2b(key.encode(), digest_size=16).hexdigest() for key in keys]


@attrs.define
class Feed:
    """An opened feed: what was sniffed, and the records after the header, to be read once."""

    encoding: str
    delimiter: str
    columns: tuple[str, ...]
    unknown_columns: tuple[str, ...]
    _records: _Records
    _validator: _Validator
    _layout: bytes  # 16 bytes naming the header layout and the rules
    _started: bool = attrs.field(default=False, init=False)

    def batches(
        self, size: int, *, start_after_line: int = 0, unchanged: Unchanged | None = None
    ) -> Iterator[Batch]:
        """Stream the rows in batches of up to ``size`` records (valid or rejected).

        Records starting on or before ``start_after_line`` are skipped unvalidated, to resume an
        import after the last committed batch; their ids still count for duplicate reports.
        Duplicate ids: the last occurrence wins, and each override is reported in ``duplicates``.

        ``unchanged(ids, raw_hashes)``, called once per batch before validating it, names the
        ids whose record the caller already holds exactly as written: same raw hash, a blake2b
        of the record's text personalised by this header layout and these rules. Those records are
        only counted (``Batch.unchanged``): an unchanged file is mostly hashed, not parsed. A
        record whose id repeats is always validated, so the duplicate is reported.
        ``raw_hashes()`` hashes the batch's records (once, however often it is called), so the
        caller can hash them while its database looks the ids up.

        Remembering every id costs about 65 bytes (``_Seen``); the rest of the memory stays flat.
        """
        if size < 1:
            raise ValueError(f"batch size must be positive, got {size}")
        if self._started:
            raise RuntimeError("a feed can be read once; open it again")
        self._started = True
        seen = _Seen()
        # The layout personalises the hash: unlike a key, that costs no extra compression per record.
        raw_hash = partial(hashlib.blake2b, digest_size=16, person=self._layout)
        while True:
            starts, records, raws = self._records.read(size)
            while starts and starts[0] <= start_after_line:  # resuming: fill the batch after the skip
                starts, records, raws = self._skip(starts, records, raws, start_after_line, seen)
                more = self._records.read(size - len(starts))
                starts, records, raws = starts + more[0], records + more[1], raws + more[2]
            if not starts:
                return
            first = starts[0]
            hashed = cache(partial(_hashes, raw_hash, raws))
            same, keep = 0, None
            if unchanged is not None:
                ids = list(map(self._records.external_id, records, repeat(self._validator.id_position)))
                keep = _changed(ids, unchanged(ids, hashed), seen)
            hashes = hashed()
            if keep is not None:
                same = len(keep) - sum(keep)
                seen.add(compress(ids, map(operator.not_, keep)))
                starts, records, hashes = (list(compress(column, keep)) for column in (starts, records, hashes))
            rows: list[FeedRow] = []
            errors: list[RowError] = []
            for at in range(0, len(starts), _CHUNK):
                chunk = slice(at, at + _CHUNK)
                valid, rejected = self._validator.validate(starts[chunk], self._records.split(records[chunk]),
                                                           hashes[chunk])
                rows += valid
                errors += rejected
            rejected = len({error.line for error in errors})
            read = len(rows) + rejected + same
            rows, duplicates = _last_wins(rows, seen)
            yield Batch(rows, errors, duplicates, first, self._records.line, read, same, rejected)

    def _skip(
        self, starts: list[int], records: list[Record], raws: list[str], after_line: int, seen: _Seen
    ) -> tuple[list[int], list[Record], list[str]]:
        """Drop the records starting on or before ``after_line``, remembering their ids."""
        skipped = bisect_right(starts, after_line)
        position = self._validator.id_position
        seen.add(filter(None, (self._records.external_id(record, position) for record in records[:skipped])))
        return starts[skipped:], records[skipped:], raws[skipped:]


# What the caller knows: given the batch's ids and how to hash its records (see Feed.batches),
# the ids it holds unchanged.
Unchanged = Callable[[list[str], Callable[[], list[str]]], Collection[str]]


def _hashes(raw_hash: Callable[[bytes], Any], raws: list[str]) -> list[str]:
    return [raw_hash(raw.encode()).hexdigest() for raw in raws]


def _changed(ids: list[str], same: Collection[str], seen: _Seen) -> list[bool] | None:
    """Which records still need validating: all but the unchanged ones whose id occurs once in the
    batch and not before. None when all of them do."""
    if not same:
        return None
    keep = [external_id not in same for external_id in ids]
    if len(set(ids)) != len(ids) or seen.any_of(ids):  # rare: then look closer
        counts = Counter(ids)
        keep = [kept or counts[external_id] > 1 or external_id in seen
                for kept, external_id in zip(keep, ids, strict=True)]
    return keep


class _Seen:
    """The ids read so far, as 60-bit hashes: about 65 bytes per id where the ids with their lines
    took 130 (measured at a million ids), so a million-row import stays under 250 MB. The price:
    a duplicate across batches is reported without the earlier line (within a batch it has it),
    and a hash collision (about 1 in 10^7 for a million ids) reports a duplicate that is not one."""

    def __init__(self) -> None:
        self._keys: set[int] = set()

    @staticmethod
    def _key(external_id: str) -> int:
        return hash(external_id) & 0x0FFF_FFFF_FFFF_FFFF  # 60 bits: a 32-byte int, not 36

    def __contains__(self, external_id: str) -> bool:
        return self._key(external_id) in self._keys

    def any_of(self, ids: Iterable[str]) -> bool:
        return not self._keys.isdisjoint(map(self._key, ids))

    def add(self, ids: Iterable[str]) -> None:
        self._keys.update(map(self._key, ids))


_EXTERNAL_ID = attrgetter("external_id")


def _last_wins(rows: list[FeedRow], seen: _Seen) -> tuple[list[FeedRow], list[RowError]]:
    """Keep the last row of each id and report the rows that override an earlier one. Usually no
    id repeats, which a set and one ``isdisjoint`` find out in C for the whole batch."""
    ids = list(map(_EXTERNAL_ID, rows))
    if len(set(ids)) == len(ids) and not seen.any_of(ids):
        seen.add(ids)
        return rows, []
    latest: dict[str, FeedRow] = {}
    lines: dict[str, int] = {}
    duplicates = []
    for row in rows:
        earlier = lines.get(row.external_id)
        if earlier is not None or row.external_id in seen:
            where = "an earlier line" if earlier is None else f"line {earlier}"
            duplicates.append(RowError(row.line, "id", f"duplicate id, {where} is overridden", row.external_id))
            latest.pop(row.external_id, None)
        lines[row.external_id] = row.line
        latest[row.external_id] = row
    seen.add(ids)
    return list(latest.values()), duplicates


def open_feed(
    stream: BinaryIO,
    *,
    default_currency: str = "EUR",
    max_id_length: int = MAX_ID_LENGTH,
    required: Sequence[str] = ("id", "title", "price"),
) -> Feed:
    """Sniff the encoding and delimiter, read the header, and return the feed ready to stream.

    Raises ``FeedRejected`` for a binary or empty file, a header naming a column twice, or a
    missing required column; ``id`` and ``price`` are always required, and a required column must
    also be filled in each row. Unknown columns are ignored and listed in ``unknown_columns``.
    The caller's stream is read, never closed.
    """
    required = list(dict.fromkeys(("id", *required, "price")))
    if not re.fullmatch("[A-Z]{3}", default_currency):
        raise ValueError(f"default_currency must be a 3-letter ISO 4217 code, got {default_currency!r}")
    if unexpected := set(required) - set(EXPORT_COLUMNS):
        raise ValueError(f"cannot require {sorted(unexpected)}: not a feed column")
    sample = _read_sample(stream)
    complete = len(sample) < SAMPLE_SIZE
    encoding, text = _sniff_encoding(sample, complete)
    if not text.strip():
        raise FeedRejected("the file is empty" if complete else f"no header in the first {SAMPLE_SIZE} bytes")
    delimiter = _sniff_delimiter(text)
    source = io.TextIOWrapper(io.BufferedReader(_Replay(sample, stream)), encoding=encoding, newline="")
    records = _Records(source, delimiter, encoding)
    header: list[str] = []
    while not any(map(str.strip, header)):
        _, found, _ = records.read(1)
        if not found:
            raise FeedRejected("the file is empty")
        header = records.split(found)[0]

    positions: dict[str, int] = {}
    unknown: dict[str, None] = {}
    for position, raw in enumerate(header):
        name = _column_name(raw)
        if name in positions:
            raise FeedRejected(f"column {name!r} appears twice in the header", column=name)
        if name in KNOWN_COLUMNS:
            positions[name] = position
        elif name:
            unknown[raw.strip()] = None
    if missing := [name for name in required if name not in positions]:
        names = ", ".join(repr(name) for name in missing)
        plural = "s" if len(missing) > 1 else ""
        raise FeedRejected(f"missing required column{plural} {names}", columns=missing)
    validator = _Validator(positions, required, default_currency, max_id_length)
    # The same record text reads the same only under the same layout and rules: they mark its hash.
    layout = repr((_RULES_VERSION, delimiter, sorted(positions.items()), required, default_currency, max_id_length))
    person = hashlib.blake2b(layout.encode(), digest_size=16).digest()
    return Feed(encoding, delimiter, tuple(positions), tuple(unknown), records, validator, person)


# -- writing ------------------------------------------------------------------------------------


def write_feed(rows: Iterable[ExportRow], stream: TextIO) -> int:
    """Write ``rows`` as our tab-separated export and return how many were written.

    Tabs, quotes and newlines inside values are quoted, so ``open_feed`` reads back the same rows.
    Line breaks are written as ``\\n``: csv quotes a field with a bare ``\\r`` only when the line
    terminator contains one, and ours is ``\\n``.
    """
    writer = csv.writer(stream, delimiter="\t", lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        sale = row.sale_price_cents
        writer.writerow([
            _one_newline(row.external_id), _one_newline(row.title), _one_newline(row.description),
            _one_newline(row.link), _one_newline(row.image_link), ",".join(row.additional_image_links),
            row.availability, _format_price(row.price_cents, row.currency),
            "" if sale is None else _format_price(sale, row.currency), _one_newline(row.brand),
            row.gtin or "", _one_newline(row.mpn), row.condition, _one_newline(row.category),
            _one_newline(row.product_type), _one_newline(row.item_group_id),
        ])  # fmt: skip
        count += 1
    return count
