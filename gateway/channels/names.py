"""Names for files we write, from names partners chose (which may hold any bytes).

A received name is kept exactly (bytes) to find the file again, and shown with
``gateway.staging.files.display_name``; it is never used as a path of ours: archived copies are named by
file id plus the conservative ASCII rendering below.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["safe_file_name"]

_UNSAFE_FOR_FILES: Final = re.compile(r"[^A-Za-z0-9._-]+")
_SAFE_NAME_LIMIT: Final = 120
_EXTENSION_LIMIT: Final = 10


def safe_file_name(raw: bytes) -> str:
    """A conservative ASCII rendering of a name for files we write (``..`` and separators cannot appear).

    A long name is shortened in its stem, so that its extension (``.edi``, ``.x12``) survives."""
    text = unicodedata.normalize("NFKD", raw.decode("utf-8", "replace"))
    text = text.encode("ascii", "ignore").decode("ascii")
    safe = _UNSAFE_FOR_FILES.sub("_", text).strip("._-") or "file"
    if len(safe) <= _SAFE_NAME_LIMIT:
        return safe
    stem, dot, extension = safe.rpartition(".")
    if dot and stem and 0 < len(extension) <= _EXTENSION_LIMIT:
        return stem[: _SAFE_NAME_LIMIT - len(extension) - 1].rstrip("._-") + "." + extension
    return safe[:_SAFE_NAME_LIMIT]
