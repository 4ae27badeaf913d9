"""The operator's read-only view of the staging database: ``edi-gateway files list`` and ``files show``.

* ``queries``: typed rows read from the database (never a write);
* ``segments``: the raw segments around an error in a stored original, the faulty element located;
* ``show``: the ``files show`` view and its JSON; ``render``: the same on the terminal;
* ``context``: the configuration and the database, opened the way every operator command opens them;
* ``cli``: the click group ``files``.
"""

from .cli import files

__all__ = ["files"]
