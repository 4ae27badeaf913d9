"""X12 transaction sets -> canonical documents (``parsers.documents``), by the table in MAPPING.md.

``map_transaction`` picks the mapper by the set id (ST01) and returns None for sets we do not map (835, 837,
820...). The mappers read what partners send in any order they send it; structural problems are the
validator's to report. A value the document cannot exist without (the order number, a quantity that is not
a number) raises ``parsers.errors.DocumentError`` with its position.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import TransactionSet
from .functional_ack import map_functional_ack, map_ta1
from .invoice import map_invoice
from .po_ack import map_po_ack
from .purchase_order import map_purchase_order
from .ship_notice import map_ship_notice

__all__ = [
    "map_functional_ack",
    "map_invoice",
    "map_po_ack",
    "map_purchase_order",
    "map_ship_notice",
    "map_ta1",
    "map_transaction",
]

MAPPERS: dict[str, Callable[[TransactionSet], object]] = {
    "850": map_purchase_order,
    "855": map_po_ack,
    "856": map_ship_notice,
    "810": map_invoice,
    "997": map_functional_ack,
    "999": map_functional_ack,
}


def map_transaction(transaction: TransactionSet) -> object | None:
    """The canonical document of ``transaction``, or None when its set id is not one we map."""
    mapper = MAPPERS.get(transaction.set_id)
    return mapper(transaction) if mapper is not None else None
