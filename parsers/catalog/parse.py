"""``parse_catalog`` (a whole delivery as one ``Catalog``) and ``open_catalog`` (its rows one by one).

Both stream: the file is read through a csv reader over a text wrapper, never held whole. ``open_catalog``
keeps no rows, only each row's key (part, unit, contract, tier) to refuse a second row with the same key,
about 250 bytes a row; ``parse_catalog`` keeps the items it returns. Each row's line is the physical line
it starts on (quoted descriptions may span several).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..documents.catalog import Catalog, CatalogItem, RejectedRow
from ..errors import CatalogError
from .collector import collector_paused
from .decoding import DecodedText, decoded_text
from .layout import Header, find_header, sniff_delimiter
from .mapping import CatalogMapping
from .rows import RowConverter, RowRejected

if TYPE_CHECKING:
    import _csv

__all__ = ["CatalogRows", "CatalogSource", "open_catalog", "parse_catalog"]

CatalogSource = BinaryIO | bytes | Path | str  # str: a file path


def parse_catalog(source: CatalogSource, mapping: CatalogMapping) -> Catalog:
    """Every row of a catalog file read with ``mapping``: the items, the rows refused (line, reason, column)
    and notes on how the file was read (encoding or delimiter detected, header found).

    Raises ``ConfigurationError`` when the mapping is unusable (every problem listed), ``CatalogError``
    when the file cannot be read at all (empty, undecodable, no header, broken CSV quoting).

    The cyclic garbage collector is paused while the items are built (see ``collector_paused``)."""
    items: list[CatalogItem] = []
    rejected: list[RejectedRow] = []
    with collector_paused(), open_catalog(source, mapping) as rows:
        for row in rows:
            if isinstance(row, CatalogItem):
                items.append(row)
            else:
                rejected.append(row)
        return Catalog(
            items=tuple(items),
            rejected=tuple(rejected),
            notes=rows.notes,
            encoding=rows.encoding,
            delimiter=rows.delimiter,
        )


@contextmanager
def open_catalog(source: CatalogSource, mapping: CatalogMapping) -> Iterator[CatalogRows]:
    """The rows of a catalog file, for staging them in batches: the encoding, delimiter and header are
    settled (and their errors raised) on entering; iterating yields ``CatalogItem`` or ``RejectedRow``."""
    mapping.check()
    with _binary(source) as stream, decoded_text(stream, mapping.encoding) as text:
        notes = [text.note] if text.note else []
        delimiter = mapping.delimiter
        if delimiter is None:
            delimiter = sniff_delimiter(text.sample)
            notes.append(f"delimiter: {delimiter!r} (sniffed: none configured)")
        reader = csv.reader(text.lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
        with _read_errors(text, reader):
            header = find_header(reader, mapping)
        if header.skipped_rows:
            skipped = header.skipped_rows
            rows = f"{skipped} row{'s' if skipped > 1 else ''}"
            notes.append(f"header: line {header.line} ({rows} above it skipped)")
        yield CatalogRows(text, reader, mapping, header, delimiter, tuple(notes))


class CatalogRows:
    """The rows of an open catalog (see ``open_catalog``); iterate once."""

    def __init__(
        self,
        text: DecodedText,
        reader: _csv.Reader,
        mapping: CatalogMapping,
        header: Header,
        delimiter: str,
        notes: tuple[str, ...],
    ) -> None:
        self.encoding = text.encoding
        self.delimiter = delimiter
        self.notes = notes
        self.header_line = header.line
        self._text = text
        self._reader = reader
        self._convert = RowConverter(mapping, header)

    def __iter__(self) -> Iterator[CatalogItem | RejectedRow]:
        reader, convert = self._reader, self._convert
        previous_line = reader.line_num
        with _read_errors(self._text, reader):
            for row in reader:
                line = previous_line + 1
                previous_line = reader.line_num
                if not any(row):
                    continue  # blank lines, and rows of empty cells spreadsheets leave at the end
                try:
                    yield convert(row, line)
                except RowRejected as rejected:
                    yield RejectedRow(line, rejected.reason, rejected.column)


@contextmanager
def _read_errors(text: DecodedText, reader: _csv.Reader) -> Iterator[None]:
    """Decoding and CSV structure errors as ``CatalogError`` with the line they happen at."""
    try:
        yield
    except UnicodeDecodeError:
        raise CatalogError(
            f"not valid {text.encoding} after line {reader.line_num}: configure the partner's encoding",
            code="CATALOG.ENCODING",
        ) from None
    except csv.Error as error:
        # The csv module's messages name the problem ("field larger than field limit"), never the data.
        raise CatalogError(
            f"CSV structure broken at line {reader.line_num}: {error}", code="CATALOG.CSV"
        ) from None


@contextmanager
def _binary(source: CatalogSource) -> Iterator[BinaryIO]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    elif isinstance(source, str | Path):
        with open(source, "rb") as stream:
            yield stream
    else:
        yield source
