"""A partner's ``[bank]`` table: the accounts a bank delivers statements for, and in which formats."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .vocabulary import BankFormat

__all__ = ["AccountId", "BankPartner"]


def _check_account(value: str) -> str:
    if not value or value != value.strip() or not value.isprintable():
        raise ValueError("an account id is the IBAN or account number, without surrounding spaces")
    return value


AccountId = Annotated[str, AfterValidator(_check_account)]


class BankPartner(BaseModel):
    """The partner as a bank. ``accounts`` are informative for now (shown by ``config check --show``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    accounts: list[AccountId] = Field(min_length=1)  # as the statements name them: IBAN or account number
    formats: list[BankFormat] = Field(default_factory=list)  # the formats it may send; empty: any

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        for name in ("accounts", "formats"):
            values: list[str] = getattr(self, name)
            repeated = sorted({value for value in values if values.count(value) > 1})
            if repeated:
                raise ValueError(f"{name} lists {', '.join(repeated)} more than once")
        return self
