"""CSV supplier and GPO catalogs in, ``Catalog`` documents out, and the changes between two deliveries.

``parse_catalog(source, mapping)`` reads one delivery with the partner's ``CatalogMapping`` (columns by
header name or position, encoding, delimiter, decimal and thousands separators, date format); every row
becomes a ``CatalogItem`` or a ``RejectedRow`` (line, reason, column: never the value, contract prices are
confidential), and the good rows of a file are kept whatever the bad ones. ``open_catalog`` yields the same
rows one by one for staging in batches, keeping none of them. ``diff_catalogs(previous, current)`` lists
new, removed, price-changed and dates-changed rows.

Values are read exactly or refused, never guessed: GTINs are left-padded to 14 digits with their check digit
verified, and refused when Excel turned them into ``1.23E+13``; prices are ``Decimal`` with currency signs
dropped and only the configured separators accepted; ``price_per_each`` is the price divided by the eaches
in the unit, to 6 places, half to even; dates are read by the configured format only.

A file that cannot be read at all (empty, not in its encoding, no header, broken quoting) raises
``CatalogError``; an unusable mapping raises ``ConfigurationError`` listing every problem
(``CatalogMapping.problems()`` gives them to the gateway's configuration check).
"""

from __future__ import annotations

from .diff import ChangeKind, diff_catalogs
from .mapping import CatalogMapping, ColumnRef
from .parse import CatalogRows, CatalogSource, open_catalog, parse_catalog
from .units import UnitOfMeasure
from .values import PRICE_PER_EACH_PLACES

__all__ = [
    "PRICE_PER_EACH_PLACES",
    "CatalogMapping",
    "CatalogRows",
    "CatalogSource",
    "ChangeKind",
    "ColumnRef",
    "UnitOfMeasure",
    "diff_catalogs",
    "open_catalog",
    "parse_catalog",
]
