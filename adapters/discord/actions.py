"""What happens when someone asks for a draft or presses one of its buttons.

Handlers convert, check Discord-side facts and render; every decision is the
core's (`app.service`). Each one acknowledges Discord first (defer) — before any
model or database work — except where Discord requires a modal as the first
answer (Edit and Rate read one row to pre-fill or refuse early).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from llumi_core.domain import Draft, DraftKind, DraftResult
from llumi_core.errors import DraftClosed, LlumiError
from llumi_core.service import OnStart, OnText, PostChanged

from . import render
from .convert import actor_from, channel_ids, check_answerable, post_from, require_guild
from .flows import (
    NO_MENTIONS,
    Edit,
    app_of,
    community_for,
    current_post,
    edit_original,
    generate,
    guarded,
    new_private_message,
    send_private,
    user_message,
)
from .render import Action

log = logging.getLogger(__name__)


# --- asking -------------------------------------------------------------------------


@guarded
async def draft_flow(
    interaction: discord.Interaction, message: discord.Message, kind: DraftKind, human_text: str | None = None
) -> None:
    """Context menu, slash command or Improve modal: a new private draft for `message`."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    service = app_of(interaction).service
    actor = actor_from(interaction)
    guild = require_guild(interaction)
    check_answerable(message)
    post = post_from(message)
    config = await community_for(interaction, str(guild.id))
    service.authorize(config, actor, kind, *channel_ids(message.channel))
    edit = await new_private_message(interaction)

    def run(on_start: OnStart, on_text: OnText) -> Awaitable[DraftResult]:
        if kind is DraftKind.IMPROVE:
            return service.improve(
                post, human_text or "", actor, community=config, on_start=on_start, on_text=on_text
            )
        return service.draft(post, actor, community=config, on_start=on_start, on_text=on_text)

    async def failed(err: LlumiError, started: Draft | None) -> render.Rendered:
        # The risk header (and Escalate, for the draft the core stored first) stay visible.
        risk = started.risk if started is not None else service.screen(post.text)
        return render.failure(
            _strip(user_message(err)),
            risk=risk,
            resources=service.resources(config),
            draft_id=started.id if started is not None else None,
        )

    await generate(interaction, edit, run=run, kind=kind, config=config, failed=failed)


def _strip(message: str) -> str:
    return message.removeprefix("⚠️ ")


async def precheck(interaction: discord.Interaction, message: discord.Message, kind: DraftKind) -> bool:
    """Before a modal (which must be Discord's first answer): refuse early and politely."""
    try:
        guild = require_guild(interaction)
        check_answerable(message)
        config = await community_for(interaction, str(guild.id))
        app_of(interaction).service.authorize(
            config, actor_from(interaction), kind, *channel_ids(message.channel)
        )
    except Exception as err:
        from .flows import report_error

        await report_error(interaction, err)
        return False
    return True


# --- buttons --------------------------------------------------------------------------


@guarded
async def on_button(interaction: discord.Interaction, draft_id: str, action: Action) -> None:
    """Every `llumi:<draft_id>:<action>` press, after a restart too (state from the database)."""
    if action in (Action.EDIT, Action.RATE):
        await _open_modal(interaction, draft_id, action)
        return
    await interaction.response.defer()  # acknowledge by updating the private message itself
    handler = _HANDLERS[action]
    await handler(interaction, draft_id)


async def _open_modal(interaction: discord.Interaction, draft_id: str, action: Action) -> None:
    from .modals import EditModal, RateModal

    draft = await app_of(interaction).service.get(draft_id, actor_from(interaction))
    if action is Action.EDIT:
        if not draft.is_open:
            raise DraftClosed(f"this draft was already {draft.status.value}")
        await interaction.response.send_modal(EditModal(draft_id, draft.text))
    else:
        await interaction.response.send_modal(RateModal(draft_id))


async def _post(interaction: discord.Interaction, draft_id: str) -> None:
    service = app_of(interaction).service
    actor = actor_from(interaction)
    draft = await service.get(draft_id, actor)
    config = await community_for(interaction, draft.post.community_id)
    resources = service.resources(config)
    if not draft.is_open:
        raise DraftClosed(f"this draft was already {draft.status.value}")
    message, current = await current_post(interaction, draft.post)
    try:
        service.verify_post_unchanged(draft, current)
    except PostChanged as err:
        # Edited: the member said something new; offer a fresh draft for what they say now.
        buttons = (render.ButtonSpec(draft_id, Action.REGENERATE, 0),) if message is not None else ()
        await send_private(interaction, render.Rendered(f"⚠️ {_cap(err.user_message)}", (), buttons))
        return
    assert message is not None  # verify_post_unchanged refuses a missing post
    approved = await service.approve(draft_id, actor)
    try:
        parts = render.split_message(service.text_to_post(approved, config))
        sent = await message.reply(parts[0], allowed_mentions=NO_MENTIONS, mention_author=False)
        for part in parts[1:]:
            await message.channel.send(part, allowed_mentions=NO_MENTIONS)
    except Exception:
        await service.release(draft_id, actor)  # back to pending: the human can retry, nothing is lost
        raise
    posted = await service.mark_posted(draft_id, actor, str(sent.id))
    await edit_original(interaction)(render.posted(posted, resources, sent.jump_url))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


