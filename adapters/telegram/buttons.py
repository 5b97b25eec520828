"""The buttons under a private draft: one handler per action, chosen from a table.

Each press reloads the draft (the core refuses anyone but the requester).
Post, Regenerate and Improve ask Telegram now whether the person is an admin
(getChatMember, never cached) and hand that to the core, which authorizes at
the moment of the action.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Message, Update

from llumi_core.domain import Actor, Draft, DraftResult, Platform
from llumi_core.draft_actions import DraftAction
from llumi_core.errors import InputError
from llumi_core.service import OnStart, OnText

from . import keyboards, render
from .context import AWAIT_EDIT, END, Context, TelegramContext, awaited, user_data
from .convert import actor, actor_in_chat
from .delivery import edit, send_private, set_markup
from .drafting import generate, show


class Press:
    """One press on one draft: the query, the person, the draft as stored now."""

    def __init__(self, query: CallbackQuery, by: Actor, draft: Draft, raw: str) -> None:
        self.query = query
        self.by = by
        self.draft = draft
        self.raw = raw

    @property
    def message(self) -> Message | None:
        return self.query.message if isinstance(self.query.message, Message) else None


async def _press(tg: TelegramContext, update: Update) -> Press:
    query = update.callback_query
    assert query is not None
    parsed = keyboards.parse(query.data)
    if parsed is None:
        raise InputError("this button is not from this version of LLUMI; ask for a new draft")
    by = actor(query.from_user)
    draft = await tg.service.get(parsed.draft_id, by)  # refuses anyone but the requester
    return Press(query, by, draft, parsed.action or parsed.raw)


async def on_button(tg: TelegramContext, update: Update, context: Context) -> None:
    press = await _press(tg, update)
    handler = _HANDLERS.get(press.raw)
    if handler is None and (rated := keyboards.parse_rating(press.raw)) is not None:
        dim, score = rated
        await tg.service.rate(press.draft.id, press.by, {dim: score})
        await press.query.answer(f"Saved: {dim} {score}/5")
        return
    if handler is None:
        await press.query.answer("Unknown button", show_alert=True)
        return
    await handler(tg, press, context)


async def on_edit_button(tg: TelegramContext, update: Update, context: Context) -> int:
    """Edit: the next private text replaces the draft (a conversation, see `application`)."""
    press = await _press(tg, update)
    await tg.service.open_draft(press.draft.id, press.by)  # refused before waiting for a text
    user_data(context)["edit"] = (press.draft.id, press.query.message)
    await press.query.answer()
    await send_private(
        context.bot,
        press.query.from_user.id,
        "Send the new text for this draft as your next message. It replaces the draft; "
        f"nothing is posted until you press Post. /cancel keeps the draft as it is "
        f"(I stop waiting after {tg.minutes()} min).",
    )
    return AWAIT_EDIT


async def edit_text(tg: TelegramContext, update: Update, context: Context) -> int:
    message, user, pending = awaited(update, context, "edit")
    if pending is None:
        raise InputError("I was not waiting for an edit; press Edit under the draft again")
    draft_id, old_message = pending
    edited = await tg.service.edit(draft_id, actor(user), message.text or "")
    await set_markup(old_message, None)
    await show(tg, context.bot, user.id, edited)
    return END


# --- one function per action -----------------------------------------------------------


async def _post(tg: TelegramContext, press: Press, context: Context) -> None:
    by = await actor_in_chat(context.bot, press.draft.post.community_id, press.query.from_user)
    posted = await tg.service.post(press.draft.id, by, tg.outbox(context))
    await press.query.answer("Posted to the group")
    await _closed(press, posted.draft)


async def _rewrite(tg: TelegramContext, press: Press, context: Context) -> None:
    """Regenerate or Improve: a new draft below, the old one's buttons removed once it exists."""
    draft, query = press.draft, press.query
    by = await actor_in_chat(context.bot, draft.post.community_id, query.from_user)
    config = await tg.service.community(Platform.TELEGRAM, draft.post.community_id)
    rewrite = tg.service.regenerate if press.raw == DraftAction.REGENERATE else tg.service.improve_draft
    outbox = tg.outbox(context, rewriting=draft)

    def run(on_start: OnStart, on_text: OnText) -> Awaitable[DraftResult]:
        async def started(new: Draft) -> None:
            await query.answer("Writing a new version…")  # the core allowed it: say so at once
            await on_start(new)

        return rewrite(draft.id, by, outbox, on_start=started, on_text=on_text)

    if await generate(tg, context.bot, query.from_user.id, config, run) is not None:
        await set_markup(press.message, None)


async def _use_mine(tg: TelegramContext, press: Press, context: Context) -> None:
    mine = await tg.service.use_mine(press.draft.id, press.by)
    await press.query.answer()
    await set_markup(press.message, None)
    await show(tg, context.bot, press.query.from_user.id, mine)


async def _discard(tg: TelegramContext, press: Press, context: Context) -> None:
    closed = await tg.service.discard(press.draft.id, press.by)
    await press.query.answer("Discarded")
    await _closed(press, closed)


async def _escalate(tg: TelegramContext, press: Press, context: Context) -> None:
    escalation = await tg.service.escalate(press.draft.id, press.by, tg.outbox(context))
    if escalation.first:
        text = "Escalated: the moderators were alerted (without the post text)."
    else:
        text = "This post was already escalated; the moderators have the alert."
    await press.query.answer(text, show_alert=True)


async def _rate(tg: TelegramContext, press: Press, context: Context) -> None:
    await press.query.answer("Rate 1 (poor) to 5 (great) on each line")
    await set_markup(press.message, keyboards.rating(press.draft.id))


async def _back(tg: TelegramContext, press: Press, context: Context) -> None:
    await press.query.answer()
    await set_markup(press.message, keyboards.actions(press.draft))


async def _blocked(tg: TelegramContext, press: Press, context: Context) -> None:
    kinds = ", ".join(sorted({i.kind for i in press.draft.issues})) or "problems"
    await press.query.answer(
        f"The checks found: {kinds}. Press Edit and fix the text, then Post.", show_alert=True
    )


async def _closed(press: Press, draft: Draft) -> None:
    if press.message is not None:
        await edit(press.message, render.closed(draft), keyboards.actions(draft))


_HANDLERS: dict[str, Callable[[TelegramContext, Press, Context], Awaitable[None]]] = {
    DraftAction.POST: _post,
    DraftAction.REGENERATE: _rewrite,
    DraftAction.IMPROVE: _rewrite,
    DraftAction.MINE: _use_mine,
    DraftAction.DISCARD: _discard,
    DraftAction.ESCALATE: _escalate,
    DraftAction.RATE: _rate,
    keyboards.BACK: _back,
    keyboards.BLOCKED: _blocked,
}
