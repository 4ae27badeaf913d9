"""Import ids for the lines of one statement, unique within it and stable across re-deliveries.

``line_import_id`` (result.py) makes the id; ``StatementLineIds`` makes sure two lines of one statement never
share one: a bank reference that repeats within a statement (a bank's mistake, or a batch reported line by
line under one reference) gets ``#2``, ``#3``... in the order of the file, and lines without a reference
are numbered among identical ones. The same file read again gives the same ids, so nothing is staged twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from .result import line_import_id

__all__ = ["StatementLineIds"]


class StatementLineIds:
    """Hands out the import ids of one statement's lines, in file order."""

    __slots__ = ("_account", "_contents", "_references")

    def __init__(self, account: str) -> None:
        self._account = account
        self._references: dict[str, int] = {}
        self._contents: dict[str, int] = {}

    def assign(self, bank_id: str | None, content: Sequence[object]) -> tuple[str, bool]:
        """The id of the next line, and whether its ``bank_id`` already appeared in this statement."""
        if bank_id:
            seen = self._references.get(bank_id, 0) + 1
            self._references[bank_id] = seen
            if seen == 1:
                return line_import_id(self._account, bank_id, content), False
            return line_import_id(self._account, f"{bank_id}#{seen}", content), True
        first = line_import_id(self._account, None, content, 1)
        seen = self._contents.get(first, 0) + 1
        self._contents[first] = seen
        if seen == 1:
            return first, False
        return line_import_id(self._account, None, content, seen), False
