"""Canonical documents out as X12 transaction sets: 850, 855, 856 and 810 bodies, and whole interchanges.

``document_segments(document, version)`` gives the body of one transaction set (the segments between ST and
SE) as plain lists of strings; ``write_document_interchange`` wraps documents into ISA/GS/ST..SE/GE/IEA with
``emitters.x12.writer``. The field mapping is ``parsers/x12/documents/MAPPING.md``: what these write, the
mappers read back into equal documents.

Acknowledgements (997/999/TA1) are not written from canonical documents but from what was received: see
``emitters.x12.acks``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from parsers.documents import Invoice, PurchaseOrder, PurchaseOrderAck, ShipNotice
from parsers.errors import WriterError
from parsers.x12.model import Separators

from ..writer import FunctionalGroupEnvelope, InterchangeEnvelope, OutboundTransaction, write_interchange
from .common import Seg
from .invoice import invoice_segments
from .po_ack import po_ack_segments
from .purchase_order import purchase_order_segments
from .ship_notice import ship_notice_segments

__all__ = [
    "FUNCTIONAL_IDS",
    "SET_IDS",
    "OutboundDocument",
    "document_segments",
    "invoice_segments",
    "po_ack_segments",
    "purchase_order_segments",
    "set_id_of",
    "ship_notice_segments",
    "write_document_interchange",
]

OutboundDocument = PurchaseOrder | PurchaseOrderAck | ShipNotice | Invoice

SET_IDS: dict[type, str] = {PurchaseOrder: "850", PurchaseOrderAck: "855", ShipNotice: "856", Invoice: "810"}
FUNCTIONAL_IDS: dict[str, str] = {"850": "PO", "855": "PR", "856": "SH", "810": "IN"}  # GS01 per set


def document_segments(document: OutboundDocument, version: str) -> list[Seg]:
    """The transaction set body (without ST/SE) of ``document`` for ``version`` ("004010", "005010"...)."""
    if isinstance(document, PurchaseOrder):
        return purchase_order_segments(document, version)
    if isinstance(document, PurchaseOrderAck):
        return po_ack_segments(document, version)
    if isinstance(document, ShipNotice):
        return ship_notice_segments(document, version)
    if isinstance(document, Invoice):
        return invoice_segments(document, version)
    raise WriterError(
        f"{type(document).__name__}: not a document this emitter writes (acknowledgements: see acks.py)",
        code="X12.DOCUMENT_TYPE",
    )


def set_id_of(document: OutboundDocument) -> str:
    """The transaction set id ("850"...) that carries ``document``."""
    set_id = SET_IDS.get(type(document))
    if set_id is None:
        raise WriterError(
            f"{type(document).__name__}: not a document this emitter writes", code="X12.DOCUMENT_TYPE"
        )
    return set_id


def write_document_interchange(
    documents: OutboundDocument | Sequence[OutboundDocument],
    *,
    envelope: InterchangeEnvelope,
    group: FunctionalGroupEnvelope,
    control_numbers: int | Sequence[int] = 1,
    separators: Separators | None = None,
    version: str | None = None,
    implementation: str | None = None,
    suffix: str = "",
) -> str:
    """One interchange (ISA, one GS group, one ST..SE per document, GE, IEA) as text.

    ``control_numbers`` is the ST02 of each document, or the first of a run (1, 2, 3...). ``separators``
    replaces the envelope's; ``version`` (the segments' version, default GS08) picks the element limits;
    ``implementation`` is ST03 when given. Every document must belong in the group's functional id (GS01:
    PO 850, PR 855, SH 856, IN 810). A value that cannot be written raises WriterError naming the field.
    """
    batch: Sequence[OutboundDocument] = (
        (documents,)
        if isinstance(documents, PurchaseOrder | PurchaseOrderAck | ShipNotice | Invoice)
        else documents
    )
    if isinstance(control_numbers, int):
        numbers: Sequence[int] = range(control_numbers, control_numbers + len(batch))
    else:
        numbers = control_numbers
        if len(numbers) != len(batch):
            raise WriterError(
                "one transaction set control number per document is needed", code="X12.CONTROL_NUMBER"
            )
    if separators is not None:
        envelope = replace(envelope, separators=separators)
    body_version = version or group.version
    for document in batch:
        set_id = set_id_of(document)
        if FUNCTIONAL_IDS[set_id] != group.functional_id:
            raise WriterError(
                f"a {set_id} belongs in functional group {FUNCTIONAL_IDS[set_id]}, not {group.functional_id}",
                code="X12.FUNCTIONAL_ID",
            )

    current = -1  # the document being written, to say which one a writer error is about

    def transactions() -> Iterator[OutboundTransaction]:
        nonlocal current
        # One body in memory at a time: batch files of thousands of orders stay flat.
        for index, (document, number) in enumerate(zip(batch, numbers, strict=True)):
            current = index
            body: Iterable[Seg] = document_segments(document, body_version)
            yield OutboundTransaction(set_id_of(document), number, body, implementation)

    try:
        return write_interchange(envelope, [(group, transactions())], suffix=suffix)
    except WriterError as error:
        if current < 0 or error.code == "X12.DOCUMENT_TYPE":
            raise
        kind = type(batch[current]).__name__
        message = error.message if error.message.startswith(kind + ".") else f"{kind}: {error.message}"
        raise WriterError(
            f"documents[{current}]: {message}", position=error.position, code=error.code
        ) from None
