"""bai2 statements (being written: issue 4)."""

from __future__ import annotations

from typing import BinaryIO

from ..errors import StatementError
from .result import StatementsResult

__all__ = ["read_bai2"]


def read_bai2(stream: BinaryIO) -> StatementsResult:
    raise StatementError("bai2 statements are not supported yet", code="BANK.UNSUPPORTED")
