"""The storage layer against real databases: a SQLite file in tmp_path, and PostgreSQL.

PostgreSQL cases run when LLUMI_TEST_POSTGRES_URL is set; otherwise they skip.
`export LLUMI_TEST_POSTGRES_URL="$(.ci/postgres.sh)"` starts one on loopback and sets it.
Each PostgreSQL case starts from an empty schema.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from llumi_core.domain import (
    Actor,
    AuditAction,
    AuditEntry,
    Change,
    ChangeKind,
    CommunityConfig,
    CrisisResource,
    Draft,
    DraftKind,
    DraftStatus,
    OutputIssue,
    Platform,
    PostRef,
    Rating,
    RiskAssessment,
    RiskLevel,
    utcnow,
)
from llumi_core.errors import NotFound, StorageError
from llumi_core.ports import Repositories
from llumi_core.storage.db import (
    LOCKED_MESSAGE,
    MIGRATIONS_DIR,
    create_engine,
    current_revision,
    session_factory,
    upgrade_schema,
)
from llumi_core.storage.durable import DurableDraftRepository, RetryPolicy, build_repositories
from llumi_core.storage.models import Base

POSTGRES_URL = os.environ.get("LLUMI_TEST_POSTGRES_URL", "")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
TABLES = {"communities", "drafts", "ratings", "audit_log", "escalations", "optouts", "alembic_version"}

MOD = Actor(Platform.DISCORD, "mod-1", "Moderator One")
GUILD = "111"


def head_revision() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def make_draft(
    draft_id: str,
    *,
    community: str = GUILD,
    author: str = "member-1",
    requester: Actor = MOD,
    status: DraftStatus = DraftStatus.PENDING,
    created_at: datetime | None = None,
    platform: Platform = Platform.DISCORD,
) -> Draft:
    created = created_at or utcnow()
    return Draft(
        id=draft_id,
        kind=DraftKind.IMPROVE,
        status=status,
        post=PostRef(platform, community, "chan-9", f"msg-{draft_id}", thread_id="thread-3"),
        post_author_id=author,
        requester=requester,
        text="You are not alone. 💛",
        model_id="smollm2-135m-instruct",
        prompt_version="im-v1",
        risk=RiskAssessment(RiskLevel.ELEVATED, 0.42, ("hopelessness",)),
        model_text="You're not alone.",
        human_text="ur not alone",
        changes=(Change(ChangeKind.REPLACE, "ur", "You are", "clarity"), Change(ChangeKind.INSERT, "", "💛")),
        issues=(OutputIssue("mention", "@everyone", "mass mention"),),
        parent_id="parent-0",
        posted_message_id=None,
        post_hash="ab" * 32,
        created_at=created,
        updated_at=created,
    )


async def _drop_everything(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        # A directory that does not exist yet: create_engine must make it.
        yield f"sqlite+aiosqlite:///{(tmp_path / 'data' / 'llumi.sqlite3').as_posix()}"
        return
    if not POSTGRES_URL:
        pytest.skip(
            "LLUMI_TEST_POSTGRES_URL is not set; `export LLUMI_TEST_POSTGRES_URL=$(.ci/postgres.sh)` to run"
        )
    cleaner = create_engine(POSTGRES_URL)
    await _drop_everything(cleaner)
    yield POSTGRES_URL
    await _drop_everything(cleaner)
    await cleaner.dispose()


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(db_url)
    yield eng
    await eng.dispose()


@pytest.fixture
async def repos(engine: AsyncEngine) -> Repositories:
    await upgrade_schema(engine)
    return build_repositories(session_factory(engine))


# --- schema ------------------------------------------------------------------------------------


async def test_migrations_reach_head_on_empty_db_and_rerun_is_a_no_op(engine: AsyncEngine) -> None:
    assert await current_revision(engine) is None
    await upgrade_schema(engine)
    assert await current_revision(engine) == head_revision()
    await upgrade_schema(engine)  # every start runs it again
    assert await current_revision(engine) == head_revision()
    async with engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: sa.inspect(c).get_table_names()))
    assert tables >= TABLES


async def test_concurrent_upgrades_from_two_processes_both_succeed(db_url: str) -> None:
    engines = [create_engine(db_url) for _ in range(3)]
    try:
        await asyncio.gather(*(upgrade_schema(e) for e in engines))
        assert {await current_revision(e) for e in engines} == {head_revision()}
    finally:
        for e in engines:
            await e.dispose()


async def test_migrations_are_found_from_the_package_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    eng = create_engine("sqlite+aiosqlite:///relative/llumi.sqlite3")
    try:
        await upgrade_schema(eng)
        assert await current_revision(eng) == head_revision()
    finally:
        await eng.dispose()
    assert (tmp_path / "relative" / "llumi.sqlite3").is_file()


async def test_migrations_match_the_orm_models(engine: AsyncEngine) -> None:
    await upgrade_schema(engine)

    def diff(conn: sa.Connection) -> list[object]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


async def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    eng = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'deep' / 'er' / 'x.sqlite3'}")
    try:
        async with eng.connect() as conn:
            journal = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            busy = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
            fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    finally:
        await eng.dispose()
    assert (journal, busy, fks) == ("wal", 5000, 1)
    assert (tmp_path / "deep" / "er").is_dir()


# --- drafts ------------------------------------------------------------------------------------


async def test_draft_round_trip_keeps_every_field_and_returns_utc(repos: Repositories) -> None:
    plus_two = timezone(timedelta(hours=2))
    created = datetime(2025, 3, 1, 14, 30, 15, 123456, tzinfo=plus_two)
    draft = make_draft("d-1", created_at=created)
    await repos.drafts.add(draft)

    got = await repos.drafts.get("d-1")

    assert got == draft
    assert isinstance(got, Draft)
    assert got.created_at.tzinfo is not None and got.created_at.utcoffset() == timedelta(0)
    assert got.created_at == datetime(2025, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    assert got.changes[0].kind is ChangeKind.REPLACE and got.risk.level is RiskLevel.ELEVATED
    assert await repos.drafts.get("nope") is None


async def test_draft_update_and_errors(repos: Repositories) -> None:
    draft = make_draft("d-2")
    await repos.drafts.add(draft)
    edited = dataclasses.replace(draft, text="Edited by a human.", issues=(), updated_at=utcnow())
    await repos.drafts.update(edited)
    got = await repos.drafts.get("d-2")
    assert got is not None and got.text == "Edited by a human." and got.issues == () and not got.blocked

    with pytest.raises(NotFound):
        await repos.drafts.update(make_draft("missing"))
    with pytest.raises(StorageError):
        await repos.drafts.add(draft)  # the id is taken


async def test_draft_list_filters_and_orders(repos: Repositories) -> None:
    now = utcnow()
    await repos.drafts.add(make_draft("b", created_at=now - timedelta(hours=1), status=DraftStatus.POSTED))
    await repos.drafts.add(make_draft("a", created_at=now - timedelta(hours=2)))
    await repos.drafts.add(make_draft("c", created_at=now, community="222"))
    await repos.drafts.add(make_draft("t", created_at=now, platform=Platform.TELEGRAM, community=GUILD))

    assert [d.id for d in await repos.drafts.list()] == ["a", "b", "c", "t"]
    assert [d.id for d in await repos.drafts.list(community=f"discord:{GUILD}")] == ["a", "b"]
    assert [d.id for d in await repos.drafts.list(community=f"telegram:{GUILD}")] == ["t"]
    assert [d.id for d in await repos.drafts.list(since=now - timedelta(minutes=90))] == ["b", "c", "t"]
    assert [d.id for d in await repos.drafts.list(status=DraftStatus.POSTED)] == ["b"]
    since_plus_two = (now - timedelta(minutes=90)).astimezone(timezone(timedelta(hours=2)))
    assert [d.id for d in await repos.drafts.list(community="discord:111", since=since_plus_two)] == ["b"]


async def test_transition_only_from_the_expected_status(repos: Repositories) -> None:
    draft = make_draft("d-3")
    await repos.drafts.add(draft)
    approved = dataclasses.replace(draft, status=DraftStatus.APPROVED)
    assert await repos.drafts.transition("d-3", DraftStatus.POSTED, approved) is False
    stored = await repos.drafts.get("d-3")
    assert stored is not None and stored.status is DraftStatus.PENDING
    assert await repos.drafts.transition("d-3", DraftStatus.PENDING, approved) is True
    stored = await repos.drafts.get("d-3")
    assert stored is not None and stored.status is DraftStatus.APPROVED
    assert await repos.drafts.transition("missing", DraftStatus.PENDING, approved) is False


async def test_two_concurrent_posts_exactly_one_wins(db_url: str, repos: Repositories) -> None:
    """Two clicks on Post, through two separate engines (as from two processes): one post only."""
    await repos.drafts.add(make_draft("race"))
    second_engine = create_engine(db_url)
    try:
        other = build_repositories(session_factory(second_engine))
        for round_ in range(3):
            draft_id = f"race-{round_}"
            await repos.drafts.add(make_draft(draft_id))
            clicks = [
                r.drafts.transition(
                    draft_id,
                    DraftStatus.PENDING,
                    dataclasses.replace(
                        make_draft(draft_id), status=DraftStatus.POSTED, posted_message_id=who
                    ),
                )
                for r, who in ((repos, "first"), (other, "second"), (repos, "third"), (other, "fourth"))
            ]
            results = await asyncio.gather(*clicks)
            assert sorted(results) == [False, False, False, True]
            stored = await repos.drafts.get(draft_id)
            winner = ("first", "second", "third", "fourth")[results.index(True)]
            assert stored is not None and stored.status is DraftStatus.POSTED
            assert stored.posted_message_id == winner
    finally:
        await second_engine.dispose()


async def test_purge_blanks_content_of_old_closed_drafts_only(repos: Repositories) -> None:
    now = utcnow()
    old = now - timedelta(days=40)
    await repos.drafts.add(make_draft("old-closed", created_at=old, status=DraftStatus.DISCARDED))
    await repos.drafts.add(make_draft("old-open", created_at=old))
    await repos.drafts.add(make_draft("new-closed", created_at=now, status=DraftStatus.POSTED))
    await repos.drafts.add(
        make_draft("elsewhere", created_at=old, community="999", status=DraftStatus.POSTED)
    )
    cutoff = now - timedelta(days=30)

    assert await repos.drafts.purge_content(cutoff, community=f"discord:{GUILD}") == 1

    purged = await repos.drafts.get("old-closed")
    assert purged is not None
    assert (purged.text, purged.model_text, purged.human_text) == ("", "", None)
    assert (purged.changes, purged.issues) == ((), ())
    original = make_draft("old-closed", created_at=old, status=DraftStatus.DISCARDED)
    for kept in (
        "id",
        "status",
        "kind",
        "model_id",
        "prompt_version",
        "created_at",
        "updated_at",
        "post",
        "risk",
    ):
        assert getattr(purged, kept) == getattr(original, kept), kept
    for untouched in ("old-open", "new-closed", "elsewhere"):
        draft = await repos.drafts.get(untouched)
        assert draft is not None and draft.text and draft.changes, untouched

    assert await repos.drafts.purge_content(cutoff, community=f"discord:{GUILD}") == 0  # nothing left to do
    assert await repos.drafts.purge_content(cutoff) == 1  # "elsewhere"
    sql_drafts = repos.drafts
    assert isinstance(sql_drafts, DurableDraftRepository)  # include_open is an extension of the protocol
    assert await sql_drafts.purge_content(cutoff, include_open=True) == 1  # "old-open"
    assert [d.id for d in await repos.drafts.list() if d.text] == ["new-closed"]


async def test_delete_for_user_removes_their_drafts_and_ratings(repos: Repositories) -> None:
    member = "member-42"
    member_as_mod = Actor(Platform.DISCORD, member, "Member")
    await repos.drafts.add(make_draft("about-them", author=member))
    await repos.drafts.add(make_draft("asked-by-them", requester=member_as_mod))
    await repos.drafts.add(make_draft("unrelated"))
    await repos.drafts.add(make_draft("same-id-other-platform", author=member, platform=Platform.TELEGRAM))
    await repos.ratings.add(Rating("about-them", MOD, empathy=5))
    await repos.ratings.add(Rating("unrelated", member_as_mod, safety=4))
    await repos.ratings.add(Rating("unrelated", MOD, safety=3))

    assert await repos.drafts.delete_for_user(Platform.DISCORD, member) == 2

    assert {d.id for d in await repos.drafts.list()} == {"unrelated", "same-id-other-platform"}
    assert await repos.drafts.get("about-them") is None and await repos.drafts.get("asked-by-them") is None
    assert await repos.ratings.for_draft("about-them") == []
    assert [r.by for r in await repos.ratings.for_draft("unrelated")] == [MOD]
    assert await repos.drafts.delete_for_user(Platform.DISCORD, member) == 0


# --- ratings, communities, audit, escalations, opt-outs ---------------------------------------


async def test_ratings_round_trip(repos: Repositories) -> None:
    await repos.drafts.add(make_draft("r-1"))
    t0 = utcnow()
    first = Rating(
        "r-1", MOD, readability=4, empathy=5, connection=3, actionability=2, safety=5, created_at=t0
    )
    second = Rating(
        "r-1", Actor(Platform.DISCORD, "peer", "Peer"), empathy=1, created_at=t0 + timedelta(seconds=1)
    )
    await repos.ratings.add(second)
    await repos.ratings.add(first)

    got = await repos.ratings.for_draft("r-1")

    assert got == [first, second]
    assert got[1].scores() == {"empathy": 1}
    assert all(r.created_at.utcoffset() == timedelta(0) for r in got)
    assert await repos.ratings.for_draft("other") == []
    with pytest.raises(NotFound):
        await repos.ratings.add(Rating("no-such-draft", MOD, empathy=3))


async def test_community_config_json_round_trip_and_upsert(repos: Repositories) -> None:
    assert await repos.communities.get(Platform.DISCORD, GUILD) is None
    config = CommunityConfig(
        platform=Platform.DISCORD,
        community_id=GUILD,
        enabled_channels=["c1", "cat-2"],
        draft_roles=["r-peer"],
        improve_users=["u7"],
        disclosure="Drafted with AI help, reviewed by a human.",
        alert_channel="alerts",
        crisis_region="uk",
        custom_resources=[
            CrisisResource("Samaritans", "116 123", "uk", url="https://www.samaritans.org", note="24/7"),
            CrisisResource("Local line", "0800 000", "uk"),
        ],
        retention_days=7,
        learning_enabled=True,
    )
    await repos.communities.save(config)
    assert await repos.communities.get(Platform.DISCORD, GUILD) == config

    config.all_channels = True
    config.custom_resources = config.custom_resources[:1]
    await repos.communities.save(config)
    await repos.communities.save(CommunityConfig(Platform.TELEGRAM, "-100200"))

    got = await repos.communities.get(Platform.DISCORD, GUILD)
    assert got == config and got is not config
    assert got.custom_resources[0] == CrisisResource(
        "Samaritans", "116 123", "uk", "https://www.samaritans.org", "24/7"
    )
    assert [c.key for c in await repos.communities.all()] == [f"discord:{GUILD}", "telegram:-100200"]


async def test_concurrent_first_saves_leave_one_row(repos: Repositories) -> None:
    configs = [CommunityConfig(Platform.TELEGRAM, "-1", disclosure=f"v{i}") for i in range(4)]
    await asyncio.gather(*(repos.communities.save(c) for c in configs))
    stored = await repos.communities.all()
    assert len(stored) == 1 and stored[0].disclosure in {c.disclosure for c in configs}


async def test_audit_log_records_and_filters(repos: Repositories) -> None:
    t0 = utcnow() - timedelta(minutes=5)
    entries = [
        AuditEntry(
            AuditAction.DRAFT, MOD.key, f"discord:{GUILD}", "d-9", "smollm2", "gm-v1", "risk=none", at=t0
        ),
        AuditEntry(
            AuditAction.POST,
            MOD.key,
            f"discord:{GUILD}",
            "d-9",
            detail="x" * 900,
            at=t0 + timedelta(minutes=1),
        ),
        AuditEntry(AuditAction.CONFIG, "discord:admin", f"discord:{GUILD}", detail="field=disclosure"),
    ]
    for entry in entries:
        await repos.audit.record(entry)

    everything = await repos.audit.entries()
    assert [e.action for e in everything] == [AuditAction.DRAFT, AuditAction.POST, AuditAction.CONFIG]
    assert all(e.id is not None for e in everything) and len({e.id for e in everything}) == 3
    assert dataclasses.replace(everything[0], id=None) == entries[0]
    assert len(everything[1].detail) == 500  # capped
    assert [e.action for e in await repos.audit.entries(draft_id="d-9")] == [
        AuditAction.DRAFT,
        AuditAction.POST,
    ]
    recent = await repos.audit.entries(since=t0 + timedelta(seconds=30))
    assert [e.action for e in recent] == [AuditAction.POST, AuditAction.CONFIG]


async def test_escalation_is_claimed_once_even_when_racing(repos: Repositories) -> None:
    key = PostRef(Platform.DISCORD, GUILD, "c", "m1").key
    other = Actor(Platform.DISCORD, "mod-2")
    results = await asyncio.gather(*(repos.escalations.claim(key, who, None) for who in (MOD, other, MOD)))
    assert sorted(results) == [False, False, True]
    assert await repos.escalations.claim(key, MOD, "d-1") is False
    assert await repos.escalations.claim(PostRef(Platform.DISCORD, GUILD, "c", "m2").key, MOD, "d-1") is True


async def test_a_released_escalation_can_be_claimed_again(repos: Repositories) -> None:
    """An alert that was not delivered releases its claim; other posts' claims stay."""
    key, kept = (PostRef(Platform.DISCORD, GUILD, "c", m).key for m in ("m1", "m2"))
    assert await repos.escalations.claim(key, MOD, "d-1") and await repos.escalations.claim(kept, MOD, None)
    await repos.escalations.release(key)
    assert await repos.escalations.claim(key, MOD, "d-1") is True
    assert await repos.escalations.claim(kept, MOD, None) is False


