"""What happens when someone asks for a draft or presses one of its buttons.

Each function converts the interaction, checks what only Discord can tell
(is it a server, is the post a member's words) and renders; the use case
itself (authorize, post, regenerate, escalate…) is one call to the core, with
a `DiscordOutbox` for what Discord does on its behalf. Each one acknowledges
Discord first (defer) — before any model or database work — except where
Discord requires a modal as the first answer (see `views`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from llumi_core.domain import CommunityConfig, Draft, DraftKind, DraftResult
from llumi_core.draft_actions import DraftAction
from llumi_core.errors import InputError, LlumiError
from llumi_core.service import OnStart, OnText, PostChanged
from llumi_core.streaming import StreamThrottle

from . import render
from .convert import actor_from, channel_ids, check_answerable, post_from, require_guild
from .io import (
    DiscordOutbox,
    Edit,
    app_of,
    capitalised,
    community_for,
    edit_original,
    guarded,
    new_private_message,
    report_error,
    send_private,
    service_of,
    user_message,
)

Run = Callable[[OnStart, OnText], Awaitable[DraftResult]]
Failed = Callable[[LlumiError, Draft | None], Awaitable[render.Rendered]]


# --- asking -------------------------------------------------------------------------


@guarded
async def draft_flow(
    interaction: discord.Interaction, message: discord.Message, kind: DraftKind, human_text: str | None = None
) -> None:
    """Context menu, slash command or Improve modal: a new private draft for `message`."""
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    service = service_of(interaction)
    actor = actor_from(interaction)
    config = await _checked_request(interaction, message, kind)
    post = post_from(message)
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
            user_message(err).removeprefix("⚠️ "),
            risk=risk,
            resources=service.resources(config),
            draft_id=started.id if started is not None else None,
        )

    await generate(interaction, edit, run=run, kind=kind, config=config, failed=failed)


async def _checked_request(
    interaction: discord.Interaction, message: discord.Message, kind: DraftKind
) -> CommunityConfig:
    """A server, a member's words, and a requester the community allows here."""
    guild = require_guild(interaction)
    check_answerable(message)
    config = await community_for(interaction, str(guild.id))
    service_of(interaction).authorize(config, actor_from(interaction), kind, *channel_ids(message.channel))
    return config


async def precheck(interaction: discord.Interaction, message: discord.Message, kind: DraftKind) -> bool:
    """Before a modal (which must be Discord's first answer): refuse early and politely."""
    try:
        await _checked_request(interaction, message, kind)
    except Exception as err:
        await report_error(interaction, err)
        return False
    return True


async def generate(
    interaction: discord.Interaction,
    edit: Edit,
    *,
    run: Run,
    kind: DraftKind,
    config: CommunityConfig,
    failed: Failed,
) -> DraftResult | None:
    """Risk, resources and Escalate before the model runs; the text as it streams; then the draft.

    The core announces the stored, still empty draft (`on_start`) before any
    model work, so a flagged post's first private message already carries a
    working Escalate button. On a LlumiError the message shows `failed(err,
    started)` instead (started: that draft, or None when the core refused first).
    """
    app = app_of(interaction)
    resources = app.service.resources(config)
    started: Draft | None = None

    async def show(text: str) -> None:
        if started is not None:
            await edit(render.progress(started.risk, resources, kind, text, draft_id=started.id))

    async def on_start(draft: Draft) -> None:
        nonlocal started
        started = draft
        await show("")

    try:
        async with StreamThrottle(show, app.settings.discord.stream_edit_interval_s) as stream:
            result = await run(on_start, stream.update)
    except LlumiError as err:
        await edit(await failed(err, started))
        return None
    await edit(render.result(result))
    return result


# --- buttons --------------------------------------------------------------------------


async def on_button(interaction: discord.Interaction, draft_id: str, action: DraftAction | None) -> None:
    """Every `llumi:<draft_id>:<action>` press but Edit and Rate (state from the database)."""
    handler = _HANDLERS.get(action) if action is not None else None
    if handler is None:
        raise InputError("this button is not from this version of LLUMI; ask for a new draft")
    await interaction.response.defer()  # acknowledge by updating the private message itself
    await handler(interaction, draft_id)


async def own_draft(interaction: discord.Interaction, draft_id: str) -> Draft:
    return await service_of(interaction).get(draft_id, actor_from(interaction))


async def open_draft(interaction: discord.Interaction, draft_id: str) -> Draft:
    return await service_of(interaction).open_draft(draft_id, actor_from(interaction))


