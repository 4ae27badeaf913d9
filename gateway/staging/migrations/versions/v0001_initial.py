"""The first schema: every staging table, the operator views and the audit log's append-only triggers.

Revision ID: 0001_initial
Revises:
Create Date: 2026-12-01

Column types are spelled as their storage (not the application's TypeDecorators) so that this revision
stays what it was when later code changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ENUM = sa.String(length=32)
DECIMAL = sa.Text().with_variant(sa.Numeric(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)
JSON_BODY = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

_SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]
_POSTGRESQL_TRIGGERS = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'restrict_violation';
    END $$""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]

# The operator views (VIEWS.md). Plain SQL, the same on SQLite and PostgreSQL. "Latest attempt" is the
# attempt with the highest id of a file: what a reprocess produced replaces, in the views, what came before.
_LATEST = "(SELECT max(a.id) FROM attempts a WHERE a.file_id = {file_id})"

_VIEWS = {
    "v_files": f"""
SELECT
    f.id,
    f.received_at,
    f.source,
    f.original_name AS name,
    f.partner_id AS partner,
    f.kind,
    f.stage,
    f.outcome,
    f.reason,
    (SELECT count(*) FROM attempts a WHERE a.file_id = f.id) AS attempts,
    (SELECT count(*) FROM interchanges i WHERE i.attempt_id = {_LATEST.format(file_id="f.id")})
        AS interchanges,
    (SELECT count(*) FROM transaction_sets t WHERE t.attempt_id = {_LATEST.format(file_id="f.id")})
        AS transactions,
    (SELECT count(*) FROM issues s
        WHERE s.attempt_id = {_LATEST.format(file_id="f.id")} AND s.severity = 'error') AS errors,
    f.duplicate_of_id AS duplicate_of,
    f.size_bytes,
    f.sha256,
    f.stored_path,
    f.archived_at
FROM received_files f""",
    "v_documents": f"""
SELECT
    d.id,
    d.kind,
    d.number,
    d.order_number,
    d.partner_id AS partner,
    d.document_date,
    d.file_id,
    f.original_name AS file_name,
    i.control_number AS interchange_control_number,
    g.control_number AS group_control_number,
    t.set_id,
    t.control_number AS transaction_control_number,
    d.line_count,
    t.status,
    d.currency,
    d.total_amount,
    d.attempt_id
FROM documents d
JOIN received_files f ON f.id = d.file_id
LEFT JOIN transaction_sets t ON t.id = d.transaction_id
LEFT JOIN functional_groups g ON g.id = t.group_id
LEFT JOIN interchanges i ON i.id = t.interchange_id
WHERE d.attempt_id = {_LATEST.format(file_id="d.file_id")}""",
    "v_exceptions": f"""
SELECT
    'error' AS exception,
    f.id AS file_id,
    f.received_at,
    f.original_name AS file_name,
    f.partner_id AS partner,
    f.outcome,
    i.control_number AS interchange_control_number,
    g.control_number AS group_control_number,
    t.set_id,
    t.control_number AS transaction_control_number,
    s.code,
    s.message,
    s.segment,
    s.segment_id,
    s.loop_id,
    s.element,
    s.component,
    s.repetition,
    s.data_element,
    s.id AS issue_id
FROM issues s
JOIN received_files f ON f.id = s.file_id
LEFT JOIN interchanges i ON i.id = s.interchange_id
LEFT JOIN functional_groups g ON g.id = s.group_id
LEFT JOIN transaction_sets t ON t.id = s.transaction_id
WHERE s.severity = 'error' AND s.attempt_id = {_LATEST.format(file_id="s.file_id")}
UNION ALL
SELECT
    f.outcome AS exception,
    f.id AS file_id,
    f.received_at,
    f.original_name AS file_name,
    f.partner_id AS partner,
    f.outcome,
    NULL, NULL, NULL, NULL,
    NULL AS code,
    f.reason AS message,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL
