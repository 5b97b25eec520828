"""Application commands: two message context menus, `/llumi …` and `/llumi-admin …`.

`/llumi-admin` is hidden from members without Manage Server by default, and the
permission is checked again on every call (a server can override the default).
"""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands

from llumi_core.community_input import parse_resources
from llumi_core.context import AppContext
from llumi_core.crisis_resources import normalise_region
from llumi_core.domain import Actor, CommunityConfig, DraftKind, Platform
from llumi_core.errors import InputError, NotAllowed

from . import render
from .actions import draft_flow, precheck
from .convert import actor_from, parse_message_link, require_guild
from .io import app_of, community_for, guarded, report_error, send_private
from .modals import ImproveModal

log = logging.getLogger(__name__)

DRAFT_MENU = "Draft supportive reply"
IMPROVE_MENU = "Improve my reply"


class CommandTree(app_commands.CommandTree[discord.Client]):
    """The last line of defence for commands: a private message, never a traceback."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        original = getattr(error, "original", error)
        if isinstance(error, app_commands.NoPrivateMessage):
            original = NotAllowed("LLUMI works inside a server, not in direct messages")
        elif isinstance(error, app_commands.MissingPermissions):
            original = NotAllowed("this needs the Manage Server permission")
        elif isinstance(error, app_commands.TransformerError):
            original = InputError(f"that value is not valid for '{error.value!r}'"[:200])
        await report_error(interaction, original)


def build(tree: app_commands.CommandTree[discord.Client]) -> None:
    """Add every command to the tree (at start-up, never at import)."""
    draft_menu = app_commands.ContextMenu(name=DRAFT_MENU, callback=_draft_menu)
    improve_menu = app_commands.ContextMenu(name=IMPROVE_MENU, callback=_improve_menu)
    for menu in (draft_menu, improve_menu):
        menu.guild_only = True
        tree.add_command(menu)
    tree.add_command(LlumiCommands())
    tree.add_command(AdminCommands())


async def _draft_menu(interaction: discord.Interaction, message: discord.Message) -> None:
    await draft_flow(interaction, message, DraftKind.DRAFT)


async def _improve_menu(interaction: discord.Interaction, message: discord.Message) -> None:
    # A modal must be Discord's first answer, so there is no defer here.
    if await precheck(interaction, message, DraftKind.IMPROVE):
        await interaction.response.send_modal(ImproveModal(message))


async def _resolve_message(interaction: discord.Interaction, link: str) -> discord.Message:
    parsed = parse_message_link(link)
    client = interaction.client
    if parsed.channel_id is None:
        channel: object = interaction.channel
    else:
        try:
            channel = client.get_channel(parsed.channel_id) or await client.fetch_channel(parsed.channel_id)
        except (discord.NotFound, discord.Forbidden):
            raise InputError("that message link is not from a channel I can see in this server") from None
    if (
        not isinstance(channel, discord.abc.Messageable)
        or getattr(channel, "guild", None) != interaction.guild
    ):
        raise InputError("that message link is not from this server")
    try:
        return await channel.fetch_message(parsed.message_id)
    except discord.NotFound:
        raise InputError("I could not find that message (it may have been deleted)") from None


@app_commands.guild_only()
class LlumiCommands(
    app_commands.Group, name="llumi", description="LLUMI: a private writing assistant for supporters"
):
    @app_commands.command(name="draft", description="Privately draft a supportive reply to a member's post")
    @app_commands.describe(message="the post's message link (or id, in this channel)")
    async def draft(self, interaction: discord.Interaction, message: str) -> None:
        await _slash(interaction, message, DraftKind.DRAFT, None)

    @app_commands.command(name="improve", description="Privately improve your own reply to a member's post")
    @app_commands.describe(message="the post's message link (or id)", text="your reply")
    async def improve(
        self, interaction: discord.Interaction, message: str, text: app_commands.Range[str, 1, 4000]
    ) -> None:
        await _slash(interaction, message, DraftKind.IMPROVE, text)

    @app_commands.command(name="optout", description="Never let LLUMI process your posts in any server")
    async def optout(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        actor = actor_from(interaction)
        await app_of(interaction).service.opt_out(Platform.DISCORD, actor.user_id, actor)
        await send_private(
            interaction,
            "✅ You have opted out: LLUMI will never draft replies to your posts or process them.",
        )


@guarded
async def _slash(interaction: discord.Interaction, link: str, kind: DraftKind, text: str | None) -> None:
    await interaction.response.defer(ephemeral=True, thinking=True)
    message = await _resolve_message(interaction, link)
    await draft_flow(interaction, message, kind, text)


# --- admin -----------------------------------------------------------------------------


async def _admin(interaction: discord.Interaction) -> tuple[Actor, CommunityConfig]:
    """Defer, re-check Manage Server (servers can override the default), load the settings."""
    await interaction.response.defer(ephemeral=True, thinking=True)
    guild = require_guild(interaction)
    actor = actor_from(interaction)
    if not actor.is_admin:
        raise NotAllowed("only members with the Manage Server permission can change LLUMI's settings")
    return actor, await community_for(interaction, str(guild.id))


async def _save(
    interaction: discord.Interaction, config: CommunityConfig, actor: Actor, changed: str
) -> None:
    await app_of(interaction).service.update_community(config, actor, changed=changed)
    await send_private(interaction, f"✅ Saved ({changed}); effective now.")


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class AdminCommands(app_commands.Group, name="llumi-admin", description="Configure LLUMI for this server"):
    @app_commands.command(name="channel", description="Enable or disable LLUMI in a channel or category")
    async def channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | discord.CategoryChannel | discord.ForumChannel | discord.Thread,
        enabled: bool,
    ) -> None:
        actor, config = await _admin(interaction)
        key = str(channel.id)
        config.enabled_channels = [c for c in config.enabled_channels if c != key] + (
            [key] if enabled else []
        )
        await _save(interaction, config, actor, "enabled_channels")

    @app_commands.command(
        name="all-channels", description="Enable LLUMI in every channel (or go back to a list)"
    )
    async def all_channels(self, interaction: discord.Interaction, enabled: bool) -> None:
        actor, config = await _admin(interaction)
        config.all_channels = enabled
        await _save(interaction, config, actor, "all_channels")

    @app_commands.command(
        name="role", description="Allow or disallow a role to ask for drafts or improvements"
    )
    async def role(
        self,
        interaction: discord.Interaction,
        kind: Literal["draft", "improve"],
        role: discord.Role,
        allowed: bool,
    ) -> None:
        actor, config = await _admin(interaction)
        key = str(role.id)
        current = config.draft_roles if kind == "draft" else config.improve_roles
        updated = [r for r in current if r != key] + ([key] if allowed else [])
        if kind == "draft":
            config.draft_roles = updated
        else:
            config.improve_roles = updated
        await _save(interaction, config, actor, f"{kind}_roles")

    @app_commands.command(
        name="disclosure", description="The line added under every posted reply (empty = none)"
    )
    async def disclosure(
        self, interaction: discord.Interaction, text: app_commands.Range[str, 0, 300] | None = None
    ) -> None:
        actor, config = await _admin(interaction)
        config.disclosure = (text or "").strip()
        await _save(interaction, config, actor, "disclosure")

    @app_commands.command(
        name="alert-channel", description="Where Escalate sends moderator alerts (empty = none)"
    )
    async def alert_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        actor, config = await _admin(interaction)
        config.alert_channel = str(channel.id) if channel else None
        await _save(interaction, config, actor, "alert_channel")

    @app_commands.command(name="resources", description="Crisis resources: a region preset, or your own list")
    @app_commands.describe(
        region="us, uk-ie, ca, au, in, de, fr or international",
        custom="optional: 'Name | contact | url; Name 2 | contact'",  # one line: ';' separates
    )
    async def resources(
        self, interaction: discord.Interaction, region: str, custom: str | None = None
    ) -> None:
        actor, config = await _admin(interaction)
        config.crisis_region = normalise_region(region)
        config.custom_resources = parse_resources(custom or "", config.crisis_region)
        await _save(interaction, config, actor, "crisis_resources")

    @app_commands.command(
        name="retention", description="Days to keep draft text (empty = the server default)"
    )
    async def retention(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 0, 3650] | None = None
    ) -> None:
        actor, config = await _admin(interaction)
        config.retention_days = days
        await _save(interaction, config, actor, "retention_days")

    @app_commands.command(
        name="learning",
        description="Let what moderators approve, edit or discard here train this community's own model",
    )
    @app_commands.describe(
        enabled="nothing leaves this machine; drafts are only marked for `llumi pairs export`"
    )
    async def learning(self, interaction: discord.Interaction, enabled: bool) -> None:
        actor, config = await _admin(interaction)
        config.learning_enabled = enabled
        await _save(interaction, config, actor, "learning_enabled")

    @app_commands.command(name="show", description="Show LLUMI's settings here and the model status")
    async def show(self, interaction: discord.Interaction) -> None:
        _actor, config = await _admin(interaction)
        app = app_of(interaction)
        await send_private(
            interaction, render.community_summary(config, app.service.resources(config), model_status(app))
        )


def model_status(app: AppContext) -> list[str]:
    backends = app.backends
    if backends is None:
        return ["models not loaded"]
    lines = []
    for role in ("gm", "im"):
        backend = getattr(backends, role, None)
        if backend is None:
            continue
        try:
            s = backend.status()
        except Exception as err:  # a status call must never break the admin view
            lines.append(f"{role.upper()}: status unavailable ({type(err).__name__})")
            continue
        state = "loaded" if s.loaded else "not loaded"
        busy = ", running" if s.running else ""
        lines.append(f"{role.upper()}: {s.model_id} — {state}, queue {s.queue_length}{busy}")
    return lines
