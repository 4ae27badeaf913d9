"""Staging X12: the interchanges, groups, transaction sets, documents, lines and issues of one attempt.

The pipeline streams a file with ``parsers.x12.parse.parse_transactions`` and hands each transaction set to
``X12Stager.add`` (``envelope_of`` finds its interchange and group results); ``finish`` writes the trailer
data, statuses, envelope-level issues and file-level notes once the reader is exhausted.

Speed: rows are built as tuples and buffered, then written per table with one executemany of multi-row INSERTs
each (``Connection.exec_driver_sql``: SQLAlchemy's per-row parameter processing for ``insert()`` costs more
than the insert itself). Ids of rows that others refer to are allocated here (SQLite: after the current
maximum, safe under the write lock this transaction holds; PostgreSQL: blocks of the table's sequence), so
children can be built before their parents are written. One stager per transaction: nothing else may insert
X12 rows into these tables while it works.

Statuses follow ``emitters.x12.acks`` (``transaction_status``, ``group_status``, ``interchange_status``): the
database says what the acknowledgements say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from emitters.x12.acks import group_status, interchange_status, transaction_status
from parsers.documents import FunctionalAck, Invoice, PurchaseOrder, PurchaseOrderAck, ShipNotice
from parsers.documents.common import (
    BUYER_PART_QUALIFIERS,
    GTIN_QUALIFIERS,
    HIBC_QUALIFIERS,
    NDC_QUALIFIERS,
    VENDOR_PART_QUALIFIERS,
)
from parsers.errors import DocumentError
from parsers.x12.model import GroupResult, InterchangeResult, TransactionResult, TransactionSet, X12Issue
from parsers.x12.reader import X12Reader

from .body import document_json
from .bulk import RowWriter
from .models import Base
from .sql import utc_now
from .states import AckDirection, AckKind, AckStatus, DocumentKind, InterchangeStatus

__all__ = ["StagingSummary", "X12Stager", "envelope_of"]

DEFAULT_BATCH = 200  # transaction sets buffered before a flush (~4,000 line rows for 20-line orders)
# The tables whose ids the stager allocates (children point to them before they are written).
_ID_TABLES = (
    "interchanges",
    "functional_groups",
    "transaction_sets",
    "documents",
    "ship_notice_packs",
    "ship_notice_items",
    "invoice_lines",
)

_INTERCHANGE_STATUS = {
    "A": InterchangeStatus.ACCEPTED,
    "E": InterchangeStatus.ACCEPTED_WITH_ERRORS,
    "R": InterchangeStatus.REJECTED,
}

# Which product id column each qualifier fills, and its preference (lower first), as HasProductIds reads.
_PRODUCT_COLUMNS = (
    VENDOR_PART_QUALIFIERS,
    BUYER_PART_QUALIFIERS,
    GTIN_QUALIFIERS,
    NDC_QUALIFIERS,
    HIBC_QUALIFIERS,
)
_PRODUCT_SLOT = {
    qualifier: (slot, rank)
    for slot, qualifiers in enumerate(_PRODUCT_COLUMNS)
    for rank, qualifier in enumerate(qualifiers)
}


def _product_ids(ids: list[dict[str, str]]) -> list[str | None]:
    """[vendor_part, buyer_part, gtin, ndc, hibc] of a line's JSON ``product_ids``: the same choice as
    ``HasProductIds`` (preferred qualifier first, then the first such id), in one pass."""
    values: list[str | None] = [None, None, None, None, None]
    ranks = [99, 99, 99, 99, 99]
    for product_id in ids:
        hit = _PRODUCT_SLOT.get(product_id["qualifier"])
        if hit is not None and hit[1] < ranks[hit[0]]:
            values[hit[0]] = product_id["value"]
            ranks[hit[0]] = hit[1]
    return values


def _date_of(dates: list[dict[str, Any]], qualifier: str) -> str | None:
    """The ISO date of the first date reference with ``qualifier``."""
    for reference in dates:
        if reference["qualifier"] == qualifier:
            date_text: str = reference["date"]
            return date_text
    return None


def _number(text: str | None) -> int | None:
    return int(text) if text is not None and text.isascii() and text.isdigit() else None


def envelope_of(
    reader: X12Reader, transaction: TransactionSet
) -> tuple[InterchangeResult, GroupResult | None]:
    """The interchange and group results a transaction set belongs to (group None: outside any GS)."""
    for interchange in reversed(reader.interchanges):
        if interchange.header is transaction.interchange:
            for group in reversed(interchange.groups):
                if group.header is transaction.group:
                    return interchange, group
            return interchange, None
    raise ValueError("the transaction set does not come from this reader")


# What each document handler returns for its ``documents`` row: kind, number, order number, date (ISO),
# currency, total amount (canonical text), line count.
_DocumentColumns = tuple[DocumentKind, str | None, str | None, str | None, str | None, str | None, int]
_Handler = Callable[[dict[str, Any], int], _DocumentColumns]


@dataclass(frozen=True, slots=True)
class StagingSummary:
    """What one attempt staged; ``errors`` and ``warnings`` count issues at every level."""

    interchanges: int
    groups: int
    transactions: int
    documents: int
    errors: int
    warnings: int


class _Buffer:
    """Rows of one table waiting to be written, in the order of ``columns`` (``bulk.RowWriter``: one
    executemany of multi-row INSERTs)."""

    def __init__(self, connection: Connection, table: str, columns: tuple[str, ...]) -> None:
        self._writer = RowWriter(connection, table, columns)
        self.rows: list[tuple[Any, ...]] = []

    def write(self) -> None:
        if self.rows:
            self._writer.write(self.rows)
            self.rows = []


class _Ids:
    """Ids for rows that other rows point to, allocated before the rows are written."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._postgresql = connection.dialect.name == "postgresql"
        self._next: dict[str, int] = {}
        self._free: dict[str, list[int]] = {}
        self._block: dict[str, int] = {}

    def take(self, table: str) -> int:
        if self._postgresql:
            free = self._free.get(table)
            if not free:
                free = self._free[table] = self._reserve(table)
            return free.pop()
        if not self._next:
            # Safe: this transaction holds SQLite's write lock (BEGIN IMMEDIATE) until it ends. One query
            # for every table: a small file costs one statement here, not one per table.
            maxima = ", ".join(f"(SELECT coalesce(max(id), 0) + 1 FROM {name})" for name in _ID_TABLES)
            first = self._connection.exec_driver_sql(f"SELECT {maxima}").one()
            self._next = {name: int(value) for name, value in zip(_ID_TABLES, first, strict=True)}
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def _reserve(self, table: str) -> list[int]:
        # Blocks grow from 16 to 1,024 so that a small file does not waste a thousand ids per table.
        size = self._block[table] = min(self._block.get(table, 8) * 2, 1024)
        rows = self._connection.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :size)"),
            {"table": table, "size": size},
        ).scalars()
        return sorted((int(value) for value in rows), reverse=True)


