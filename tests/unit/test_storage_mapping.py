"""Storage pieces that need no database: JSON mapping, UTC handling, error translation."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url

from llumi_core.domain import CommunityConfig, CrisisResource, Platform
from llumi_core.errors import StorageError
from llumi_core.storage.db import LOCKED_MESSAGE, ConstraintViolation, translate_error
from llumi_core.storage.models import UTCDateTime
from llumi_core.storage.repositories import config_from_json, config_to_json, split_community


def test_community_config_json_round_trip() -> None:
    config = CommunityConfig(
        Platform.TELEGRAM,
        "-100123",
        enabled_channels=["a"],
        draft_users=["42"],
        custom_resources=[
            CrisisResource("Line", "988", "us", url="https://988lifeline.org", note="call or text")
        ],
        retention_days=0,
    )
    data = config_to_json(config)
    assert "platform" not in data and "community_id" not in data
    assert data["custom_resources"][0] == {
        "name": "Line",
        "contact": "988",
        "region": "us",
        "url": "https://988lifeline.org",
        "note": "call or text",
    }
    assert config_from_json(Platform.TELEGRAM, "-100123", data) == config


def test_config_from_older_or_newer_versions_is_tolerated() -> None:
    newer = {
        "disclosure": "AI-assisted",
        "a_future_setting": True,
        "custom_resources": [{"name": "X", "contact": "1", "region": "uk", "future": 1}],
    }
    got = config_from_json(Platform.DISCORD, "9", newer)
    assert got.disclosure == "AI-assisted"
    assert got.custom_resources == [CrisisResource("X", "1", "uk")]
    assert config_from_json(Platform.DISCORD, "9", {}) == CommunityConfig(Platform.DISCORD, "9")


def test_split_community() -> None:
    assert split_community("discord:123") == ("discord", "123")
    assert split_community("telegram:-100:odd") == ("telegram", "-100:odd")
    with pytest.raises(ValueError, match="platform:id"):
        split_community("no-colon")


def _dialect(name: str) -> Dialect:
    if name == "sqlite":
        return sqlite.dialect()
    return postgresql.asyncpg.dialect()  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("name", ["sqlite", "postgresql"])
def test_utc_datetime_is_aware_utc_both_ways(name: str) -> None:
    dialect = _dialect(name)
    kind = UTCDateTime()
    local = datetime(2025, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5)))
    bound = kind.process_bind_param(local, dialect)
    assert bound is not None
    if name == "sqlite":
        assert bound.tzinfo is None and bound == datetime(2025, 1, 1, 17, 0)  # uniform text for comparisons
    else:
        assert bound == local and bound.utcoffset() == timedelta(0)
    back = kind.process_result_value(bound.replace(tzinfo=None), dialect)
    assert back == local and back is not None and back.tzinfo is UTC
    assert kind.process_bind_param(None, dialect) is None


def _wrapped(orig: Exception, cls: type[sa_exc.DBAPIError] = sa_exc.OperationalError) -> sa_exc.DBAPIError:
    return cls("INSERT INTO drafts ...", {}, orig)


def test_translate_error_messages_are_short_and_content_free() -> None:
    locked = translate_error(_wrapped(sqlite3.OperationalError("database is locked")))
    assert str(locked) == LOCKED_MESSAGE
    dup = translate_error(_wrapped(sqlite3.IntegrityError("UNIQUE constraint failed"), sa_exc.IntegrityError))
    assert isinstance(dup, ConstraintViolation)
    url = make_url("postgresql+asyncpg://llumi:hunter2@db.internal:5433/llumi")
    refused = translate_error(ConnectionRefusedError(111, "Connection refused"), url)
    assert (
        "cannot connect" in str(refused)
        and "db.internal:5433" in str(refused)
        and "hunter2" not in str(refused)
    )
    already = StorageError("x")
    assert translate_error(already) is already
    for err in (locked, dup, refused):
        assert "INSERT" not in str(err) and "Traceback" not in str(err)
