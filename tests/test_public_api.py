"""The public API, pinned: a name appears or disappears here only on purpose (and in the changelog)."""

from __future__ import annotations

import importlib

import pytest

PUBLIC_API = {
    "parsers.errors": [
        "ConfigurationError",
        "DocumentError",
        "EdiGatewayError",
        "FatalError",
        "InterchangeHeaderError",
        "NotX12Error",
        "QuarantineError",
        "RetryableError",
        "SourcePosition",
        "TruncatedInputError",
        "WriterError",
    ],
    "parsers.documents": [
        "AckLine",
        "AllowanceCharge",
        "Balance",
        "BankStatement",
        "CanonicalDocument",
        "Carrier",
        "Catalog",
        "CatalogChange",
        "CatalogItem",
        "CommunicationNumber",
        "Contact",
        "Counterparty",
        "DateReference",
        "Document",
        "ElementError",
        "FunctionalAck",
        "InterchangeAck",
        "Invoice",
        "InvoiceLine",
        "LineStatus",
        "Lot",
        "Pack",
        "PackagingGtin",
        "Party",
        "PaymentTerms",
        "ProductId",
        "PurchaseOrder",
        "PurchaseOrderAck",
        "PurchaseOrderLine",
        "Reference",
        "RejectedRow",
        "SegmentError",
        "ShipItem",
        "ShipNotice",
        "ShipOrder",
        "StatementLine",
        "Tax",
        "TransactionAck",
    ],
    "parsers.x12.model": [
        "CodeList",
        "GroupHeader",
        "GroupResult",
        "InterchangeHeader",
        "InterchangeResult",
        "Segment",
        "Separators",
        "Severity",
        "TransactionResult",
        "TransactionSet",
        "X12Issue",
    ],
    "parsers.x12.reader": ["X12Reader"],
    "parsers.x12.parse": ["ParseResult", "Source", "parse_transactions", "parse_x12"],
    "parsers.x12.spec": [
        "ELEMENT_TYPES",
        "ElementSpec",
        "ElementType",
        "ElementUsage",
        "LoopSpec",
        "SegmentSpec",
        "SegmentUsage",
        "SegmentUse",
        "StructureNode",
        "SyntaxKind",
        "SyntaxRule",
        "TransactionSpec",
        "apply_companion_guide",
        "available_specs",
        "load_spec",
        "version_family",
    ],
    "parsers.x12.validate": ["AK3_MESSAGES", "AK4_MESSAGES", "validate_transaction"],
    "parsers.x12.documents": [
        "map_functional_ack",
        "map_invoice",
        "map_po_ack",
        "map_purchase_order",
        "map_ship_notice",
        "map_ta1",
        "map_transaction",
    ],
    "emitters.x12.writer": [
        "DEFAULT_SEPARATORS",
        "MAX_CONTROL_NUMBER",
        "FunctionalGroupEnvelope",
        "InterchangeEnvelope",
        "OutboundGroup",
        "OutboundGroupLike",
        "OutboundSegment",
        "OutboundTransaction",
        "OutboundTransactionLike",
        "X12Writer",
        "format_date",
        "format_decimal",
        "format_implied_decimal",
        "format_time",
        "iter_interchange",
        "transaction_control_number",
        "write_interchange",
    ],
    "emitters.x12.acks": [
        "IMPLEMENTATION_999",
        "AckTransaction",
        "ControlNumberKind",
        "ControlNumberSource",
        "SequentialControlNumbers",
        "TA1Policy",
        "build_997",
        "build_999",
        "build_ta1",
        "group_status",
        "interchange_status",
        "is_acknowledgement_interchange",
        "transaction_status",
        "write_acknowledgements",
    ],
    "emitters.x12.documents": [
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
    ],
}


@pytest.mark.parametrize("module_name", sorted(PUBLIC_API))
def test_public_names_are_pinned(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(PUBLIC_API[module_name])
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name} is exported but missing"


def test_every_error_is_an_edi_gateway_error() -> None:
    errors = importlib.import_module("parsers.errors")
    for name in PUBLIC_API["parsers.errors"]:
        if name.endswith("Error"):
            assert issubclass(getattr(errors, name), errors.EdiGatewayError)
