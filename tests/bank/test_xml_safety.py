"""Untrusted XML: entity and DTD attacks, size limits, archives and broken XML are refused with the project's
errors; nothing else escapes, no file or URL is ever read, and the tree stays small while iterating."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from parsers.bank import parse_statements, xml_safety
from parsers.bank.camt import read_camt
from parsers.bank.xml_safety import check_prolog, release, safe_iterparse
from parsers.errors import StatementError, UnsafeInputError

CAMT = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
BODY = f"""<Document xmlns="{CAMT}"><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id>
<Ccy>EUR</Ccy></Acct><Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<AddtlNtryInf>&payload;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>"""

XXE_FILE = f"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY payload SYSTEM "file:///etc/passwd">]>
{BODY}""".encode()
XXE_URL = f"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY payload SYSTEM "http://127.0.0.1:9/leak">]>
{BODY}""".encode()
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE Document [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'.encode()
        for n in range(1, 10)
    )
    + b'<!ENTITY payload "&lol9;">\n]>\n'
    + BODY.encode()
)
PLAIN_DOCTYPE = (
    f'<?xml version="1.0"?>\n<!DOCTYPE Document SYSTEM "camt.053.dtd">\n{BODY.replace("&payload;", "x")}'
)
ATTACKS = {
    "xxe-file": XXE_FILE,
    "xxe-url": XXE_URL,
    "billion-laughs": BILLION_LAUGHS,
    "doctype": PLAIN_DOCTYPE.encode(),
    "doctype-after-comment-and-pi": (
        '<?xml version="1.0"?><!-- statement --><?bank export?>\n' + PLAIN_DOCTYPE.split("\n", 1)[1]
    ).encode(),
    "doctype-after-bom": b"\xef\xbb\xbf" + PLAIN_DOCTYPE.encode(),
    "doctype-utf16": PLAIN_DOCTYPE.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode(
        "utf-16"
    ),
    "doctype-utf16-no-bom": PLAIN_DOCTYPE.replace(
        'version="1.0"', 'version="1.0" encoding="UTF-16LE"'
    ).encode("utf-16-le"),
    "entity-declaration-alone": b'<?xml version="1.0"?><!ENTITY x "y"><Document/>',
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attacks_are_refused_before_parsing(name: str) -> None:
    with pytest.raises(UnsafeInputError) as refused:
        parse_statements(ATTACKS[name], format="camt.053")
    assert refused.value.code == "XML.DOCTYPE"
    assert "root:" not in str(refused.value)


@pytest.mark.parametrize("name", ["xxe-file", "xxe-url", "billion-laughs", "doctype"])
def test_lxml_refuses_them_too_when_the_prolog_check_is_bypassed(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The second line of defence alone: entities unresolved, no DTD, no network, and the DOCTYPE refused.
    monkeypatch.setattr(xml_safety, "check_prolog", lambda head, at_end=True: True)
    with pytest.raises(UnsafeInputError) as refused:
        read_camt(io.BytesIO(ATTACKS[name]))
    assert refused.value.code in ("XML.DOCTYPE", "XML.ENTITY")  # libxml2 stops the laughs itself


def test_entities_stay_unresolved_even_when_read_without_the_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml_safety, "check_prolog", lambda head, at_end=True: True)
    monkeypatch.setattr(xml_safety, "_refuse_doctype", lambda element: None)
    texts = [element.text for _, element in safe_iterparse(io.BytesIO(XXE_FILE), ["{*}AddtlNtryInf"])]
    assert texts == [None]  # the entity node is left as it is: /etc/passwd is never read
    internal = XXE_FILE.replace(b'SYSTEM "file:///etc/passwd"', b'"expanded"')
    texts = [element.text for _, element in safe_iterparse(io.BytesIO(internal), ["{*}AddtlNtryInf"])]
    assert texts == [None]


def test_an_oversized_file_is_refused() -> None:
    entry = b'<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>'
    document = BODY.replace("&payload;", "x").encode().replace(b"<Ntry>", entry * 2000 + b"<Ntry>", 1)
    assert read_camt(io.BytesIO(document)).statements  # within the default limit
    with pytest.raises(UnsafeInputError) as refused:
        read_camt(io.BytesIO(document), max_bytes=50_000)
    assert refused.value.code == "XML.TOO_LARGE"


def test_an_endless_stream_stops_at_the_limit() -> None:
    class Endless(io.RawIOBase):
        def __init__(self) -> None:
            self.sent = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            if self.sent == 0:
                chunk = f'<Document xmlns="{CAMT}"><BkToCstmrStmt><Stmt>'.encode()
            else:
                chunk = b"<AddtlStmtInf>" + b"x" * 4000 + b"</AddtlStmtInf>"
            size = min(len(buffer), len(chunk))
            buffer[:size] = chunk[:size]
            self.sent += size
            return size

    stream = Endless()
    with pytest.raises(UnsafeInputError):
        read_camt(io.BufferedReader(stream), max_bytes=1_000_000)
    assert stream.sent < 1_200_000


def test_a_long_prolog_is_refused() -> None:
    document = b'<?xml version="1.0"?><!--' + b"x" * 100_000 + b"--><Document/>"
    with pytest.raises(UnsafeInputError) as refused:
        read_camt(io.BytesIO(document))
    assert refused.value.code == "XML.PROLOG_TOO_LONG"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "XML.SYNTAX"),
        (b"   \n", "XML.SYNTAX"),
        (b"PK\x03\x04\x14\x00\x00\x00", "XML.ARCHIVE"),
        (b"\x1f\x8b\x08\x00", "XML.ARCHIVE"),
        (b"hello <Document/>", "XML.SYNTAX"),
        (b'<?xml version="1.0"', "XML.SYNTAX"),
        (b"<!-- never closed", "XML.SYNTAX"),
    ],
)
def test_what_is_not_xml_is_a_statement_error(data: bytes, code: str) -> None:
    with pytest.raises(StatementError) as refused:
        read_camt(io.BytesIO(data))
    assert not isinstance(refused.value, UnsafeInputError)
    assert refused.value.code == code


def test_a_zip_delivery_is_refused_with_a_clear_message() -> None:
    with pytest.raises(StatementError, match="zip archive"):
        read_camt(io.BytesIO(b"PK\x03\x04" + b"\x00" * 100))


def test_broken_xml_names_its_place_and_never_its_text() -> None:
    document = BODY.replace("&payload;", "<Nm>CONFIDENTIAL PATIENT</Nm").encode()
    with pytest.raises(StatementError) as refused:
        read_camt(io.BytesIO(document))
    assert "line 3" in str(refused.value)
    assert "CONFIDENTIAL" not in str(refused.value)


def test_an_unknown_declared_encoding_is_a_statement_error() -> None:
    with pytest.raises(StatementError):
        read_camt(io.BytesIO(b'<?xml version="1.0" encoding="x-nonsense"?><Document/>'))


def test_check_prolog_asks_for_more_bytes_when_it_cannot_tell() -> None:
    assert check_prolog(b'<?xml version="1.0"?>', at_end=False) is False
    assert check_prolog(b"<!-", at_end=False) is False
    assert check_prolog(b"<?xml version='1.0'?>\n<!-- a -->\n<Document>", at_end=False) is True


def test_release_keeps_the_tree_small() -> None:
    # lxml reads ahead by one 64 KiB chunk (about 2,300 items here): never the 20,000 of the document.
    document = b"<root>" + b"<item><a>1</a><b>2</b></item>" * 20_000 + b"</root>"
    largest = 0
    root = None
    for _, element in safe_iterparse(io.BytesIO(document), ["item"]):
        root = element.getparent()
        assert root is not None
        largest = max(largest, len(root))
        release(element)
    assert root is not None
    assert largest < 2_500
    assert len(root) <= 1


def test_a_camt_file_path_is_read_the_same() -> None:
    golden = Path(__file__).parents[1] / "golden" / "bank" / "camt_054_gpo_rebate.xml"
    assert parse_statements(golden).to_json() == parse_statements(golden.read_bytes()).to_json()