async def _post(interaction: discord.Interaction, draft_id: str) -> None:
    service = service_of(interaction)
    try:
        posted = await service.post(draft_id, actor_from(interaction), DiscordOutbox(interaction))
    except PostChanged as err:
        if err.deleted:
            raise
        # Edited: the member said something new; offer a fresh draft for what they say now.
        buttons = (render.ButtonSpec(draft_id, DraftAction.REGENERATE, 0),)
        await send_private(interaction, render.Rendered(f"⚠️ {capitalised(err.user_message)}", (), buttons))
        return
    resources = service.resources(posted.community)
    await edit_original(interaction)(render.posted(posted.draft, resources, posted.link))


async def _copy(interaction: discord.Interaction, draft_id: str) -> None:
    service = service_of(interaction)
    actor = actor_from(interaction)
    approved = await service.approve(draft_id, actor)
    config = await community_for(interaction, approved.post.community_id)
    text = service.text_to_post(approved, config)
    await edit_original(interaction)(render.copied(approved, service.resources(config), text))


async def _discard(interaction: discord.Interaction, draft_id: str) -> None:
    discarded = await service_of(interaction).discard(draft_id, actor_from(interaction))
    await edit_original(interaction)(render.discarded(discarded))


async def _use_mine(interaction: discord.Interaction, draft_id: str) -> None:
    draft = await service_of(interaction).use_mine(draft_id, actor_from(interaction))
    await _show_stored(interaction, draft, "↩️ Back to your own text. Edit it, or post it as it is.")


async def _rewrite(interaction: discord.Interaction, draft_id: str, *, improve: bool) -> None:
    """A new draft replaces the old one in the same private message; the old one is discarded."""
    service = service_of(interaction)
    actor = actor_from(interaction)
    draft = await own_draft(interaction, draft_id)  # for rendering; the core checks it is open
    config = await community_for(interaction, draft.post.community_id)
    outbox = DiscordOutbox(interaction)

    def run(on_start: OnStart, on_text: OnText) -> Awaitable[DraftResult]:
        rewrite = service.improve_draft if improve else service.regenerate
        return rewrite(draft_id, actor, outbox, on_start=on_start, on_text=on_text)

    async def failed(err: LlumiError, _started: Draft | None) -> render.Rendered:
        # The old draft is still pending when the model fails: show it again (with its Escalate).
        old = await service.get(draft_id, actor)
        return render.draft_view(old, service.resources(config), user_message(err))

    kind = DraftKind.IMPROVE if improve or draft.kind is DraftKind.IMPROVE else DraftKind.DRAFT
    await generate(interaction, edit_original(interaction), run=run, kind=kind, config=config, failed=failed)


async def _regenerate(interaction: discord.Interaction, draft_id: str) -> None:
    await _rewrite(interaction, draft_id, improve=False)


async def _improve(interaction: discord.Interaction, draft_id: str) -> None:
    await _rewrite(interaction, draft_id, improve=True)


async def _escalate(interaction: discord.Interaction, draft_id: str) -> None:
    """A content-minimal alert to the moderators' channel, once per post."""
    escalation = await service_of(interaction).escalate(
        draft_id, actor_from(interaction), DiscordOutbox(interaction)
    )
    if escalation.first:
        await send_private(
            interaction, "🚩 Escalated: the moderators were alerted (with a link, not the post's text)."
        )
    else:
        await send_private(interaction, "ℹ️ This post was already escalated; the moderators have the alert.")


_HANDLERS: dict[DraftAction, Callable[[discord.Interaction, str], Awaitable[None]]] = {
    DraftAction.POST: _post,
    DraftAction.COPY: _copy,
    DraftAction.DISCARD: _discard,
    DraftAction.MINE: _use_mine,
    DraftAction.REGENERATE: _regenerate,
    DraftAction.IMPROVE: _improve,
    DraftAction.ESCALATE: _escalate,
}


# --- modals ---------------------------------------------------------------------------


async def save_edit(interaction: discord.Interaction, draft_id: str, text: str) -> None:
    await interaction.response.defer()  # updates the private draft message in place
    draft = await service_of(interaction).edit(draft_id, actor_from(interaction), text)
    await _show_stored(interaction, draft, "✏️ Your edit was saved. Review it, then post or copy it.")


async def save_rating(interaction: discord.Interaction, draft_id: str, scores: dict[str, int]) -> None:
    await service_of(interaction).rate(draft_id, actor_from(interaction), scores)
    summary = ", ".join(f"{d} {v}" for d, v in scores.items())
    await send_private(interaction, f"⭐ Thank you — your rating was saved ({summary}).")


async def _show_stored(interaction: discord.Interaction, draft: Draft, note: str) -> None:
    config = await community_for(interaction, draft.post.community_id)
    resources = service_of(interaction).resources(config)
    await edit_original(interaction)(render.draft_view(draft, resources, note))
