"""Builds the python-telegram-bot Application around a running LLUMI `App`, and serves it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from llumi_core.context import AppContext, PlatformUnavailable
from llumi_core.errors import ConfigError, LlumiError

from . import buttons, chat, drafting, interrupted, keyboards, privacy, settings
from .context import AWAIT_EDIT, AWAIT_IMPROVE, AWAIT_SETTING, Context, Handler, TelegramContext, bind

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("draft", "reply to a post: get a private draft reply"),
    BotCommand("improve", "reply to a post: improve your own reply"),
    BotCommand("llumi_settings", "admins: configure LLUMI for this group"),
    BotCommand("optout", "never let LLUMI process your posts"),
    BotCommand("optin", "undo /optout"),
    BotCommand("cancel", "stop waiting for text"),
]


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Telegram's flood limits; tests lower the waits (the group limit stalls many sends)."""

    overall_max_rate: float = 30
    overall_time_period: float = 1
    group_max_rate: float = 20
    group_time_period: float = 60
    max_retries: int = 2


def build_application(app: AppContext, *, rate_limits: RateLimits | None = None) -> Application:  # type: ignore[type-arg]
    """The PTB Application with LLUMI's handlers; nothing is contacted until `initialize()`."""
    section = app.settings.telegram
    if section.token is None or not section.token.get_secret_value().strip():
        raise ConfigError("[telegram] has no token: set the environment variable LLUMI_TELEGRAM__TOKEN")
    # Updates are handled one at a time: the ConversationHandler (Edit, /improve, settings
    # answers) records "waiting for your text" only when a handler returns, so a text that
    # is handled concurrently can overtake it and be taken for a stray message. Model work
    # never holds up the queue: /draft and the buttons run non-blocking (`register`), and
    # /improve starts its draft in a task (`drafting.in_background`).
    builder = Application.builder().token(section.token.get_secret_value()).concurrent_updates(False)
    if section.base_url:
        builder = builder.base_url(section.base_url)
    if section.rate_limit:
        limits = rate_limits or RateLimits()
        builder = builder.rate_limiter(
            AIORateLimiter(  # type: ignore[arg-type]
                overall_max_rate=limits.overall_max_rate,
                overall_time_period=limits.overall_time_period,
                group_max_rate=limits.group_max_rate,
                group_time_period=limits.group_time_period,
                max_retries=limits.max_retries,
            )
        )
    application = builder.build()
    register(application, app)
    return application


def register(application: Application, app: AppContext) -> TelegramContext:  # type: ignore[type-arg]
    """Every handler, bound to one typed context (the service, the settings, the bot's memory)."""
    tg = TelegramContext(app)

    def on(fn: Handler[Any]) -> Callable[[Update, Context], Coroutine[Any, Any, Any]]:
        return bind(tg, fn)

    # New messages only: an edit of an old message must never count as an answer or a command.
    new = filters.UpdateType.MESSAGE
    private_text = new & filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        # Buttons start conversations per user on purpose; PTB warns about per_message tracking.
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[
                CallbackQueryHandler(on(buttons.on_edit_button), pattern=keyboards.EDIT_PATTERN),
                CallbackQueryHandler(on(settings.on_button), pattern=settings.PATTERN),
                CommandHandler("improve", on(drafting.cmd_improve), filters=new),
                CommandHandler("start", on(chat.cmd_start), filters=new),
            ],
            states={
                AWAIT_EDIT: [MessageHandler(private_text, on(buttons.edit_text))],
                AWAIT_IMPROVE: [MessageHandler(private_text, on(drafting.improve_text))],
                AWAIT_SETTING: [MessageHandler(private_text, on(settings.on_text))],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, on(chat.on_timeout))],
            },
            fallbacks=[CommandHandler("cancel", on(chat.cmd_cancel), filters=new)],
            allow_reentry=True,
            per_chat=False,  # the request starts in the group, the text comes in private
            per_user=True,
            conversation_timeout=app.settings.telegram.edit_timeout_s,
            name="llumi_text",
        )
    application.add_handler(conversation)
    # Non-blocking: a draft takes seconds, and the same user's Escalate press (or anyone's
    # update) must be handled meanwhile.
    application.add_handler(CommandHandler("draft", on(drafting.cmd_draft), filters=new, block=False))
    application.add_handler(CommandHandler("llumi_settings", on(settings.cmd_settings), filters=new))
    application.add_handler(CommandHandler("optout", on(privacy.cmd_optout), filters=new))
    application.add_handler(CommandHandler("optin", on(privacy.cmd_optin), filters=new))
    application.add_handler(CommandHandler("cancel", on(chat.cmd_cancel), filters=new))
    application.add_handler(
        CallbackQueryHandler(on(buttons.on_button), pattern=keyboards.ALL_PATTERN, block=False)
    )
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on(chat.on_edited)))
    application.add_handler(MessageHandler(private_text, on(chat.stray_text)))
    application.add_error_handler(chat.on_error)
    application.bot_data["llumi"] = tg
    return tg


async def serve(
    app: AppContext,
    stop: asyncio.Event,
    *,
    ready: asyncio.Event | None = None,
    poll_timeout: int = 10,
    rate_limits: RateLimits | None = None,
) -> None:
    """Long-poll Telegram until `stop` is set, then shut down cleanly.

    `ready` is set once Telegram accepted the token (getMe) and polling runs. A
    start-up failure is one line naming the cause (never the token).
    """
    application = build_application(app, rate_limits=rate_limits)
    try:
        await application.initialize()  # getMe: checks the token
        with contextlib.suppress(TelegramError):
            await application.bot.set_my_commands(COMMANDS)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            timeout=poll_timeout, allowed_updates=Update.ALL_TYPES, bootstrap_retries=3
        )
    except TelegramError as err:
        await _shut_down(application)
        raise explain(err) from None
    log.info("telegram: polling as @%s", application.bot.username)
    if ready is not None:
        ready.set()
    # Placeholders of drafts the last run left unfinished (the start's sweep marked them failed).
    marking = asyncio.create_task(
        interrupted.keep_marking(app.service.repos, application.bot, stop), name="llumi-telegram-interrupted"
    )
    try:
        await stop.wait()
    finally:
        marking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await marking
        await _shut_down(application)
    log.info("telegram: stopped")


async def _shut_down(application: Application) -> None:  # type: ignore[type-arg]
    with contextlib.suppress(Exception):  # each step may never have started
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()


def explain(err: TelegramError) -> LlumiError:
    """Telegram's start-up errors as one line: the cause and what to check (its messages quote the token)."""
    if isinstance(err, InvalidToken):
        return ConfigError("[telegram] the token was rejected by Telegram; check LLUMI_TELEGRAM__TOKEN")
    if isinstance(err, TimedOut):
        return PlatformUnavailable.timed_out("telegram")
    if isinstance(err, NetworkError):
        return PlatformUnavailable.unreachable("telegram", err)
    return PlatformUnavailable.failing("telegram", type(err).__name__)
