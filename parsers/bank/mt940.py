"""mt940 statements (being written: issue 4)."""

from __future__ import annotations

from typing import BinaryIO

from ..errors import StatementError
from .result import StatementsResult

__all__ = ["read_mt940"]


def read_mt940(stream: BinaryIO) -> StatementsResult:
    raise StatementError("mt940 statements are not supported yet", code="BANK.UNSUPPORTED")
