"""A partner's ``[catalog]`` table: its ``CatalogMapping`` written in TOML, checked where it is loaded.

Every key is a ``CatalogMapping`` field of the same name. A column is a header name (matched without regard
to case and spacing) or a 1-based position::

    [catalog]
    supplier_part = "Item Number"
    unit = "UOM"
    gtins = { EA = "GTIN Each", BX = "GTIN Box", CS = "GTIN Case" }
    date_format = "%m/%d/%Y"

What ``CatalogMapping.problems()`` finds (an unknown unit, dates mapped without a format...) is reported
like any other configuration problem, each at its own key (``partners.<id>.catalog.<field>``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

from parsers.catalog import CatalogMapping

__all__ = ["CatalogConfig", "Column"]


def _column(value: Any) -> Any:
    # Checked before the union, so that a wrong type is one problem rather than one per member, and a TOML
    # float (1.0) or boolean is refused rather than silently becoming position 1.
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("a column is a header name (a string) or a 1-based position (an integer)")
    return value


Column = Annotated[str | int, BeforeValidator(_column)]
# How ``CatalogMapping.problems()`` begins each sentence: the field, with a packaging level for GTINs.
_PROBLEM = re.compile(r"(?P<field>[a-z_]+)(?:\[(?P<level>[^\]]*)\])?: (?P<message>.*)", re.DOTALL)


class CatalogConfig(BaseModel):
    """How the partner's catalog file is laid out; only ``supplier_part`` is required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    supplier_part: Column  # the partner's own item number
    unit: Column | None = None  # unit of measure of the price (EA, BX, CS...)
    default_unit: str | None = None  # when no unit column is mapped, or its cell is empty
    each_per_unit: Column | None = None  # eaches in one unit (EA and DZ need none)
    description: Column | None = None
    manufacturer: Column | None = None
    manufacturer_part: Column | None = None
    gtins: dict[str, Column] = Field(default_factory=dict)  # packaging level -> its GTIN column
    gtin: Column | None = None  # one column with the GTIN of each row's own unit
    unspsc: Column | None = None
    ndc: Column | None = None
    hcpcs: Column | None = None
    contract_id: Column | None = None
    contract_tier: Column | None = None
    price: Column | None = None
    currency: Column | None = None
    default_currency: str | None = None  # ISO 4217, when no currency column is mapped or its cell is empty
    effective_date: Column | None = None
    expiry_date: Column | None = None
    minimum_quantity: Column | None = None
    unit_aliases: dict[str, str] = Field(default_factory=dict)  # the partner's spelling -> unit code
    required: list[str] = Field(default_factory=list)  # fields every row must have
    encoding: str | None = None  # default: UTF-8 (BOM or not), UTF-16 by its BOM, else cp1252
    delimiter: str | None = None  # default: sniffed
    decimal_separator: Literal[".", ","] = "."
    thousands_separator: str | None = None  # default: none accepted
    date_format: str | None = None  # strptime format; required when dates are mapped
    header_row: StrictInt | None = None  # 1-based row of the header; default: searched; 0: no header

    @model_validator(mode="after")
    def _usable(self) -> Self:
        problems = self.mapping().problems()
        if problems:
            # One line error per problem, at its field, so that each is reported with its own key.
            raise ValidationError.from_exception_data(
                type(self).__name__, [self._line_error(problem) for problem in problems]
            )
        return self

    def mapping(self) -> CatalogMapping:
        """The ``CatalogMapping`` the catalog parser reads the partner's files with."""
        values = self.model_dump()
        values["required"] = frozenset(values["required"])
        return CatalogMapping(**values)

    def _line_error(self, problem: str) -> InitErrorDetails:
        match = _PROBLEM.fullmatch(problem)
        if match is None or match["field"] not in type(self).model_fields:
            loc: tuple[str, ...] = ()
            message = problem
        else:
            loc = (match["field"],) if match["level"] is None else (match["field"], match["level"])
            message = match["message"]
        value: Any = getattr(self, loc[0]) if loc else None
        error = PydanticCustomError("catalog_mapping", "{problem}", {"problem": message})
        return {"type": error, "loc": loc, "input": value}
