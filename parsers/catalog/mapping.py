"""``CatalogMapping``: how one partner's catalog file is laid out, as plain data.

The gateway's partner configuration builds it; ``problems()`` lists everything wrong with it at once (for
the configuration check), ``check()`` raises them as one ``ConfigurationError``. Columns are named by their
header text (matched without regard to case and spacing) or by 1-based position.

Example (a GPO contract file, semicolon-separated with decimal commas)::

    CatalogMapping(
        supplier_part="Item No", unit="UOM", each_per_unit="Qty/UOM", description="Description",
        gtins={"EA": "GTIN Each", "BX": "GTIN Box", "CS": "GTIN Case"},
        contract_id="Contract", contract_tier="Tier", price="Contract Price", default_currency="EUR",
        effective_date="Start", expiry_date="End", date_format="%d.%m.%Y",
        delimiter=";", decimal_separator=",", thousands_separator=".", required=frozenset({"price"}),
    )
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Final, Literal

from ..errors import ConfigurationError
from .units import known_unit, unit_table

__all__ = ["COLUMN_FIELDS", "CatalogMapping", "ColumnRef"]

ColumnRef = str | int  # a header name, or a 1-based column position

# The ``CatalogItem`` fields read from one column each (GTINs come from one column per packaging level).
COLUMN_FIELDS: Final = (
    "supplier_part",
    "unit",
    "each_per_unit",
    "description",
    "manufacturer",
    "manufacturer_part",
    "unspsc",
    "ndc",
    "hcpcs",
    "contract_id",
    "contract_tier",
    "price",
    "currency",
    "effective_date",
    "expiry_date",
    "minimum_quantity",
)
_DATE_FIELDS: Final = ("effective_date", "expiry_date")
_DELIMITERS: Final = frozenset({",", ";", "\t", "|", ":", "^", "~"})
_THOUSANDS_SEPARATORS: Final = frozenset({",", ".", " ", "'", "\u00a0", "\u202f"})
# A date far from month/day symmetry (31 December) tells a format that reads it back from one that cannot.
_PROBE_DATE: Final = datetime(2026, 12, 31)


@dataclass(frozen=True, slots=True)
class CatalogMapping:
    """One partner's catalog layout; see the module docstring. Only ``supplier_part`` is mandatory."""

    supplier_part: ColumnRef
    unit: ColumnRef | None = None
    default_unit: str | None = None  # when no unit column is mapped, or its cell is empty
    each_per_unit: ColumnRef | None = None  # eaches in one unit (EA and DZ need none: 1 and 12)
    description: ColumnRef | None = None
    manufacturer: ColumnRef | None = None
    manufacturer_part: ColumnRef | None = None
    gtins: Mapping[str, ColumnRef] = field(default_factory=dict, hash=False)  # packaging level -> column
    gtin: ColumnRef | None = None  # one column with the GTIN of each row's own unit of measure
    unspsc: ColumnRef | None = None
    ndc: ColumnRef | None = None
    hcpcs: ColumnRef | None = None
    contract_id: ColumnRef | None = None
    contract_tier: ColumnRef | None = None
    price: ColumnRef | None = None
    currency: ColumnRef | None = None
    default_currency: str | None = None  # when no currency column is mapped, or its cell is empty
    effective_date: ColumnRef | None = None
    expiry_date: ColumnRef | None = None
    minimum_quantity: ColumnRef | None = None
    unit_aliases: Mapping[str, str] = field(default_factory=dict, hash=False)  # partner spelling -> code
    required: frozenset[str] = frozenset()  # fields a row must have (supplier part and unit always)
    encoding: str | None = None  # None: UTF-8 (BOM or not), UTF-16 by its BOM, else cp1252; noted
    delimiter: str | None = None  # None: sniffed with csv.Sniffer; noted
    decimal_separator: Literal[".", ","] = "."
    thousands_separator: str | None = None  # None: a separator inside a number rejects the row
    date_format: str | None = None  # strptime format, e.g. "%m/%d/%Y"; required when dates are mapped
    header_row: int | None = None  # 1-based row of the header; None: searched; 0: no header

    def __post_init__(self) -> None:
        # Callers pass dicts and sets; keep read-only copies so the frozen mapping really is frozen.
        object.__setattr__(self, "gtins", MappingProxyType(dict(self.gtins)))
        object.__setattr__(self, "unit_aliases", MappingProxyType(dict(self.unit_aliases)))
        object.__setattr__(self, "required", frozenset(self.required))

    def columns(self) -> dict[str, ColumnRef]:
        """The mapped single-column fields: field name -> column."""
        mapped = {name: getattr(self, name) for name in COLUMN_FIELDS}
        return {name: column for name, column in mapped.items() if column is not None}

    def problems(self) -> list[str]:
        """Everything wrong with this mapping, one sentence each (empty when it can be used)."""
        problems: list[str] = []
        columns = self.columns()
        named = [*columns.items(), *((f"gtins[{level}]", c) for level, c in self.gtins.items())]
        if self.gtin is not None:
            named.append(("gtin", self.gtin))
        for name, column in named:
            problem = _column_problem(column)
            if problem:
                problems.append(f"{name}: {problem}")
        problems.extend(self._unit_problems())
        problems.extend(self._format_problems())
        if self.default_currency is not None and not _is_currency_code(self.default_currency.strip()):
            problems.append("default_currency: not a three-letter ISO 4217 code")
        for name in sorted(self.required):
            if name not in COLUMN_FIELDS:
                problems.append(f"required: {name!r} is not a catalog field ({', '.join(COLUMN_FIELDS)})")
            elif name not in columns and not (
                (name == "unit" and self.default_unit) or (name == "currency" and self.default_currency)
            ):
                problems.append(f"required: {name} is not mapped")
        if self.header_row is None and not any(isinstance(c, str) for c in self.all_columns()):
            problems.append("header_row: every column is positional, so say where the header is (0: none)")
        if self.header_row == 0 and any(isinstance(c, str) for c in self.all_columns()):
            problems.append("header_row: 0 (no header) but columns are named: name them by position")
        if self.header_row is not None and (isinstance(self.header_row, bool) or self.header_row < 0):
            problems.append("header_row: a row number (1 for the first), 0 for no header, or None")
        return problems

    def check(self) -> None:
        """Raise ``ConfigurationError`` listing every problem, if there are any."""
        problems = self.problems()
        if problems:
            raise ConfigurationError("catalog mapping: " + "; ".join(problems), code="CATALOG.MAPPING")

    def all_columns(self) -> list[ColumnRef]:
        """Every column the mapping reads."""
        return [*self.columns().values(), *self.gtins.values(), *([] if self.gtin is None else [self.gtin])]

    def _unit_problems(self) -> list[str]:
        problems = []
        for spelling, target in self.unit_aliases.items():
            if not known_unit(target.strip().upper()):
                problems.append(f"unit_aliases: {spelling!r} maps to {target!r}, which is not a unit code")
        table = unit_table(self.unit_aliases)
        if self.unit is None and self.default_unit is None:
            problems.append("unit: map the unit-of-measure column or give default_unit")
        if self.default_unit is not None and self.default_unit.strip().upper() not in table:
            problems.append("default_unit: not a unit code or one of the partner's aliases")
        levels = [table.get(level.strip().upper()) for level in self.gtins]
        for level, code in zip(self.gtins, levels, strict=True):
            if code is None:
                problems.append(f"gtins: packaging level {level!r} is not a unit code or alias")
            elif levels.count(code) > 1:
                problems.append(f"gtins: packaging level {level!r} is {code}, which has another column too")
        return problems

    def _format_problems(self) -> list[str]:
        problems = []
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
                "".encode(self.encoding)  # refuses the codecs that are not text encodings (rot13, base64)
            except LookupError:
                problems.append(f"encoding: {self.encoding!r} is not a text encoding Python knows")
        if self.delimiter is not None and self.delimiter not in _DELIMITERS:
            problems.append(f"delimiter: one of {' '.join(sorted(repr(d) for d in _DELIMITERS))}")
        if self.decimal_separator not in (".", ","):
            problems.append("decimal_separator: '.' or ','")
        if self.thousands_separator is not None and (
            self.thousands_separator not in _THOUSANDS_SEPARATORS
            or self.thousands_separator == self.decimal_separator
        ):
            problems.append("thousands_separator: one of , . ' or a space, and not the decimal separator")
        dates_mapped = [name for name in _DATE_FIELDS if getattr(self, name) is not None]
        if dates_mapped and self.date_format is None:
            problems.append(f"date_format: required because {' and '.join(dates_mapped)} are mapped")
        if self.date_format is not None and not _reads_back(self.date_format):
            problems.append("date_format: does not read back the day, month and year it writes")
        return problems


def _column_problem(column: object) -> str | None:
    if isinstance(column, bool) or not isinstance(column, str | int):
        return "a header name or a 1-based position"
    if isinstance(column, int) and column < 1:
        return "positions start at 1"
    if isinstance(column, str) and not column.strip():
        return "an empty header name"
    return None


def _is_currency_code(text: str) -> bool:
    return len(text) == 3 and text.isascii() and text.isalpha()


def _reads_back(date_format: str) -> bool:
    """Whether ``date_format`` identifies a day: written and read back, the probe date comes back."""
    try:
        return datetime.strptime(_PROBE_DATE.strftime(date_format), date_format).date() == _PROBE_DATE.date()
    except ValueError:
        return False
