"""`llumi run`: serve the chat adapters enabled in the settings until stopped."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from llumi_core.domain import Actor, Platform
from llumi_core.errors import ConfigError, LlumiError
from llumi_core.retention import purge_expired, sweep

from ..bootstrap import App, open_app, settings_from

log = logging.getLogger(__name__)
PURGE_EVERY_S = 24 * 3600
SWEEP_EVERY_S = 60

Serve = Callable[[App, asyncio.Event], Coroutine[Any, Any, None]]


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
        servers = [_serve_fn(name)(app, stop) for name in names]
        tasks = [
            asyncio.create_task(s) for s in (*servers, _purge_daily(app, stop), _sweep_often(app, stop))
        ]
        print(f"llumi: serving {', '.join(names)}; press Ctrl+C to stop")
        _done, _ = await asyncio.wait(
            [*tasks, asyncio.create_task(stop.wait())], return_when="FIRST_COMPLETED"
        )
        stop.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result
    return 0


def _serve_fn(name: str) -> Serve:
    module = importlib.import_module(f"adapters.{name}")
    serve: Serve = module.serve
    return serve


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
