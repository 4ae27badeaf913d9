"""ofx statements (being written: issue 4)."""

from __future__ import annotations

from typing import BinaryIO

from ..errors import StatementError
from .result import StatementsResult

__all__ = ["read_ofx"]


def read_ofx(stream: BinaryIO) -> StatementsResult:
    raise StatementError("ofx statements are not supported yet", code="BANK.UNSUPPORTED")
