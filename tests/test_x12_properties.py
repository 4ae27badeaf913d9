"""Property tests of the X12 writer, emitters, reader and mappers (hypothesis).

(a) random canonical documents of every outbound type, written as a whole interchange with random legal
    separators, parse back equal and without issues;
(b) random segments written with random legal separators are read back identical by the envelope reader;
(c) corpus files mutated at random never make ``parse_x12`` raise anything but an ``EdiGatewayError``.

Default runs are small so that ``make test`` stays quick; the ``soak`` variants run many more examples
(``pytest -m soak tests/test_x12_properties.py``).
"""

from __future__ import annotations

import contextlib
import string
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emitters.x12.documents import (
    FUNCTIONAL_IDS,
    OutboundDocument,
    document_segments,
    set_id_of,
    write_document_interchange,
)
from emitters.x12.writer import FunctionalGroupEnvelope, InterchangeEnvelope, write_interchange
from parsers.documents import (
    AckLine,
    AllowanceCharge,
    Carrier,
    CommunicationNumber,
    Contact,
    DateReference,
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
from parsers.errors import EdiGatewayError
from parsers.x12.model import Separators
from parsers.x12.parse import parse_x12
from parsers.x12.reader import X12Reader
from tests.corpus import x12_corpus_files

T = TypeVar("T")

SMALL = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOAK = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- values -----------------------------------------------------------------------------------------------------

TEXT_ALPHABET = string.ascii_letters + string.digits + " -./#"
# Legal separators: not a letter, digit, space or a character of the text alphabet. Line breaks only terminate.
SEPARATOR_CHARS = "~*:^|>!+?<=&%$@`'\"{}[];,_\\\x1c\x1d\x1e\x1f\x07"
TERMINATOR_CHARS = SEPARATOR_CHARS + "\n\r"


def texts(max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    """Text from the safe alphabet without surrounding spaces (X12 drops trailing ones)."""
    return (
        st.text(TEXT_ALPHABET, min_size=min_size, max_size=max_size)
        .map(str.strip)
        .filter(lambda value: len(value) >= min_size)
    )


def optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


def codes(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


def decimals(max_digits: int = 9, places: int = 4, signed: bool = False) -> st.SearchStrategy[Decimal]:
    """R values with up to ``places`` decimals and at most ``max_digits`` digits as written."""
    limit = 10 ** min(max_digits, 9) - 1
    return st.builds(
        lambda n, p: Decimal(n).scaleb(-p),
        st.integers(-limit if signed else 0, limit),
        st.integers(0, min(places, max_digits - 1)),
    )


def amounts(max_digits: int = 12) -> st.SearchStrategy[Decimal]:
    """N2 amounts: exactly two places."""
    limit = 10**max_digits - 1
    return st.integers(-limit, limit).map(lambda n: Decimal(n).scaleb(-2))


DATES = st.dates(date(1950, 1, 1), date(2049, 12, 31))
TIMES = st.builds(
    lambda h, m, s: f"{h:02d}{m:02d}" + ("" if s is None else f"{s:02d}"),
    st.integers(0, 23),
    st.integers(0, 59),
    optional(st.integers(0, 59)),
)
UNITS = codes("EA", "CA", "BX", "PK", "CS", "DZ", "RL", "KT")
PRODUCT_QUALIFIERS = codes("VP", "VN", "BP", "IN", "UK", "EN", "UP", "N4", "ND", "HI", "MG")
REFERENCE_QUALIFIERS = ("CT", "DP", "IA", "VN", "PO", "BM", "CN", "IV", "ZZ", "PK", "2I", "LT", "SE")
DATE_QUALIFIERS = ("002", "010", "011", "017", "037", "038", "067", "068", "036", "405")


def product_ids(max_size: int, min_size: int = 0) -> st.SearchStrategy[tuple[ProductId, ...]]:
    return st.lists(
        st.builds(ProductId, PRODUCT_QUALIFIERS, texts(48)), min_size=min_size, max_size=max_size
    ).map(tuple)


def references(
    qualifiers: tuple[str, ...] = REFERENCE_QUALIFIERS,
) -> st.SearchStrategy[tuple[Reference, ...]]:
    return st.lists(
        st.builds(Reference, st.sampled_from(qualifiers), texts(30), optional(texts(80))), max_size=3
    ).map(tuple)


def date_references(
    qualifiers: tuple[str, ...] = DATE_QUALIFIERS,
) -> st.SearchStrategy[tuple[DateReference, ...]]:
    return st.lists(
        st.builds(DateReference, st.sampled_from(qualifiers), DATES, optional(TIMES)), max_size=3
    ).map(tuple)


CONTACTS = st.builds(
    Contact,
    codes("BD", "IC", "OC", "SR"),
    optional(texts(60)),
    st.lists(st.builds(CommunicationNumber, codes("TE", "EM", "FX"), texts(80)), max_size=3).map(tuple),
)


@st.composite
def parties(draw: st.DrawFn) -> Party:
    name = draw(optional(texts(60)))
    has_id = name is None or draw(st.booleans())
    return Party(
        role=draw(codes("ST", "BT", "BY", "VN", "SE", "SF", "RI", "SU")),
        name=name,
        id_qualifier=draw(codes("1", "9", "92", "91", "UL", "ZZ")) if has_id else None,
        id=draw(texts(80, min_size=2)) if has_id else None,
        address_lines=tuple(draw(st.lists(texts(55), max_size=4))),
        city=draw(optional(texts(30, min_size=2))),
        state=draw(optional(codes("IL", "NY", "CA", "TX", "ON"))),
        postal_code=draw(optional(st.from_regex(r"\A[0-9]{5}\Z"))),
        country=draw(optional(codes("US", "CA", "MX"))),
        references=draw(references()),
        contacts=tuple(draw(st.lists(CONTACTS, max_size=2))),
    )


PARTIES = st.lists(parties(), max_size=3).map(tuple)


@st.composite
def payment_terms(draw: st.DrawFn) -> PaymentTerms:
    # ITD rules L03040513 / L08040513: a discount needs its days (or due date).
    discount = draw(st.booleans())
    return PaymentTerms(
        type_code=draw(codes("01", "05", "08", "14")),
        basis_date_code=draw(optional(codes("1", "2", "3", "15"))),
        discount_percent=draw(optional(decimals(6, 3))) if discount else None,
        discount_due_date=draw(optional(DATES)) if discount else None,
        discount_days=draw(st.integers(0, 999)) if discount else None,
        net_due_date=draw(optional(DATES)),
        net_days=draw(optional(st.integers(0, 999))),
        discount_amount=draw(optional(amounts(8))) if discount else None,
        description=draw(optional(texts(80))),
    )


TERMS = st.lists(payment_terms(), max_size=2).map(tuple)


@st.composite
def taxes(draw: st.DrawFn) -> Tax:
    tax_amount = draw(optional(decimals(15, 2, signed=True)))
    percent = draw(optional(decimals(9, 4)))
    exempt = draw(optional(codes("0", "1", "2")))
    if tax_amount is None and percent is None and exempt is None:
        tax_amount = Decimal("0")
    jurisdiction = draw(st.booleans())
    return Tax(
        type_code=draw(codes("ST", "LS", "CT", "GS")),
        amount=tax_amount,
        percent=percent,
        jurisdiction_qualifier=draw(codes("SP", "CD", "VD")) if jurisdiction else None,
        jurisdiction=draw(texts(10)) if jurisdiction else None,
        exempt_code=exempt,
    )


@st.composite
def allowances_charges(draw: st.DrawFn) -> AllowanceCharge:
    percent = draw(st.booleans())
    quantity = draw(st.booleans())
    return AllowanceCharge(
        indicator=draw(st.sampled_from(("A", "C", "N"))),
        code=draw(codes("C310", "D240", "A260", "H850", "D500")),
        amount=draw(optional(amounts(12))),
        percent_qualifier=draw(codes("1", "3", "6")) if percent else None,
        percent=draw(decimals(6, 3)) if percent else None,
        rate=draw(optional(decimals(9, 4))),
        quantity=draw(decimals(9, 4)) if quantity else None,
        unit=draw(UNITS) if quantity else None,
        handling_code=draw(optional(codes("02", "04", "05", "06"))),
        description=draw(optional(texts(80))),
    )


LINE_NUMBERS = optional(st.integers(1, 99999).map(str))
NOTES = st.lists(texts(264), max_size=2).map(tuple)

# --- documents --------------------------------------------------------------------------------------------------


@st.composite
def purchase_orders(draw: st.DrawFn) -> PurchaseOrder:
    lines = draw(
        st.lists(
            st.builds(
                PurchaseOrderLine,
                line_number=LINE_NUMBERS,
                quantity=decimals(15),
                unit=UNITS,
                unit_price=optional(decimals(15)),
                product_ids=product_ids(10),
                description=optional(texts(80)),
                dates=date_references(),
                references=references(),
                notes=NOTES,
            ),
            min_size=1,
            max_size=4,
        )
    )
    lines = [
        replace(line, price_basis=draw(codes("CT", "PE", "CP")))
        if line.unit_price is not None and draw(st.booleans())
        else line
        for line in lines
    ]
    return PurchaseOrder(
        purpose=draw(codes("00", "01", "05", "06")),
        order_type=draw(codes("SA", "NE", "RE", "KN", "DS")),
        number=draw(texts(22)),
        order_date=draw(DATES),
        release_number=draw(optional(texts(30))),
        contract_number=draw(optional(texts(30))),
        currency=draw(optional(codes("USD", "CAD", "EUR"))),
        references=draw(references()),
        dates=draw(date_references()),
        parties=draw(PARTIES),
        terms=draw(TERMS),
        notes=draw(NOTES),
        lines=tuple(lines),
        declared_line_count=len(lines),
        total_amount=draw(optional(decimals(15, 4, signed=True))),
    )


@st.composite
def line_statuses(draw: st.DrawFn) -> LineStatus:
    quantity = draw(st.booleans())
    dated = draw(st.booleans())
    return LineStatus(
        status=draw(codes("IA", "IB", "IC", "IR", "IQ", "IP", "DR")),
        quantity=draw(decimals(15)) if quantity else None,
        unit=draw(UNITS) if quantity else None,
        date_qualifier=draw(codes("068", "067", "017")) if dated else None,
        date=draw(DATES) if dated else None,
        product_ids=draw(product_ids(10)),
    )


@st.composite
def ack_lines(draw: st.DrawFn) -> AckLine:
    quantity = draw(st.booleans())
    price = draw(optional(decimals(15)))
    return AckLine(
        line_number=draw(LINE_NUMBERS),
        quantity=draw(decimals(15)) if quantity else None,
        unit=draw(UNITS) if quantity else None,
        unit_price=price,
        price_basis=draw(optional(codes("CT", "PE"))) if price is not None else None,
        product_ids=draw(product_ids(10)),
        description=draw(optional(texts(80))),
        statuses=tuple(draw(st.lists(line_statuses(), min_size=1, max_size=3))),
        dates=draw(date_references()),
        references=draw(references()),
    )


@st.composite
def purchase_order_acks(draw: st.DrawFn) -> PurchaseOrderAck:
    lines = tuple(draw(st.lists(ack_lines(), max_size=4)))
    return PurchaseOrderAck(
        purpose=draw(codes("00", "06")),
        ack_type=draw(codes("AC", "AD", "AK", "RJ", "AE")),
        po_number=draw(texts(22)),
        po_date=draw(DATES),
        ack_number=draw(optional(texts(30))),
        ack_date=draw(optional(DATES)),
        release_number=draw(optional(texts(30))),
        currency=draw(optional(codes("USD", "CAD"))),
        references=draw(references()),
        dates=draw(date_references()),
        parties=draw(PARTIES),
        lines=lines,
        declared_line_count=len(lines),
    )


ITEM_REFERENCE_QUALIFIERS = tuple(q for q in REFERENCE_QUALIFIERS if q not in ("LT", "SE"))
ITEM_DATE_QUALIFIERS = tuple(q for q in DATE_QUALIFIERS if q not in ("036", "405"))


@st.composite
def ship_items(draw: st.DrawFn) -> ShipItem:
    quantity = draw(st.booleans())
    ordered = draw(st.booleans())
    shipped = draw(decimals(10)) if quantity else None
    lot = draw(optional(st.builds(Lot, texts(48), optional(DATES), optional(DATES), st.just(shipped))))
    return ShipItem(
        hl_id="",
        line_number=draw(LINE_NUMBERS),
        product_ids=draw(product_ids(14, min_size=1)),
        quantity=shipped,
        unit=draw(UNITS) if quantity else None,
        ordered_quantity=draw(decimals(15)) if quantity and ordered else None,
        ordered_unit=draw(UNITS) if quantity and ordered else None,
        status=draw(optional(codes("AC", "BP", "IS"))) if quantity else None,
        description=draw(optional(texts(80))),
        lots=(lot,) if lot is not None else (),
        serial_numbers=tuple(draw(st.lists(texts(30), max_size=2))),
        references=draw(references(ITEM_REFERENCE_QUALIFIERS)),
        dates=draw(date_references(ITEM_DATE_QUALIFIERS)),
    )


ITEMS = st.lists(ship_items(), max_size=2).map(tuple)


@st.composite
def packs(draw: st.DrawFn, level: str = "P") -> Pack:
    weight = draw(st.booleans())
    inner = tuple(draw(st.lists(packs("P"), max_size=2))) if level == "T" else ()
    return Pack(
        hl_id="",
        level=level,
        sscc=draw(optional(st.from_regex(r"\A00[0-9]{18}\Z"))),
        marks=tuple(draw(st.lists(st.builds(Reference, codes("CP", "SM", "UC"), texts(48)), max_size=2))),
        packaging_code=draw(optional(codes("CTN25", "CTN", "PLT94", "BOX"))),
        weight=draw(decimals(10)) if weight else None,
        weight_unit=draw(codes("LB", "KG")) if weight else None,
        items=draw(ITEMS) if level == "P" or draw(st.booleans()) else (),
        packs=inner,
    )


@st.composite
def ship_orders(draw: st.DrawFn) -> ShipOrder:
    po_number = draw(optional(texts(22)))
    return ShipOrder(
        hl_id="",
        po_number=po_number,
        po_date=draw(optional(DATES)) if po_number else None,
        release_number=draw(optional(texts(30))) if po_number else None,
        references=draw(references()),
        parties=draw(PARTIES),
        packs=tuple(draw(st.lists(packs("P") | packs("T"), max_size=2))),
        items=draw(ITEMS),
    )


def _number_hl_tree(notice: ShipNotice) -> ShipNotice:
    """HL ids as the emitter writes them: 1..n in tree order (order: packs, items; pack: items, packs)."""
    count = 1

    def next_id() -> str:
        nonlocal count
        count += 1
        return str(count)

    def item(value: ShipItem) -> ShipItem:
        return replace(value, hl_id=next_id())

    def pack(value: Pack) -> Pack:
        hl_id = next_id()
        items = tuple(item(i) for i in value.items)
        return replace(value, hl_id=hl_id, items=items, packs=tuple(pack(p) for p in value.packs))

    def order(value: ShipOrder) -> ShipOrder:
        hl_id = next_id()
        inner = tuple(pack(p) for p in value.packs)
        return replace(value, hl_id=hl_id, packs=inner, items=tuple(item(i) for i in value.items))

    orders = tuple(order(o) for o in notice.orders)
    return replace(notice, shipment_hl_id="1", orders=orders, declared_hl_count=count)


@st.composite
def ship_notices(draw: st.DrawFn) -> ShipNotice:
    packaging = draw(optional(codes("CTN25", "PLT94")))
    weight = draw(st.booleans())
    notice = ShipNotice(
        purpose=draw(codes("00", "05", "06")),
        shipment_id=draw(texts(30, min_size=2)),
        notice_date=draw(DATES),
        notice_time=draw(TIMES),
        structure_code=draw(optional(codes("0001", "0002", "0004"))),
        packaging_code=packaging,
        lading_quantity=draw(st.integers(1, 9999999).map(Decimal))
        if packaging
        else draw(optional(st.integers(0, 9999999).map(Decimal))),
        weight=draw(decimals(10)) if weight else None,
        weight_unit=draw(codes("LB", "KG")) if weight else None,
        carriers=tuple(
            draw(
                st.lists(
                    st.builds(
                        Carrier,
                        st.just("2"),
                        texts(80, min_size=2),
                        optional(codes("M", "U", "A", "H")),
                        optional(texts(35)),
                        optional(codes("SG", "ND", "2D", "CG")),
                    ),
                    max_size=2,
                )
            )
        ),
        equipment=tuple(draw(st.lists(st.builds(Reference, codes("TL", "TV", "TR"), texts(10)), max_size=2))),
        references=draw(references()),
        dates=draw(date_references(ITEM_DATE_QUALIFIERS)),
        parties=draw(PARTIES),
        orders=tuple(draw(st.lists(ship_orders(), max_size=3))),
    )
    return _number_hl_tree(notice)


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    lines = tuple(
        draw(
            st.lists(
                st.builds(
                    InvoiceLine,
                    line_number=LINE_NUMBERS,
                    quantity=decimals(10, signed=True),
                    unit=UNITS,
                    unit_price=decimals(15),
                    price_basis=optional(codes("CT", "PE")),
                    product_ids=product_ids(10),
                    description=optional(texts(80)),
                    allowances_charges=st.lists(allowances_charges(), max_size=2).map(tuple),
                    taxes=st.lists(taxes(), max_size=2).map(tuple),
                    references=references(),
                    dates=date_references(),
                ),
                min_size=1,
                max_size=4,
            )
        )
    )
    return Invoice(
        number=draw(texts(22)),
        invoice_date=draw(DATES),
        po_number=draw(optional(texts(22))),
        po_date=draw(optional(DATES)),
        release_number=draw(optional(texts(30))),
        transaction_type=draw(optional(codes("DI", "CR", "DR"))),
        purpose=draw(optional(codes("00", "01"))),
        currency=draw(optional(codes("USD", "CAD"))),
        references=draw(references()),
        dates=draw(date_references()),
        parties=draw(PARTIES),
        terms=draw(TERMS),
        lines=lines,
        total_amount=draw(amounts(13)),
        amount_subject_to_discount=draw(optional(amounts(13))),
        discounted_amount_due=draw(optional(amounts(13))),
        terms_discount_amount=draw(optional(amounts(13))),
        taxes=tuple(draw(st.lists(taxes(), max_size=2))),
        allowances_charges=tuple(draw(st.lists(allowances_charges(), max_size=2))),
        declared_line_count=len(lines),
    )


DOCUMENTS: st.SearchStrategy[OutboundDocument] = st.one_of(
    purchase_orders(), purchase_order_acks(), ship_notices(), invoices()
)

# --- separators and envelopes -------------------------------------------------------------------------------------


@st.composite
def separators(draw: st.DrawFn) -> Separators:
    """Four distinct legal separators; the terminator may also be a line break."""
    terminator = draw(st.sampled_from(TERMINATOR_CHARS))
    others = draw(
        st.lists(
            st.sampled_from(SEPARATOR_CHARS).filter(lambda c: c != terminator),
            min_size=3,
            max_size=3,
            unique=True,
        )
    )
    return Separators(element=others[0], component=others[1], segment=terminator, repetition=others[2])


VERSIONS = st.sampled_from((("00401", "004010"), ("00501", "005010")))


def envelopes(
    separator_set: Separators, versions: tuple[str, str], functional_id: str, documents: int = 1
) -> tuple[InterchangeEnvelope, FunctionalGroupEnvelope]:
    interchange = InterchangeEnvelope(
        sender_qualifier="ZZ",
        sender_id="STMARYHOSP",
        receiver_qualifier="ZZ",
        receiver_id="MEDSURGSUPPLY",
        date="240301",
        time="0930",
        control_number=905,
        version=versions[0],
        separators=separator_set,
    )
    group = FunctionalGroupEnvelope(
        functional_id, "STMARYHOSP", "MEDSURGSUPPLY", "20240301", "0930", 77, versions[1]
    )
    return interchange, group


@cache
def _validation_available() -> bool:
    """True once the validator and its specifications are in place (until then: envelope checks only)."""
    try:
        from parsers.x12 import validate  # noqa: F401
    except ImportError:
        return False
    return resources.files("parsers.x12").joinpath("specs").is_dir()


# --- (a) documents round trip ---------------------------------------------------------------------------------------


def _issues(result: Any) -> list[tuple[str, str | None, int | None, str]]:
    return [(i.code, i.segment_id, i.element, i.message) for i in result.all_issues]


def check_round_trip(
    document: OutboundDocument, separator_set: Separators, versions: tuple[str, str]
) -> None:
    functional_id = FUNCTIONAL_IDS[set_id_of(document)]
    interchange, group = envelopes(separator_set, versions, functional_id)
    text = write_document_interchange(document, envelope=interchange, group=group, control_numbers=1)
    result = parse_x12(text.encode(), validate=_validation_available())
    assert _issues(result) == []
    [read] = [t for i in result.interchanges for g in i.groups for t in g.transactions]
    assert read.document == document


@SMALL
@given(document=DOCUMENTS, separator_set=separators(), versions=VERSIONS)
def test_documents_round_trip(
    document: OutboundDocument, separator_set: Separators, versions: tuple[str, str]
) -> None:
    check_round_trip(document, separator_set, versions)


@pytest.mark.soak
@SOAK
@given(document=DOCUMENTS, separator_set=separators(), versions=VERSIONS)
def test_documents_round_trip_soak(
    document: OutboundDocument, separator_set: Separators, versions: tuple[str, str]
) -> None:
    check_round_trip(document, separator_set, versions)


def test_several_documents_in_one_interchange_round_trip() -> None:
    orders = [
        PurchaseOrder(
            "00",
            "SA",
            f"PO-{n}",
            date(2024, 3, n),
            lines=(
                PurchaseOrderLine("1", Decimal(n), "BX", product_ids=(ProductId("N4", "08290-3096-15"),)),
            ),
            declared_line_count=1,
        )
        for n in (1, 2, 3)
    ]
    interchange, group = envelopes(Separators("*", ":", "~", "^"), ("00501", "005010"), "PO")
    text = write_document_interchange(orders, envelope=interchange, group=group, control_numbers=40)
    result = parse_x12(text.encode(), validate=_validation_available())
    assert _issues(result) == []
    transactions = result.interchanges[0].groups[0].transactions
    assert [t.control_number for t in transactions] == ["0040", "0041", "0042"]
    assert [t.document for t in transactions] == orders


# --- (b) segments round trip ------------------------------------------------------------------------------------

_RESERVED_IDS = {"ISA", "IEA", "GS", "GE", "ST", "SE", "TA1"}
SEGMENT_IDS = st.from_regex(r"\A[A-Z][A-Z0-9]{1,2}\Z").filter(lambda tag: tag not in _RESERVED_IDS)
SAFE_VALUES = st.text(TEXT_ALPHABET, max_size=12).map(str.strip)
ELEMENTS = SAFE_VALUES | st.lists(SAFE_VALUES, min_size=1, max_size=4)
SEGMENTS = st.lists(st.tuples(SEGMENT_IDS, st.lists(ELEMENTS, max_size=12)), min_size=1, max_size=8)


def _expected(tag: str, elements: list[str | list[str]], component: str) -> list[str]:
    """What the reader hands back: composites joined, trailing empty components and elements trimmed."""
    values: list[str] = []
    for element in elements:
        if isinstance(element, str):
            values.append(element)
        else:
            parts = list(element)
            while parts and not parts[-1]:
                parts.pop()
            values.append(component.join(parts))
    while values and not values[-1]:
        values.pop()
    return [tag, *values]


def check_segments(
    segments: list[tuple[str, list[str | list[str]]]], separator_set: Separators, versions: tuple[str, str]
) -> None:
    interchange, group = envelopes(separator_set, versions, "PO")
    bodies = [[tag, *elements] for tag, elements in segments]
    text = write_interchange(interchange, [(group, [("850", 1, bodies, None)])])
    reader = X12Reader(text.encode())
    [(transaction, result)] = list(reader.transactions())
    assert result.issues == []
    assert transaction.segments[1:-1] == [
        _expected(tag, elements, separator_set.component) for tag, elements in segments
    ]


@SMALL
@given(segments=SEGMENTS, separator_set=separators(), versions=VERSIONS)
def test_segments_round_trip(
    segments: list[tuple[str, list[str | list[str]]]], separator_set: Separators, versions: tuple[str, str]
) -> None:
    check_segments(segments, separator_set, versions)


@pytest.mark.soak
@SOAK
@given(segments=SEGMENTS, separator_set=separators(), versions=VERSIONS)
def test_segments_round_trip_soak(
    segments: list[tuple[str, list[str | list[str]]]], separator_set: Separators, versions: tuple[str, str]
) -> None:
    check_segments(segments, separator_set, versions)


# --- (c) mutated corpus files -----------------------------------------------------------------------------------

CORPUS_FILES = x12_corpus_files()
INSERTED = [bytes([c]) for c in b"*~:^|>!\n\r\x1c\x1d\x1e\x1f"] + [
    b"ISA*",
    b"IEA*",
    b"GS*",
    b"ST*",
    b"SE*",
    b"HL*",
]
MUTATED = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MUTATED_SOAK = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutations(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with 1 to 6 random edits: bytes flipped, ranges deleted or duplicated, separators or
    envelope ids inserted, the end cut off."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        size = len(data)
        at = draw(st.integers(0, max(size - 1, 0)))
        kind = draw(st.sampled_from(("flip", "delete", "insert", "truncate", "duplicate")))
        if kind == "flip" and size:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(INSERTED))
        elif kind == "truncate":
            del data[at:]
        elif kind == "duplicate":
            end = at + draw(st.integers(1, 256))
            data[end:end] = data[at:end]
    return bytes(data)


def check_mutation(data: bytes) -> None:
    with contextlib.suppress(EdiGatewayError):  # anything else fails the test
        parse_x12(data, validate=_validation_available())


corpus_files = pytest.mark.parametrize(
    "path",
    CORPUS_FILES or [pytest.param(None, marks=pytest.mark.skip(reason="shared X12 corpus not found"))],
    ids=lambda path: path.name if path else "no-corpus",
)


@corpus_files
@MUTATED
@given(data=st.data())
def test_mutated_corpus_files_raise_only_gateway_errors(path: Path, data: st.DataObject) -> None:
    check_mutation(data.draw(mutations(path.read_bytes()), label="mutated"))


@pytest.mark.soak
@corpus_files
@MUTATED_SOAK
@given(data=st.data())
def test_mutated_corpus_files_raise_only_gateway_errors_soak(path: Path, data: st.DataObject) -> None:
    check_mutation(data.draw(mutations(path.read_bytes()), label="mutated"))


# Mapped segments reduced to their bare id (what a truncated or mangled file holds), inserted at every position
# of a small document: the mappers must answer with a DocumentError or an issue, never an IndexError. Found by
# the mutation soak (a bare "PID" inside a PO1 loop).
BARE_IDS = [
    *(
        "BEG",
        "BAK",
        "BSN",
        "BIG",
        "CUR",
        "REF",
        "PER",
        "DTM",
        "ITD",
        "N9",
        "MSG",
        "N1",
        "N2",
        "N3",
        "N4",
        "PO1",
    ),
    *(
        "PID",
        "ACK",
        "HL",
        "LIN",
        "SN1",
        "PRF",
        "TD1",
        "TD5",
        "TD3",
        "MAN",
        "IT1",
        "TXI",
        "SAC",
        "TDS",
        "CTT",
        "AMT",
    ),
]
_PARTY = Party(
    "ST",
    "CENTRAL STERILE",
    "UL",
    "0614141000012",
    ("DOCK 4",),
    "SPRINGFIELD",
    "IL",
    "62701",
    "US",
    (Reference("DP", "OR"),),
    (Contact("BD", "PAT", (CommunicationNumber("TE", "2175550100"),)),),
)
_IDS = (ProductId("VP", "GLV-NIT-M"), ProductId("UK", "10888277123456"))
_DATES = (DateReference("002", date(2024, 3, 15)),)
_REFS = (Reference("CT", "GPO-118"),)
_TAX = Tax("ST", Decimal("1.25"), Decimal("6.25"), "SP", "IL")
_SAC = AllowanceCharge(
    "C", "D240", Decimal("25.5"), "3", Decimal("1"), Decimal("2"), Decimal("1"), "EA", "06", "FRT"
)
_TERMS = (PaymentTerms("01", "3", Decimal("2"), None, 10, None, 30, Decimal("1.5"), "2 10 NET 30"),)
SMALL_DOCUMENTS: list[OutboundDocument] = [
    PurchaseOrder(
        "00",
        "SA",
        "PO-1",
        date(2024, 3, 1),
        "R1",
        "C1",
        "USD",
        _REFS,
        _DATES,
        (_PARTY,),
        _TERMS,
        ("NOTE",),
        (
            PurchaseOrderLine(
                "1", Decimal(2), "CA", Decimal("42.5"), "CT", _IDS, "GLOVES", _DATES, _REFS, ("LINE NOTE",)
            ),
        ),
        1,
        Decimal("85"),
    ),
    PurchaseOrderAck(
        "00",
        "AC",
        "PO-1",
        date(2024, 3, 1),
        "SO-1",
        date(2024, 3, 2),
        None,
        "USD",
        _REFS,
        _DATES,
        (_PARTY,),
        (
            AckLine(
                "1",
                Decimal(2),
                "CA",
                Decimal("42.5"),
                None,
                _IDS,
                "GLOVES",
                (LineStatus("IA", Decimal(2), "CA", "068", date(2024, 3, 5), _IDS),),
                _DATES,
                _REFS,
            ),
        ),
        1,
    ),
    _number_hl_tree(
        ShipNotice(
            "00",
            "ASN-1",
            date(2024, 3, 5),
            "1430",
            "0001",
            None,
            "CTN25",
            Decimal(1),
            Decimal("9.2"),
            "LB",
            (Carrier("2", "UPSN", "U", "GROUND", "SG"),),
            (Reference("TL", "TR-1"),),
            _REFS,
            _DATES,
            (_PARTY,),
            (
                ShipOrder(
                    "",
                    "PO-1",
                    date(2024, 3, 1),
                    "R1",
                    _REFS,
                    (_PARTY,),
                    (
                        Pack(
                            "",
                            "P",
                            "00106141411234567897",
                            (Reference("CP", "BOX 1"),),
                            "CTN",
                            Decimal(9),
                            "LB",
                            (
                                ShipItem(
                                    "",
                                    "1",
                                    _IDS,
                                    Decimal(2),
                                    "CA",
                                    Decimal(2),
                                    "CA",
                                    "AC",
                                    "GLOVES",
                                    (Lot("L1", date(2027, 1, 31), date(2024, 1, 31), Decimal(2)),),
                                    ("SN1",),
                                    _REFS,
                                    _DATES,
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        )
    ),
    Invoice(
        "INV-1",
        date(2024, 3, 6),
        "PO-1",
        date(2024, 3, 1),
        "R1",
        "DI",
        "00",
        "USD",
        _REFS,
        _DATES,
        (_PARTY,),
        _TERMS,
        (
            InvoiceLine(
                "1", Decimal(2), "CA", Decimal("42.5"), "CT", _IDS, "GLOVES", (_SAC,), (_TAX,), _REFS, _DATES
            ),
        ),
        Decimal("85"),
        Decimal("85"),
        Decimal("83.3"),
        Decimal("1.7"),
        (_TAX,),
        (_SAC,),
        1,
    ),
]


def test_small_documents_round_trip() -> None:
    for document in SMALL_DOCUMENTS:
        check_round_trip(document, Separators("*", ":", "~", "^"), ("00401", "004010"))


@pytest.mark.parametrize("document", SMALL_DOCUMENTS, ids=lambda document: set_id_of(document))
def test_bare_segments_never_crash_the_mappers(document: OutboundDocument) -> None:
    set_id = set_id_of(document)
    interchange, group = envelopes(
        Separators("*", ":", "~", "^"), ("00401", "004010"), FUNCTIONAL_IDS[set_id]
    )
    body = document_segments(document, "004010")
    for position in range(len(body) + 1):
        for bare in BARE_IDS:
            segments = [*body[:position], [bare], *body[position:]]
            text = write_interchange(interchange, [(group, [(set_id, 1, segments, None)])])
            check_mutation(text.encode())
