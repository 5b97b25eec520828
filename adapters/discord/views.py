"""Buttons that survive a restart: `DynamicItem`s whose custom id is `llumi:<draft_id>:<action>`.

The id carries no state; every press reads the draft from the database through
`app.service.get(draft_id, actor)`, which also refuses anyone but the requester.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

import discord

from .render import Action, ButtonSpec

log = logging.getLogger(__name__)

TEMPLATE = r"llumi:(?P<draft_id>[0-9a-f]{6,32}):(?P<action>[a-z]{2,16})"


class DraftButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """One action on one draft. Registered once with `client.add_dynamic_items`."""

    def __init__(
        self,
        draft_id: str,
        action: Action,
        *,
        label: str | None = None,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
        disabled: bool = False,
    ) -> None:
        spec = ButtonSpec(draft_id, action, row or 0, disabled)
        super().__init__(
            discord.ui.Button(
                label=label or spec.label,
                style=style,
                custom_id=spec.custom_id,
                row=row,
                disabled=disabled,
            )
        )
        self.draft_id = draft_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DraftButton:
        try:
            action = Action(match["action"])
        except ValueError:
            action = Action.RATE  # an id from a newer version: harmless, and refused by the handler
        label = getattr(item, "label", None)
        style = getattr(item, "style", discord.ButtonStyle.secondary)
        return cls(match["draft_id"], action, label=label, style=style)

    async def callback(self, interaction: discord.Interaction) -> None:
        # Imported here: the handlers build views from this module.
        from .actions import on_button

        await on_button(interaction, self.draft_id, self.action)


def make_view(buttons: Sequence[ButtonSpec]) -> discord.ui.View | None:
    """A view for a message; `None` when there are no buttons (clears old ones)."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for spec in buttons:
        view.add_item(
            DraftButton(spec.draft_id, spec.action, style=spec.style, row=spec.row, disabled=spec.disabled)
        )
    return view
