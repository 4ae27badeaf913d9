"""BAI2 (Cash Management Balance Reporting, version 2): file ``01`` / group ``02`` / account ``03`` /
transaction ``16`` records with ``88`` continuations and their trailers ``49`` / ``98`` / ``99``.

One ``BankStatement`` per account per group (``bai2_account``), dated at the group's as-of date; how the
lines are cut into records and fields is in ``bai2_records`` and ``bai2_fields``. Several files one after
the other in one input are read in turn.

The trailers are checked by us, and a mismatch is an error issue with the trailer's line, not an exception
(the statements are still returned; the gateway decides): ``BAI2.CONTROL_TOTAL`` (an account's amounts,
a group's account totals, a file's group totals), ``BAI2.RECORD_COUNT``, ``BAI2.ACCOUNT_COUNT``,
``BAI2.GROUP_COUNT``. A blank control total is not checked. Records out of place (a ``16`` outside an
account, a file that ends before its ``99``...) raise ``StatementError``: the file's structure cannot be
trusted. Warnings: ``BAI2.STRAY_LINE`` (a line without a record code, joined to the record before it),
``BAI2.EMPTY_FIELD``, ``BAI2.UNKNOWN_TYPE_CODE``, ``BAI2.DUPLICATE_REFERENCE``, ``BAI2.GROUP_STATUS``
(a deletion, correction or test group), ``BAI2.VERSION``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, Final

from ..documents.bank_statement import BankStatement
from ..errors import StatementError
from .bai2_account import AccountBuilder, Group, open_account
from .bai2_fields import FieldCursor, parse_amount, parse_count, parse_date
from .bai2_records import Record, read_records
from .result import StatementIssue, StatementsResult

__all__ = ["read_bai2"]

_GROUP_STATUSES: Final = {"2": "deletion", "3": "correction", "4": "test only"}


def read_bai2(stream: BinaryIO) -> StatementsResult:
    """Every account statement of a BAI2 file (see the module docstring)."""
    reader = _Bai2Reader()
    for record in read_records(stream, reader.stray_line):
        reader.handle(record)
    return reader.result()


@dataclass(slots=True)
class _Level:
    """An open file or group: where it started, what it has counted so far."""

    line: int
    records: int
    units: int = 0
    children: int = 0  # groups of a file, accounts of a group


class _Bai2Reader:
    def __init__(self) -> None:
        self._statements: list[BankStatement] = []
        self._issues: list[StatementIssue] = []
        self._file: _Level | None = None
        self._seen_file = False
        self._created: date | None = None
        self._group: _Level | None = None
        self._group_header: Group | None = None
        self._account: AccountBuilder | None = None

    def stray_line(self, line: int) -> None:
        self._issues.append(
            StatementIssue(
                "BAI2.STRAY_LINE",
                "a line without a record code was joined to the record before it",
                line=line,
            )
        )

    def handle(self, record: Record) -> None:
        code = record.code
        if self._file is None and code != "01":
            raise StatementError(
                f"line {record.line}: the file does not begin with a file header (01)", code="BAI2.STRUCTURE"
            )
        if code == "01":
            self._file_header(record)
        elif code == "02":
            self._group_start(record)
        elif code == "03":
            self._account_start(record)
        elif code == "16":
            self._in_account(record, "a transaction (16)").add_transaction(record)
        elif code == "49":
            self._account_end(record)
        elif code == "98":
            self._group_end(record)
        else:
            self._file_end(record)

    def result(self) -> StatementsResult:
        if not self._seen_file:
            raise StatementError("no BAI2 records in the file", code="BAI2.EMPTY")
        if self._file is not None:
            raise StatementError("the file ends before its file trailer (99)", code="BAI2.TRUNCATED")
        return StatementsResult(format="bai2", statements=self._statements, issues=self._issues)

    # -- the levels ----------------------------------------------------------------------------------------

    def _file_header(self, record: Record) -> None:
        if self._file is not None:
            raise StatementError(
                f"line {record.line}: a file header (01) inside a file", code="BAI2.STRUCTURE"
            )
        cursor = FieldCursor(record.bodies)
        for _ in range(2):  # sender, receiver
            cursor.next()
        self._created = parse_date(cursor.next(), f"line {record.line}, file creation date")
        for _ in range(4):  # creation time, file id, physical record length, block size
            cursor.next()
        version = cursor.next()
        if version != "2":
            self._issues.append(
                StatementIssue(
                    "BAI2.VERSION", "the file header does not say version 2", line=record.line, record="01"
                )
            )
        self._file = _Level(line=record.line, records=record.count)
        self._seen_file = True

    def _group_start(self, record: Record) -> None:
        file = self._file
        assert file is not None
        if self._group is not None:
            raise StatementError(
                f"line {record.line}: a group header (02) inside a group", code="BAI2.STRUCTURE"
            )
        where = f"line {record.line}"
        cursor = FieldCursor(record.bodies)
        cursor.next()  # the ultimate receiver
        originator = cursor.next() or None
        status = cursor.next() or ""
        as_of = parse_date(cursor.next(), f"{where}, as-of date")
        cursor.next()  # the as-of time: the canonical statement has no place for it
        currency = (cursor.next() or "").upper() or None
        if status in _GROUP_STATUSES:
            self._issues.append(
                StatementIssue(
                    "BAI2.GROUP_STATUS",
                    f"the group is marked as a {_GROUP_STATUSES[status]}",
                    line=record.line,
                    record="02",
                )
            )
        self._group_header = Group(
            originator=originator, as_of=as_of, currency=currency, created=self._created
        )
        self._group = _Level(line=record.line, records=record.count)
        file.children += 1

    def _account_start(self, record: Record) -> None:
        group = self._group
        if group is None or self._group_header is None:
            raise StatementError(
                f"line {record.line}: an account (03) outside a group", code="BAI2.STRUCTURE"
            )
        if self._account is not None:
            raise StatementError(
                f"line {record.line}: an account (03) before the previous one's trailer (49)",
                code="BAI2.STRUCTURE",
            )
        self._account = open_account(record, self._group_header, len(self._statements) + 1)

    def _account_end(self, record: Record) -> None:
        account = self._in_account(record, "an account trailer (49)")
        group = self._group
        assert group is not None
        cursor = FieldCursor(record.bodies)
        total = _optional_amount(cursor.next(), record)
        count = parse_count(cursor.next(), f"line {record.line}, number of records")
        account.records += record.count
        if total is not None and total != account.units:
            self._error(
                "BAI2.CONTROL_TOTAL", "the account's control total is not the sum of its amounts", record
            )
        if count is not None and count != account.records:
            self._error(
                "BAI2.RECORD_COUNT", "the account's record count is not its number of records", record
            )
        self._statements.append(account.finish())
        self._issues.extend(account.issues)
        group.units += account.units if total is None else total
        group.records += account.records
        group.children += 1
        self._account = None

    def _group_end(self, record: Record) -> None:
        group = self._group
        file = self._file
        assert file is not None
        if group is None or self._account is not None:
            raise StatementError(
                f"line {record.line}: a group trailer (98) outside a group or inside an account",
                code="BAI2.STRUCTURE",
            )
        cursor = FieldCursor(record.bodies)
        total = _optional_amount(cursor.next(), record)
        accounts = parse_count(cursor.next(), f"line {record.line}, number of accounts")
        count = parse_count(cursor.next(), f"line {record.line}, number of records")
        group.records += record.count
        if total is not None and total != group.units:
            self._error(
                "BAI2.CONTROL_TOTAL", "the group's control total is not the sum of its accounts'", record
            )
        if accounts is not None and accounts != group.children:
            self._error("BAI2.ACCOUNT_COUNT", "the group's number of accounts is not what it holds", record)
        if count is not None and count != group.records:
            self._error("BAI2.RECORD_COUNT", "the group's record count is not its number of records", record)
        file.units += group.units if total is None else total
        file.records += group.records
        self._group = None
        self._group_header = None

    def _file_end(self, record: Record) -> None:
        file = self._file
        assert file is not None
        if self._group is not None:
            raise StatementError(
                f"line {record.line}: a file trailer (99) inside a group", code="BAI2.STRUCTURE"
            )
        cursor = FieldCursor(record.bodies)
        total = _optional_amount(cursor.next(), record)
        groups = parse_count(cursor.next(), f"line {record.line}, number of groups")
        count = parse_count(cursor.next(), f"line {record.line}, number of records")
        file.records += record.count
        if total is not None and total != file.units:
            self._error(
                "BAI2.CONTROL_TOTAL", "the file's control total is not the sum of its groups'", record
            )
        if groups is not None and groups != file.children:
            self._error("BAI2.GROUP_COUNT", "the file's number of groups is not what it holds", record)
        if count is not None and count != file.records:
            self._error("BAI2.RECORD_COUNT", "the file's record count is not its number of records", record)
        self._file = None

    # -- helpers -------------------------------------------------------------------------------------------

    def _in_account(self, record: Record, what: str) -> AccountBuilder:
        if self._account is None:
            raise StatementError(f"line {record.line}: {what} outside an account", code="BAI2.STRUCTURE")
        return self._account

    def _error(self, code: str, message: str, record: Record) -> None:
        statement = self._account.number if self._account is not None and record.code == "49" else None
        self._issues.append(
            StatementIssue(
                code, message, severity="error", statement=statement, line=record.line, record=record.code
            )
        )


def _optional_amount(text: str | None, record: Record) -> int | None:
    return parse_amount(text, f"line {record.line}, control total") if text else None
