"""A catalog file's layout: its delimiter (configured, or sniffed) and its header (configured row, or found).

The header is the first row holding every column name the mapping uses (names compared without regard to
case, spacing and a byte-order mark); the title rows suppliers put above it ("Contract price list, valid
from...") are skipped. Each mapped column then gets its index in the row, and the label rejections name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from ..errors import CatalogError
from .mapping import CatalogMapping, ColumnRef
from .units import unit_table

if TYPE_CHECKING:
    import _csv

__all__ = ["HEADER_SEARCH_ROWS", "Header", "find_header", "sniff_delimiter"]

HEADER_SEARCH_ROWS: Final = 50  # title rows above a header are a few; a file without one is not a catalog
_SNIFF_LINES: Final = 60
# csv.Sniffer's quote-finding regex backtracks quadratically on long runs of quotes: 4 KiB keeps its worst
# case near a tenth of a second (64 KiB took 16 s) and still holds the header and a dozen rows.
_SNIFF_CHARACTERS: Final = 4096
_SNIFFED_DELIMITERS: Final = ",;\t|"


def sniff_delimiter(sample: str) -> str:
    """The delimiter ``csv.Sniffer`` finds in the first lines of ``sample`` that hold a candidate delimiter
    (title rows without one would break its consistency count)."""
    head = sample[:_SNIFF_CHARACTERS]
    lines = head.splitlines(keepends=True)
    if len(lines) > 1 and len(head) < len(sample):
        lines.pop()  # cut in the middle by the sample's size
    candidates = [line for line in lines[:_SNIFF_LINES] if any(d in line for d in _SNIFFED_DELIMITERS)]
    try:
        dialect = csv.Sniffer().sniff("".join(candidates), delimiters=_SNIFFED_DELIMITERS)
    except csv.Error:
        raise CatalogError(
            "the delimiter could not be sniffed: configure the partner's delimiter", code="CATALOG.DELIMITER"
        ) from None
    return dialect.delimiter


@dataclass(frozen=True, slots=True)
class Header:
    """Where the header is, and where each mapped field is in a row."""

    line: int  # physical line of the header (0: the file has none)
    width: int | None  # its number of cells (None: no header)
    indexes: dict[str, int]  # field name -> 0-based index
    gtin_indexes: tuple[tuple[str | None, int], ...]  # (packaging level code, None: the row's unit; index)
    labels: dict[str, str]  # field name, "gtins[<level>]" or "gtin" -> the column as rejections name it
    skipped_rows: int  # rows above the header


def find_header(reader: _csv.Reader, mapping: CatalogMapping) -> Header:
    """Read ``reader`` up to and including the header (nothing when ``header_row`` is 0), resolve columns."""
    if mapping.header_row == 0:
        return _resolve(mapping, None, line=0, skipped=0)
    names = _names(mapping)
    best = (0, 0)  # (names found, row number) of the closest row, for the error
    previous_line = reader.line_num
    for number, row in enumerate(reader, start=1):
        if mapping.header_row is None or number == mapping.header_row:
            cells = {_normalised(cell) for cell in row}
            found = sum(1 for name in names if name in cells)
            if found == len(names):
                return _resolve(mapping, row, line=previous_line + 1, skipped=number - 1)
            best = max(best, (found, number))
            if mapping.header_row is not None or number >= HEADER_SEARCH_ROWS:
                break
        previous_line = reader.line_num
    where = f"row {mapping.header_row}" if mapping.header_row else f"the first {HEADER_SEARCH_ROWS} rows"
    closest = f" (closest: row {best[1]}, {best[0]} of {len(names)} names)" if best[1] else ""
    raise CatalogError(
        f"no header with the mapped columns in {where}{closest}: check the mapping's column names, "
        "delimiter and encoding",
        code="CATALOG.HEADER",
    )


def _names(mapping: CatalogMapping) -> set[str]:
    return {_normalised(column) for column in mapping.all_columns() if isinstance(column, str)}


def _normalised(name: str) -> str:
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _resolve(mapping: CatalogMapping, header: list[str] | None, *, line: int, skipped: int) -> Header:
    positions: dict[str, list[int]] = {}
    if header is not None:
        for index, cell in enumerate(header):
            positions.setdefault(_normalised(cell), []).append(index)
    width = None if header is None else len(header)

    def index_of(column: ColumnRef) -> tuple[int, str]:
        if isinstance(column, int):
            if width is not None and column > width:
                raise CatalogError(
                    f"column {column} is beyond the header's {width} columns (line {line})",
                    code="CATALOG.HEADER",
                )
            return column - 1, f"column {column}"
        found = positions[_normalised(column)]
        if len(found) > 1:
            raise CatalogError(
                f"column {column!r} appears {len(found)} times in the header (line {line})",
                code="CATALOG.HEADER",
            )
        return found[0], column

    indexes: dict[str, int] = {}
    labels: dict[str, str] = {}
    for name, column in mapping.columns().items():
        indexes[name], labels[name] = index_of(column)
    units = unit_table(mapping.unit_aliases)
    gtin_indexes: list[tuple[str | None, int]] = []
    for level, column in mapping.gtins.items():
        code = units[level.strip().upper()]
        index, labels[f"gtins[{code}]"] = index_of(column)
        gtin_indexes.append((code, index))
    if mapping.gtin is not None:
        index, labels["gtin"] = index_of(mapping.gtin)
        gtin_indexes.append((None, index))
    return Header(line, width, indexes, tuple(gtin_indexes), labels, skipped)
