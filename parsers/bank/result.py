"""What a bank statement parser returns, the import ids that make re-deliveries harmless, balance checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ..documents.bank_statement import BankStatement, StatementFormat

__all__ = ["StatementIssue", "StatementsResult", "check_balances", "line_import_id"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class StatementIssue:
    """Something wrong or noteworthy in a statement file, with where it is (never an amount or a name)."""

    code: str  # e.g. "BANK.BALANCE", "BANK.CONTINUITY", "BAI2.CONTROL_TOTAL", "OFX.DISCARDED"
    message: str
    severity: Severity = "warning"
    statement: int | None = None  # 1-based index of the statement in the file
    line: int | None = None  # physical line (OFX SGML, BAI2, MT940) or entry number (camt), 1-based
    record: str | None = None  # the record or tag concerned ("16", ":61:", "Ntry", "STMTTRN")

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
            "statement": self.statement,
            "line": self.line,
            "record": self.record,
        }


@dataclass(slots=True)
class StatementsResult:
    """Every statement of one file, and the issues found reading it."""

    format: StatementFormat
    statements: list[BankStatement] = field(default_factory=list)
    issues: list[StatementIssue] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == "error")

    def to_json(self) -> dict[str, Any]:
        """The documented JSON contract of ``edi-gateway parse`` for bank files (see README)."""
        statements = []
        for statement in self.statements:
            data = statement.to_json()
            opening, closing = statement.opening_balance, statement.closing_balance
            data["opening_balance"] = None if opening is None else format(opening, "f")
            data["closing_balance"] = None if closing is None else format(closing, "f")
            statements.append(data)
        return {
            "format": self.format,
            "statements": statements,
            "errors": [issue.to_json() for issue in self.issues],
        }


def line_import_id(account: str, bank_id: str | None, content: Sequence[object], occurrence: int = 1) -> str:
    """A line's stable id: the account and the bank's own transaction id when the bank gives one, else a
    hash of what identifies the line (``content``: dates, amount, references, counterparty, text) and its
    occurrence among identical lines of the same statement (two equal payments on a day are two lines)."""
    if bank_id:
        return f"{account}:{bank_id}"
    digest = hashlib.sha256("\x1f".join("" if part is None else str(part) for part in content).encode())
    return f"{account}:h:{digest.hexdigest()[:24]}:{occurrence}"


def check_balances(statements: Iterable[BankStatement]) -> list[StatementIssue]:
    """Opening + booked lines = closing, per statement; and each statement of an account opening with the
    previous one's closing balance. Warnings: banks are the authority on their own balances."""
    issues: list[StatementIssue] = []
    last_closing: dict[str, Decimal] = {}
    for index, statement in enumerate(statements, start=1):
        opening, closing = statement.opening_balance, statement.closing_balance
        if opening is not None and closing is not None:
            booked = sum((line.amount for line in statement.lines if line.status == "booked"), Decimal(0))
            if opening + booked != closing:
                issues.append(
                    StatementIssue(
                        "BANK.BALANCE",
                        "opening balance plus the booked lines is not the closing balance",
                        statement=index,
                    )
                )
        previous = last_closing.get(statement.account)
        if previous is not None and opening is not None and previous != opening:
            issues.append(
                StatementIssue(
                    "BANK.CONTINUITY",
                    "the opening balance is not the previous statement's closing balance",
                    statement=index,
                )
            )
        if closing is not None:
            last_closing[statement.account] = closing
    return issues
