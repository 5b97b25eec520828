"""Start-up tells the truth: ready only after Discord accepted the token and the gateway is up;
a rejected token, an unreachable or a silent Discord is one line naming the cause and what to
check; the token is in no log line, even at DEBUG (what `llumi -vv` shows)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import discord
import pytest

from adapters.discord import serve
from bot.bootstrap import settings_from
from llumi_core.config import Settings
from llumi_core.context import PlatformUnavailable
from llumi_core.errors import ConfigError, LlumiError
from llumi_core.llm import RoleBackends

from .conftest import app_with, configure
from .fake_discord import GUILD, FakeDiscord

pytestmark = [pytest.mark.model, pytest.mark.asyncio(loop_scope="module")]

TOKEN = "MTIzNDU2.SECRET-discord-token.never-shown"


def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Read as `llumi run` reads them (the token from the environment, registered as a secret)."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n'
        f"[discord]\nenabled = true\nguild_ids = [{GUILD}]\nstream_edit_interval_s = 0.2\n"
    )
    monkeypatch.setenv("LLUMI_DISCORD__TOKEN", TOKEN)
    return settings_from(config)


@contextlib.contextmanager
def discord_at(base: str) -> Iterator[None]:
    old = discord.http.Route.BASE
    discord.http.Route.BASE = base
    try:
        yield
    finally:
        discord.http.Route.BASE = old


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # everything, as -vv; tracebacks included in caplog.text
    return caplog


def assert_no_token(caplog: pytest.LogCaptureFixture, err: BaseException | None = None) -> None:
    assert TOKEN not in caplog.text and "SECRET" not in caplog.text
    if err is not None:
        assert "SECRET" not in str(err) and err.__cause__ is None  # no chained platform error
        assert err.__context__ is None or err.__suppress_context__


async def start(app: object, **options: object) -> LlumiError:
    with pytest.raises(LlumiError) as raised:
        await asyncio.wait_for(serve(app, asyncio.Event(), **options), timeout=60)  # type: ignore[arg-type]
    return raised.value


async def test_ready_only_after_the_login_and_the_gateway(
    fake: FakeDiscord,
    backends: RoleBackends,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    async with app_with(settings(tmp_path, monkeypatch), backends) as app:
        await configure(app)
        ready, stop = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(serve(app, stop, ready=ready, guild_ready_timeout=0.05))
        await asyncio.wait_for(ready.wait(), timeout=30)
        ready_at = asyncio.get_running_loop().time()
        login = next(c for c in fake.calls if c.path == "/users/@me")
        assert login.at < ready_at and fake.identified  # token accepted, then the gateway
        stop.set()
        await asyncio.wait_for(task, timeout=20)
    assert_no_token(debug_logs)


async def test_a_rejected_token_is_never_ready_and_never_shown(
    fake: FakeDiscord,
    backends: RoleBackends,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    fake.reject_token = True
    async with app_with(settings(tmp_path, monkeypatch), backends) as app:
        ready = asyncio.Event()
        err = await start(app, ready=ready)
    assert isinstance(err, ConfigError) and not ready.is_set()
    assert str(err) == "[discord] the token was rejected by Discord; check LLUMI_DISCORD__TOKEN"
    assert_no_token(debug_logs, err)


async def test_an_unreachable_discord_is_one_line_about_the_network(
    backends: RoleBackends,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    async with app_with(settings(tmp_path, monkeypatch), backends) as app:
        with discord_at("http://127.0.0.1:9/api/v10"):  # nothing listens there
            err = await start(app)
    assert isinstance(err, PlatformUnavailable)
    assert str(err).startswith("[discord] cannot reach Discord (ClientConnector")
    assert "network connection" in str(err)
    assert_no_token(debug_logs, err)


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """Accepts connections and never answers (a firewall that swallows the traffic)."""
    held: list[asyncio.StreamWriter] = []

    async def swallow(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()


async def test_a_silent_discord_is_one_line_about_the_time(
    backends: RoleBackends,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    silent_server: int,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    async with app_with(settings(tmp_path, monkeypatch), backends) as app:
        with discord_at(f"http://127.0.0.1:{silent_server}/api/v10"):
            err = await start(app, start_timeout_s=2)
    assert isinstance(err, PlatformUnavailable)
    assert str(err).startswith("[discord] Discord did not answer within 2 s: check the network connection")
    assert_no_token(debug_logs, err)
