"""Modals: Edit (pre-filled), Improve my reply (paste your draft), Rate (1–5 on five dimensions)."""

from __future__ import annotations

from typing import Any

import discord

from llumi_core.domain import RATING_DIMENSIONS, DraftKind
from llumi_core.errors import InputError

from . import actions, render
from .io import guarded, report_error


class _Modal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await report_error(interaction, error)


class EditModal(_Modal, title="Edit the draft"):
    """The draft pre-filled; the human's text replaces it (checks no longer block posting)."""

    def __init__(self, draft_id: str, text: str) -> None:
        super().__init__(timeout=900)
        self.draft_id = draft_id
        self.text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Your reply",
            style=discord.TextStyle.paragraph,
            default=text[: render.MODAL_TEXT_MAX],
            max_length=render.MODAL_TEXT_MAX,
            required=True,
        )
        self.add_item(self.text)

    @guarded
    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await actions.save_edit(interaction, self.draft_id, self.text.value)


class ImproveModal(_Modal, title="Improve my reply"):
    """The supporter pastes their own reply to the selected post."""

    def __init__(self, message: discord.Message) -> None:
        super().__init__(timeout=1800)
        self.message = message
        self.text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Your reply to this post",
            style=discord.TextStyle.paragraph,
            placeholder="Paste or write your reply; LLUMI suggests a better version and lists the changes.",
            max_length=render.MODAL_TEXT_MAX,
            required=True,
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await actions.draft_flow(interaction, self.message, DraftKind.IMPROVE, self.text.value)


class RateModal(_Modal, title="Rate this draft (1–5)"):
    """Five optional 1–5 scores: the LLUMI paper's dimensions."""

    def __init__(self, draft_id: str) -> None:
        super().__init__(timeout=900)
        self.draft_id = draft_id
        self.inputs: dict[str, discord.ui.TextInput[Any]] = {}
        for dimension in RATING_DIMENSIONS:
            field: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=f"{dimension.capitalize()} (1–5)",
                placeholder="1 = poor … 5 = excellent; leave empty to skip",
                max_length=1,
                required=False,
            )
            self.inputs[dimension] = field
            self.add_item(field)

    @guarded
    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        scores = parse_scores({d: f.value for d, f in self.inputs.items()})
        await actions.save_rating(interaction, self.draft_id, scores)


def parse_scores(values: dict[str, str]) -> dict[str, int]:
    scores: dict[str, int] = {}
    for dimension, raw in values.items():
        raw = raw.strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= 5:
            raise InputError(f"{dimension} must be a whole number from 1 to 5")
        scores[dimension] = int(raw)
    if not scores:
        raise InputError("give at least one score from 1 to 5")
    return scores
