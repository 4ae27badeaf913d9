"""The project's exception tree, grouped by what the runtime should do with the failure.

Every error raised by ``parsers``, ``emitters`` and ``gateway`` derives from ``EdiGatewayError``::

    EdiGatewayError
    ├── RetryableError              transient I/O: try again later, nothing is wrong with the input
    ├── QuarantineError             bad input: keep the bytes, set the file aside with this reason
    │   ├── NotX12Error             no interchange header (ISA) anywhere in the input
    │   ├── InterchangeHeaderError  an ISA was found but cannot be read (separators, fields)
    │   ├── TruncatedInputError     the input ends inside an interchange
    │   ├── DocumentError           a transaction set cannot be turned into a canonical document
    │   ├── StatementError          a bank statement file cannot be read (OFX, camt, BAI2, MT940)
    │   ├── CatalogError            a catalog file cannot be read at all (bad rows are only rejected)
    │   └── UnsafeInputError        refused before reading: a DOCTYPE or entity, too large, a zip bomb
    └── FatalError                  configuration or programming: stop and tell the operator
        ├── ConfigurationError      a setting, spec or companion guide is invalid
        └── WriterError             a value cannot be written with the partner's separators

Exception texts name positions and codes, never the content of business fields (prices, patient data):
operators copy them into tickets and logs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CatalogError",
    "ConfigurationError",
    "DocumentError",
    "EdiGatewayError",
    "FatalError",
    "InterchangeHeaderError",
    "NotX12Error",
    "QuarantineError",
    "RetryableError",
    "SourcePosition",
    "StatementError",
    "TruncatedInputError",
    "UnsafeInputError",
    "WriterError",
]


@dataclass(frozen=True, slots=True)
class SourcePosition:
    """Where in the input something happened; every field optional, 1-based where it is an ordinal."""

    byte_offset: int | None = None
    interchange: str | None = None
    group: str | None = None
    transaction: str | None = None
    segment: int | None = None
    element: int | None = None

    def describe(self) -> str:
        parts = []
        if self.byte_offset is not None:
            parts.append(f"byte {self.byte_offset}")
        if self.interchange is not None:
            parts.append(f"interchange {self.interchange}")
        if self.group is not None:
            parts.append(f"group {self.group}")
        if self.transaction is not None:
            parts.append(f"transaction {self.transaction}")
        if self.segment is not None:
            parts.append(f"segment {self.segment}")
        if self.element is not None:
            parts.append(f"element {self.element}")
        return ", ".join(parts)


class EdiGatewayError(Exception):
    """Base of every error the project raises on purpose."""

    def __init__(self, message: str, *, position: SourcePosition | None = None, code: str | None = None):
        self.message = message
        self.position = position
        self.code = code
        where = position.describe() if position else ""
        super().__init__(f"{message} ({where})" if where else message)


class RetryableError(EdiGatewayError):
    """Transient failure of I/O or a peer: the same work may succeed later."""


class QuarantineError(EdiGatewayError):
    """The input is unusable as it is: keep it, set it aside, report the reason."""


class NotX12Error(QuarantineError):
    """No X12 interchange header was found."""


class InterchangeHeaderError(QuarantineError):
    """An ISA segment was found but its separators or fields cannot be read."""


class TruncatedInputError(QuarantineError):
    """The input ends before the interchange is complete."""


class DocumentError(QuarantineError):
    """A transaction set is well-formed X12 but cannot be turned into its canonical document."""


class StatementError(QuarantineError):
    """A bank statement file is not in the format it claims, or is broken beyond reading."""


class CatalogError(QuarantineError):
    """A catalog file cannot be read at all (encoding, no header, no mapping); single bad rows are rejected
    with their line instead."""


class UnsafeInputError(QuarantineError):
    """Input refused before it is read: an XML DOCTYPE or entity declaration, more bytes than allowed, an
    archive that would expand beyond its limit."""


class FatalError(EdiGatewayError):
    """Configuration or programming error: retrying or quarantining will not help."""


class ConfigurationError(FatalError):
    """A setting, specification or companion guide is invalid."""


class WriterError(FatalError):
    """A value cannot be written as X12 with the chosen separators (it would corrupt the segment)."""
