"""Bank statements and their deduplicated lines; supplier catalog versions, items, GTINs, rejected rows and
changes; the views ``v_bank_lines`` and ``v_catalog_changes``.

Revision ID: 0002_bank_and_catalogs
Revises: 0001_initial
Create Date: 2026-12-08

Column types are spelled as their storage, as in 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_bank_and_catalogs"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ENUM = sa.String(length=32)
DECIMAL = sa.Text().with_variant(sa.Numeric(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)
JSON_BODY = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# Operator views (VIEWS.md), plain SQL the same on both dialects. Lines are deduplicated across deliveries:
# a line's statement, and so its file, is the delivery that first brought it.
_VIEWS = {
    "v_bank_lines": """
SELECT
    l.id,
    l.account,
    s.currency,
    l.import_id,
    l.status,
    l.booking_date,
    l.value_date,
    l.amount,
    l.bank_reference,
    l.customer_reference,
    l.end_to_end_id,
    l.uetr,
    l.transaction_code,
    l.counterparty_name,
    l.counterparty_account,
    l.counterparty_bank,
    l.remittance,
    l.structured_reference,
    l.reversal,
    s.format,
    s.statement_id AS statement_reference,
    l.statement_id,
    s.partner_id AS partner,
    l.first_seen_file_id AS file_id,
    f.original_name AS file_name,
    f.received_at,
    l.last_seen_file_id,
    l.updated_at
FROM bank_statement_lines l
JOIN bank_statements s ON s.id = l.statement_id
JOIN received_files f ON f.id = l.first_seen_file_id""",
    "v_catalog_changes": """
SELECT
    c.id,
    v.partner_id AS partner,
    v.number AS version,
    c.version_id,
    v.previous_version_id,
    v.file_id,
    f.original_name AS file_name,
    f.received_at,
    c.kind,
    c.supplier_part,
    c.unit,
    c.contract_id,
    c.contract_tier,
    c.old_price,
    c.new_price,
    c.old_effective_date,
    c.new_effective_date,
    c.old_expiry_date,
    c.new_expiry_date
