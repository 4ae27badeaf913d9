"""The parser suite on the OpenLMIS reference data (../shared/corpus/catalog) and on our golden catalogs.

OpenLMIS files are health-commodity reference data rather than supplier price files; the mappings read
them as a supply chain would: an orderable is sold by the pack of ``netcontent`` dispensing units, a
program's price per pack is a contract price (the program is the contract), a trade item is an item of
its manufacturer, classifications give UNSPSC codes. The lots and identifier files are not catalogs.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import ClassVar

from parsers.catalog import CatalogMapping, parse_catalog
from parsers.documents.catalog import Catalog

from ..parser_suite import CATALOG_CORPUS, ParserSuite
from .test_golden import GOLDEN, MAPPINGS

ORDERABLES = "openlmis__referencedata.orderables.csv"
PROGRAM_ORDERABLES = "openlmis__referencedata.program_orderables.csv"


class _CatalogSuite(ParserSuite):
    corpus = CATALOG_CORPUS
    mapping: ClassVar[CatalogMapping]

    def parse(self, data: bytes) -> object:
        return parse_catalog(data, self.mapping)

    def catalog(self) -> Catalog:
        [path] = self.samples()
        return parse_catalog(path, self.mapping)


class TestOrderables(_CatalogSuite):
    pattern = ORDERABLES
    mutations = 25  # 10,000 rows a sample
    mapping = CatalogMapping(
        supplier_part="code",
        description="fullproductname",
        default_unit="PK",
        each_per_unit="netcontent",
        delimiter=",",
    )

    def test_what_is_read(self) -> None:
        catalog = self.catalog()
        assert len(catalog.items) + len(catalog.rejected) == 10_234
        # A later version of an orderable repeats its code: the first one is kept, the other rejected.
        assert [(r.line, r.reason) for r in catalog.rejected] == [
            (10045, "same part, unit, contract and tier as line 10044")
        ]
        first = catalog.items[0]
        assert (first.line, first.supplier_part, first.unit, first.each_per_unit, first.description) == (
            2,
            "C300",
            "PK",
            Decimal(5),
            "Depo-Estradiol",
        )


class TestProgramOrderables(_CatalogSuite):
    pattern = PROGRAM_ORDERABLES
    mutations = 25
    mapping = CatalogMapping(
        supplier_part="orderableid",
        contract_id="programid",
        price="priceperpack",
        default_unit="EA",  # the file gives no pack contents: the orderable is its own unit here
        delimiter=",",
        required=frozenset({"price"}),
    )

    def test_what_is_read(self) -> None:
        catalog = self.catalog()
        assert len(catalog.items) + len(catalog.rejected) == 10_236
        assert all(item.price is not None and item.price_per_each == item.price for item in catalog.items)
        assert {r.reason for r in catalog.rejected} <= {"price missing"} | {
            f"same part, unit, contract and tier as line {r.line}" for r in catalog.items
        }


class TestTradeItems(_CatalogSuite):
    pattern = "openlmis__referencedata.trade_items.csv"
    mapping = CatalogMapping(supplier_part="id", manufacturer="manufactureroftradeitem", default_unit="EA")

    def test_what_is_read(self) -> None:
        catalog = self.catalog()
        assert (len(catalog.items), catalog.rejected) == (22, ())
        assert catalog.items[1].manufacturer == "BOC Sciences"


class TestTradeItemClassifications(_CatalogSuite):
    pattern = "openlmis__referencedata.trade_item_classifications.csv"
    mapping = CatalogMapping(supplier_part="tradeitemid", unspsc="classificationid", default_unit="EA")

    def test_what_is_read(self) -> None:
        catalog = self.catalog()
        assert (len(catalog.items), catalog.rejected) == (14, ())
        assert catalog.items[0].unspsc == "51201647"


def _golden_suite(name: str) -> type[ParserSuite]:
    class Golden(ParserSuite):
        corpus: ClassVar[Path] = GOLDEN
        pattern = name
        mapping = MAPPINGS[name]

        def parse(self, data: bytes) -> object:
            return parse_catalog(data, self.mapping)

    return Golden


TestGoldenGpo = _golden_suite("gpo_contract_tiers.csv")
TestGoldenCp1252 = _golden_suite("eu_distributor_cp1252.csv")
TestGoldenPharmacy = _golden_suite("pharmacy_ndc_hcpcs.csv")
TestGoldenUtf16 = _golden_suite("legacy_feed_utf16_positional.csv")
