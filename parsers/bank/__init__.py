"""Bank statements in, ``BankStatement`` documents out: OFX 1.x (SGML) and 2.x (XML), ISO 20022
camt.052 / camt.053 / camt.054, BAI2 and SWIFT MT940.

``parse_statements(source)`` detects the format from the content (or takes the one given), reads every
statement of the file, and checks balances (opening + lines = closing, continuity from one statement of an
account to the next) as warnings. Unreadable input raises ``StatementError``; input refused for safety (an
XML DOCTYPE or entity, too many bytes) raises ``UnsafeInputError``; nothing else escapes.
"""

from __future__ import annotations

from .detect import detect_format
from .parse import parse_statements
from .result import StatementIssue, StatementsResult, check_balances, line_import_id

__all__ = [
    "StatementIssue",
    "StatementsResult",
    "check_balances",
    "detect_format",
    "line_import_id",
    "parse_statements",
]
