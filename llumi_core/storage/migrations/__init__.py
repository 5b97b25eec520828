"""Alembic migrations for the LLUMI schema; run them with `llumi_core.storage.db.upgrade_schema`."""
