"""camt statements (being written: issue 4)."""

from __future__ import annotations

from typing import BinaryIO

from ..errors import StatementError
from .result import StatementsResult

__all__ = ["read_camt"]


def read_camt(stream: BinaryIO) -> StatementsResult:
    raise StatementError("camt statements are not supported yet", code="BANK.UNSUPPORTED")
