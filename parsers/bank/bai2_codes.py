"""BAI2 type codes: what a code's range says (status, credit, debit) and which balances we name.

Ranges (BAI2 version 2): 001-099 account status (balances, floats), 100-399 credits (100 the credits'
summary), 400-699 debits (400 the debits' summary), 700-899 not assigned by BAI, and the banks' own codes
900-919 status, 920-959 credits, 960-999 debits. A code outside them is kept with its amount as written.
"""

from __future__ import annotations

from typing import Final, Literal

from ..documents.bank_statement import BalanceKind

__all__ = ["BALANCE_KINDS", "Direction", "direction"]

Direction = Literal["status", "credit", "debit", "unknown"]

BALANCE_KINDS: Final[dict[str, BalanceKind]] = {
    "010": "opening",  # opening ledger
    "015": "closing",  # closing ledger
    "030": "interim",  # current ledger
    "040": "opening_available",
    "045": "closing_available",
}


def direction(code: str) -> Direction:
    """What the three-digit type ``code`` reports."""
    value = int(code)
    if 1 <= value <= 99 or 900 <= value <= 919:
        return "status"
    if 100 <= value <= 399 or 920 <= value <= 959:
        return "credit"
    if 400 <= value <= 699 or 960 <= value <= 999:
        return "debit"
    return "unknown"