@dataclass(slots=True)
class _InterchangeRow:
    id: int
    result: InterchangeResult
    flushed: bool = False


@dataclass(slots=True)
class _GroupRow:
    id: int
    interchange_id: int
    result: GroupResult
    accepted: int = 0
    flushed: bool = False


_COLUMNS: dict[str, tuple[str, ...]] = {
    "interchanges": (
        "id", "attempt_id", "file_id", "ordinal", "sender_qualifier", "sender_id", "receiver_qualifier",
        "receiver_id", "control_number", "version", "date", "time", "usage", "ack_requested",
        "declared_group_count", "group_count", "status",
    ),
    "functional_groups": (
        "id", "interchange_id", "attempt_id", "functional_id", "sender", "receiver", "date", "control_number",
        "version", "declared_count", "received_count", "accepted_count", "status",
    ),
    "transaction_sets": (
        "id", "group_id", "interchange_id", "attempt_id", "file_id", "set_id", "control_number",
        "implementation", "segment_count", "first_segment", "status",
    ),
    "documents": (
        "id", "transaction_id", "attempt_id", "file_id", "kind", "number", "order_number", "partner_id",
        "document_date", "currency", "total_amount", "line_count", "body",
    ),
    "purchase_order_lines": (
        "document_id", "position", "line_number", "quantity", "unit", "unit_price", "vendor_part",
        "buyer_part", "gtin", "ndc", "hibc", "description", "requested_date",
    ),
    "po_ack_lines": (
        "document_id", "position", "line_number", "quantity", "unit", "unit_price", "status",
        "status_quantity", "status_unit", "date_qualifier", "status_date", "vendor_part", "buyer_part",
        "gtin", "ndc", "description",
    ),
    "ship_notice_packs": (
        "id", "document_id", "parent_id", "order_number", "hl_id", "level", "sscc", "packaging_code",
        "weight", "weight_unit",
    ),
    "ship_notice_items": (
        "id", "document_id", "pack_id", "order_number", "hl_id", "line_number", "quantity", "unit",
        "ordered_quantity", "ordered_unit", "status", "vendor_part", "buyer_part", "gtin", "ndc", "hibc",
        "description",
    ),
    "ship_notice_lots": (
        "item_id", "document_id", "lot_number", "expiry_date", "production_date", "quantity",
    ),
    "invoice_lines": (
        "id", "document_id", "position", "line_number", "quantity", "unit", "unit_price", "vendor_part",
        "buyer_part", "gtin", "ndc", "hibc", "description",
    ),
    "invoice_allowances": (
        "document_id", "line_id", "indicator", "code", "amount", "percent", "rate", "quantity", "unit",
        "handling_code", "description",
    ),
    "issues": (
        "attempt_id", "file_id", "interchange_id", "group_id", "transaction_id", "code", "severity",
        "message", "segment", "segment_id", "loop_id", "element", "component", "repetition", "data_element",
    ),
    "acknowledgements": (
        "direction", "kind", "partner_id", "file_id", "interchange_control_number", "group_control_number",
        "transaction_control_number", "acknowledged_interchange", "acknowledged_group", "verdict", "status",
        "created_at",
    ),
}  # fmt: skip
# Parents before children: the order in which buffers are written.
_ORDER = tuple(_COLUMNS)


