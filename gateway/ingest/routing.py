"""Which reader a received file goes to: by its content, and for CSV catalogs (which have no signature) by
its partner's ``[catalog]`` mapping. A file that is none of these is quarantined unread, with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from parsers.detect import HEAD_BYTES, FileFormat, detect_file_format

from ..config import PartnerConfig
from ..config.vocabulary import DocumentKind
from ..received_format import COMPRESSED_MESSAGE, compression_of
from ..staging.states import FileKind

__all__ = ["Route", "route_file"]

RouteFormat = FileFormat | Literal["catalog"]

_KINDS: Final[dict[str, FileKind]] = {
    "x12": FileKind.X12,
    "ofx": FileKind.OFX,
    "camt.052": FileKind.CAMT,
    "camt.053": FileKind.CAMT,
    "camt.054": FileKind.CAMT,
    "bai2": FileKind.BAI2,
    "mt940": FileKind.MT940,
    "catalog": FileKind.CATALOG,
}


@dataclass(frozen=True, slots=True)
class Route:
    """Where a file goes: its kind and format, or why it is refused (``code``, ``reason``)."""

    kind: FileKind
    format: RouteFormat | None = None
    code: str | None = None
    reason: str | None = None

    @property
    def refused(self) -> bool:
        return self.format is None


def route_file(path: bytes, partner: PartnerConfig | None) -> Route:
    """The route of the file at ``path`` (its first bytes only are read)."""
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    compression = compression_of(head)
    if compression is not None:  # first: a stored (uncompressed) zip shows its members' text
        return Route(
            FileKind.UNKNOWN, code="GATEWAY.COMPRESSED", reason=f"a {compression} file: {COMPRESSED_MESSAGE}"
        )
    found = detect_file_format(head)
    if found is not None:
        refusal = _not_expected(found, partner)
        if refusal is not None:
            return Route(_KINDS[found], code="GATEWAY.NOT_EXPECTED", reason=refusal)
        return Route(_KINDS[found], found)
    if not head.strip():
        return Route(FileKind.UNKNOWN, code="GATEWAY.EMPTY", reason="the file is empty")
    if partner is not None and partner.catalog_mapping() is not None:
        return Route(FileKind.CATALOG, "catalog")
    whose = (
        f"partner {partner.id} has no [catalog] mapping"
        if partner is not None
        else "no partner is configured for where it came from"
    )
    return Route(
        FileKind.UNKNOWN,
        code="GATEWAY.UNKNOWN_KIND",
        reason=(
            "not X12 and not a bank statement (OFX, camt.052/053/054, BAI2, MT940); not read as a CSV "
            f"catalog either: {whose}"
        ),
    )


def _not_expected(found: FileFormat, partner: PartnerConfig | None) -> str | None:
    """Why the partner's configuration does not expect a bank file in this format, or None. (What X12
    documents a partner may send is the X12 validation's business, not routing's.)"""
    if found == "x12" or partner is None:
        return None
    if partner.documents and DocumentKind.BANK_STATEMENT not in partner.documents:
        return (
            f"a bank statement ({found}), and partner {partner.id} does not list bank_statement in documents"
        )
    bank = partner.bank
    if bank is not None and bank.formats and found not in bank.formats:
        return f"a bank statement in {found}; partner {partner.id} sends only {', '.join(bank.formats)}"
    return None
