"""A test-only switch: ``EDIGW_TEST_CRASH_AT=<point>`` kills the process (SIGKILL) when it reaches <point>.

The crash-safety tests run the real gateway in a subprocess, stop it dead at each step of the pipeline and
check that a restart stages every file exactly once and loses nothing. The points, in pipeline order:
``hashed``, ``parsed`` (inside the staging transaction, before it commits), ``committed``, ``ack-written``
(an acknowledgement file is written), ``acknowledged`` (all of them are), ``moved`` (the original is in the
archive; neither is marked yet) and ``archived`` (all marked).
"""

from __future__ import annotations

import os
import signal
from typing import Final

__all__ = ["CRASH_POINTS", "crash_point"]

CRASH_POINTS: Final = ("hashed", "parsed", "committed", "ack-written", "acknowledged", "moved", "archived")
_VARIABLE: Final = "EDIGW_TEST_CRASH_AT"


def crash_point(name: str) -> None:
    """Die here, like a power cut, when the switch names this point."""
    if os.environ.get(_VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
