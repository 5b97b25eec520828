"""Engine, sessions, schema upgrades and error translation for SQLite and PostgreSQL.

One code path serves both back ends: `sqlite+aiosqlite:///path` (the default,
a file in the data directory) and `postgresql+asyncpg://…`. Nothing here runs
at import time; `bot.bootstrap` calls `create_engine` and `upgrade_schema`.

Every database failure leaves this package as a `StorageError` with a short
message a person can act on; driver exceptions and tracebacks go only to the
DEBUG log.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from ..errors import StorageError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_BUSY_TIMEOUT_MS = 5000
LOCKED_MESSAGE = "the database is busy (locked); nothing was lost, please retry"


class ConstraintViolation(StorageError):
    """A unique or foreign-key constraint refused the write (e.g. a second escalation)."""


def _sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for in-memory databases."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the parent directory and fail early, naming the path, if it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the database directory {path.parent}: {exc.strerror or exc}"
        ) from None
    if path.is_dir():
        raise StorageError(f"the database path {path} is a directory, not a file")
    if not path.parent.is_dir():
        raise StorageError(f"cannot use the database path {path}: {path.parent} is not a directory")
    # os.access is advisory (root always passes it), so really try to write: SQLite
    # needs the file and, in WAL mode, its -wal/-shm siblings in the same directory.
    try:
        if path.exists():
            with path.open("ab"):
                pass
        else:
            with tempfile.TemporaryFile(dir=path.parent):
                pass
    except OSError as exc:
        raise StorageError(f"the database path {path} is not writable: {exc.strerror or exc}") from None


def _install_sqlite_pragmas(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _set_pragmas(dbapi_connection: Any, record: Any) -> None:
        record.info["busy_timeout_ms"] = busy_timeout_ms
        cursor = dbapi_connection.cursor()
        try:
            # busy_timeout first: switching to WAL itself needs a lock.
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Blanked and deleted content is overwritten in the file, not left in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()


_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+asyncpg",
}


def _async_driver(url: URL) -> URL:
    """`sqlite://` and `postgresql://` are common in configs: use their async drivers."""
    driver = _ASYNC_DRIVERS.get(url.drivername)
    return url.set(drivername=driver) if driver else url


def create_engine(url: str, *, sqlite_busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> AsyncEngine:
    """An async engine for `url` (sqlite+aiosqlite or postgresql+asyncpg).

    For SQLite the parent directory is created and every connection gets
    WAL journalling, a busy timeout (5 s by default: a writer waits instead of
    failing at once) and enforced foreign keys. Raises StorageError naming the
    path when the file cannot be created or written, or when the URL is bad.
    """
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        raise StorageError(
            "the storage URL is not valid (expected sqlite+aiosqlite:///… or postgresql+asyncpg://…)"
        ) from None
    parsed = _async_driver(parsed)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and (path := _sqlite_path(parsed)) is not None:
        _prepare_sqlite_file(path)
    try:
        engine = create_async_engine(parsed, pool_pre_ping=not is_sqlite)
    except (sa_exc.SQLAlchemyError, ImportError) as exc:
        log.debug("engine creation failed", exc_info=True)
        raise StorageError(
            f"unsupported storage URL scheme {parsed.drivername!r} ({type(exc).__name__}); "
            "use sqlite+aiosqlite:///path or postgresql+asyncpg://user:password@host/db"
        ) from None
    if is_sqlite:
        _install_sqlite_pragmas(engine, sqlite_busy_timeout_ms)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit (repositories copy them into dataclasses)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _describe_target(engine_url: URL | None) -> str:
    if engine_url is None:
        return "the database"
    if engine_url.get_backend_name() == "sqlite":
        return f"the database file {engine_url.database}"
    # Never echo the password.
    host = engine_url.host or "localhost"
    port = f":{engine_url.port}" if engine_url.port else ""
    return f"the database {engine_url.database or ''} at {host}{port}"


_CONNECT_FAILURES = (
    "connection refused",
    "connect call failed",
    "could not connect",
    "name or service not known",
    "temporary failure in name resolution",
    "nodename nor servname",
    "connection was closed",
    "connection reset",
    "timed out",
)


def translate_error(exc: BaseException, engine_url: URL | None = None) -> StorageError:
    """Turn a driver/SQLAlchemy/OS error into a StorageError with a message a person can act on.

    The message names the file or host (never the password) and never includes SQL or data.
    """
    if isinstance(exc, StorageError):
        return exc
    log.debug("database error", exc_info=exc)
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).lower()
    target = _describe_target(engine_url)
    if "database is locked" in text or "database table is locked" in text or "database is busy" in text:
        return StorageError(LOCKED_MESSAGE)
    if isinstance(exc, sa_exc.IntegrityError):
        return ConstraintViolation("the database refused a duplicate or dangling record")
    if 'database "' in text and "does not exist" in text:
        return StorageError(f"{target} does not exist; create it or fix the storage URL")
    if (
        "password authentication failed" in text
        or "invalidpassword" in text
        or "invalidauthorization" in text
    ):
        return StorageError(f"{target} refused the user name or password in the storage URL")
    if "unable to open database file" in text or "readonly database" in text or "read-only" in text:
        return StorageError(f"cannot write {target}; check that the path exists and is writable")
    if "database or disk is full" in text or "disk is full" in text or "no space left" in text:
        return StorageError(f"the disk holding {target} is full")
    if (
        "no such table" in text
        or "undefinedtable" in text
        or ("relation" in text and "does not exist" in text)
    ):
        return StorageError(f"{target} has no schema yet; run the migrations (llumi starts them itself)")
    if (
        isinstance(exc, (OSError, sa_exc.InterfaceError))
        or isinstance(orig, OSError)
        or any(f in text for f in _CONNECT_FAILURES)
    ):
        return StorageError(
            f"cannot connect to {target}; check the storage URL and that the server is running"
        )
    if isinstance(exc, sa_exc.OperationalError):
        return StorageError(f"{target} failed ({type(orig).__name__}); please retry")
    return StorageError(f"{target} failed ({type(exc).__name__}); please retry")


def _is_database_error(exc: BaseException) -> bool:
    # asyncpg raises its own classes for some connect failures; OSError covers refused connections.
    return isinstance(exc, (sa_exc.SQLAlchemyError, OSError)) or type(exc).__module__.startswith("asyncpg")


@asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session in one transaction: commit on success, roll back and translate errors on failure."""
    bind = sessions.kw.get("bind")
    url = bind.url if isinstance(bind, AsyncEngine) else None
    try:
        async with sessions() as session, session.begin():
            yield session
    except Exception as exc:
        if _is_database_error(exc):
            raise translate_error(exc, url) from None
        raise


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