@dataclass(slots=True)
class _Counts:
    transactions: int = 0
    documents: int = 0
    errors: int = 0
    warnings: int = 0
    pending: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class X12Stager:
    """Stage the X12 content of one attempt of one file, in the caller's transaction. See the module doc."""

    def __init__(
        self,
        connection: Connection,
        *,
        file_id: int,
        attempt_id: int,
        partner_id: str | None,
        batch_size: int = DEFAULT_BATCH,
    ) -> None:
        self._connection = connection
        self._file_id = file_id
        self._attempt_id = attempt_id
        self._partner_id = partner_id
        self._batch_size = batch_size
        self._ids = _Ids(connection)
        self._buffers = {table: _Buffer(connection, table, columns) for table, columns in _COLUMNS.items()}
        self._interchanges: dict[int, _InterchangeRow] = {}
        self._groups: dict[int, _GroupRow] = {}
        self._counts = _Counts()
        now = utc_now()
        # created_at of received acknowledgements, as the driver takes it (SQLite: SQLAlchemy's text format).
        self._timestamp: Any = (
            now if connection.dialect.name == "postgresql" else now.strftime("%Y-%m-%d %H:%M:%S.%f")
        )
        self._documents: dict[type, _Handler] = {
            PurchaseOrder: self._purchase_order,
            PurchaseOrderAck: self._po_ack,
            ShipNotice: self._ship_notice,
            Invoice: self._invoice,
            FunctionalAck: self._functional_ack,
        }
        self._finished = False

    # -- streaming -----------------------------------------------------------------------------------------

    def add(
        self,
        transaction: TransactionSet,
        result: TransactionResult,
        interchange: InterchangeResult,
        group: GroupResult | None,
    ) -> None:
        """Stage one transaction set with its document, lines and issues."""
        interchange_id = self._interchange(interchange).id
        group_row = self._group(group, interchange_id) if group is not None else None
        group_id = group_row.id if group_row is not None else None
        transaction_id = self._ids.take("transaction_sets")
        if group_row is not None and result.accepted:
            group_row.accepted += 1
        self._buffers["transaction_sets"].rows.append(
            (
                transaction_id,
                group_id,
                interchange_id,
                self._attempt_id,
                self._file_id,
                result.set_id,
                result.control_number,
                result.implementation,
                result.segment_count,
                result.first_segment,
                transaction_status(result),
            )
        )
        counts = self._counts
        counts.transactions += 1
        document = result.document
        if document is not None:
            handler = self._documents.get(type(document))
            if handler is not None:
                self._document(document, handler, transaction_id)
                if isinstance(document, FunctionalAck):
                    self._received_ack(
                        AckKind(document.kind),
                        interchange.control_number,
                        transaction.group.control_number,
                        result.control_number,
                        None,
                        document.group_control_number,
                        document.status,
                    )
        self._issues(result.issues, interchange_id, group_id, transaction_id)
        counts.pending += 1
        if counts.pending >= self._batch_size:
            self.flush()

    def finish(self, reader: X12Reader) -> StagingSummary:
        """Write what is left once ``reader`` is exhausted: envelopes' trailers and statuses, their issues,
        TA1s received, file-level notes. Returns the counts."""
        if self._finished:
            raise RuntimeError("finish() was called already")
        self._finished = True
        groups = 0
        for interchange in reader.interchanges:
            row = self._interchange(interchange)
            self._issues(interchange.issues, row.id, None, None)
            for group in interchange.groups:
                groups += 1
                group_row = self._group(group, row.id)
                self._issues(group.issues, row.id, group_row.id, None)
            self._ta1s(interchange)
        self._issues(reader.issues, None, None, None)
        updates: list[_InterchangeRow | _GroupRow] = [i for i in self._interchanges.values() if i.flushed]
        updates += [group for group in self._groups.values() if group.flushed]
        self.flush()
        self._update_envelopes(updates)
        counts = self._counts
        return StagingSummary(
            interchanges=len(reader.interchanges),
            groups=groups,
            transactions=counts.transactions,
            documents=counts.documents,
            errors=counts.errors,
            warnings=counts.warnings,
        )

    def flush(self) -> None:
        """Write every buffered row (parents first)."""
        for entry in self._interchanges.values():
            if not entry.flushed:
                self._buffers["interchanges"].rows.append(self._interchange_values(entry))
                entry.flushed = True
        for group in self._groups.values():
            if not group.flushed:
                self._buffers["functional_groups"].rows.append(self._group_values(group))
                group.flushed = True
        for table in _ORDER:
            self._buffers[table].write()
        self._counts.pending = 0

    # -- envelopes -----------------------------------------------------------------------------------------

    def _interchange(self, interchange: InterchangeResult) -> _InterchangeRow:
        row = self._interchanges.get(id(interchange))
        if row is None:
            row = self._interchanges[id(interchange)] = _InterchangeRow(
                self._ids.take("interchanges"), interchange
            )
        return row

    def _group(self, group: GroupResult, interchange_id: int) -> _GroupRow:
        row = self._groups.get(id(group))
        if row is None:
            row = self._groups[id(group)] = _GroupRow(
                self._ids.take("functional_groups"), interchange_id, group
            )
        return row

    def _interchange_values(self, entry: _InterchangeRow) -> tuple[Any, ...]:
        interchange = entry.result
        header = interchange.header
        return (
            entry.id,
            self._attempt_id,
            self._file_id,
            interchange.index,
            interchange.sender_qualifier,
            interchange.sender_id,
            interchange.receiver_qualifier,
            interchange.receiver_id,
            interchange.control_number,
            header.version if header else None,
            header.date if header else None,
            header.time if header else None,
            header.usage if header else None,
            {"1": True, "0": False}.get(header.ack_requested) if header else None,
            _number(interchange.declared_group_count),
            len(interchange.groups),
            _INTERCHANGE_STATUS[interchange_status(interchange)].value,
        )

    def _group_values(self, entry: _GroupRow) -> tuple[Any, ...]:
        group = entry.result
        header = group.header
        return (
            entry.id,
            entry.interchange_id,
            self._attempt_id,
            header.functional_id,
            header.sender,
            header.receiver,
            header.date,
            header.control_number,
            header.version,
            _number(group.declared_count),
            group.received,
            entry.accepted,
            group_status(group, entry.accepted),
        )

    def _update_envelopes(self, entries: list[_InterchangeRow | _GroupRow]) -> None:
        """Rows written before the reader had seen their trailers get their final values."""
        for entry in entries:
            if isinstance(entry, _InterchangeRow):
                values = self._interchange_values(entry)
                table, columns = "interchanges", _COLUMNS["interchanges"]
            else:
                values = self._group_values(entry)
                table, columns = "functional_groups", _COLUMNS["functional_groups"]
            model = Base.metadata.tables[table]
            changes = dict(zip(columns[1:], values[1:], strict=True))
            self._connection.execute(sa.update(model).where(model.c.id == entry.id).values(changes))

    # -- documents -----------------------------------------------------------------------------------------
    # Rows are built from the document's JSON (``document_json``), computed once for the body anyway: its
    # decimals are already canonical text and its dates ISO text, which both SQLite (our storage format)
    # and PostgreSQL (an untyped literal cast to the column's NUMERIC or DATE) take as they are.

    def _document(self, document: Any, handler: _Handler, transaction_id: int | None) -> None:
        document_id = self._ids.take("documents")
        body = document_json(document)
        kind, number, order_number, document_date, currency, total, line_count = handler(body, document_id)
        self._buffers["documents"].rows.append(
            (
                document_id,
                transaction_id,
                self._attempt_id,
                self._file_id,
                kind.value,
                number,
                order_number,
                self._partner_id,
                document_date,
                currency,
                total,
                line_count,
                orjson.dumps(body).decode(),
            )
        )
        self._counts.documents += 1

    def _purchase_order(self, order: dict[str, Any], document_id: int) -> _DocumentColumns:
        requested = _date_of(order["dates"], "002")
        rows = self._buffers["purchase_order_lines"].rows
        lines = order["lines"]
        for position, line in enumerate(lines, start=1):
            dates = line["dates"]
            rows.append(
                (
                    document_id,
                    position,
                    line["line_number"],
                    line["quantity"],
                    line["unit"],
                    line["unit_price"],
                    *_product_ids(line["product_ids"]),
                    line["description"],
                    (_date_of(dates, "002") or requested) if dates else requested,
                )
            )
        return (
            DocumentKind.PURCHASE_ORDER,
            order["number"],
            order["number"],
            order["order_date"],
            order["currency"],
            order["total_amount"],
            len(lines),
        )

    def _po_ack(self, ack: dict[str, Any], document_id: int) -> _DocumentColumns:
        rows = self._buffers["po_ack_lines"].rows
        lines = ack["lines"]
        for position, line in enumerate(lines, start=1):
            vendor, buyer, gtin, ndc, _hibc = _product_ids(line["product_ids"])
            head = (
                document_id,
                position,
                line["line_number"],
                line["quantity"],
                line["unit"],
                line["unit_price"],
            )
            tail = (vendor, buyer, gtin, ndc, line["description"])
            statuses = line["statuses"]
            if not statuses:
                rows.append((*head, None, None, None, None, None, *tail))
            for status in statuses:
                rows.append(
                    (
                        *head,
                        status["status"],
                        status["quantity"],
                        status["unit"],
                        status["date_qualifier"],
                        status["date"],
                        *tail,
                    )
                )
        return (
            DocumentKind.PO_ACK,
            ack["po_number"],
            ack["po_number"],
            ack["ack_date"] or ack["po_date"],
            ack["currency"],
            None,
            len(lines),
        )

    def _ship_notice(self, notice: dict[str, Any], document_id: int) -> _DocumentColumns:
        items = 0
        for order in notice["orders"]:
            for pack in order["packs"]:
                items += self._pack(pack, document_id, None, order["po_number"])
            for item in order["items"]:
                self._item(item, document_id, None, order["po_number"])
                items += 1
        return (
            DocumentKind.SHIP_NOTICE,
            notice["shipment_id"],
            None,
            notice["notice_date"],
            None,
            None,
            items,
        )

    def _pack(self, pack: dict[str, Any], document_id: int, parent_id: int | None, order: str | None) -> int:
        """Write a pack, its items and the packs inside it (a tare's); returns how many items it holds."""
        pack_id = self._ids.take("ship_notice_packs")
        self._buffers["ship_notice_packs"].rows.append(
            (
                pack_id,
                document_id,
                parent_id,
                order,
                pack["hl_id"],
                pack["level"],
                pack["sscc"],
                pack["packaging_code"],
                pack["weight"],
                pack["weight_unit"],
            )
        )
        for item in pack["items"]:
            self._item(item, document_id, pack_id, order)
        return len(pack["items"]) + sum(
            self._pack(inner, document_id, pack_id, order) for inner in pack["packs"]
        )

    def _item(self, item: dict[str, Any], document_id: int, pack_id: int | None, order: str | None) -> None:
        item_id = self._ids.take("ship_notice_items")
        self._buffers["ship_notice_items"].rows.append(
            (
                item_id,
                document_id,
                pack_id,
                order,
                item["hl_id"],
                item["line_number"],
                item["quantity"],
                item["unit"],
                item["ordered_quantity"],
                item["ordered_unit"],
                item["status"],
                *_product_ids(item["product_ids"]),
                item["description"],
            )
        )
        lots = self._buffers["ship_notice_lots"].rows
        for lot in item["lots"]:
            lots.append(
                (
                    item_id,
                    document_id,
                    lot["number"],
                    lot["expiration_date"],
                    lot["production_date"],
                    lot["quantity"],
                )
            )

    def _invoice(self, invoice: dict[str, Any], document_id: int) -> _DocumentColumns:
        rows = self._buffers["invoice_lines"].rows
        self._allowances(invoice["allowances_charges"], document_id, None)
        lines = invoice["lines"]
        for position, line in enumerate(lines, start=1):
            line_id = self._ids.take("invoice_lines")
            rows.append(
                (
                    line_id,
                    document_id,
                    position,
                    line["line_number"],
                    line["quantity"],
                    line["unit"],
                    line["unit_price"],
                    *_product_ids(line["product_ids"]),
                    line["description"],
                )
            )
            self._allowances(line["allowances_charges"], document_id, line_id)
        return (
            DocumentKind.INVOICE,
            invoice["number"],
            invoice["po_number"],
            invoice["invoice_date"],
            invoice["currency"],
            invoice["total_amount"],
            len(lines),
        )

    def _allowances(self, allowances: list[dict[str, Any]], document_id: int, line_id: int | None) -> None:
        rows = self._buffers["invoice_allowances"].rows
        for allowance in allowances:
            rows.append(
                (
                    document_id,
                    line_id,
                    allowance["indicator"],
                    allowance["code"],
                    allowance["amount"],
                    allowance["percent"],
                    allowance["rate"],
                    allowance["quantity"],
                    allowance["unit"],
                    allowance["handling_code"],
                    allowance["description"],
                )
            )

    def _functional_ack(self, ack: dict[str, Any], _document_id: int) -> _DocumentColumns:
        return (
            DocumentKind.FUNCTIONAL_ACK,
            ack["group_control_number"],
            None,
            None,
            None,
            None,
            len(ack["transactions"]),
        )

    def _ta1s(self, interchange: InterchangeResult) -> None:
        """TA1s the partner sent in this interchange: documents and received acknowledgements."""
        from parsers.x12.documents import map_ta1

        for segment in interchange.ta1_segments:
            try:
                ta1 = map_ta1(segment)
            except DocumentError:
                continue  # too broken to read: the reader reported what it could
            document_id = self._ids.take("documents")
            self._buffers["documents"].rows.append(
                (
                    document_id,
                    None,
                    self._attempt_id,
                    self._file_id,
                    DocumentKind.INTERCHANGE_ACK.value,
                    ta1.control_number,
                    None,
                    self._partner_id,
                    None,
                    None,
                    None,
                    0,
                    orjson.dumps(document_json(ta1)).decode(),
                )
            )
            self._counts.documents += 1
            self._received_ack(
                AckKind.TA1, interchange.control_number, None, None, ta1.control_number, None, ta1.status
            )

    def _received_ack(
        self,
        kind: AckKind,
        interchange_control_number: str | None,
        group_control_number: str | None,
        transaction_control_number: str | None,
        acknowledged_interchange: str | None,
        acknowledged_group: str | None,
        verdict: str,
    ) -> None:
        self._buffers["acknowledgements"].rows.append(
            (
                AckDirection.RECEIVED.value,
                kind.value,
                self._partner_id,
                self._file_id,
                interchange_control_number,
                group_control_number,
                transaction_control_number,
                acknowledged_interchange,
                acknowledged_group,
                verdict,
                AckStatus.DELIVERED.value,
                self._timestamp,
            )
        )

    # -- issues --------------------------------------------------------------------------------------------

    def _issues(
        self,
        issues: list[X12Issue],
        interchange_id: int | None,
        group_id: int | None,
        transaction_id: int | None,
    ) -> None:
        if not issues:
            return
        rows = self._buffers["issues"].rows
        counts = self._counts
        for issue in issues:
            if issue.severity == "error":
                counts.errors += 1
            else:
                counts.warnings += 1
            # Never issue.bad_value: it may be a price or a patient's data.
            rows.append(
                (
                    self._attempt_id,
                    self._file_id,
                    interchange_id,
                    group_id,
                    transaction_id,
                    issue.code,
                    issue.severity,
                    issue.message,
                    issue.segment,
                    issue.segment_id,
                    issue.loop_id,
                    issue.element,
                    issue.component,
                    issue.repetition,
                    issue.data_element,
                )
            )
