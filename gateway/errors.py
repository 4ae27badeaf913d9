"""The gateway's own errors, each in the family of ``parsers.errors`` that says what the runtime should do.

::

    EdiGatewayError
    ├── RetryableError                  transient: try the same work again later
    │   ├── StagingUnavailable          the database is locked, busy, full, unreachable or asked us to retry
    │   └── AlreadyStaged               the same content from the same source is staged already: the retry
    │                                   (or the caller, at once) records a duplicate of ``original_id``
    ├── QuarantineError                 bad input (see parsers.errors)
    └── FatalError                      configuration or programming: stop and tell the operator
        ├── ConfigurationError          (parsers.errors)
        ├── StagingIntegrityError       a database constraint the staging API does not handle fired
        ├── StagingStateError           a lifecycle step out of order (a stage going backwards...)
        └── CounterExhausted            a control-number counter reached its maximum: never wrapped

Messages name tables, constraints, codes and ids, never values from the files (prices, patient data).
"""

from __future__ import annotations

from parsers.errors import FatalError, RetryableError

__all__ = [
    "AlreadyStaged",
    "CounterExhausted",
    "StagingIntegrityError",
    "StagingStateError",
    "StagingUnavailable",
]


class StagingUnavailable(RetryableError):
    """The staging database cannot take the work now (lock timeout, disk full, connection refused...)."""


class AlreadyStaged(RetryableError):
    """UNIQUE(source, content_key) fired: this content from this source was staged as ``original_id``."""

    def __init__(self, original_id: int) -> None:
        super().__init__(f"already staged as file {original_id}", code="STAGING.ALREADY_STAGED")
        self.original_id = original_id


class StagingIntegrityError(FatalError):
    """A constraint fired that the staging API does not turn into an outcome: a bug or a hand-edited row."""


class StagingStateError(FatalError):
    """A lifecycle step that cannot follow the current one (e.g. a stage going backwards)."""


class CounterExhausted(FatalError):
    """A control-number counter would pass its maximum; numbers are never reused, so a person must act."""