# Another process's upgrade can take longer than a normal write (imports, DDL on a slow,
# loaded disk), so an upgrader waits this long for the write lock, not the usual busy timeout.
UPGRADE_WAIT_MS = 120_000

# Any constant: PostgreSQL advisory lock key that serialises schema upgrades ("LLUMI" in hex-ish).
_UPGRADE_LOCK_KEY = 0x11_C3_1D


def _lock_for_upgrade(connection: Connection) -> None:
    """Serialise concurrent upgraders (two processes starting at once) and make the upgrade atomic.

    SQLite: pysqlite opens no transaction before DDL on its own, so take the write lock
    now; a second upgrader waits (busy timeout), then finds the schema at head.
    PostgreSQL: DDL is transactional; a transaction-scoped advisory lock does the waiting.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout={UPGRADE_WAIT_MS}")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_KEY})


def _upgrade_sync(connection: Connection, revision: str) -> None:
    from alembic import command

    _lock_for_upgrade(connection)
    try:
        command.upgrade(_alembic_config(connection), revision)
    finally:
        if connection.dialect.name == "sqlite":
            # The pooled connection goes back to the normal wait.
            busy_ms = connection.info.get("busy_timeout_ms", DEFAULT_BUSY_TIMEOUT_MS)
            connection.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_ms)}")


def _current_sync(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


# Pauses before trying the upgrade again when SQLite answers "busy" without waiting
# (it does so, rather than deadlock, when two connections race to take the write lock).
_UPGRADE_RETRY_DELAYS_S = (0.25, 0.5, 1.0, 2.0, 4.0)


async def upgrade_schema(engine: AsyncEngine, revision: str = "head") -> None:
    """Run the Alembic migrations up to `revision` (default head). Safe to call at every start,
    from several processes at once: a second upgrader waits, retries, then finds the schema at head."""
    for delay_s in (*_UPGRADE_RETRY_DELAYS_S, None):
        try:
            async with engine.begin() as conn:
                await conn.run_sync(_upgrade_sync, revision)
            return
        except Exception as exc:
            if not _is_database_error(exc):
                raise
            error = translate_error(exc, engine.url)
            if delay_s is None or error.args != (LOCKED_MESSAGE,):
                raise error from None
        await asyncio.sleep(delay_s)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema revision the database is at (None for an empty database)."""
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current_sync)
    except Exception as exc:
        if _is_database_error(exc):
            raise translate_error(exc, engine.url) from None
        raise


async def check_connection(engine: AsyncEngine) -> None:
    """Open a connection and run a trivial query; raises StorageError when that fails."""
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
    except Exception as exc:
        if _is_database_error(exc):
            raise translate_error(exc, engine.url) from None
        raise
