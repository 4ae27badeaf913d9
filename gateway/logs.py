"""Logging to stderr: readable lines, or JSON lines (``--log-json``) with correlation ids.

Records carry their ids in ``extra={"context": {...}}`` (file id, partner, ISA13, GS06, ST02, document
number, codes, counts). Nothing else from a file ever goes into a log: no names of people, no prices, no
segment content. Exceptions are logged by type and message; the project's messages name positions and
codes only.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

__all__ = ["JsonLinesFormatter", "TextFormatter", "configure_logging"]


def _context(record: logging.LogRecord) -> dict[str, Any]:
    context = getattr(record, "context", None)
    return dict(context) if isinstance(context, dict) else {}


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the context ids, the error if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_context(record),
        }
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = {"type": type(error).__name__, "message": str(error)}
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger: message key=value ...``, readable in a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        time = datetime.fromtimestamp(record.created).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        context = " ".join(f"{key}={value}" for key, value in _context(record).items() if value is not None)
        line = f"{time} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if context:
            line += f" {context}"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            line += f" error={type(error).__name__}: {error}"
        return line


def configure_logging(level: str = "INFO", *, json_lines: bool = False, stream: TextIO | None = None) -> None:
    """Route the ``edigw`` loggers to stderr (or ``stream``) in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLinesFormatter() if json_lines else TextFormatter())
    logger = logging.getLogger("edigw")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    # Libraries we run (watchdog's observer threads) speak in the same format, and only when it matters.
    for name in ("watchdog",):
        library = logging.getLogger(name)
        library.handlers[:] = [handler]
        library.setLevel(max(logging.WARNING, logging.getLevelName(level)))
        library.propagate = False
