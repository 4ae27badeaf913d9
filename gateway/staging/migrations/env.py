"""Alembic environment: online only, on the connection ``Database.upgrade`` hands over (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from gateway.staging.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through gateway.staging.database.Database.upgrade()")

context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
