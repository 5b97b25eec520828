"""Fixtures: the fake Discord, a real App (real model, SQLite in tmp_path) and the real bot serving it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from adapters.discord import serve
from bot.bootstrap import App, open_app
from llumi_core.config import Settings
from llumi_core.domain import CommunityConfig, Platform
from llumi_core.llm import RoleBackends, build_backends
from llumi_core.ports import LLMBackend
from tests.conftest import make_settings

from .fake_discord import ALERT_CHANNEL, CHANNEL, GUILD, ROLE_MOD, ROLE_SUPPORTER, FakeDiscord

DISCLOSURE = "Written with AI assistance and reviewed by a moderator."


def discord_settings(data_dir: Path, *, check_outputs: bool = False, **models: Any) -> Settings:
    """Short drafts: the flows, not the prose, are under test (and CI has 2 shared cores).

    Output checks are off by default because these tests post the model's raw
    draft, and whether a check fires depends on the exact text; the blocked
    flow has its own test with a scripted draft the checks always flag.
    """
    return make_settings(
        data_dir,
        discord={"enabled": True, "token": "fake-token", "guild_ids": [GUILD], "stream_edit_interval_s": 0.2},
        models={"max_tokens": 24, **models},
        safety={"check_outputs": check_outputs},
    )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def backends(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RoleBackends]:
    """The real default model, loaded once per module (its prompt cache then serves every test)."""
    loaded = await build_backends(discord_settings(tmp_path_factory.mktemp("model")))
    try:
        yield loaded
    finally:
        await loaded.aclose()


@asynccontextmanager
async def app_with(
    settings: Settings, backends: RoleBackends | None = None, *, backend: LLMBackend | None = None
) -> AsyncIterator[App]:
    """An App on a fresh SQLite DB, built by `open_app` (and so `build_service`) as `llumi run` does.

    `backends`: the real model shared by the module; `backend`: a small fake (failures).
    Neither: `open_app` loads the model itself.
    """
    if backend is not None:
        backends = RoleBackends(gm=backend, im=backend, shared=True)
    async with open_app(settings, backends=backends) as app:
        yield app


async def configure(app: App, **changes: Any) -> CommunityConfig:
    """The test server's settings, as an admin would set them."""
    config = CommunityConfig(
        Platform.DISCORD,
        str(GUILD),
        enabled_channels=[str(CHANNEL)],
        draft_roles=[str(ROLE_MOD)],
        improve_roles=[str(ROLE_SUPPORTER)],
        disclosure=DISCLOSURE,
        alert_channel=str(ALERT_CHANNEL),
    )
    for key, value in changes.items():
        setattr(config, key, value)
    await app.repos.communities.save(config)
    return config


@dataclass
class Running:
    fake: FakeDiscord
    app: App
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def shutdown(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, timeout=20)


async def start_bot(fake: FakeDiscord, app: App) -> Running:
    """Run the real `serve` until the fake has synced the commands and sent GUILD_CREATE."""
    fake.guild_created.clear()
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop, guild_ready_timeout=0.05))
    waiter = asyncio.create_task(fake.guild_created.wait())
    done, _ = await asyncio.wait({task, waiter}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        task.result()  # raises the start-up error
    assert waiter in done, "the bot did not connect to the fake gateway"
    await asyncio.sleep(0.1)  # let the client process GUILD_CREATE
    return Running(fake, app, stop, task)


@pytest_asyncio.fixture(loop_scope="module")
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    with server.patched():
        yield server
    await server.stop()


@pytest_asyncio.fixture(loop_scope="module")
async def bot(fake: FakeDiscord, backends: RoleBackends, tmp_path: Path) -> AsyncIterator[Running]:
    async with app_with(discord_settings(tmp_path), backends) as app:
        await configure(app)
        running = await start_bot(fake, app)
        try:
            yield running
        finally:
            with contextlib.suppress(Exception):
                await running.shutdown()
