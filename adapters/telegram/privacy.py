"""/optout and /optin: a member decides whether LLUMI may ever process their posts."""

from __future__ import annotations

from telegram import Update

from llumi_core.domain import Platform

from .context import Context, TelegramContext, report
from .convert import GROUP_TYPES, actor
from .delivery import delete_quietly


async def cmd_optout(tg: TelegramContext, update: Update, context: Context) -> None:
    await _opt(tg, update, context, out=True)


async def cmd_optin(tg: TelegramContext, update: Update, context: Context) -> None:
    await _opt(tg, update, context, out=False)


async def _opt(tg: TelegramContext, update: Update, context: Context, *, out: bool) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type in GROUP_TYPES:
        await delete_quietly(message)  # nobody in the group needs to see who opted out
    by = actor(user)
    if out:
        await tg.service.opt_out(Platform.TELEGRAM, by.user_id, by)
        text = "Done: LLUMI will never process your posts. Send /optin to undo this."
    else:
        await tg.service.opt_in(Platform.TELEGRAM, by.user_id, by)
        text = "Done: LLUMI may help moderators reply to your posts again. Send /optout to stop it."
    await report(update, context, text)
