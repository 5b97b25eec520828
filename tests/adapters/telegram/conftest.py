"""The harness: a fake Bot API, the real App (real model, SQLite in tmp_path), the real PTB Application."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from adapters.telegram import RateLimits, serve
from bot.bootstrap import App, open_app
from llumi_core.domain import Actor, CommunityConfig, Platform
from tests.adapters.telegram.fake_bot_api import FakeBotApi, user
from tests.conftest import make_settings

GROUP = -1001234567890
ALERTS = -1009876543210
DISCLOSURE = "— Written with an AI assistant and reviewed by a moderator."


@dataclass
class Harness:
    api: FakeBotApi
    tmp_path: Path
    overrides: dict[str, Any]
    app: App | None = None
    admin: dict[str, Any] = field(default_factory=lambda: user(1, "Alice", "alice_mod"))
    member: dict[str, Any] = field(default_factory=lambda: user(2, "Bob", "bob"))
    other: dict[str, Any] = field(default_factory=lambda: user(3, "Carol", "carol"))
    _stack: contextlib.AsyncExitStack | None = None
    _stop: asyncio.Event | None = None
    _task: asyncio.Task[None] | None = None

    @property
    def settings(self) -> Any:
        telegram = {
            "enabled": True,
            "token": self.api.token,
            "base_url": self.api.base_url,
            "rate_limit": True,
            "stream_edit_interval_s": 0.2,
            "edit_timeout_s": 10,
        }
        sections = {k: dict(v) for k, v in self.overrides.items()}
        # Short drafts keep the real model quick on a small CI machine.
        sections.setdefault("models", {}).setdefault("max_tokens", 32)
        sections.setdefault("telegram", {}).update(
            {k: v for k, v in telegram.items() if k not in sections["telegram"]}
        )
        return make_settings(self.tmp_path, **sections)

    async def start(self) -> None:
        """Open the App (model + DB) and start polling; returns once the Updater polls."""
        self._stack = contextlib.AsyncExitStack()
        self.app = await self._stack.enter_async_context(open_app(self.settings))
        self._stop = asyncio.Event()
        polls = len(self.api.called("getUpdates"))
        # Generous limits: the real limiter runs, but a test never waits a minute on the group limit.
        limits = RateLimits(overall_max_rate=100, group_max_rate=100, group_time_period=1)
        self._task = asyncio.create_task(serve(self.app, self._stop, poll_timeout=1, rate_limits=limits))
        await self.api.wait_for(lambda c: c.method == "getUpdates", after=polls, timeout=60)

    async def stop(self) -> None:
        if self._stop is not None and self._task is not None:
            self._stop.set()
            await asyncio.wait_for(self._task, timeout=180)
        if self._stack is not None:
            await self._stack.aclose()
        self._stop = self._task = self._stack = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def configure(self, **changes: Any) -> CommunityConfig:
        """Save this group's settings directly (the settings menu has its own test)."""
        assert self.app is not None
        config = CommunityConfig(
            Platform.TELEGRAM,
            str(GROUP),
            enabled_channels=[str(GROUP)],
            disclosure=DISCLOSURE,
            alert_channel=str(ALERTS),
        )
        for key, value in changes.items():
            setattr(config, key, value)
        await self.app.service.update_community(config, Actor.local(), changed="test")
        return config

    def mark(self) -> int:
        return len(self.api.calls)

    async def private(self, uid: int, predicate: Any = None, *, after: int = 0, timeout: float = 120) -> Any:
        """The next call sending or editing text in `uid`'s private chat matching predicate."""
        return await self.api.wait_for(
            lambda c: (
                c.method in ("sendMessage", "editMessageText")
                and c.status == 200
                and c.chat_id == uid
                and (predicate is None or predicate(c))
            ),
            after=after,
            timeout=timeout,
        )

    async def draft_message(self, uid: int, *, after: int = 0, timeout: float = 240) -> Any:
        """The private message carrying a draft's action buttons."""
        return await self.private(
            uid,
            lambda c: any(b.get("callback_data", "").endswith(":edit") for b in c.buttons),
            after=after,
            timeout=timeout,
        )

    async def answer(self, qid: str, timeout: float = 120) -> Any:
        return await self.api.wait_for(
            lambda c: c.method == "answerCallbackQuery" and c.params.get("callback_query_id") == qid,
            timeout=timeout,
        )

    def button(self, call: Any, action: str) -> str:
        for b in call.buttons:
            if b.get("callback_data", "").endswith(f":{action}"):
                return str(b["callback_data"])
        raise AssertionError(f"no '{action}' button in {[b.get('text') for b in call.buttons]}")

    def press(self, who: dict[str, Any], call: Any, action: str) -> str:
        return self.api.press(who, self.api.bot_message(call), self.button(call, action))

    def group_sends(self) -> list[Any]:
        return [c for c in self.api.calls if c.method == "sendMessage" and c.chat_id == GROUP]


@pytest.fixture
async def tg(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """A running bot; `@pytest.mark.tg_settings(section={...})` overrides settings."""
    marker = request.node.get_closest_marker("tg_settings")
    overrides = dict(marker.kwargs) if marker else {}
    overrides.setdefault("telegram", {})
    api = FakeBotApi()
    await api.start()
    api.group(GROUP)
    api.group(ALERTS, "Moderators")
    h = Harness(api, tmp_path, overrides)
    api.members[(GROUP, h.admin["id"])] = "administrator"
    try:
        await h.start()
        yield h
    finally:
        await h.stop()
        await api.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "tg_settings(**sections): settings overrides for the Telegram harness")