FROM catalog_changes c
JOIN catalog_versions v ON v.id = c.version_id
JOIN received_files f ON f.id = v.file_id""",
}

# Children first: the order in which downgrade drops them.
_TABLES = (
    "catalog_changes",
    "catalog_rejected_rows",
    "catalog_item_gtins",
    "catalog_items",
    "catalog_versions",
    "bank_statement_lines",
    "bank_statements",
)


def upgrade() -> None:
    op.create_table(
        "bank_statements",
        sa.Column("id", ID, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("attempt_id", ID, nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=True),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("statement_id", sa.Text(), nullable=True),
        sa.Column("bank", sa.Text(), nullable=True),
        sa.Column("created", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("opening_balance", DECIMAL, nullable=True),
        sa.Column("opening_date", sa.Date(), nullable=True),
        sa.Column("closing_balance", DECIMAL, nullable=True),
        sa.Column("closing_date", sa.Date(), nullable=True),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("lines_new", sa.Integer(), nullable=False),
        sa.Column("lines_known", sa.Integer(), nullable=False),
        sa.Column("lines_upgraded", sa.Integer(), nullable=False),
        sa.Column("body", JSON_BODY, nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_bank_statements_attempt_id"),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_bank_statements_file_id"),
        sa.PrimaryKeyConstraint("id", name="pk_bank_statements"),
    )
    op.create_index("ix_bank_statements_account", "bank_statements", ["account"], unique=False)
    op.create_index("ix_bank_statements_attempt_id", "bank_statements", ["attempt_id"], unique=False)
    op.create_index("ix_bank_statements_file_id", "bank_statements", ["file_id"], unique=False)
    op.create_table(
        "bank_statement_lines",
        sa.Column("id", ID, nullable=False),
        sa.Column("statement_id", ID, nullable=False),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("import_id", sa.Text(), nullable=False),
        sa.Column("amount", DECIMAL, nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=True),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("status", ENUM, nullable=False),
        sa.Column("bank_reference", sa.Text(), nullable=True),
        sa.Column("customer_reference", sa.Text(), nullable=True),
        sa.Column("end_to_end_id", sa.Text(), nullable=True),
        sa.Column("uetr", sa.Text(), nullable=True),
        sa.Column("transaction_code", sa.Text(), nullable=True),
        sa.Column("counterparty_name", sa.Text(), nullable=True),
        sa.Column("counterparty_account", sa.Text(), nullable=True),
        sa.Column("counterparty_bank", sa.Text(), nullable=True),
        sa.Column("remittance", sa.Text(), nullable=True),
        sa.Column("structured_reference", sa.Text(), nullable=True),
        sa.Column("reversal", sa.Boolean(), nullable=False),
        sa.Column("first_seen_file_id", ID, nullable=False),
        sa.Column("last_seen_file_id", ID, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["first_seen_file_id"], ["received_files.id"], name="fk_bank_statement_lines_first_seen_file_id"
        ),
        sa.ForeignKeyConstraint(
            ["last_seen_file_id"], ["received_files.id"], name="fk_bank_statement_lines_last_seen_file_id"
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"], ["bank_statements.id"], name="fk_bank_statement_lines_statement_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_bank_statement_lines"),
        sa.UniqueConstraint("account", "import_id", name="uq_bank_statement_lines_account_import_id"),
    )
    op.create_index(
        "ix_bank_statement_lines_account_booking_date",
        "bank_statement_lines",
        ["account", "booking_date"],
        unique=False,
    )
    op.create_index(
        "ix_bank_statement_lines_first_seen_file_id",
        "bank_statement_lines",
        ["first_seen_file_id"],
        unique=False,
    )
    op.create_index(
        "ix_bank_statement_lines_last_seen_file_id",
        "bank_statement_lines",
        ["last_seen_file_id"],
        unique=False,
    )
    op.create_index(
        "ix_bank_statement_lines_statement_id", "bank_statement_lines", ["statement_id"], unique=False
    )
    op.create_table(
        "catalog_versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("attempt_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("previous_version_id", ID, nullable=True),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.Column("encoding", sa.Text(), nullable=True),
        sa.Column("delimiter", sa.Text(), nullable=True),
        sa.Column("notes", JSON_BODY, nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_catalog_versions_attempt_id"),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_catalog_versions_file_id"),
        sa.ForeignKeyConstraint(
            ["previous_version_id"], ["catalog_versions.id"], name="fk_catalog_versions_previous_version_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_versions"),
        sa.UniqueConstraint("partner_id", "number", name="uq_catalog_versions_partner_id_number"),
    )
    op.create_index("ix_catalog_versions_attempt_id", "catalog_versions", ["attempt_id"], unique=False)
    op.create_index("ix_catalog_versions_file_id", "catalog_versions", ["file_id"], unique=False)
    op.create_table(
        "catalog_items",
        sa.Column("id", ID, nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("supplier_part", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("each_per_unit", DECIMAL, nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("manufacturer", sa.Text(), nullable=True),
        sa.Column("manufacturer_part", sa.Text(), nullable=True),
        sa.Column("unspsc", sa.Text(), nullable=True),
        sa.Column("ndc", sa.Text(), nullable=True),
        sa.Column("hcpcs", sa.Text(), nullable=True),
        sa.Column("contract_id", sa.Text(), nullable=True),
        sa.Column("contract_tier", sa.Text(), nullable=True),
        sa.Column("price", DECIMAL, nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("price_per_each", DECIMAL, nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("minimum_quantity", DECIMAL, nullable=True),
        sa.ForeignKeyConstraint(["version_id"], ["catalog_versions.id"], name="fk_catalog_items_version_id"),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_items"),
    )
    op.create_index(
        "ix_catalog_items_version_id_supplier_part",
        "catalog_items",
        ["version_id", "supplier_part"],
        unique=False,
    )
    op.create_table(
        "catalog_item_gtins",
        sa.Column("id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("gtin", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["catalog_items.id"], name="fk_catalog_item_gtins_item_id"),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_item_gtins"),
    )
    op.create_index("ix_catalog_item_gtins_gtin", "catalog_item_gtins", ["gtin"], unique=False)
    op.create_index("ix_catalog_item_gtins_item_id", "catalog_item_gtins", ["item_id"], unique=False)
    op.create_table(
        "catalog_rejected_rows",
        sa.Column("id", ID, nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("column", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["catalog_versions.id"], name="fk_catalog_rejected_rows_version_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_rejected_rows"),
    )
    op.create_index(
        "ix_catalog_rejected_rows_version_id", "catalog_rejected_rows", ["version_id"], unique=False
    )
    op.create_table(
        "catalog_changes",
        sa.Column("id", ID, nullable=False),
        sa.Column("version_id", ID, nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        sa.Column("supplier_part", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("contract_id", sa.Text(), nullable=True),
        sa.Column("contract_tier", sa.Text(), nullable=True),
        sa.Column("old_price", DECIMAL, nullable=True),
        sa.Column("new_price", DECIMAL, nullable=True),
        sa.Column("old_effective_date", sa.Date(), nullable=True),
        sa.Column("new_effective_date", sa.Date(), nullable=True),
        sa.Column("old_expiry_date", sa.Date(), nullable=True),
        sa.Column("new_expiry_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["catalog_versions.id"], name="fk_catalog_changes_version_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_catalog_changes"),
    )
    op.create_index("ix_catalog_changes_version_id", "catalog_changes", ["version_id"], unique=False)
    for name, query in _VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {query}")


def downgrade() -> None:
    for name in reversed(_VIEWS):
        op.execute(f"DROP VIEW {name}")
    for table in _TABLES:
        op.drop_table(table)
