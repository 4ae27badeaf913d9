"""Units of measure: a small closed table of the codes healthcare catalogs use, and their common spellings.

Codes are the two-letter unit-of-measure codes of US healthcare purchasing (X12 element 355 style), as
the gateway's purchase orders carry them, so a catalog's ``BX`` is the purchase order's ``BX``. A partner's
own spellings are added by its mapping (``CatalogMapping.unit_aliases``); a unit that is neither a code nor
an alias rejects the row: a guessed unit would make the price per each wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = ["EACHES_BY_DEFINITION", "UNIT_SPELLINGS", "UnitOfMeasure", "known_unit", "unit_table"]


class UnitOfMeasure(StrEnum):
    EACH = "EA"
    BOX = "BX"
    CASE = "CS"
    CASE_X12 = "CA"  # X12 "case" (some distributors send CA, others CS: both kept as sent)
    CARTON = "CT"
    PACK = "PK"
    PACKAGE = "PG"
    DOZEN = "DZ"
    BAG = "BG"
    BOTTLE = "BT"
    KIT = "KT"
    PAIR = "PR"
    ROLL = "RL"
    TUBE = "TB"
    VIAL = "VL"
    AMPOULE = "AM"
    TRAY = "TY"
    PALLET = "PL"


# Spellings seen in supplier files, upper-cased; the codes themselves are added by ``unit_table``.
UNIT_SPELLINGS: Final[Mapping[str, UnitOfMeasure]] = MappingProxyType(
    {
        "EACH": UnitOfMeasure.EACH,
        "EACHES": UnitOfMeasure.EACH,
        "BOX": UnitOfMeasure.BOX,
        "BOXES": UnitOfMeasure.BOX,
        "CASE": UnitOfMeasure.CASE,
        "CASES": UnitOfMeasure.CASE,
        "CARTON": UnitOfMeasure.CARTON,
        "PACK": UnitOfMeasure.PACK,
        "PKG": UnitOfMeasure.PACKAGE,
        "PACKAGE": UnitOfMeasure.PACKAGE,
        "DOZEN": UnitOfMeasure.DOZEN,
        "BAG": UnitOfMeasure.BAG,
        "BOTTLE": UnitOfMeasure.BOTTLE,
        "KIT": UnitOfMeasure.KIT,
        "PAIR": UnitOfMeasure.PAIR,
        "ROLL": UnitOfMeasure.ROLL,
        "TUBE": UnitOfMeasure.TUBE,
        "VIAL": UnitOfMeasure.VIAL,
        "AMPOULE": UnitOfMeasure.AMPOULE,
        "AMPULE": UnitOfMeasure.AMPOULE,
        "TRAY": UnitOfMeasure.TRAY,
        "PALLET": UnitOfMeasure.PALLET,
    }
)

# Eaches in a unit when the unit says it by definition (other units need the partner's each-per-unit column).
EACHES_BY_DEFINITION: Final[Mapping[str, int]] = MappingProxyType(
    {UnitOfMeasure.EACH.value: 1, UnitOfMeasure.DOZEN.value: 12}
)


def unit_table(aliases: Mapping[str, str]) -> dict[str, str]:
    """Every accepted spelling (upper-cased) -> its code: the codes, the common spellings, then the
    partner's aliases (which win). Aliases whose target is not a code are left out: the mapping's
    ``problems()`` reports them."""
    table = {unit.value: unit.value for unit in UnitOfMeasure}
    table.update((spelling, unit.value) for spelling, unit in UNIT_SPELLINGS.items())
    for spelling, target in aliases.items():
        code = table.get(target.strip().upper())
        if code is not None and code == target.strip().upper():
            table[spelling.strip().upper()] = code
    return table


def known_unit(code: str) -> bool:
    """Whether ``code`` is one of the table's codes (not a spelling)."""
    return code in UnitOfMeasure._value2member_map_
