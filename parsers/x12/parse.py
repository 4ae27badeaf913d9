"""Read, validate and map in one pass: the entry point most callers want.

``parse_transactions`` streams (one transaction set in memory at a time); ``parse_x12`` builds the whole
``ParseResult`` for a file, which the CLI prints as the documented JSON contract.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import DocumentError
from .model import InterchangeResult, TransactionResult, TransactionSet, X12Issue
from .reader import X12Reader

__all__ = ["ParseResult", "Source", "parse_transactions", "parse_x12"]

Source = BinaryIO | bytes | str | Path
Validator = Callable[[TransactionSet], list[X12Issue]]


def _default_validator(guides: Mapping[str, Mapping[str, Any]] | None) -> Validator:
    from .spec import apply_companion_guide, load_spec
    from .validate import validate_transaction

    if not guides:
        return validate_transaction

    def validate(transaction: TransactionSet) -> list[X12Issue]:
        spec = load_spec(transaction.set_id, transaction.version)
        overrides = guides.get(transaction.set_id)
        if spec is not None and overrides:
            spec = apply_companion_guide(spec, overrides)
        return validate_transaction(transaction, spec)

    return validate


def parse_transactions(
    source: Source,
    *,
    validate: bool = True,
    documents: bool = True,
    keep_results: bool = True,
    companion_guides: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[X12Reader, Iterator[tuple[TransactionSet, TransactionResult]]]:
    """Stream the transaction sets of ``source``, each validated and mapped to its canonical document.

    ``companion_guides`` maps a transaction set id ("850") to a partner's overrides of its specification.
    The reader's interchange/group results and file-level notes are complete once the iterator is exhausted.
    """
    reader = X12Reader(source, keep_results=keep_results)
    validator = _default_validator(companion_guides) if validate else None
    mapper: Callable[[TransactionSet], object | None] | None = None
    if documents:
        from .documents import map_transaction as mapper

    def run() -> Iterator[tuple[TransactionSet, TransactionResult]]:
        for transaction, result in reader.transactions():
            if validator is not None:
                result.issues.extend(validator(transaction))
            if mapper is not None:
                try:
                    result.document = mapper(transaction)
                except DocumentError as error:
                    # Validation errors already explain it; otherwise say it here, with its position.
                    if result.accepted:
                        position = error.position
                        result.issues.append(
                            X12Issue(
                                code="AK5.5",
                                message=error.message,
                                interchange=transaction.interchange.control_number,
                                group=transaction.group.control_number,
                                transaction=transaction.control_number,
                                segment=position.segment if position else None,
                                element=position.element if position else None,
                            )
                        )
            yield transaction, result

    return reader, run()


@dataclass(slots=True)
class ParseResult:
    """Everything read from one X12 file."""

    interchanges: list[InterchangeResult]
    issues: list[X12Issue] = field(default_factory=list)

    @property
    def all_issues(self) -> list[X12Issue]:
        found = list(self.issues)
        for interchange in self.interchanges:
            found += interchange.issues
            for group in interchange.groups:
                found += group.issues
                for transaction in group.transactions:
                    found += transaction.issues
        return found

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.all_issues if issue.severity == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for issue in self.all_issues if issue.severity == "warning")

    def summary(self) -> dict[str, int]:
        groups = [g for i in self.interchanges for g in i.groups]
        return {
            "interchanges": len(self.interchanges),
            "groups": len(groups),
            "transactions": sum(g.received for g in groups),
            "errors": self.error_count,
            "warnings": self.warning_count,
        }

    def to_json(self) -> dict[str, Any]:
        """The documented JSON contract of ``edi-gateway parse --json`` (see README)."""
        return {
            "format": "x12",
            "interchanges": [_interchange_json(i) for i in self.interchanges],
            "errors": [issue.to_json() for issue in self.issues],
            "summary": self.summary(),
        }


def parse_x12(
    source: Source,
    *,
    validate: bool = True,
    documents: bool = True,
    companion_guides: Mapping[str, Mapping[str, Any]] | None = None,
) -> ParseResult:
    """Read a whole file into a ``ParseResult`` (documents kept: meant for files of ordinary size)."""
    reader, transactions = parse_transactions(
        source, validate=validate, documents=documents, companion_guides=companion_guides
    )
    for _ in transactions:
        pass
    return ParseResult(interchanges=reader.interchanges, issues=reader.issues)


def _document_json(document: object) -> Any:
    to_json = getattr(document, "to_json", None)
    return to_json() if callable(to_json) else None


def _ta1_json(segment: list[str]) -> dict[str, Any] | None:
    """A TA1 the partner sent, as an ``InterchangeAck`` (None when it is too broken to read)."""
    from .documents import map_ta1

    try:
        return map_ta1(segment).to_json()
    except DocumentError:
        return None


def _interchange_json(interchange: InterchangeResult) -> dict[str, Any]:
    header = interchange.header
    return {
        "index": interchange.index,
        "control_number": interchange.control_number,
        "sender": {"qualifier": interchange.sender_qualifier, "id": interchange.sender_id},
        "receiver": {"qualifier": interchange.receiver_qualifier, "id": interchange.receiver_id},
        "version": header.version if header else None,
        "date": header.date if header else None,
        "time": header.time if header else None,
        "usage": header.usage if header else None,
        "acknowledgment_requested": header.ack_requested == "1" if header else None,
        "ta1_count": len(interchange.ta1_segments),
        "ta1": [_ta1_json(segment) for segment in interchange.ta1_segments],
        "groups": [
            {
                "functional_id": group.header.functional_id,
                "control_number": group.header.control_number,
                "version": group.header.version,
                "sender": group.header.sender,
                "receiver": group.header.receiver,
                "date": group.header.date,
                "transactions": [
                    {
                        "set_id": transaction.set_id,
                        "control_number": transaction.control_number,
                        "implementation": transaction.implementation,
                        "segment_count": transaction.segment_count,
                        "document": _document_json(transaction.document),
                        "errors": [issue.to_json() for issue in transaction.issues],
                    }
                    for transaction in group.transactions
                ],
                "errors": [issue.to_json() for issue in group.issues],
            }
            for group in interchange.groups
        ],
        "errors": [issue.to_json() for issue in interchange.issues],
    }