async def test_optouts(repos: Repositories) -> None:
    assert not await repos.optouts.contains(Platform.DISCORD, "u1")
    await repos.optouts.add(Platform.DISCORD, "u1")
    await repos.optouts.add(Platform.DISCORD, "u1")  # idempotent
    await repos.optouts.add(Platform.DISCORD, "u0")
    await repos.optouts.add(Platform.TELEGRAM, "u1")
    assert await repos.optouts.contains(Platform.DISCORD, "u1")
    assert await repos.optouts.list(Platform.DISCORD) == ["u0", "u1"]
    await repos.optouts.remove(Platform.DISCORD, "u1")
    await repos.optouts.remove(Platform.DISCORD, "never-there")
    assert not await repos.optouts.contains(Platform.DISCORD, "u1")
    assert await repos.optouts.contains(Platform.TELEGRAM, "u1")
    assert await repos.optouts.list(Platform.DISCORD) == ["u0"]


async def test_using_the_database_before_migrations_is_a_clear_error(engine: AsyncEngine) -> None:
    repos = build_repositories(session_factory(engine))
    with pytest.raises(StorageError, match="no schema yet"):
        await repos.drafts.get("x")


# --- failures ----------------------------------------------------------------------------------


def test_unwritable_database_path_names_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    with pytest.raises(StorageError, match="not-a-dir"):
        create_engine(f"sqlite+aiosqlite:///{blocker / 'llumi.sqlite3'}")
    with pytest.raises(StorageError, match="is a directory"):
        create_engine(f"sqlite+aiosqlite:///{tmp_path}")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write to read-only directories"
)
def test_read_only_directory_names_the_path(tmp_path: Path) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="ro"):
            create_engine(f"sqlite+aiosqlite:///{locked / 'llumi.sqlite3'}")
    finally:
        locked.chmod(0o700)


