"""Alembic environment for LLUMI.

The app runs migrations itself (`llumi_core.storage.db.upgrade_schema`): it
opens an async connection and passes its sync facade in
`config.attributes["connection"]` via `AsyncConnection.run_sync`. For
developers, `alembic -c <this dir>/alembic.ini revision --autogenerate`
also works: then the URL comes from `LLUMI_STORAGE__URL` or `sqlalchemy.url`.
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from llumi_core.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables when a later migration needs it.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = os.environ.get("LLUMI_STORAGE__URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set LLUMI_STORAGE__URL or sqlalchemy.url to run Alembic by hand")
    return url


async def _run_with_own_engine() -> None:
    from llumi_core.storage.db import create_engine

    engine = create_engine(_url())
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_configure_and_run)
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
    else:
        asyncio.run(_run_with_own_engine())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
