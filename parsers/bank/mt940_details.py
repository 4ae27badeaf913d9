"""The ``:86:`` information to account owner: free text, or one of the two structures banks put in it.

* German-style subfields (also Polish, Czech, Triodos with ``>``): a three-digit transaction code, then
  ``?NN`` subfields: ``?00`` posting text, ``?20``-``?29`` and ``?60``-``?63`` remittance, ``?30`` bank code,
  ``?31`` account, ``?32``/``?33`` name, ``?38`` IBAN. Inside the remittance, the SEPA keywords ``EREF+``
  (end-to-end id) and ``SVWZ+`` (the remittance proper) are read when they start a subfield.
* Dutch-style codes (ING, Rabobank, ABN AMRO): ``/EREF/...//CNTP/account/BIC/name/city//REMI/USTD//text/``;
  ``/NAME/``, ``/IBAN/``, ``/BIC/`` and ``REMI/STRD/CUR/reference`` (a structured creditor reference).

Only what these structures mark is taken; anything else stays text. Free text keeps its lines: a line of
the full 65 characters was wrapped by the bank and continues without a break; a shorter one ends a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from ..documents.bank_statement import Counterparty

__all__ = ["Details", "is_iban", "read_details"]

LINE_WIDTH: Final = 65  # of an :86: line
SUBFIELD_WIDTH: Final = 27  # of a ?20-?29 remittance subfield

_SUBFIELDS: Final = re.compile(r"\s*(\d{3})([?>])(?=\d\d)", re.ASCII)
_REMITTANCE_SUBFIELDS: Final = frozenset({*(f"{n}" for n in range(20, 30)), "60", "61", "62", "63"})
_SEPA_KEYWORD: Final = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|COAM|OAMT)\+")
_CODES: Final = (
    "EREF|PREF|MARF|CSID|CNTP|REMI|ORDP|BENM|NAME|ADDR|ISDT|RTRN|IBAN|BIC|PURP|ULTC|ULTD|ULTB|SUM|TRCD|TRTP|"
    "BUSP|CREF|ACCW|OCMT|CHGS|EXCH|SVCL|ID"
)
_CODED: Final = re.compile(rf"/({_CODES})/")
_CODED_START: Final = re.compile(rf"\s*/({_CODES})/")
_NOT_PROVIDED: Final = frozenset({"", "NOTPROVIDED", "NONREF"})
_IBAN: Final = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


@dataclass(frozen=True, slots=True)
class Details:
    remittance: str | None = None
    counterparty: Counterparty | None = None
    end_to_end_id: str | None = None
    structured_reference: str | None = None


def read_details(lines: list[str]) -> Details:
    """What the ``:86:`` lines (first line after the tag, then its continuation lines) say."""
    joined = "".join(lines)  # the structures are wrapped anywhere, mid-word and mid-value
    subfields = _SUBFIELDS.match(joined)
    if subfields is not None:
        return _subfields(subfields.group(2), joined[subfields.end(2) :])
    if _CODED_START.match(joined):
        return _coded(joined)
    return Details(remittance=_free_text(lines))


def _free_text(lines: list[str]) -> str | None:
    pieces = []
    for line in lines:
        pieces.append(line)
        if len(line) < LINE_WIDTH or line.endswith(" "):
            pieces.append("\n")
    kept = (line.strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in kept if line) or None


def _subfields(separator: str, body: str) -> Details:
    """Subfields after the transaction code: ``body`` starts with the number of the first."""
    parts: dict[str, list[str]] = {}
    last: list[str] | None = None
    for piece in body.split(separator):
        if len(piece) >= 2 and piece[:2].isascii() and piece[:2].isdigit():
            last = parts.setdefault(piece[:2], [])
            last.append(piece[2:])
        elif last is not None:  # a separator not followed by two digits is text of the subfield before
            last[-1] += separator + piece
    remittance, end_to_end_id = _sepa_remittance(
        [value for key, values in parts.items() if key in _REMITTANCE_SUBFIELDS for value in values]
    )
    name = _joined([(part, len(part)) for part in parts.get("32", []) + parts.get("33", [])])
    account = _identifier("".join(parts.get("38", []))) or _identifier("".join(parts.get("31", [])))
    bank = _identifier("".join(parts.get("30", [])))
    counterparty = Counterparty(name, account, bank) if (name or account or bank) else None
    return Details(remittance, counterparty, end_to_end_id)


def _sepa_remittance(parts: list[str]) -> tuple[str | None, str | None]:
    """The remittance text and end-to-end id of ?20-?29 subfields, read by SEPA keyword when they have
    them (``EREF+...``, ``SVWZ+...``); the subfields joined when there is no ``SVWZ+``."""
    sections: dict[str, list[tuple[str, int]]] = {}
    current = ""
    for part in parts:
        keyword = _SEPA_KEYWORD.match(part)
        if keyword is not None:
            current = keyword.group(1)
        sections.setdefault(current, []).append((part[keyword.end() :] if keyword else part, len(part)))
    everything = _joined([(part, len(part)) for part in parts])
    end_to_end_id = _joined(sections.get("EREF", []))
    if end_to_end_id is not None and end_to_end_id.upper() in _NOT_PROVIDED:
        end_to_end_id = None
    return _joined(sections.get("SVWZ", [])) or everything, end_to_end_id


def _joined(parts: list[tuple[str, int]]) -> str | None:
    """Subfields (text, width as sent) as one text: a full-width subfield was wrapped by the bank and
    continues without a space."""
    text = ""
    for index, (part, _) in enumerate(parts):
        if index and parts[index - 1][1] < SUBFIELD_WIDTH:
            text += " "
        text += part
    return _clean(text)


def _coded(text: str) -> Details:
    matches = list(_CODED.finditer(text))
    values: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        values.setdefault(match.group(1), text[match.end() : end].strip().rstrip("/"))
    name = values.get("NAME") or None
    account = _identifier(values.get("IBAN", ""))
    bank = _identifier(values.get("BIC", ""))
    if "CNTP" in values:  # account/BIC/name/city
        parts = values["CNTP"].split("/")
        account = account or _identifier(parts[0])
        bank = bank or (_identifier(parts[1]) if len(parts) > 1 else None)
        name = name or (_clean(parts[2]) if len(parts) > 2 else None)
    remittance: str | None = values.get("REMI")
    structured: str | None = None
    if remittance is not None:
        if remittance.startswith("USTD//"):
            remittance = remittance[len("USTD//") :]
        elif remittance.startswith("STRD/"):
            structured = _clean(remittance.split("/", 2)[-1]) if remittance.count("/") >= 2 else None
            remittance = None
        remittance = _clean(remittance.strip("/")) if remittance else None
    end_to_end_id = values.get("EREF") or None
    if end_to_end_id is not None and end_to_end_id.upper() in _NOT_PROVIDED:
        end_to_end_id = None
    name = _clean(name)
    counterparty = Counterparty(name, account, bank) if (name or account or bank) else None
    return Details(remittance, counterparty, end_to_end_id, structured)


def _clean(value: str | None) -> str | None:
    """Inner runs of blanks made one (banks pad subfields), ends trimmed; None when nothing is left."""
    if value is None:
        return None
    return " ".join(value.split()) or None


def _identifier(value: str) -> str | None:
    """An account number, IBAN or bank code without the blanks wrapping and padding put in it."""
    return "".join(value.split()) or None


def is_iban(text: str) -> bool:
    """Whether ``text`` (spaces allowed) is an IBAN with a valid check (ISO 13616, mod 97)."""
    compact = text.replace(" ", "").upper()
    if not _IBAN.fullmatch(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(character, 36)) for character in rearranged)) % 97 == 1