async def test_locked_sqlite_database_is_a_retryable_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite3"
    # A short wait keeps the test fast; the app default is 5 s.
    eng = create_engine(f"sqlite+aiosqlite:///{path}", sqlite_busy_timeout_ms=200)
    try:
        await upgrade_schema(eng)
        repos = build_repositories(session_factory(eng), retry=RetryPolicy((0.01,)))
        holder = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        try:
            holder.execute("PRAGMA busy_timeout=100")
            holder.execute("BEGIN EXCLUSIVE")
            # A new draft without text yet (nothing generated) is refused after the retries;
            # one with text is held instead (see test_durable_storage.py).
            empty = dataclasses.replace(make_draft("while-locked"), text="", model_text="")
            with pytest.raises(StorageError) as caught:
                await repos.drafts.add(empty)
            assert str(caught.value) == LOCKED_MESSAGE
            assert caught.value.__cause__ is None and caught.value.__suppress_context__
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await repos.drafts.add(make_draft("while-locked"))  # the retry works
        assert await repos.drafts.get("while-locked") is not None
    finally:
        await eng.dispose()


async def test_unreachable_postgres_is_a_clear_error_without_the_password() -> None:
    eng = create_engine("postgresql+asyncpg://llumi:s3cret-pw@127.0.0.1:1/llumi")
    try:
        with pytest.raises(StorageError) as caught:
            await upgrade_schema(eng)
    finally:
        await eng.dispose()
    message = str(caught.value)
    assert "cannot connect" in message and "127.0.0.1:1" in message and "s3cret" not in message


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="LLUMI_TEST_POSTGRES_URL is not set")
async def test_postgres_wrong_password_and_missing_database_are_named() -> None:
    from sqlalchemy.engine import make_url

    base = make_url(POSTGRES_URL)
    cases = {
        "refused the user name or password": base.set(password="wrong-pw-123"),
        "does not exist": base.set(database="llumi_no_such_db"),
    }
    for expected, url in cases.items():
        eng = create_engine(url.render_as_string(hide_password=False))
        try:
            with pytest.raises(StorageError, match=expected) as caught:
                await upgrade_schema(eng)
        finally:
            await eng.dispose()
        assert "wrong-pw-123" not in str(caught.value)