async def _copy(interaction: discord.Interaction, draft_id: str) -> None:
    service = app_of(interaction).service
    actor = actor_from(interaction)
    draft = await service.get(draft_id, actor)
    config = await community_for(interaction, draft.post.community_id)
    approved = await service.approve(draft_id, actor)
    text = service.text_to_post(approved, config)
    await edit_original(interaction)(render.copied(approved, service.resources(config), text))


async def _discard(interaction: discord.Interaction, draft_id: str) -> None:
    discarded = await app_of(interaction).service.discard(draft_id, actor_from(interaction))
    await edit_original(interaction)(render.discarded(discarded))


async def _use_mine(interaction: discord.Interaction, draft_id: str) -> None:
    service = app_of(interaction).service
    draft = await service.use_mine(draft_id, actor_from(interaction))
    config = await community_for(interaction, draft.post.community_id)
    note = "↩️ Back to your own text. Edit it, or post it as it is."
    await edit_original(interaction)(render.draft_view(draft, service.resources(config), note))


async def _regenerate_or_improve(interaction: discord.Interaction, draft_id: str, *, improve: bool) -> None:
    """A new draft replaces the old one in the same private message; the old one is discarded."""
    service = app_of(interaction).service
    actor = actor_from(interaction)
    draft = await service.get(draft_id, actor)
    if not draft.is_open:
        raise DraftClosed(f"this draft was already {draft.status.value}")
    config = await community_for(interaction, draft.post.community_id)
    _message, post = await current_post(interaction, draft.post)
    if post is None:
        raise PostChanged("the original post was deleted; there is nothing to reply to")
    edit: Edit = edit_original(interaction)

    def run(on_start: OnStart, on_text: OnText) -> Awaitable[DraftResult]:
        if improve:
            return service.improve_draft(
                draft_id, actor, post, community=config, on_start=on_start, on_text=on_text
            )
        return service.regenerate(draft_id, actor, post, community=config, on_start=on_start, on_text=on_text)

    async def failed(err: LlumiError, _started: Draft | None) -> render.Rendered:
        # The old draft is still pending when the model fails: show it again (with its Escalate).
        old = await service.get(draft_id, actor)
        return render.draft_view(old, service.resources(config), user_message(err))

    kind = DraftKind.IMPROVE if improve or draft.kind is DraftKind.IMPROVE else DraftKind.DRAFT
    await generate(interaction, edit, run=run, kind=kind, config=config, failed=failed)


async def _regenerate(interaction: discord.Interaction, draft_id: str) -> None:
    await _regenerate_or_improve(interaction, draft_id, improve=False)


async def _improve(interaction: discord.Interaction, draft_id: str) -> None:
    await _regenerate_or_improve(interaction, draft_id, improve=True)


async def _escalate(interaction: discord.Interaction, draft_id: str) -> None:
    """A content-minimal alert to the moderators' channel, once per post."""
    service = app_of(interaction).service
    actor = actor_from(interaction)
    draft = await service.get(draft_id, actor)
    config = await community_for(interaction, draft.post.community_id)
    if not config.alert_channel:
        await send_private(
            interaction,
            "⚠️ No moderator alert channel is set (an admin can set one with `/llumi-admin alert-channel`). "
            "Please contact a moderator directly now.",
        )
        return
    escalation = await service.escalate(draft_id, actor)
    if not escalation.first:
        await send_private(interaction, "ℹ️ This post was already escalated; the moderators have the alert.")
        return
    channel = interaction.client.get_partial_messageable(
        int(config.alert_channel), guild_id=interaction.guild_id
    )
    try:
        await channel.send(
            render.alert(who_id=actor.user_id, who_name=actor.display_name, draft=draft),
            allowed_mentions=NO_MENTIONS,
        )
    except discord.HTTPException as err:
        log.warning("escalation alert could not be sent: %s", type(err).__name__)
        await send_private(
            interaction,
            "⚠️ I could not reach the moderator alert channel. Please contact a moderator directly now.",
        )
        return
    await send_private(
        interaction, "🚩 Escalated: the moderators were alerted (with a link, not the post's text)."
    )


_HANDLERS: dict[Action, Callable[[discord.Interaction, str], Awaitable[None]]] = {
    Action.POST: _post,
    Action.COPY: _copy,
    Action.DISCARD: _discard,
    Action.MINE: _use_mine,
    Action.REGENERATE: _regenerate,
    Action.IMPROVE: _improve,
    Action.ESCALATE: _escalate,
}
