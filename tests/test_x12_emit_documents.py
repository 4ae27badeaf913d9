"""X12 document emitters: healthcare documents in, exact 850 / 855 / 856 / 810 segments out, bad values refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from emitters.x12.documents import document_segments, write_document_interchange
from emitters.x12.writer import FunctionalGroupEnvelope, InterchangeEnvelope
from parsers.documents import (
    AckLine,
    AllowanceCharge,
    Carrier,
    CommunicationNumber,
    Contact,
    DateReference,
    FunctionalAck,
    Invoice,
    InvoiceLine,
    LineStatus,
    Lot,
    Pack,
    Party,
    PaymentTerms,
    ProductId,
    PurchaseOrder,
    PurchaseOrderAck,
    PurchaseOrderLine,
    Reference,
    ShipItem,
    ShipNotice,
    ShipOrder,
    Tax,
)
from parsers.errors import ConfigurationError, WriterError
from parsers.x12.model import Separators

D = Decimal

HOSPITAL = Party(
    role="ST",
    name="ST MARY REGIONAL MEDICAL CENTER",
    id_qualifier="UL",
    id="0614141000012",
    address_lines=("RECEIVING DOCK 4", "1200 HOSPITAL DRIVE", "BUILDING C"),
    city="SPRINGFIELD",
    state="IL",
    postal_code="62701",
    country="US",
    contacts=(
        Contact(
            function="BD",
            name="PAT JONES",
            numbers=(
                CommunicationNumber("TE", "2175550100"),
                CommunicationNumber("EM", "pjones@stmary.example"),
            ),
        ),
    ),
)
SUPPLIER = Party(role="VN", name="MEDSURG SUPPLY CO", id_qualifier="1", id="123456789")

GLOVES = PurchaseOrderLine(
    line_number="1",
    quantity=D("10"),
    unit="CA",
    unit_price=D("42.50"),
    price_basis="CT",
    product_ids=(ProductId("VP", "GLV-NIT-M"), ProductId("UK", "10888277123456")),
    description="NITRILE EXAM GLOVES MEDIUM 100/BX 10BX/CA",
    dates=(DateReference("002", date(2024, 3, 15)),),
    references=(Reference("CT", "GPO-2024-118"),),
    notes=("LATEX FREE ONLY",),
)
SYRINGES = PurchaseOrderLine(
    line_number="2",
    quantity=D("2.5"),
    unit="BX",
    unit_price=D("0.1275"),
    product_ids=(ProductId("N4", "08290-3096-15"), ProductId("BP", "SYR-10ML")),
    description="SYRINGE 10ML LUER LOCK",
)
CATHETERS = PurchaseOrderLine(
    line_number="3",
    quantity=D("200"),
    unit="EA",
    unit_price=D("3.10"),
    product_ids=(ProductId("HI", "+H7243818201A0"),),
)

ORDER = PurchaseOrder(
    purpose="00",
    order_type="SA",
    number="PO-778812",
    order_date=date(2024, 3, 1),
    contract_number="GPO-2024-118",
    currency="USD",
    references=(Reference("DP", "SURGERY"), Reference("IA", "V-00912", "VENDOR NUMBER")),
    dates=(DateReference("002", date(2024, 3, 15), "0800"),),
    parties=(HOSPITAL, SUPPLIER),
    terms=(
        PaymentTerms(
            type_code="01", basis_date_code="3", discount_percent=D("2"), discount_days=10, net_days=30
        ),
    ),
    notes=("DELIVER TO CENTRAL STERILE", "CALL BEFORE DELIVERY"),
    lines=(GLOVES, SYRINGES, CATHETERS),
    declared_line_count=3,
    total_amount=D("1045.3187500"),
)


def test_850_segments() -> None:
    assert document_segments(ORDER, "004010") == [
        ["BEG", "00", "SA", "PO-778812", "", "20240301", "GPO-2024-118"],
        ["CUR", "BY", "USD"],
        ["REF", "DP", "SURGERY", ""],
        ["REF", "IA", "V-00912", "VENDOR NUMBER"],
        ["ITD", "01", "3", "2", "", "10", "", "30", "", "", "", "", ""],
        ["DTM", "002", "20240315", "0800"],
        ["N9", "L1", "NOTES"],
        ["MSG", "DELIVER TO CENTRAL STERILE"],
        ["MSG", "CALL BEFORE DELIVERY"],
        ["N1", "ST", "ST MARY REGIONAL MEDICAL CENTER", "UL", "0614141000012"],
        ["N3", "RECEIVING DOCK 4", "1200 HOSPITAL DRIVE"],
        ["N3", "BUILDING C"],
        ["N4", "SPRINGFIELD", "IL", "62701", "US"],
        ["PER", "BD", "PAT JONES", "TE", "2175550100", "EM", "pjones@stmary.example"],
        ["N1", "VN", "MEDSURG SUPPLY CO", "1", "123456789"],
        ["PO1", "1", "10", "CA", "42.5", "CT", "VP", "GLV-NIT-M", "UK", "10888277123456"],
        ["PID", "F", "", "", "", "NITRILE EXAM GLOVES MEDIUM 100/BX 10BX/CA"],
        ["REF", "CT", "GPO-2024-118", ""],
        ["DTM", "002", "20240315", ""],
        ["MSG", "LATEX FREE ONLY"],
        ["PO1", "2", "2.5", "BX", "0.1275", "", "N4", "08290-3096-15", "BP", "SYR-10ML"],
        ["PID", "F", "", "", "", "SYRINGE 10ML LUER LOCK"],
        ["PO1", "3", "200", "EA", "3.1", "", "HI", "+H7243818201A0"],
        ["CTT", "3"],
        ["AMT", "TT", "1045.31875"],
    ]


ACK = PurchaseOrderAck(
    purpose="00",
    ack_type="AC",
    po_number="PO-778812",
    po_date=date(2024, 3, 1),
    ack_number="SO-55120",
    ack_date=date(2024, 3, 2),
    currency="USD",
    parties=(SUPPLIER,),
    lines=(
        AckLine(
            line_number="1",
            quantity=D("10"),
            unit="CA",
            unit_price=D("42.5"),
            product_ids=(ProductId("VP", "GLV-NIT-M"),),
            statuses=(LineStatus("IA", D("10"), "CA", "068", date(2024, 3, 5)),),
        ),
        AckLine(
            line_number="2",
            quantity=D("2.5"),
            unit="BX",
            unit_price=D("0.1300"),
            product_ids=(ProductId("N4", "08290-3096-15"),),
            statuses=(
                LineStatus("IP", D("2.5"), "BX"),
                LineStatus("IB", D("1"), "BX", "067", date(2024, 3, 20), (ProductId("N4", "08290-3096-15"),)),
            ),
        ),
        AckLine(line_number="3", statuses=(LineStatus("IR"),)),
    ),
)


def test_855_segments_with_changes() -> None:
    assert document_segments(ACK, "005010") == [
        ["BAK", "00", "AC", "PO-778812", "20240301", "", "", "", "SO-55120", "20240302"],
        ["CUR", "SE", "USD"],
        ["N1", "VN", "MEDSURG SUPPLY CO", "1", "123456789"],
        ["PO1", "1", "10", "CA", "42.5", "", "VP", "GLV-NIT-M"],
        ["ACK", "IA", "10", "CA", "068", "20240305", ""],
        ["PO1", "2", "2.5", "BX", "0.13", "", "N4", "08290-3096-15"],
        ["ACK", "IP", "2.5", "BX", "", "", ""],
        ["ACK", "IB", "1", "BX", "067", "20240320", "", "N4", "08290-3096-15"],
        ["PO1", "3", "", "", "", ""],
        ["ACK", "IR", "", "", "", "", ""],
        ["CTT", "3"],
    ]


NOTICE = ShipNotice(
    purpose="00",
    shipment_id="ASN-20240305-01",
    notice_date=date(2024, 3, 5),
    notice_time="1430",
    structure_code="0001",
    shipment_hl_id="S1",
    packaging_code="CTN25",
    lading_quantity=D("2"),
    weight=D("18.40"),
    weight_unit="LB",
    carriers=(Carrier(id_qualifier="2", id="UPSN", transport_method="U", service_level="SG"),),
    references=(Reference("BM", "BOL-99812"), Reference("CN", "1Z999AA10123456784")),
    dates=(DateReference("011", date(2024, 3, 5)), DateReference("017", date(2024, 3, 7))),
    parties=(
        Party(role="ST", name="ST MARY REGIONAL MEDICAL CENTER", id_qualifier="UL", id="0614141000012"),
    ),
    orders=(
        ShipOrder(
            hl_id="O7",
            po_number="PO-778812",
            po_date=date(2024, 3, 1),
            packs=(
                Pack(
                    hl_id="P9",
                    sscc="00106141411234567897",
                    packaging_code="CTN",
                    weight=D("9.2"),
                    weight_unit="LB",
                    items=(
                        ShipItem(
                            hl_id="I12",
                            line_number="1",
                            product_ids=(ProductId("VP", "GLV-NIT-M"), ProductId("UK", "10888277123456")),
                            quantity=D("10"),
                            unit="CA",
                            ordered_quantity=D("10"),
                            ordered_unit="CA",
                            status="AC",
                            lots=(Lot("LOT2401A", expiration_date=date(2027, 1, 31), quantity=D("10")),),
                        ),
                    ),
                ),
                Pack(
                    hl_id="P10",
                    sscc="00106141411234567903",
                    items=(
                        ShipItem(
                            hl_id="I13",
                            line_number="3",
                            product_ids=(ProductId("HI", "+H7243818201A0"),),
                            quantity=D("200"),
                            unit="EA",
                            description="IV CATHETER 22G",
                            lots=(
                                Lot("C7781", expiration_date=date(2026, 6, 30), quantity=D("150")),
                                Lot(
                                    "C7790",
                                    expiration_date=date(2026, 9, 30),
                                    production_date=date(2023, 9, 30),
                                    quantity=D("50"),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
    declared_hl_count=7,
)


def test_856_segments_tree_renumbered_one_level_per_lot() -> None:
    assert document_segments(NOTICE, "004010") == [
        ["BSN", "00", "ASN-20240305-01", "20240305", "1430", "0001"],
        ["HL", "1", "", "S", "1"],
        ["TD1", "CTN25", "2", "", "", "", "G", "18.4", "LB"],
        ["TD5", "", "2", "UPSN", "U", "", "", "", "", "", "", "", "SG"],
        ["REF", "BM", "BOL-99812", ""],
        ["REF", "CN", "1Z999AA10123456784", ""],
        ["DTM", "011", "20240305", ""],
        ["DTM", "017", "20240307", ""],
        ["N1", "ST", "ST MARY REGIONAL MEDICAL CENTER", "UL", "0614141000012"],
        ["HL", "2", "1", "O", "1"],
        ["PRF", "PO-778812", "", "", "20240301"],
        ["HL", "3", "2", "P", "1"],
        ["TD1", "CTN", "1", "", "", "", "G", "9.2", "LB"],
        ["MAN", "GM", "00106141411234567897"],
        ["HL", "4", "3", "I", "0"],
        ["LIN", "1", "VP", "GLV-NIT-M", "UK", "10888277123456", "LT", "LOT2401A"],
        ["SN1", "", "10", "CA", "", "10", "CA", "", "AC"],
        ["DTM", "036", "20270131"],
        ["HL", "5", "2", "P", "1"],
        ["MAN", "GM", "00106141411234567903"],
        ["HL", "6", "5", "I", "0"],
        ["LIN", "3", "HI", "+H7243818201A0", "LT", "C7781"],
        ["SN1", "", "150", "EA", "", "", "", "", ""],
        ["PID", "F", "", "", "", "IV CATHETER 22G"],
        ["DTM", "036", "20260630"],
        ["HL", "7", "5", "I", "0"],
        ["LIN", "3", "HI", "+H7243818201A0", "LT", "C7790"],
        ["SN1", "", "50", "EA", "", "", "", "", ""],
        ["PID", "F", "", "", "", "IV CATHETER 22G"],
        ["DTM", "036", "20260930"],
        ["DTM", "405", "20230930"],
        ["CTT", "7"],
    ]


def test_856_declared_hl_count_must_match() -> None:
    with pytest.raises(WriterError, match=r"^ShipNotice\.declared_hl_count: "):
        document_segments(replace(NOTICE, declared_hl_count=6), "004010")
    segments = document_segments(replace(NOTICE, declared_hl_count=None), "004010")
    assert segments[-1] == ["CTT", "7"]
    assert [s[:5] for s in segments if s[0] == "HL"] == [
        ["HL", "1", "", "S", "1"],
        ["HL", "2", "1", "O", "1"],
        ["HL", "3", "2", "P", "1"],
        ["HL", "4", "3", "I", "0"],
        ["HL", "5", "2", "P", "1"],
        ["HL", "6", "5", "I", "0"],
        ["HL", "7", "5", "I", "0"],
    ]


INVOICE = Invoice(
    number="INV-300451",
    invoice_date=date(2024, 3, 6),
    po_number="PO-778812",
    po_date=date(2024, 3, 1),
    transaction_type="DI",
    currency="USD",
    references=(Reference("VN", "SO-55120"),),
    parties=(
        Party(role="BT", name="ST MARY REGIONAL MEDICAL CENTER", id_qualifier="UL", id="0614141000029"),
        SUPPLIER,
    ),
    terms=(
        PaymentTerms(
            type_code="05",
            basis_date_code="3",
            discount_percent=D("2"),
            discount_days=10,
            net_days=30,
            discount_amount=D("8.50"),
            description="2% 10 NET 30",
        ),
    ),
    dates=(DateReference("011", date(2024, 3, 5)),),
    lines=(
        InvoiceLine(
            line_number="1",
            quantity=D("10"),
            unit="CA",
            unit_price=D("42.50"),
            product_ids=(ProductId("VP", "GLV-NIT-M"), ProductId("UK", "10888277123456")),
            description="NITRILE EXAM GLOVES MEDIUM",
            taxes=(Tax("ST", amount=D("0"), exempt_code="2"),),
            allowances_charges=(
                AllowanceCharge(
                    "A",
                    "C310",
                    amount=D("12.75"),
                    percent_qualifier="3",
                    percent=D("3"),
                    description="GPO CONTRACT DISCOUNT",
                ),
            ),
        ),
        InvoiceLine(
            line_number="2",
            quantity=D("200"),
            unit="EA",
            unit_price=D("3.1"),
            product_ids=(ProductId("HI", "+H7243818201A0"),),
        ),
    ),
    total_amount=D("1057.75"),
    amount_subject_to_discount=D("425"),
    taxes=(Tax("ST", amount=D("0.00"), percent=D("6.25"), jurisdiction_qualifier="SP", jurisdiction="IL"),),
    allowances_charges=(AllowanceCharge("C", "D240", amount=D("25.50"), description="FREIGHT"),),
    declared_line_count=2,
)


def test_810_segments_with_implied_decimals() -> None:
    assert document_segments(INVOICE, "004010") == [
        ["BIG", "20240306", "INV-300451", "20240301", "PO-778812", "", "", "DI", ""],
        ["CUR", "SE", "USD"],
        ["REF", "VN", "SO-55120", ""],
        ["N1", "BT", "ST MARY REGIONAL MEDICAL CENTER", "UL", "0614141000029"],
        ["N1", "VN", "MEDSURG SUPPLY CO", "1", "123456789"],
        ["ITD", "05", "3", "2", "", "10", "", "30", "850", "", "", "", "2% 10 NET 30"],
        ["DTM", "011", "20240305", ""],
        ["IT1", "1", "10", "CA", "42.5", "", "VP", "GLV-NIT-M", "UK", "10888277123456"],
        ["TXI", "ST", "0", "", "", "", "2"],
        ["PID", "F", "", "", "", "NITRILE EXAM GLOVES MEDIUM"],
        ["SAC", "A", "C310", "", "", "1275", "3", "3", "", "", "", "", "", "", "", "GPO CONTRACT DISCOUNT"],
        ["IT1", "2", "200", "EA", "3.1", "", "HI", "+H7243818201A0"],
        ["TDS", "105775", "42500", "", ""],
        ["TXI", "ST", "0", "6.25", "SP", "IL", ""],
        ["SAC", "C", "D240", "", "", "2550", "", "", "", "", "", "", "", "", "", "FREIGHT"],
        ["CTT", "2"],
    ]


ENVELOPE = InterchangeEnvelope(
    sender_qualifier="ZZ",
    sender_id="STMARYHOSP",
    receiver_qualifier="ZZ",
    receiver_id="MEDSURGSUPPLY",
    date="240301",
    time="0930",
    control_number=905,
    version="00401",
)
GROUP = FunctionalGroupEnvelope("PO", "STMARYHOSP", "MEDSURGSUPPLY", "20240301", "0930", 77, "004010")


def test_write_document_interchange_whole_file() -> None:
    text = write_document_interchange(
        [
            replace(
                ORDER,
                lines=(CATHETERS,),
                declared_line_count=1,
                notes=(),
                parties=(),
                terms=(),
                references=(),
                dates=(),
                currency=None,
                total_amount=None,
            )
        ]
        * 2,
        envelope=ENVELOPE,
        group=GROUP,
        control_numbers=[11, 12],
    )
    segments = text.split("~")
    assert segments[0].startswith(
        "ISA*00*          *00*          *ZZ*STMARYHOSP     *ZZ*MEDSURGSUPPLY  *240301*0930*U*"
    )
    assert segments[1:] == [
        "GS*PO*STMARYHOSP*MEDSURGSUPPLY*20240301*0930*77*X*004010",
        "ST*850*0011",
        "BEG*00*SA*PO-778812**20240301*GPO-2024-118",
        "PO1*3*200*EA*3.1**HI*+H7243818201A0",
        "CTT*1",
        "SE*5*0011",
        "ST*850*0012",
        "BEG*00*SA*PO-778812**20240301*GPO-2024-118",
        "PO1*3*200*EA*3.1**HI*+H7243818201A0",
        "CTT*1",
        "SE*5*0012",
        "GE*2*77",
        "IEA*1*000000905",
        "",
    ]


def test_write_document_interchange_custom_separators_and_checks() -> None:
    separators = Separators(element="|", component=">", segment="\n", repetition="^")
    text = write_document_interchange(
        ACK,
        envelope=replace(ENVELOPE, version="00501"),
        group=replace(GROUP, functional_id="PR", version="005010"),
        separators=separators,
        control_numbers=5,
        implementation="005010",
    )
    assert "\nST|855|0005|005010\nBAK|00|AC|PO-778812|20240301||||SO-55120|20240302\n" in text
    with pytest.raises(WriterError, match="functional group"):
        write_document_interchange(ACK, envelope=ENVELOPE, group=GROUP)
    with pytest.raises(WriterError, match="control number"):
        write_document_interchange([ORDER, ORDER], envelope=ENVELOPE, group=GROUP, control_numbers=[1])


def test_values_containing_a_separator_are_refused_by_the_writer() -> None:
    order = replace(ORDER, number="PO*1")
    with pytest.raises(
        WriterError, match=r"^documents\[1\]: PurchaseOrder: value of BEG03 contains the element sep"
    ):
        write_document_interchange([ORDER, order], envelope=ENVELOPE, group=GROUP)
    with pytest.raises(WriterError, match=r"^documents\[0\]: PurchaseOrder\.number: mandatory"):
        write_document_interchange(replace(ORDER, number=""), envelope=ENVELOPE, group=GROUP)


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (replace(ORDER, number=""), r"PurchaseOrder\.number: mandatory"),
        (replace(ORDER, number="P" * 23), r"PurchaseOrder\.number: longer than 22"),
        (replace(ORDER, lines=(replace(GLOVES, quantity=D("1234567890123456")),)), r"lines\[0\]\.quantity"),
        (replace(ORDER, lines=(replace(GLOVES, unit=""),)), r"PurchaseOrder\.lines\[0\]\.unit: mandatory"),
        (
            replace(ORDER, lines=(GLOVES, replace(SYRINGES, description="X" * 81))),
            r"PurchaseOrder\.lines\[1\]\.description: longer than 80",
        ),
        (replace(ORDER, parties=(replace(SUPPLIER, name="N" * 61),)), r"PurchaseOrder\.parties\[0\]\.name"),
        (replace(ORDER, references=(Reference("CT", "R" * 31),)), r"PurchaseOrder\.references\[0\]\.value"),
        (replace(ORDER, notes=("A", "M" * 265)), r"PurchaseOrder\.notes\[1\]: longer than 264"),
        (replace(ORDER, declared_line_count=4), r"PurchaseOrder\.declared_line_count"),
        (
            replace(ORDER, lines=(replace(GLOVES, product_ids=(ProductId("UK", ""),)),)),
            r"lines\[0\]\.product_ids\[0\]\.value: mandatory",
        ),
        (replace(ORDER, parties=(Party(role="ST"),)), r"parties\[0\]\.name: a party needs"),
        (
            replace(ORDER, parties=(replace(SUPPLIER, address_lines=("A", "B", "C", "D", "E")),)),
            r"parties\[0\]\.address_lines: more than 4",
        ),
        (replace(ORDER, dates=(DateReference("002", date(2024, 3, 1), "2561"),)), r"dates\[0\]\.time"),
        (replace(INVOICE, total_amount=D("10.125")), r"Invoice\.total_amount: value has more than 2 decimal"),
        (replace(INVOICE, total_amount=None), r"Invoice\.total_amount: mandatory"),
        (
            replace(INVOICE, allowances_charges=(AllowanceCharge("C", "D240", amount=D("1.001")),)),
            r"Invoice\.allowances_charges\[0\]\.amount",
        ),
        (
            replace(INVOICE, terms=(PaymentTerms(discount_amount=D("0.005")),)),
            r"Invoice\.terms\[0\]\.discount_amount",
        ),
        (replace(INVOICE, lines=(replace(INVOICE.lines[0], taxes=(Tax("ST"),)),)), r"lines\[0\]\.taxes\[0\]"),
        (
            replace(ACK, lines=(AckLine(line_number="1", statuses=(LineStatus("IA", D("1")),)),)),
            r"PurchaseOrderAck\.lines\[0\]\.statuses\[0\]\.unit: required together with quantity",
        ),
        (replace(NOTICE, notice_time=None), r"ShipNotice\.notice_time: mandatory"),
        (replace(NOTICE, lading_quantity=D("2.5")), r"ShipNotice\.lading_quantity: not a whole number"),
        (
            replace(
                NOTICE,
                declared_hl_count=7,
                orders=(
                    replace(
                        NOTICE.orders[0],
                        items=(
                            ShipItem(
                                "I",
                                product_ids=(ProductId("VP", "X"),),
                                quantity=D("3"),
                                unit="EA",
                                lots=(Lot("A", quantity=D("1")), Lot("B", quantity=D("1"))),
                            ),
                        ),
                    ),
                ),
            ),
            r"ShipNotice\.orders\[0\]\.items\[0\]\.quantity: differs from the sum",
        ),
        (
            replace(
                NOTICE, orders=(ShipOrder("O", items=(ShipItem("I", product_ids=(ProductId("LT", "X"),)),)),)
            ),
            r"items\[0\]\.product_ids\[0\]\.qualifier",
        ),
    ],
)
def test_bad_values_raise_writer_error_naming_the_field(document: PurchaseOrder, field: str) -> None:
    with pytest.raises(WriterError, match=field):
        document_segments(document, "004010")


def test_decimals_plain_notation_trailing_zeros_trimmed() -> None:
    line = replace(
        GLOVES,
        quantity=D("1.2E+3"),
        unit_price=D("-3.50"),
        product_ids=(),
        notes=(),
        dates=(),
        references=(),
        description=None,
        price_basis=None,
    )
    order = replace(ORDER, lines=(line,), declared_line_count=1, total_amount=D("10.000"))
    segments = document_segments(order, "004010")
    assert ["PO1", "1", "1200", "CA", "-3.5", ""] in segments
    assert segments[-1] == ["AMT", "TT", "10"]


def test_error_messages_never_hold_the_value() -> None:
    secret = "CONTRACT-PRICE-SECRET-123"
    with pytest.raises(WriterError) as raised:
        document_segments(replace(ORDER, number=secret), "004010")
    assert secret not in str(raised.value)


def test_5010_widens_reference_values() -> None:
    order = replace(ORDER, references=(Reference("CT", "R" * 50),))
    assert ["REF", "CT", "R" * 50, ""] in document_segments(order, "005010")
    with pytest.raises(WriterError):
        document_segments(order, "004010")


def test_unknown_version_and_document_type() -> None:
    with pytest.raises(ConfigurationError):
        document_segments(ORDER, "4010")
    ack = FunctionalAck(kind="997", functional_id="PO", group_control_number="1", status="A")
    with pytest.raises(WriterError):
        document_segments(ack, "004010")  # type: ignore[arg-type]
