"""Storage: SQLAlchemy 2.0 (async) repositories over SQLite or PostgreSQL, with Alembic migrations.

Typical start-up (the composition root does this)::

    engine = create_engine(settings.storage.database_url())
    await upgrade_schema(engine)
    repos = build_repositories(session_factory(engine))
    ...
    await engine.dispose()
"""

from ..errors import StorageError
from .db import create_engine, session_factory, upgrade_schema
from .durable import build_repositories

__all__ = ["StorageError", "build_repositories", "create_engine", "session_factory", "upgrade_schema"]
