"""Buttons that survive a restart: a `DynamicItem` matching `llumi:<draft_id>:<action>`.

The id carries no state; every press reads the draft from the database
through the core, which also refuses anyone but the requester. Edit and Rate
answer with a modal (Discord wants it as the first answer); every other
action goes to `actions.on_button`.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from llumi_core.draft_actions import DraftAction, parse_button

from . import actions
from .io import guarded
from .modals import EditModal, RateModal

TEMPLATE = r"llumi:(?P<draft_id>[0-9a-f]{6,32}):(?P<action>[a-z_0-9]{1,24})"


class DraftButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """One action on one draft. Registered once with `client.add_dynamic_items`."""

    def __init__(self, draft_id: str, action: DraftAction | None, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.draft_id = draft_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DraftButton:
        press = parse_button(match.group(0))
        assert press is not None  # the template matched
        button = item if isinstance(item, discord.ui.Button) else discord.ui.Button(custom_id=match.group(0))
        return cls(press.draft_id, press.action, button)

    async def callback(self, interaction: discord.Interaction) -> None:
        await on_press(interaction, self.draft_id, self.action)


@guarded
async def on_press(interaction: discord.Interaction, draft_id: str, action: DraftAction | None) -> None:
    if action is DraftAction.EDIT:
        draft = await actions.open_draft(interaction, draft_id)
        await interaction.response.send_modal(EditModal(draft_id, draft.text))
    elif action is DraftAction.RATE:
        await actions.own_draft(interaction, draft_id)
        await interaction.response.send_modal(RateModal(draft_id))
    else:
        await actions.on_button(interaction, draft_id, action)
