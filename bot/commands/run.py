"""`llumi run`: serve the chat adapters enabled in the settings until stopped."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from llumi_core.domain import Actor, Platform
from llumi_core.errors import ConfigError, LlumiError
from llumi_core.retention import purge_expired, sweep

from ..bootstrap import App, open_app, settings_from

log = logging.getLogger(__name__)
PURGE_EVERY_S = 24 * 3600
SWEEP_EVERY_S = 60

START_TIMEOUT_S = 90.0


class Serve(Protocol):
    def __call__(
        self, app: App, stop: asyncio.Event, *, ready: asyncio.Event | None = None
    ) -> Coroutine[Any, Any, None]: ...


def _discord() -> Serve:
    from adapters.discord import serve

    return serve


def _telegram() -> Serve:
    from adapters.telegram import serve

    return serve


# Imported only when enabled: the other `llumi` commands never load a chat library.
ADAPTERS: dict[str, Callable[[], Serve]] = {"discord": _discord, "telegram": _telegram}


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="run the Discord and/or Telegram bot enabled in the settings")
    p.set_defaults(handler=run)


def enabled_adapters(app_settings: Any) -> list[str]:
    """Names of the adapters to start; a clear error when none can start."""
    names = []
    for name in ("discord", "telegram"):
        section = getattr(app_settings, name)
        if not section.enabled:
            continue
        if section.token is None or not section.token.get_secret_value().strip():
            env = f"LLUMI_{name.upper()}__TOKEN"
            raise ConfigError(f"[{name}] is enabled but has no token: set the environment variable {env}")
        names.append(name)
    if not names:
        raise ConfigError(
            "no adapter is enabled: set [discord] enabled = true or [telegram] enabled = true in config.toml "
            "(see config.example.toml), and the token in LLUMI_DISCORD__TOKEN / LLUMI_TELEGRAM__TOKEN"
        )
    return names


async def run(args: argparse.Namespace) -> int:
    settings = settings_from(args.config)
    names = enabled_adapters(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with open_app(settings) as app:
        ready = {name: asyncio.Event() for name in names}
        servers = [
            asyncio.create_task(ADAPTERS[name]()(app, stop, ready=ready[name]), name=f"llumi-{name}")
            for name in names
        ]
        try:
            await _started(names, servers, ready)
        except BaseException:
            stop.set()
            await asyncio.gather(*servers, return_exceptions=True)
            raise
        print(f"llumi: serving {', '.join(names)}; press Ctrl+C to stop", flush=True)
        tasks = [
            *servers,
            asyncio.create_task(_purge_daily(app, stop)),
            asyncio.create_task(_sweep_often(app, stop)),
        ]
        _done, _ = await asyncio.wait(
            [*tasks, asyncio.create_task(stop.wait())], return_when="FIRST_COMPLETED"
        )
        stop.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result
    return 0


async def _started(
    names: list[str], servers: list[asyncio.Task[None]], ready: dict[str, asyncio.Event]
) -> None:
    """Wait until every adapter has logged in; raise the first start-up error (one line)."""
    waits = {asyncio.create_task(ready[name].wait()): name for name in names}
    pending = set(waits) | set(servers)
    try:
        while not all(event.is_set() for event in ready.values()):
            done, pending = await asyncio.wait(
                pending, timeout=START_TIMEOUT_S, return_when="FIRST_COMPLETED"
            )
            if not done:
                late = [name for name in names if not ready[name].is_set()]
                raise LlumiError(
                    f"[{late[0]}] did not finish starting within {START_TIMEOUT_S:g} s; check the network"
                )
            for task in done:
                if task in servers:
                    task.result()  # the adapter's start-up error
                    raise LlumiError(f"[{task.get_name().removeprefix('llumi-')}] stopped while starting")
    finally:
        for wait in waits:
            wait.cancel()


async def _purge_daily(app: App, stop: asyncio.Event) -> None:
    """Retention: purge at start, then once a day, until stopped."""
    system = Actor(Platform.CLI, "retention", "retention purge")
    while not stop.is_set():
        purged = await purge_expired(app.repos, app.settings, system)
        log.info("retention purge: %d draft(s) cleared", purged)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=PURGE_EVERY_S)


async def _sweep_often(app: App, stop: asyncio.Event) -> None:
    """Save what storage refused, close interrupted and abandoned drafts (see retention.sweep)."""
    system = Actor(Platform.CLI, "system", "llumi")
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=SWEEP_EVERY_S)
        try:
            await sweep(app.repos, app.settings, system)
        except LlumiError as err:  # storage still down: the next sweep tries again
            log.warning("sweep: %s", err)
