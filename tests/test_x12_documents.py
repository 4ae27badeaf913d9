"""X12 transaction sets -> canonical documents: each mapper field by field, tolerance, errors, the corpus."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.documents import (
    AllowanceCharge,
    CommunicationNumber,
    Contact,
    DateReference,
    FunctionalAck,
    InterchangeAck,
    Invoice,
    Lot,
    PaymentTerms,
    ProductId,
    PurchaseOrder,
    PurchaseOrderAck,
    PurchaseOrderLine,
    Reference,
    ShipNotice,
    Tax,
)
from parsers.errors import DocumentError
from parsers.x12.documents import map_ta1, map_transaction
from parsers.x12.documents.common import fast_constructor
from parsers.x12.model import GroupHeader, InterchangeHeader, Separators, TransactionSet
from parsers.x12.reader import X12Reader
from tests.corpus import require_x12_corpus

SEPARATORS = Separators(element="*", component=":", segment="~", repetition="^")
INTERCHANGE = InterchangeHeader(
    "00", "", "00", "", "ZZ", "MERCYGENERAL", "ZZ", "MEDSUPPLYCO", "261122", "0930", "^", "00501", "000000101",
    "0", "P", SEPARATORS,
)  # fmt: skip


def transaction(body: str, set_id: str | None = None, version: str = "005010") -> TransactionSet:
    """A transaction set from segments written one per line (ST and SE added)."""
    lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
    set_id = set_id or {"BEG": "850", "BAK": "855", "BSN": "856", "BIG": "810"}.get(lines[0][:3], "997")
    segments = [["ST", set_id, "0001"], *(line.split("*") for line in lines)]
    segments.append(["SE", str(len(segments) + 1), "0001"])
    group = GroupHeader("PO", "MERCYGENERAL", "MEDSUPPLYCO", "20261122", "0930", "101", "X", version)
    return TransactionSet(set_id, "0001", segments, INTERCHANGE, group)


def mapped(body: str, set_id: str | None = None) -> object:
    document = map_transaction(transaction(body, set_id))
    assert document is not None
    # Every document survives its JSON form.
    assert type(document).from_json(document.to_json()) == document  # type: ignore[attr-defined]
    return document


# --- 850 --------------------------------------------------------------------------------------------------

ORDER = """
BEG*00*SA*PO-2026-0042*R1*20261122*GPO-118
CUR*BY*USD
REF*CT*GPO-CONTRACT-2026-118*Premier med-surg
REF*DP*OR
ITD*01*3*2**10**30
DTM*002*20261201*0800
N9*L1*NOTES
MSG*DELIVER TO DOCK 4
MSG*CALL BEFORE DELIVERY
NTE*GEN*LATEX FREE ONLY
N1*ST*MERCY GENERAL HOSPITAL*UL*0614141000012
N2*CENTRAL STORES
N3*1200 HOSPITAL DRIVE*BUILDING C
N4*SPRINGFIELD*IL*62701*US
REF*DP*CENTRAL
PER*BD*JANE BUYER*TE*2175550100*EM*JANE@MERCY.EXAMPLE
N1*VN*MEDSUPPLY DISTRIBUTION*1*123456789
PO1*1*10*BX*12.45*PE*VP*NG-200-M*UK*00614141000012*BP*MGH-0001
PID*F****NITRILE EXAM GLOVES SIZE M
PID*F****SECOND DESCRIPTION IGNORED
REF*CT*LINE-CONTRACT
DTM*002*20261203
MSG*KEEP REFRIGERATED
PO1*2*2.5*CA*88**N4*00409488820*HI*H123456781
CTT*2
AMT*TT*345.5
"""


def test_850_header() -> None:
    order = mapped(ORDER)
    assert isinstance(order, PurchaseOrder)
    assert (order.purpose, order.order_type, order.number) == ("00", "SA", "PO-2026-0042")
    assert (order.release_number, order.order_date, order.contract_number) == (
        "R1",
        date(2026, 11, 22),
        "GPO-118",
    )
    assert order.currency == "USD"
    assert order.references == (
        Reference("CT", "GPO-CONTRACT-2026-118", "Premier med-surg"),
        Reference("DP", "OR"),
    )
    assert order.terms == (PaymentTerms("01", "3", Decimal(2), None, 10, None, 30),)
    assert order.dates == (DateReference("002", date(2026, 12, 1), "0800"),)
    assert order.notes == ("DELIVER TO DOCK 4", "CALL BEFORE DELIVERY", "LATEX FREE ONLY")
    assert order.declared_line_count == 2
    assert order.total_amount == Decimal("345.5")


def test_850_parties() -> None:
    order = mapped(ORDER)
    assert isinstance(order, PurchaseOrder)
    ship_to = order.party("ST")
    assert ship_to is not None
    assert ship_to.name == "MERCY GENERAL HOSPITAL CENTRAL STORES"
    assert ship_to.gln == "0614141000012"
    assert ship_to.address_lines == ("1200 HOSPITAL DRIVE", "BUILDING C")
    assert (ship_to.city, ship_to.state, ship_to.postal_code, ship_to.country) == (
        "SPRINGFIELD",
        "IL",
        "62701",
        "US",
    )
    assert ship_to.references == (Reference("DP", "CENTRAL"),)
    assert ship_to.contacts == (
        Contact(
            "BD",
            "JANE BUYER",
            (CommunicationNumber("TE", "2175550100"), CommunicationNumber("EM", "JANE@MERCY.EXAMPLE")),
        ),
    )
    vendor = order.party("VN")
    assert vendor is not None and vendor.duns == "123456789" and vendor.address_lines == ()


def test_850_lines() -> None:
    order = mapped(ORDER)
    assert isinstance(order, PurchaseOrder)
    first, second = order.lines
    assert first == PurchaseOrderLine(
        line_number="1",
        quantity=Decimal(10),
        unit="BX",
        unit_price=Decimal("12.45"),
        price_basis="PE",
        product_ids=(
            ProductId("VP", "NG-200-M"),
            ProductId("UK", "00614141000012"),
            ProductId("BP", "MGH-0001"),
        ),
        description="NITRILE EXAM GLOVES SIZE M",
        dates=(DateReference("002", date(2026, 12, 3)),),
        references=(Reference("CT", "LINE-CONTRACT"),),
        notes=("KEEP REFRIGERATED",),
    )
    assert (first.vendor_part, first.gtin, first.buyer_part) == ("NG-200-M", "00614141000012", "MGH-0001")
    assert (second.quantity, second.unit, second.unit_price, second.price_basis) == (
        Decimal("2.5"),
        "CA",
        Decimal(88),
        None,
    )
    assert (second.ndc, second.hibc, second.description) == ("00409488820", "H123456781", None)


def test_850_tolerates_unexpected_places_and_missing_optional_data() -> None:
    order = mapped(
        """
        BEG*00*SA*PO-1**20261122
        N1*ST*MERCY
        DTM*002*20261201
        REF*IA*VENDOR-7
        PO1**3*EA
        XYZ*UNKNOWN*SEGMENT
        PO1*2*1*EA***VP**UK*00614141000012*BP
        """
    )
    assert isinstance(order, PurchaseOrder)
    # the DTM ends the N1 loop: the REF after it is the order's
    assert order.references == (Reference("IA", "VENDOR-7"),)
    assert order.parties[0].references == ()
    assert order.lines[0].line_number is None and order.lines[0].unit_price is None
    assert order.lines[1].product_ids == (ProductId("UK", "00614141000012"),)
    assert order.declared_line_count is None and order.total_amount is None and order.currency is None


def test_850_six_digit_dates_use_century_window() -> None:
    order = mapped("BEG*00*SA*PO-1**491122\nDTM*002*500101")
    assert isinstance(order, PurchaseOrder)
    assert order.order_date == date(2049, 11, 22)
    assert order.dates[0].date == date(1950, 1, 1)


def test_dtm_with_period_format_and_without_date() -> None:
    order = mapped("BEG*00*SA*PO-1**20261122\nDTM*002****D8*20261201\nDTM*002****RD8*20261201-20261205")
    assert isinstance(order, PurchaseOrder)
    assert order.dates == (DateReference("002", date(2026, 12, 1)),)


@pytest.mark.parametrize(
    ("body", "segment", "element", "code"),
    [
        ("REF*CT*X", None, None, "AK3.3"),  # no BEG
        ("BEG*00*SA*PO-1**20261340", 2, 5, "AK4.8"),  # BEG05 not a date
        ("BEG*00*SA***20261122", 2, 3, "AK4.1"),  # no order number
        ("BEG*00*SA*PO-1**20261122\nPO1*1*TEN*EA", 3, 2, "AK4.6"),  # PO102 not a number
        ("BEG*00*SA*PO-1**20261122\nPO1*1*1_0*EA", 3, 2, "AK4.6"),  # Decimal() would accept it, X12 does not
        ("BEG*00*SA*PO-1**20261122\nPO1*1**EA", 3, 2, "AK4.1"),  # no quantity
        ("BEG*00*SA*PO-1**20261122\nPO1*1*5", 3, 3, "AK4.1"),  # no unit
        ("BEG*00*SA*PO-1**20261122\nPO1*1*5*EA*12,50", 3, 4, "AK4.6"),
        ("BEG*00*SA*PO-1**20261122\nITD*01*3*2**TEN", 3, 5, "AK4.6"),
        ("BEG*00*SA*PO-1**20261122\nCTT*X", 3, 1, "AK4.6"),
        ("BEG*00*SA*PO-1**20261122\nDTM*002*2026", 3, 2, "AK4.8"),
    ],
)
def test_850_document_errors(body: str, segment: int | None, element: int | None, code: str) -> None:
    with pytest.raises(DocumentError) as raised:
        map_transaction(transaction(body, "850"))
    error = raised.value
    assert error.code == code
    assert error.position is not None
    assert (error.position.interchange, error.position.group, error.position.transaction) == (
        "000000101",
        "101",
        "0001",
    )
    assert (error.position.segment, error.position.element) == (segment, element)
    # no business value in the message
    for value in ("20261340", "TEN", "12,50", "PO-1", "2026"):
        assert value not in error.message


def test_unmapped_set_ids_give_none() -> None:
    assert map_transaction(transaction("BPR*I*100", "835")) is None


# --- 855 --------------------------------------------------------------------------------------------------

ACK = """
BAK*00*AC*PO-2026-0042*20261122*R1***ACK-77*20261123
CUR*SE*USD
REF*VR*V-1
DTM*068*20261125
N1*SU*MEDSUPPLY DISTRIBUTION*1*123456789
REF*TJ*36-1234567
PO1*1*10*BX*12.45*PE*VP*NG-200-M
PID*F****NITRILE EXAM GLOVES SIZE M
ACK*IA*10*BX*068*20261125
PO1*2*20*BX*4.1**VP*SY-3ML
ACK*IQ*15*BX*068*20261125
ACK*IB*5*BX*068*20261210
DTM*067*20261212
PO1*3
ACK*IR*0*EA**********VP*OLD-1
CTT*3
"""


def test_855() -> None:
    ack = mapped(ACK)
    assert isinstance(ack, PurchaseOrderAck)
    assert (ack.purpose, ack.ack_type, ack.po_number, ack.po_date) == (
        "00",
        "AC",
        "PO-2026-0042",
        date(2026, 11, 22),
    )
    assert (ack.release_number, ack.ack_number, ack.ack_date) == ("R1", "ACK-77", date(2026, 11, 23))
    assert ack.currency == "USD" and ack.references == (Reference("VR", "V-1"),)
    assert ack.dates == (DateReference("068", date(2026, 11, 25)),)
    assert ack.parties[0].references == (Reference("TJ", "36-1234567"),)
    first, second, third = ack.lines
    assert (first.quantity, first.unit, first.unit_price, first.description) == (
        Decimal(10),
        "BX",
        Decimal("12.45"),
        "NITRILE EXAM GLOVES SIZE M",
    )
    assert [s.status for s in first.statuses] == ["IA"]
    backordered = second.statuses[1]
    assert (backordered.status, backordered.quantity, backordered.unit) == ("IB", Decimal(5), "BX")
    assert (backordered.date_qualifier, backordered.date) == ("068", date(2026, 12, 10))
    assert second.dates == (DateReference("067", date(2026, 12, 12)),)
    assert (third.quantity, third.unit, third.unit_price) == (None, None, None)
    assert third.statuses[0].product_ids == (ProductId("VP", "OLD-1"),)
    assert ack.declared_line_count == 3


def test_855_without_bak_date_is_a_document_error() -> None:
    with pytest.raises(DocumentError) as raised:
        map_transaction(transaction("BAK*00*AC*PO-1", "855"))
    assert raised.value.position is not None and raised.value.position.element == 4


# --- 856 --------------------------------------------------------------------------------------------------

ASN = """
BSN*00*ASN-5501*20261124*1430*0001
DTM*011*20261124
HL*1**S
TD1*CTN*2****G*18.5*LB
TD5**2*UPSN*M*UPS GROUND****** *03
TD3*TL**TRL-889
REF*BM*BOL-77100
REF*CN*1Z999AA10123456784
DTM*017*20261126
N1*ST*MERCY GENERAL HOSPITAL*UL*0614141000012
N1*SF*MEDSUPPLY DC*1*123456789
HL*2*1*O
PRF*PO-2026-0042*R1**20261122
REF*IV*INV-9001
N1*BY*MERCY GENERAL HOSPITAL
HL*3*2*P
TD1*CTN*****G*9.25*LB
MAN*GM*00306141410000000018
MAN*CP*CARTON-1
HL*4*3*I
LIN*1*VP*NG-200-M*UK*00614141000012*LT*L2026A
SN1**6*BX**10*BX**AC
PID*F****NITRILE EXAM GLOVES SIZE M
DTM*036*20281231
DTM*405*20260101
REF*SE*SN-1
REF*SE*SN-2
REF*PK*PL-1
HL*5*2*P
MAN*GM*00306141410000000025
HL*6*5*I
LIN*2*VP*SY-3ML
SN1*1*4*BX
REF*LT*L77
DTM*036*20271130
HL*7*6*I
LIN*3*VP*NO-LOT
SN1**1*EA
DTM*036*20270101
CTT*7
"""


def test_856_shipment() -> None:
    notice = mapped(ASN)
    assert isinstance(notice, ShipNotice)
    assert (
        notice.purpose,
        notice.shipment_id,
        notice.notice_date,
        notice.notice_time,
        notice.structure_code,
    ) == ("00", "ASN-5501", date(2026, 11, 24), "1430", "0001")
    assert notice.shipment_hl_id == "1"
    assert (notice.packaging_code, notice.lading_quantity, notice.weight, notice.weight_unit) == (
        "CTN",
        Decimal(2),
        Decimal("18.5"),
        "LB",
    )
    carrier = notice.carriers[0]
    assert (carrier.id_qualifier, carrier.id, carrier.transport_method, carrier.routing) == (
        "2",
        "UPSN",
        "M",
        "UPS GROUND",
    )
    assert carrier.service_level == "03"
    assert notice.equipment == (Reference("TL", "TRL-889"),)
    assert notice.bill_of_lading == "BOL-77100"
    assert notice.tracking_numbers == ("1Z999AA10123456784",)
    assert notice.dates == (
        DateReference("011", date(2026, 11, 24)),
        DateReference("017", date(2026, 11, 26)),
    )
    assert [p.role for p in notice.parties] == ["ST", "SF"]
    assert notice.declared_hl_count == 7


def test_856_tree_lots_and_serials() -> None:
    notice = mapped(ASN)
    assert isinstance(notice, ShipNotice)
    (order,) = notice.orders
    assert (order.hl_id, order.po_number, order.release_number, order.po_date) == (
        "2",
        "PO-2026-0042",
        "R1",
        date(2026, 11, 22),
    )
    assert order.references == (Reference("IV", "INV-9001"),) and order.parties[0].role == "BY"
    first_pack, second_pack = order.packs
    assert (first_pack.hl_id, first_pack.level, first_pack.sscc) == ("3", "P", "00306141410000000018")
    assert first_pack.marks == (Reference("CP", "CARTON-1"),)
    assert (first_pack.packaging_code, first_pack.weight, first_pack.weight_unit) == (
        "CTN",
        Decimal("9.25"),
        "LB",
    )
    (item,) = first_pack.items
    assert item.product_ids == (ProductId("VP", "NG-200-M"), ProductId("UK", "00614141000012"))
    assert (
        item.line_number,
        item.quantity,
        item.unit,
        item.ordered_quantity,
        item.ordered_unit,
        item.status,
    ) == ("1", Decimal(6), "BX", Decimal(10), "BX", "AC")
    assert item.description == "NITRILE EXAM GLOVES SIZE M"
    assert item.lots == (Lot("L2026A", date(2028, 12, 31), date(2026, 1, 1), Decimal(6)),)
    assert item.serial_numbers == ("SN-1", "SN-2")
    assert item.references == (Reference("PK", "PL-1"),) and item.dates == ()
    # lot from REF*LT; an item nested under an item goes to the nearest container (the pack)
    lot_item, no_lot_item = second_pack.items
    assert lot_item.lots == (Lot("L77", date(2027, 11, 30), None, Decimal(4)),)
    assert no_lot_item.hl_id == "7" and no_lot_item.lots == ()
    assert no_lot_item.dates == (DateReference("036", date(2027, 1, 1)),)  # no lot: the date stays


def test_856_without_parents_and_without_order_level() -> None:
    notice = mapped(
        """
        BSN*00*A1*20261124
        HL*1**S
        HL*2**P
        MAN*GM*00306141410000000018
        HL*3**I
        LIN**UK*00614141000012
        HL*4**T
        HL*5**P
        HL*6**I
        """
    )
    assert isinstance(notice, ShipNotice)
    (loose,) = notice.orders  # packs without an order level are kept under one order without an HL
    assert loose.hl_id == "" and loose.po_number is None
    pack, tare = loose.packs
    assert pack.items[0].hl_id == "3"
    assert tare.level == "T" and tare.packs[0].hl_id == "5" and tare.packs[0].items[0].hl_id == "6"


def test_856_requires_bsn() -> None:
    with pytest.raises(DocumentError) as raised:
        map_transaction(transaction("HL*1**S", "856"))
    assert raised.value.code == "AK3.3"


# --- 810 --------------------------------------------------------------------------------------------------

INVOICE = """
BIG*20261201*INV-9001*20261122*PO-2026-0042*R1**DI*00
CUR*SE*USD
REF*VN*SO-5501
N1*RE*MEDSUPPLY DISTRIBUTION*1*123456789
N3*PO BOX 77
N4*CHICAGO*IL*60601
N1*BT*MERCY GENERAL HOSPITAL*UL*0614141000012
ITD*05*3*2**10**30*1234
DTM*011*20261124
IT1*1*10*BX*12.45*PE*VP*NG-200-M*UK*00614141000012
PID*F****NITRILE EXAM GLOVES SIZE M
TXI*ST*7.47*6
SAC*A*C310***1245*3*5*****02***CONTRACT DISCOUNT
IT1*2*5*BX*4.1**VP*SY-3ML
TDS*14460*14000*13171*289
TXI*ST*9.5
SAC*C*D240***2500*******06
SAC*A*C310***12.5
CTT*2
"""


def test_810() -> None:
    invoice = mapped(INVOICE)
    assert isinstance(invoice, Invoice)
    assert (
        invoice.invoice_date,
        invoice.number,
        invoice.po_date,
        invoice.po_number,
        invoice.release_number,
    ) == (date(2026, 12, 1), "INV-9001", date(2026, 11, 22), "PO-2026-0042", "R1")
    assert (invoice.transaction_type, invoice.purpose, invoice.currency) == ("DI", "00", "USD")
    assert invoice.references == (Reference("VN", "SO-5501"),)
    assert [p.role for p in invoice.parties] == ["RE", "BT"]
    assert invoice.parties[0].address_lines == ("PO BOX 77",)
    assert invoice.terms == (PaymentTerms("05", "3", Decimal(2), None, 10, None, 30, Decimal("12.34")),)
    assert invoice.dates == (DateReference("011", date(2026, 11, 24)),)
    first, second = invoice.lines
    assert (first.quantity, first.unit, first.unit_price, first.price_basis) == (
        Decimal(10),
        "BX",
        Decimal("12.45"),
        "PE",
    )
    assert first.description == "NITRILE EXAM GLOVES SIZE M"
    assert first.taxes == (Tax("ST", Decimal("7.47"), Decimal(6)),)
    assert first.allowances_charges == (
        AllowanceCharge(
            "A",
            "C310",
            Decimal("12.45"),
            "3",
            Decimal(5),
            handling_code="02",
            description="CONTRACT DISCOUNT",
        ),
    )
    assert second.taxes == () and second.allowances_charges == ()
    assert (invoice.total_amount, invoice.amount_subject_to_discount) == (
        Decimal("144.60"),
        Decimal("140.00"),
    )
    assert (invoice.discounted_amount_due, invoice.terms_discount_amount) == (
        Decimal("131.71"),
        Decimal("2.89"),
    )
    assert invoice.taxes == (Tax("ST", Decimal("9.5")),)
    assert invoice.allowances_charges == (
        AllowanceCharge("C", "D240", Decimal(25), handling_code="06"),
        AllowanceCharge("A", "C310", Decimal("12.5")),  # an N2 sent with a decimal point is read as written
    )
    assert invoice.declared_line_count == 2


@pytest.mark.parametrize(
    ("body", "segment", "element"),
    [
        ("BIG**INV-1", 2, 1),
        ("BIG*20261201*INV-1\nIT1*1*1*EA", 3, 4),  # no unit price
        ("BIG*20261201*INV-1\nSAC*X*C310", 3, 1),
        ("BIG*20261201*INV-1\nTDS*12.3.4", 3, 1),
        ("BIG*20261201*INV-1\nTDS*1E5", 3, 1),
    ],
)
def test_810_document_errors(body: str, segment: int, element: int) -> None:
    with pytest.raises(DocumentError) as raised:
        map_transaction(transaction(body, "810"))
    assert raised.value.position is not None
    assert (raised.value.position.segment, raised.value.position.element) == (segment, element)


# --- 997 / 999 / TA1 --------------------------------------------------------------------------------------


def test_997() -> None:
    ack = mapped(
        """
        AK1*PO*101*004010
        AK2*850*0001
        AK5*A
        AK2*850*0002
        AK3*PO1*12*PO1*8
        AK4*2*330*4*TEN
        AK4*6:2*235*7
        AK3*N1*5
        AK5*R*5*3
        AK9*P*2*2*1*2
        """,
        "997",
    )
    assert isinstance(ack, FunctionalAck)
    assert (ack.kind, ack.functional_id, ack.group_control_number, ack.version) == (
        "997",
        "PO",
        "101",
        "004010",
    )
    assert (ack.status, ack.included_count, ack.received_count, ack.accepted_count, ack.codes) == (
        "P",
        2,
        2,
        1,
        ("2",),
    )
    accepted, rejected = ack.transactions
    assert (accepted.set_id, accepted.control_number, accepted.status, accepted.segment_errors) == (
        "850",
        "0001",
        "A",
        (),
    )
    assert (rejected.status, rejected.codes) == ("R", ("5", "3"))
    po1, n1 = rejected.segment_errors
    assert (po1.segment_id, po1.position, po1.loop_id, po1.code) == ("PO1", 12, "PO1", "8")
    quantity, qualifier = po1.element_errors
    assert (
        quantity.position,
        quantity.component,
        quantity.data_element,
        quantity.code,
        quantity.bad_value,
    ) == (2, None, "330", "4", "TEN")
    assert (qualifier.position, qualifier.component, qualifier.repetition) == (6, 2, None)
    assert (n1.segment_id, n1.position, n1.code, n1.element_errors) == ("N1", 5, None, ())


def test_999() -> None:
    ack = mapped(
        """
        AK1*HC*17456*005010X222A1
        AK2*837*0002*005010X222A1
        IK3*CLM*22**8
        CTX*CLM01:123456789
        IK4*2:1:3*782*1
        IK5*R*5
        AK9*R*1*1*0
        """,
        "999",
    )
    assert isinstance(ack, FunctionalAck)
    assert ack.kind == "999" and ack.status == "R"
    (rejected,) = ack.transactions
    assert rejected.implementation == "005010X222A1"
    element_error = rejected.segment_errors[0].element_errors[0]
    assert (element_error.position, element_error.component, element_error.repetition) == (2, 1, 3)


def test_functional_ack_requires_ak1_ak9_and_ak5() -> None:
    for body in ("AK9*A*1*1*1", "AK1*PO*101", "AK1*PO*101\nAK2*850*0001\nAK9*A*1*1*1"):
        with pytest.raises(DocumentError):
            map_transaction(transaction(body, "997"))


def test_ta1() -> None:
    assert map_ta1(["TA1", "000000100", "261122", "0823", "R", "024"]) == InterchangeAck(
        "000000100", "261122", "0823", "R", "024"
    )
    with pytest.raises(DocumentError):
        map_ta1(["TA1", "000000100", "261122", "0823"])


# --- Shared machinery ---------------------------------------------------------------------------------------


def test_fast_constructor_builds_equal_frozen_instances() -> None:
    build = fast_constructor(Reference)
    made = build("CT", "GPO-1", None)
    assert (
        type(made) is Reference
        and made == Reference("CT", "GPO-1")
        and hash(made) == hash(Reference("CT", "GPO-1"))
    )
    with pytest.raises(AttributeError):
        made.value = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        build("CT")  # every field is required


# --- Public corpus ----------------------------------------------------------------------------------------

UNSOUND = {"staedi__extraDelimiter997.edi"}  # AK302 holds repetitions: deliberately invalid


def _documents(path: Path) -> list[object]:
    found = []
    for set_, _result in X12Reader(path).transactions():
        document = map_transaction(set_)
        if document is not None:
            assert type(document).from_json(document.to_json()) == document  # type: ignore[attr-defined]
            found.append(document)
    return found


def test_corpus_maps_without_document_errors() -> None:
    corpus = require_x12_corpus()
    mapped_count = 0
    for path in sorted(corpus.iterdir()):
        if path.name == "SOURCES.md" or path.name in UNSOUND:
            continue
        mapped_count += len(_documents(path))
    assert mapped_count >= 45


def test_corpus_spot_checks() -> None:
    corpus = require_x12_corpus()
    (order,) = _documents(corpus / "edi-engine__850.OK.edi")
    assert isinstance(order, PurchaseOrder)
    assert order.number == "08292233294" and order.contract_number == "610385385"
    assert (
        len(order.lines) == 6
        and order.lines[5].quantity == Decimal(696)
        and order.lines[0].description == "SMALL WIDGET"
    )
    assert order.terms[0].net_days == 46 and order.party("ST") is not None

    (ack,) = _documents(corpus / "node-x12__855.edi")
    assert isinstance(ack, PurchaseOrderAck)
    assert [line.statuses[0].status for line in ack.lines] == ["IA", "IR", "IR", "IA"]
    assert ack.parties[0].address_lines == ("REGULAR EDI ACCOUNT", "ATTN ACQ SERVS", "7615 DISALLE BOULEVARD")

    (notice,) = _documents(corpus / "edi-engine__856.Crossdock.OK.edi")
    assert isinstance(notice, ShipNotice)
    assert [o.po_number for o in notice.orders] == ["POREF00", "POREF01"]
    assert notice.orders[0].packs[0].sscc == "00000715670002152360"
    assert notice.orders[0].packs[0].items[0].product_ids == (ProductId("UP", "0000000000642"),)
    assert notice.declared_hl_count == 13

    invoices = _documents(corpus / "staedi__simple810.edi")
    assert all(isinstance(i, Invoice) for i in invoices) and len(invoices) == 2

    (rejected,) = _documents(corpus / "imsweb__x12_999_rejected.txt")
    assert isinstance(rejected, FunctionalAck)
    assert rejected.status == "R" and rejected.transactions[0].segment_errors[0].segment_id == "NM"

    reader = X12Reader(corpus / "uhin__TA1.edi")
    for _ in reader.transactions():
        pass
    (ta1,) = [map_ta1(s) for i in reader.interchanges for s in i.ta1_segments]
    assert (ta1.control_number, ta1.status, ta1.note_code) == ("000000100", "R", "024")