FROM received_files f
WHERE f.outcome IN ('quarantined', 'failed')""",
}


def create_views() -> None:
    for name, query in _VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {query}")


def drop_views() -> None:
    for name in reversed(_VIEWS):
        op.execute(f"DROP VIEW {name}")


def upgrade() -> None:
    op.create_table(
        "control_counters",
        sa.Column("id", ID, nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        sa.Column("last_value", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_control_counters"),
        sa.UniqueConstraint("scope", "kind", name="uq_control_counters_scope_kind"),
    )
    op.create_table(
        "received_files",
        sa.Column("id", ID, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("original_name_raw", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=True),
        sa.Column("kind", ENUM, nullable=False),
        sa.Column("stage", ENUM, nullable=False),
        sa.Column("outcome", ENUM, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("content_key", sa.String(length=64), nullable=True),
        sa.Column("duplicate_of_id", ID, nullable=True),
        sa.Column("stored_path", sa.Text(), nullable=True),
        sa.Column("archived_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"], ["received_files.id"], name="fk_received_files_duplicate_of_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_received_files"),
        sa.UniqueConstraint("source", "content_key", name="uq_received_files_source_content_key"),
    )
    op.create_index("ix_received_files_received_at", "received_files", ["received_at"], unique=False)
    op.create_index("ix_received_files_stage", "received_files", ["stage"], unique=False)
    op.create_table(
        "acknowledgements",
        sa.Column("id", ID, nullable=False),
        sa.Column("direction", ENUM, nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        sa.Column("partner_id", sa.String(length=64), nullable=True),
        sa.Column("file_id", ID, nullable=True),
        sa.Column("interchange_control_number", sa.Text(), nullable=True),
        sa.Column("group_control_number", sa.Text(), nullable=True),
        sa.Column("transaction_control_number", sa.Text(), nullable=True),
        sa.Column("acknowledged_interchange", sa.Text(), nullable=True),
        sa.Column("acknowledged_group", sa.Text(), nullable=True),
        sa.Column("verdict", sa.Text(), nullable=True),
        sa.Column("status", ENUM, nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("written_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_acknowledgements_file_id"),
        sa.PrimaryKeyConstraint("id", name="pk_acknowledgements"),
    )
    op.create_index("ix_acknowledgements_file_id", "acknowledgements", ["file_id"], unique=False)
    op.create_index("ix_acknowledgements_status", "acknowledgements", ["status"], unique=False)
    op.create_table(
        "attempts",
        sa.Column("id", ID, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("parent_id", ID, nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("trigger", ENUM, nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column("stage", ENUM, nullable=False),
        sa.Column("outcome", ENUM, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_attempts_file_id"),
        sa.ForeignKeyConstraint(["parent_id"], ["attempts.id"], name="fk_attempts_parent_id"),
        sa.PrimaryKeyConstraint("id", name="pk_attempts"),
        sa.UniqueConstraint("file_id", "number", name="uq_attempts_file_id_number"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", ID, nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("event", ENUM, nullable=False),
        sa.Column("file_id", ID, nullable=True),
        sa.Column("attempt_id", ID, nullable=True),
        sa.Column("details", JSON_BODY, nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_audit_log_attempt_id"),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_audit_log_file_id"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_table(
        "interchanges",
        sa.Column("id", ID, nullable=False),
        sa.Column("attempt_id", ID, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("sender_qualifier", sa.Text(), nullable=False),
        sa.Column("sender_id", sa.Text(), nullable=False),
        sa.Column("receiver_qualifier", sa.Text(), nullable=False),
        sa.Column("receiver_id", sa.Text(), nullable=False),
        sa.Column("control_number", sa.Text(), nullable=False),
        sa.Column("version", sa.Text(), nullable=True),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("time", sa.Text(), nullable=True),
        sa.Column("usage", sa.Text(), nullable=True),
        sa.Column("ack_requested", sa.Boolean(), nullable=True),
        sa.Column("declared_group_count", sa.Integer(), nullable=True),
        sa.Column("group_count", sa.Integer(), nullable=False),
        sa.Column("status", ENUM, nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_interchanges_attempt_id"),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_interchanges_file_id"),
        sa.PrimaryKeyConstraint("id", name="pk_interchanges"),
    )
    op.create_index("ix_interchanges_attempt_id", "interchanges", ["attempt_id"], unique=False)
    op.create_index(
        "ix_interchanges_sender_qualifier_sender_id_control_number",
        "interchanges",
        ["sender_qualifier", "sender_id", "control_number"],
        unique=False,
    )
    op.create_table(
        "functional_groups",
        sa.Column("id", ID, nullable=False),
        sa.Column("interchange_id", ID, nullable=False),
        sa.Column("attempt_id", ID, nullable=False),
        sa.Column("functional_id", sa.Text(), nullable=False),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("receiver", sa.Text(), nullable=False),
        sa.Column("date", sa.Text(), nullable=False),
        sa.Column("control_number", sa.Text(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("declared_count", sa.Integer(), nullable=True),
        sa.Column("received_count", sa.Integer(), nullable=False),
        sa.Column("accepted_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_functional_groups_attempt_id"),
        sa.ForeignKeyConstraint(
            ["interchange_id"], ["interchanges.id"], name="fk_functional_groups_interchange_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_functional_groups"),
    )
    op.create_index(
        "ix_functional_groups_interchange_id", "functional_groups", ["interchange_id"], unique=False
    )
    op.create_table(
        "transaction_sets",
        sa.Column("id", ID, nullable=False),
        sa.Column("group_id", ID, nullable=True),
        sa.Column("interchange_id", ID, nullable=False),
        sa.Column("attempt_id", ID, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("set_id", sa.Text(), nullable=False),
        sa.Column("control_number", sa.Text(), nullable=False),
        sa.Column("implementation", sa.Text(), nullable=True),
        sa.Column("segment_count", sa.Integer(), nullable=False),
        sa.Column("first_segment", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_transaction_sets_attempt_id"),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_transaction_sets_file_id"),
        sa.ForeignKeyConstraint(["group_id"], ["functional_groups.id"], name="fk_transaction_sets_group_id"),
        sa.ForeignKeyConstraint(
            ["interchange_id"], ["interchanges.id"], name="fk_transaction_sets_interchange_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_transaction_sets"),
    )
    op.create_index("ix_transaction_sets_attempt_id", "transaction_sets", ["attempt_id"], unique=False)
    op.create_index("ix_transaction_sets_group_id", "transaction_sets", ["group_id"], unique=False)
    op.create_table(
        "documents",
        sa.Column("id", ID, nullable=False),
        sa.Column("transaction_id", ID, nullable=True),
        sa.Column("attempt_id", ID, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("kind", ENUM, nullable=False),
        sa.Column("number", sa.Text(), nullable=True),
        sa.Column("order_number", sa.Text(), nullable=True),
        sa.Column("partner_id", sa.String(length=64), nullable=True),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("currency", sa.Text(), nullable=True),
        sa.Column("total_amount", DECIMAL, nullable=True),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("body", JSON_BODY, nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_documents_attempt_id"),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_documents_file_id"),
        sa.ForeignKeyConstraint(
            ["transaction_id"], ["transaction_sets.id"], name="fk_documents_transaction_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_attempt_id", "documents", ["attempt_id"], unique=False)
    op.create_index("ix_documents_kind_number", "documents", ["kind", "number"], unique=False)
    op.create_index("ix_documents_transaction_id", "documents", ["transaction_id"], unique=False)
    op.create_table(
        "issues",
        sa.Column("id", ID, nullable=False),
        sa.Column("attempt_id", ID, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("interchange_id", ID, nullable=True),
        sa.Column("group_id", ID, nullable=True),
        sa.Column("transaction_id", ID, nullable=True),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=True),
        sa.Column("segment_id", sa.Text(), nullable=True),
        sa.Column("loop_id", sa.Text(), nullable=True),
        sa.Column("element", sa.Integer(), nullable=True),
        sa.Column("component", sa.Integer(), nullable=True),
        sa.Column("repetition", sa.Integer(), nullable=True),
        sa.Column("data_element", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name="fk_issues_attempt_id"),
        sa.ForeignKeyConstraint(["file_id"], ["received_files.id"], name="fk_issues_file_id"),
        sa.ForeignKeyConstraint(["group_id"], ["functional_groups.id"], name="fk_issues_group_id"),
        sa.ForeignKeyConstraint(["interchange_id"], ["interchanges.id"], name="fk_issues_interchange_id"),
        sa.ForeignKeyConstraint(["transaction_id"], ["transaction_sets.id"], name="fk_issues_transaction_id"),
        sa.PrimaryKeyConstraint("id", name="pk_issues"),
    )
    op.create_index("ix_issues_attempt_id", "issues", ["attempt_id"], unique=False)
    op.create_table(
        "invoice_lines",
        sa.Column("id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Text(), nullable=True),
        sa.Column("quantity", DECIMAL, nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("unit_price", DECIMAL, nullable=False),
        sa.Column("vendor_part", sa.Text(), nullable=True),
        sa.Column("buyer_part", sa.Text(), nullable=True),
        sa.Column("gtin", sa.Text(), nullable=True),
        sa.Column("ndc", sa.Text(), nullable=True),
        sa.Column("hibc", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_invoice_lines_document_id"),
        sa.PrimaryKeyConstraint("id", name="pk_invoice_lines"),
    )
    op.create_index("ix_invoice_lines_document_id", "invoice_lines", ["document_id"], unique=False)
    op.create_table(
        "po_ack_lines",
        sa.Column("id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Text(), nullable=True),
        sa.Column("quantity", DECIMAL, nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("unit_price", DECIMAL, nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("status_quantity", DECIMAL, nullable=True),
        sa.Column("status_unit", sa.Text(), nullable=True),
        sa.Column("date_qualifier", sa.Text(), nullable=True),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("vendor_part", sa.Text(), nullable=True),
        sa.Column("buyer_part", sa.Text(), nullable=True),
        sa.Column("gtin", sa.Text(), nullable=True),
        sa.Column("ndc", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_po_ack_lines_document_id"),
        sa.PrimaryKeyConstraint("id", name="pk_po_ack_lines"),
    )
    op.create_index("ix_po_ack_lines_document_id", "po_ack_lines", ["document_id"], unique=False)
    op.create_table(
        "purchase_order_lines",
        sa.Column("id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_number", sa.Text(), nullable=True),
        sa.Column("quantity", DECIMAL, nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("unit_price", DECIMAL, nullable=True),
        sa.Column("vendor_part", sa.Text(), nullable=True),
        sa.Column("buyer_part", sa.Text(), nullable=True),
        sa.Column("gtin", sa.Text(), nullable=True),
        sa.Column("ndc", sa.Text(), nullable=True),
        sa.Column("hibc", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("requested_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_purchase_order_lines_document_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_purchase_order_lines"),
    )
    op.create_index(
        "ix_purchase_order_lines_document_id", "purchase_order_lines", ["document_id"], unique=False
    )
    op.create_table(
        "ship_notice_packs",
        sa.Column("id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("parent_id", ID, nullable=True),
        sa.Column("order_number", sa.Text(), nullable=True),
        sa.Column("hl_id", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("sscc", sa.Text(), nullable=True),
        sa.Column("packaging_code", sa.Text(), nullable=True),
        sa.Column("weight", DECIMAL, nullable=True),
        sa.Column("weight_unit", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_ship_notice_packs_document_id"),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["ship_notice_packs.id"], name="fk_ship_notice_packs_parent_id"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ship_notice_packs"),
    )
    op.create_index("ix_ship_notice_packs_document_id", "ship_notice_packs", ["document_id"], unique=False)
    op.create_table(
        "invoice_allowances",
        sa.Column("id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("line_id", ID, nullable=True),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=True),
        sa.Column("amount", DECIMAL, nullable=True),
        sa.Column("percent", DECIMAL, nullable=True),
        sa.Column("rate", DECIMAL, nullable=True),
        sa.Column("quantity", DECIMAL, nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("handling_code", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_invoice_allowances_document_id"),
        sa.ForeignKeyConstraint(["line_id"], ["invoice_lines.id"], name="fk_invoice_allowances_line_id"),
        sa.PrimaryKeyConstraint("id", name="pk_invoice_allowances"),
    )
    op.create_index("ix_invoice_allowances_document_id", "invoice_allowances", ["document_id"], unique=False)
    op.create_table(
        "ship_notice_items",
        sa.Column("id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("pack_id", ID, nullable=True),
        sa.Column("order_number", sa.Text(), nullable=True),
        sa.Column("hl_id", sa.Text(), nullable=False),
        sa.Column("line_number", sa.Text(), nullable=True),
        sa.Column("quantity", DECIMAL, nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("ordered_quantity", DECIMAL, nullable=True),
        sa.Column("ordered_unit", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("vendor_part", sa.Text(), nullable=True),
        sa.Column("buyer_part", sa.Text(), nullable=True),
        sa.Column("gtin", sa.Text(), nullable=True),
        sa.Column("ndc", sa.Text(), nullable=True),
        sa.Column("hibc", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_ship_notice_items_document_id"),
        sa.ForeignKeyConstraint(["pack_id"], ["ship_notice_packs.id"], name="fk_ship_notice_items_pack_id"),
        sa.PrimaryKeyConstraint("id", name="pk_ship_notice_items"),
    )
    op.create_index("ix_ship_notice_items_document_id", "ship_notice_items", ["document_id"], unique=False)
    op.create_table(
        "ship_notice_lots",
        sa.Column("id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("lot_number", sa.Text(), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("production_date", sa.Date(), nullable=True),
        sa.Column("quantity", DECIMAL, nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_ship_notice_lots_document_id"),
        sa.ForeignKeyConstraint(["item_id"], ["ship_notice_items.id"], name="fk_ship_notice_lots_item_id"),
        sa.PrimaryKeyConstraint("id", name="pk_ship_notice_lots"),
    )
    op.create_index("ix_ship_notice_lots_item_id", "ship_notice_lots", ["item_id"], unique=False)
    op.create_index("ix_ship_notice_lots_lot_number", "ship_notice_lots", ["lot_number"], unique=False)
    # ### end Alembic commands ###
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRESQL_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)
    create_views()


def downgrade() -> None:
    drop_views()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.drop_table("audit_log")
    for table in (
        "acknowledgements",
        "issues",
        "invoice_allowances",
        "invoice_lines",
        "ship_notice_lots",
        "ship_notice_items",
        "ship_notice_packs",
        "po_ack_lines",
        "purchase_order_lines",
        "documents",
        "transaction_sets",
        "functional_groups",
        "interchanges",
        "attempts",
        "received_files",
        "control_counters",
    ):
        op.drop_table(table)
