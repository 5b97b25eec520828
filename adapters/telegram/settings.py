"""The admin settings menu: `/llumi_settings` in a group opens it in the admin's private chat.

Callback data is `llset:<chat_id>:<action>`. Admin status is asked of
Telegram (getChatMember) on every press and every text, never cached, so a
demoted admin loses the menu at once. Settings are stored per chat through
`DraftService.community` / `update_community`.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.error import TelegramError

from llumi_core.community_input import LEARNING_NOTE, parse_resources
from llumi_core.crisis_resources import PRESETS
from llumi_core.domain import CommunityConfig, CrisisResource, Platform
from llumi_core.errors import InputError, LlumiError, NotAllowed

from .context import AWAIT_SETTING, END, Context, TelegramContext, awaited, user_data
from .convert import GROUP_TYPES, actor, is_chat_admin
from .delivery import (
    NO_PREVIEW,
    CannotReachPrivately,
    delete_quietly,
    edit,
    group_note,
    send_private,
    with_retry,
)

log = logging.getLogger(__name__)

PATTERN = r"^llset:-?\d{1,20}:[a-z_\-]{1,24}$"
_PARSE = re.compile(r"^llset:(-?\d{1,20}):([a-z_\-]{1,24})$")
NOT_ADMIN = "only this group's administrators can change LLUMI's settings"

# Settings that take a text answer: prompt shown to the admin.
ASK = {
    "drafters": "Send the Telegram user ids (numbers, separated by spaces) of the people who may ask for "
    "drafts, besides admins. Send 'admins' for admins only.",
    "improvers": "Send the Telegram user ids (numbers, separated by spaces) of the people who may ask for "
    "improvements, besides admins. Send 'admins' for admins only.",
    "disclosure": "Send the disclosure line added under every post (e.g. 'Written with help from an AI "
    "assistant and reviewed by a moderator.'). Send '-' for none.",
    "alert": "Send the chat id of your moderators' chat for escalation alerts (add me to that chat first; "
    "I will send a test line there). Send '-' to turn alerts off.",
    "custom": "Send your own crisis resources, one per line: 'Name | how to reach them | link (optional)'. "
    "Send '-' to go back to the region preset.",
    "retention": "Send how many days draft text may be kept (0 = only until the draft is closed), "
    "or 'default' for the server's setting.",
}


def data(chat_id: str, action: str) -> str:
    return f"llset:{chat_id}:{action}"


async def _admin(tg: TelegramContext, bot: Bot, chat_id: str, user: User) -> CommunityConfig:
    if not await is_chat_admin(bot, chat_id, user.id):
        raise NotAllowed(NOT_ADMIN)
    return await tg.service.community(Platform.TELEGRAM, chat_id)


async def cmd_settings(tg: TelegramContext, update: Update, context: Context) -> int:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return END
    if message.chat.type not in GROUP_TYPES:
        raise InputError("send /llumi_settings in the group you want to configure; the menu opens here")
    await delete_quietly(message)
    chat_id = str(message.chat_id)
    await _admin(tg, context.bot, chat_id, user)
    try:
        await open_menu(tg, context.bot, user, chat_id)
    except CannotReachPrivately:
        await group_note(context.bot, message, f"s_{chat_id}")
    return END


async def open_menu(tg: TelegramContext, bot: Bot, user: User, chat_id: str) -> None:
    """Send the menu privately (CannotReachPrivately when the admin never started the bot)."""
    if not re.fullmatch(r"-?\d{1,20}", chat_id):
        raise InputError("that settings link is not valid; send /llumi_settings in the group again")
    config = await _admin(tg, bot, chat_id, user)
    await send_private(bot, user.id, await _text(tg, bot, config), _keyboard(config))


async def _text(tg: TelegramContext, bot: Bot, c: CommunityConfig) -> str:
    title = c.community_id
    try:
        chat = await bot.get_chat(c.community_id)
        title = f"{chat.title or chat.id} ({chat.id})"
    except (TelegramError, TypeError, KeyError):  # the title is a nicety; the id is enough
        pass
    enabled = c.channel_enabled(c.community_id)
    days = tg.app.settings.privacy.retention_days
    resources = f"{len(c.custom_resources)} custom" if c.custom_resources else f"preset '{c.crisis_region}'"
    return "\n".join(
        [
            f"LLUMI settings for {title}",
            "",
            f"• Enabled in this group: {'yes' if enabled else 'no'}",
            f"• Drafts: admins{_who(c.draft_users)}",
            f"• Improvements: admins{_who(c.improve_users)}",
            f"• Disclosure line: {c.disclosure or '(none)'}",
            f"• Alert chat: {c.alert_channel or '(not set — Escalate cannot alert anyone)'}",
            f"• Crisis resources: {resources}",
            f"• Keep draft text: {f'{c.retention_days} days' if c.retention_days is not None else f'server default ({days} days)'}",
            f"• Learning from this group's drafts: {'on' if c.learning_enabled else 'off'}",
            f"  {LEARNING_NOTE}",
        ]
    )


def _keyboard(c: CommunityConfig) -> InlineKeyboardMarkup:
    cid = c.community_id
    enabled = c.channel_enabled(cid)

    def b(text: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=data(cid, action))

    return InlineKeyboardMarkup(
        [
            [b("⏸ Disable here" if enabled else "▶ Enable here", "toggle")],
            [b("⏸ Stop learning here" if c.learning_enabled else "▶ Learn from this group", "learning")],
            [b("Who drafts…", "drafters"), b("Who improves…", "improvers")],
            [b("Disclosure…", "disclosure"), b("Alert chat…", "alert")],
            [b("Crisis region…", "region"), b("Custom resources…", "custom")],
            [b("Retention…", "retention"), b("Close", "close")],
        ]
    )


def _regions(cid: str) -> InlineKeyboardMarkup:
    keys = list(PRESETS)
    rows = [
        [InlineKeyboardButton(k, callback_data=data(cid, f"reg_{k}")) for k in keys[i : i + 3]]
        for i in range(0, len(keys), 3)
    ]
    rows.append([InlineKeyboardButton("⬅ Back", callback_data=data(cid, "menu"))])
    return InlineKeyboardMarkup(rows)


async def on_button(tg: TelegramContext, update: Update, context: Context) -> int:
    query = update.callback_query
    assert query is not None
    match = _PARSE.match(query.data or "")
    if match is None:
        raise InputError("this settings button is not valid; send /llumi_settings again")
    cid, action = match.groups()
    config = await _admin(tg, context.bot, cid, query.from_user)
    by = actor(query.from_user, is_admin=True)
    message = query.message if query.message is not None and hasattr(query.message, "edit_text") else None
    if action in ASK:
        user_data(context)["setting"] = (cid, action)
        await query.answer()
        await send_private(context.bot, query.from_user.id, ASK[action] + " /cancel to keep it as it is.")
        return AWAIT_SETTING
    if action == "close":
        await query.answer("Closed")
        if message is not None:
            await edit(message, "Settings closed. Send /llumi_settings in the group to open them again.")  # type: ignore[arg-type]
        return END
    if action == "region":
        await query.answer()
        if message is not None:
            await edit(message, "Choose the crisis resources region:", _regions(cid))  # type: ignore[arg-type]
        return END
    if action == "toggle":
        on = not config.channel_enabled(cid)
        config = dataclasses.replace(
            config, enabled_channels=[cid] if on else [], all_channels=config.all_channels and on
        )
        await tg.service.update_community(config, by, changed="enabled")
        await query.answer("Enabled" if on else "Disabled")
    elif action == "learning":
        config = dataclasses.replace(config, learning_enabled=not config.learning_enabled)
        await tg.service.update_community(config, by, changed="learning_enabled")
        await query.answer("Learning on" if config.learning_enabled else "Learning off")
    elif action.startswith("reg_") and action[4:] in PRESETS:
        config = dataclasses.replace(config, crisis_region=action[4:], custom_resources=[])
        await tg.service.update_community(config, by, changed="crisis_region")
        await query.answer(f"Region: {action[4:]}")
    else:
        await query.answer()
    if message is not None:
        await edit(message, await _text(tg, context.bot, config), _keyboard(config))  # type: ignore[arg-type]
    return END


async def on_text(tg: TelegramContext, update: Update, context: Context) -> int:
    message, user, pending = awaited(update, context, "setting")
    if pending is None:
        return END
    cid, field = pending
    config = await _admin(tg, context.bot, cid, user)
    text = (message.text or "").strip()
    try:
        config = await _apply(context.bot, config, field, text)
    except LlumiError as err:
        user_data(context)["setting"] = pending  # keep waiting: let them try again
        await send_private(context.bot, user.id, f"{err.user_message}. Try again, or /cancel.")
        return AWAIT_SETTING
    await tg.service.update_community(config, actor(user, is_admin=True), changed=field)
    await send_private(context.bot, user.id, await _text(tg, context.bot, config), _keyboard(config))
    return END


async def _apply(bot: Bot, c: CommunityConfig, field: str, text: str) -> CommunityConfig:
    if field in ("drafters", "improvers"):
        users = _user_ids(text)
        if field == "drafters":
            return dataclasses.replace(c, draft_users=users)
        return dataclasses.replace(c, improve_users=users)
    if field == "disclosure":
        if len(text) > 300:
            raise InputError("keep the disclosure line under 300 characters")
        return dataclasses.replace(c, disclosure="" if text == "-" else text)
    if field == "alert":
        if text == "-":
            return dataclasses.replace(c, alert_channel=None)
        if not re.fullmatch(r"-?\d{1,20}|@\w{4,64}", text):
            raise InputError("send a chat id such as -1001234567890 (or @channelname), or '-'")
        try:
            await with_retry(
                lambda: bot.send_message(
                    text,
                    "LLUMI will send escalation alerts to this chat.",
                    link_preview_options=NO_PREVIEW,
                )
            )
        except TelegramError:
            raise InputError(
                "I cannot post in that chat; add me there first, then send its id again"
            ) from None
        return dataclasses.replace(c, alert_channel=text)
    if field == "custom":
        return dataclasses.replace(
            c, custom_resources=[] if text == "-" else _resources(text, c.crisis_region)
        )
    if field == "retention":
        if text.lower() == "default":
            return dataclasses.replace(c, retention_days=None)
        if not text.isdigit() or int(text) > 3650:
            raise InputError("send a whole number of days from 0 to 3650, or 'default'")
        return dataclasses.replace(c, retention_days=int(text))
    raise InputError("unknown setting")


def _who(users: list[str]) -> str:
    return f" and {len(users)} listed user(s)" if users else " only"


def _user_ids(text: str) -> list[str]:
    if text.lower() in ("admins", "none", "-"):
        return []
    ids = [t for t in re.split(r"[\s,]+", text) if t]
    if not ids or not all(t.isdigit() for t in ids):
        raise InputError("send user ids as numbers separated by spaces (e.g. 12345 67890), or 'admins'")
    return list(dict.fromkeys(ids))


def _resources(text: str, region: str) -> list[CrisisResource]:
    found = parse_resources(text, region)
    if not found:
        raise InputError("send at least one resource line, or '-'")
    return found
