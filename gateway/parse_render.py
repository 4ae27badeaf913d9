"""What ``edi-gateway parse`` prints for each kind of file: the JSON contract, the counts, or a table.

Three views of one result: ``--json`` (the documented contract, see README), ``--summary`` (counts on one
line) and the default rich table. Tables show what the file says (balances, rejected rows' lines and
reasons); rejected rows never show their values, which may be contract prices.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from parsers.bank import StatementsResult
from parsers.documents import Catalog
from parsers.x12.parse import ParseResult

__all__ = [
    "bank_json",
    "bank_summary",
    "catalog_json",
    "catalog_summary",
    "print_bank_table",
    "print_catalog_table",
    "print_x12_table",
    "summary_line",
]


def summary_line(counts: dict[str, Any]) -> str:
    """``name=value`` pairs, the ``--summary`` output of every format."""
    return " ".join(f"{name}={value}" for name, value in counts.items())


# --- Bank statements ----------------------------------------------------------------------------------------


def bank_summary(result: StatementsResult) -> dict[str, int]:
    return {
        "statements": len(result.statements),
        "lines": sum(len(statement.lines) for statement in result.statements),
        "errors": result.error_count,
        "warnings": sum(1 for issue in result.issues if issue.severity == "warning"),
    }


def bank_json(result: StatementsResult) -> dict[str, Any]:
    """``StatementsResult.to_json()`` (the bank contract) and its summary."""
    return {**result.to_json(), "summary": bank_summary(result)}


def print_bank_table(result: StatementsResult, path: Path) -> None:
    console = Console()
    table = Table(title=escape(f"{path.name} ({result.format})"))
    for column in ("#", "account", "currency", "date"):
        # Folded, never cut with an ellipsis: an account number or a balance must be read whole.
        table.add_column(column, overflow="fold")
    for column in ("opening", "closing", "lines", "errors"):
        table.add_column(column, justify="right", overflow="fold")
    for index, statement in enumerate(result.statements, start=1):
        day = statement.period_end or statement.period_start or statement.created  # the statement's date
        errors = sum(1 for i in result.issues if i.statement == index and i.severity == "error")
        table.add_row(
            str(index),
            escape(statement.account),
            escape(statement.currency),
            str(day) if day is not None else "-",
            _amount(statement.opening_balance),
            _amount(statement.closing_balance),
            str(len(statement.lines)),
            str(errors),
        )
    console.print(table)
    for issue in result.issues:
        where = ", ".join(
            f"{name} {value}"
            for name, value in (
                ("statement", issue.statement),
                ("line", issue.line),
                ("record", issue.record),
            )
            if value is not None
        )
        colour = "red" if issue.severity == "error" else "yellow"
        text = escape(issue.message) + (escape(f" ({where})") if where else "")
        console.print(f"[{colour}]{escape(issue.code)}[/{colour}] {text}")


def _amount(value: Decimal | None) -> str:
    return "-" if value is None else format(value, ",f")


# --- Catalogs -----------------------------------------------------------------------------------------------


def catalog_summary(catalog: Catalog) -> dict[str, int]:
    return {"items": len(catalog.items), "rejected": len(catalog.rejected)}


def catalog_json(catalog: Catalog) -> dict[str, Any]:
    """The catalog contract: the items, the rows refused (line, reason, column), notes and the summary."""
    return {"format": "catalog", **catalog.to_json(), "summary": catalog_summary(catalog)}


def print_catalog_table(catalog: Catalog, path: Path) -> None:
    console = Console()
    counts = Table(title=escape(f"{path.name} (catalog)"))
    for column in ("items", "rejected", "encoding", "delimiter"):
        counts.add_column(column)
    counts.add_row(
        str(len(catalog.items)),
        str(len(catalog.rejected)),
        escape(catalog.encoding or "-"),
        escape(repr(catalog.delimiter) if catalog.delimiter else "-"),
    )
    console.print(counts)
    for note in catalog.notes:
        console.print(f"[dim]{escape(note)}[/dim]")
    if catalog.rejected:
        rejected = Table(title="rejected rows")
        for column in ("line", "column", "reason"):
            rejected.add_column(column)
        for row in catalog.rejected:
            rejected.add_row(str(row.line), escape(row.column or "-"), escape(row.reason))
        console.print(rejected)


# --- X12 ----------------------------------------------------------------------------------------------------


def print_x12_table(result: ParseResult, path: Path) -> None:
    console = Console()
    table = Table(title=path.name)
    for column in ("interchange", "group", "set", "control", "segments", "document", "errors"):
        table.add_column(column)
    for interchange in result.interchanges:
        for group in interchange.groups:
            for transaction in group.transactions:
                document = type(transaction.document).__name__ if transaction.document is not None else "-"
                table.add_row(
                    interchange.control_number,
                    f"{group.header.functional_id} {group.header.control_number}",
                    transaction.set_id,
                    transaction.control_number,
                    str(transaction.segment_count),
                    document,
                    str(sum(1 for i in transaction.issues if i.severity == "error")),
                )
    console.print(table)
    for issue in result.all_issues:
        where = ", ".join(
            f"{name} {value}"
            for name, value in (
                ("interchange", issue.interchange),
                ("group", issue.group),
                ("transaction", issue.transaction),
                ("segment", issue.segment),
                ("element", issue.element),
            )
            if value is not None
        )
        colour = "red" if issue.severity == "error" else "yellow"
        console.print(f"[{colour}]{issue.code}[/{colour}] {issue.message}" + (f" ({where})" if where else ""))