async def test_sync_driver_urls_get_their_async_driver(tmp_path: Path) -> None:
    eng = create_engine(f"sqlite:///{tmp_path / 'plain.sqlite3'}")  # as people write it in configs
    try:
        assert eng.url.drivername == "sqlite+aiosqlite"
        await upgrade_schema(eng)
        assert await current_revision(eng) == head_revision()
    finally:
        await eng.dispose()
    assert create_engine("postgresql://u:p@127.0.0.1/x").url.drivername == "postgresql+asyncpg"


def test_bad_url_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="not valid"):
        create_engine("definitely not a url")
    with pytest.raises(StorageError, match="unsupported"):
        create_engine("nosuchdb+nodriver://x/y")


# --- the service over the real repositories ---------------------------------------------------


async def test_draft_service_flow_over_sql_repositories(repos: Repositories, tmp_path: Path) -> None:
    """The service's fakes and these repositories must agree: one full flow, with two racing posts."""
    from llumi_core.domain import Post
    from llumi_core.errors import DraftClosed
    from tests.conftest import make_settings
    from tests.fakes import scripted_service

    settings = make_settings(tmp_path)
    svc = scripted_service(settings, repos=repos)
    post = Post(PostRef(Platform.DISCORD, GUILD, "c1", "m1"), author_id="900", text="I had an awful week.")

    draft = (await svc.draft(post, MOD)).draft
    assert await repos.drafts.get(draft.id) == draft
    await svc.rate(draft.id, MOD, {"empathy": 5, "safety": 4})
    await svc.approve(draft.id, MOD)
    results = await asyncio.gather(
        svc.mark_posted(draft.id, MOD, "sent-1"),
        svc.mark_posted(draft.id, MOD, "sent-2"),
        return_exceptions=True,
    )
    assert sum(isinstance(r, DraftClosed) for r in results) == 1
    stored = await repos.drafts.get(draft.id)
    assert stored is not None and stored.status is DraftStatus.POSTED
    assert stored.posted_message_id in {"sent-1", "sent-2"}
    assert (await svc.escalate(draft.id, MOD)).first is True
    assert (await svc.escalate(draft.id, MOD)).first is False
    actions = [e.action for e in await repos.audit.entries(draft_id=draft.id)]
    assert actions[:4] == [AuditAction.DRAFT, AuditAction.RATE, AuditAction.APPROVE, AuditAction.POST]
    assert all("awful week" not in e.detail for e in await repos.audit.entries())
