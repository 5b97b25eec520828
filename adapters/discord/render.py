"""What the requester sees: risk and crisis resources first, then the draft, then buttons.

Pure functions from core objects to message parts (content, embeds, button
specs). Discord limits: content 2,000 characters, embed description 4,096,
field value 1,024, all embeds together 6,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from llumi_core.community_input import LEARNING_NOTE
from llumi_core.domain import (
    ChangeKind,
    CommunityConfig,
    CrisisResource,
    Draft,
    DraftKind,
    DraftResult,
    RiskAssessment,
    RiskLevel,
)
from llumi_core.draft_actions import DraftAction, Offer, button_id, escalate_offered, offered

from .convert import jump_url

CONTENT_MAX = 2000
DESCRIPTION_MAX = 4096
FIELD_MAX = 1024
MODAL_TEXT_MAX = 4000
_CURSOR = " ▌"


Action = DraftAction  # the shared vocabulary (`llumi_core.draft_actions`)
NO_MENTIONS = discord.AllowedMentions.none()

_LABELS = {
    Action.ESCALATE: ("Escalate to moderators", discord.ButtonStyle.danger),
    Action.POST: ("Post as reply", discord.ButtonStyle.success),
    Action.COPY: ("Copy", discord.ButtonStyle.secondary),
    Action.EDIT: ("Edit", discord.ButtonStyle.primary),
    Action.REGENERATE: ("Regenerate", discord.ButtonStyle.secondary),
    Action.IMPROVE: ("Improve", discord.ButtonStyle.secondary),
    Action.MINE: ("Use mine instead", discord.ButtonStyle.secondary),
    Action.RATE: ("Rate", discord.ButtonStyle.secondary),
    Action.DISCARD: ("Discard", discord.ButtonStyle.danger),
}


@dataclass(frozen=True, slots=True)
class ButtonSpec:
    draft_id: str
    action: Action
    row: int
    disabled: bool = False

    @property
    def custom_id(self) -> str:
        return custom_id(self.draft_id, self.action)

    @property
    def label(self) -> str:
        return _LABELS[self.action][0]

    @property
    def style(self) -> discord.ButtonStyle:
        return _LABELS[self.action][1]


def custom_id(draft_id: str, action: Action) -> str:
    return button_id(draft_id, action)


@dataclass(frozen=True, slots=True)
class Rendered:
    content: str
    embeds: tuple[discord.Embed, ...] = ()
    buttons: tuple[ButtonSpec, ...] = field(default_factory=tuple)


def make_view(buttons: Sequence[ButtonSpec]) -> discord.ui.View | None:
    """A view for a message; `None` when there are no buttons (clears old ones).

    Plain buttons: a press is routed by its custom id to `views.DraftButton`,
    registered once on the client, so buttons keep working after a restart.
    """
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for spec in buttons:
        view.add_item(
            discord.ui.Button(
                label=spec.label,
                style=spec.style,
                custom_id=spec.custom_id,
                row=spec.row,
                disabled=spec.disabled,
            )
        )
    return view


def message_kwargs(rendered: Rendered, *, send: bool = False) -> dict[str, Any]:
    """Arguments for sending (`send`) or editing a message; mentions are never allowed."""
    kwargs: dict[str, Any] = {
        "content": rendered.content,
        "embeds": list(rendered.embeds),
        "view": make_view(rendered.buttons),
        "allowed_mentions": NO_MENTIONS,
    }
    if send and kwargs["view"] is None:
        del kwargs["view"]  # send() refuses view=None; an edit with None clears the buttons
    return kwargs


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- the header: risk first --------------------------------------------------

_RISK_LINES = {
    RiskLevel.NONE: "🟢 Risk screen: no crisis signals found (a screen, not a judgement — read the post yourself).",
    RiskLevel.ELEVATED: "🟠 **Risk screen: ELEVATED** — this post may signal distress or risk. "
    "Check in gently; escalate to the moderators if you are unsure.",
    RiskLevel.ACUTE: "🔴 **Risk screen: ACUTE** — this post may signal a crisis. Put the person's safety first: "
    "share crisis resources and escalate to the moderators now.",
}


_NOT_SCREENED = (
    "⚪ **Risk screen: NOT SCREENED** — this post looks like it is in another language ({}), and the screen "
    "reads English only. Read it yourself; crisis resources and Escalate are here if you need them."
)


def header(risk: RiskAssessment, resources: Sequence[CrisisResource], notes: Sequence[str] = ()) -> str:
    """Risk level, and crisis resources when flagged or not screened; always at the top."""
    lines = [_RISK_LINES[risk.level] if risk.screened else _NOT_SCREENED.format(risk.unscreened_language)]
    if risk.needs_resources and resources:
        lines.append("**Crisis resources:**")
        lines.extend(f"• {r.line()}" for r in resources)
    lines.extend(f"ℹ️ {note}" for note in notes)
    return clip("\n".join(lines), CONTENT_MAX)


def escalate_buttons(draft_id: str | None, risk: RiskAssessment) -> tuple[ButtonSpec, ...]:
    """Escalate, for a flagged post: shown from the first private message on, before any draft."""
    return _laid_out(draft_id or "", escalate_offered(draft_id, risk))


# --- the draft ----------------------------------------------------------------


def progress(
    risk: RiskAssessment,
    resources: Sequence[CrisisResource],
    kind: DraftKind,
    text: str,
    note: str = "",
    *,
    draft_id: str | None = None,
) -> Rendered:
    """The message while the model writes: header (and Escalate) first, the text so far below it."""
    title = "Writing a draft…" if kind is DraftKind.DRAFT else "Improving your reply…"
    body = clip(text, DESCRIPTION_MAX - len(_CURSOR)) + _CURSOR if text else "⏳ waiting for the model…"
    content = header(risk, resources)
    if note:
        content = clip(f"{note}\n{content}", CONTENT_MAX)
    return Rendered(
        content,
        (discord.Embed(title=title, description=body, colour=discord.Colour.light_grey()),),
        escalate_buttons(draft_id, risk),
    )


def result(res: DraftResult, note: str = "") -> Rendered:
    """The finished draft(s): header, then one embed per draft, then its buttons."""
    draft = res.draft
    content = header(res.risk, res.resources, res.notes)
    if note:
        content = clip(f"{note}\n{content}", CONTENT_MAX)
    return Rendered(content, draft_embeds(draft), draft_buttons(draft))


def draft_view(draft: Draft, resources: Sequence[CrisisResource], note: str = "") -> Rendered:
    """Re-render a stored draft (after an edit, a failed action, or a restart)."""
    content = header(draft.risk, resources)
    if note:
        content = clip(f"{note}\n{content}", CONTENT_MAX)
    return Rendered(content, draft_embeds(draft), draft_buttons(draft))


def _highlight(text: str, draft: Draft) -> str:
    for issue in draft.issues:
        if issue.text and issue.text in text:
            text = text.replace(issue.text, f"__**{issue.text}**__")
    return text


def draft_embeds(draft: Draft) -> tuple[discord.Embed, ...]:
    if draft.kind is DraftKind.DRAFT:
        title = "Draft reply — private, only you can see this"
    else:
        title = "Improved reply — private, only you can see this"
    colour = discord.Colour.orange() if draft.blocked else discord.Colour.blurple()
    text = _highlight(draft.text, draft) if draft.blocked else draft.text
    embed = discord.Embed(title=title, description=clip(text or "(empty)", DESCRIPTION_MAX), colour=colour)
    if draft.blocked:
        lines = [f"• **{i.kind}**: “{clip(i.text, 80)}” — {i.why}" for i in draft.issues]
        embed.add_field(
            name="⚠️ Checks found problems — edit the draft before posting",
            value=clip("\n".join(lines), FIELD_MAX),
            inline=False,
        )
    if draft.kind is DraftKind.IMPROVE and draft.changes:
        embed.add_field(name="What changed", value=clip(changes_text(draft), FIELD_MAX), inline=False)
    embed.set_footer(text=f"{draft.status.value} · model {draft.model_id} · prompt {draft.prompt_version}")
    return (embed,)


def changes_text(draft: Draft) -> str:
    lines = []
    for c in draft.changes[:12]:
        why = f" — {clip(c.why, 60)}" if c.why else ""
        if c.kind is ChangeKind.INSERT:
            lines.append(f"＋ added “{clip(c.after, 80)}”{why}")
        elif c.kind is ChangeKind.DELETE:
            lines.append(f"－ removed “{clip(c.before, 80)}”{why}")
        else:
            lines.append(f"～ “{clip(c.before, 60)}” → “{clip(c.after, 60)}”{why}")
    if len(draft.changes) > 12:
        lines.append(f"… and {len(draft.changes) - 12} more")
    return "\n".join(lines)


def draft_buttons(draft: Draft) -> tuple[ButtonSpec, ...]:
    """The core's offers for this draft; Discord shows a disabled button greyed out."""
    return _laid_out(draft.id, offered(draft))


# Rows: Escalate alone on top, then at most four buttons a row (the core gives the order).
_PER_ROW = 4


def _laid_out(draft_id: str, offers: Sequence[Offer]) -> tuple[ButtonSpec, ...]:
    specs = []
    row, in_row = 1, 0
    for offer in offers:
        if offer.action is DraftAction.ESCALATE:
            specs.append(ButtonSpec(draft_id, offer.action, 0))
            continue
        if in_row == _PER_ROW:
            row, in_row = row + 1, 0
        specs.append(ButtonSpec(draft_id, offer.action, row, disabled=not offer.enabled))
        in_row += 1
    return tuple(specs)


# --- after an action -----------------------------------------------------------------


def posted(draft: Draft, resources: Sequence[CrisisResource], link: str) -> Rendered:
    content = clip(f"✅ Posted as a reply: {link}\n{header(draft.risk, resources)}", CONTENT_MAX)
    return Rendered(content, draft_embeds(draft), draft_buttons(draft))


def copied(draft: Draft, resources: Sequence[CrisisResource], text: str) -> Rendered:
    fenced = text.replace("```", "`\u200b``")
    embed = discord.Embed(
        title="Approved — copy it and post it under your own name",
        description=clip(f"```\n{fenced}\n```", DESCRIPTION_MAX),
        colour=discord.Colour.green(),
    )
    content = clip(
        f"📋 Approved for copying. Nothing was posted by the bot.\n{header(draft.risk, resources)}",
        CONTENT_MAX,
    )
    return Rendered(content, (embed,), draft_buttons(draft))


def discarded(draft: Draft) -> Rendered:
    return Rendered("🗑️ Draft discarded. Nothing was posted.", (), draft_buttons(draft))


def failure(
    message: str,
    *,
    risk: RiskAssessment | None = None,
    resources: Sequence[CrisisResource] = (),
    draft_id: str | None = None,
) -> Rendered:
    """A clear failure message that keeps the risk header, resources and Escalate visible.

    `draft_id`: the (discarded) draft the core stored before the model failed;
    escalating it still alerts the moderators about the post.
    """
    content = f"⚠️ {message}"
    if risk is not None:
        content = f"{content}\n{header(risk, resources)}"
    buttons = escalate_buttons(draft_id, risk) if risk is not None else ()
    return Rendered(clip(content, CONTENT_MAX), (), buttons)


def alert(*, who_id: str, who_name: str, draft: Draft) -> str:
    """The moderator alert: who, where (a link), how risky. Never the post's words."""
    channel = draft.post.thread_id or draft.post.channel_id
    return clip(
        f"🚩 **Escalation** — <@{who_id}> ({discord.utils.escape_markdown(who_name)}) asks the moderators to look at "
        f"a post in <#{channel}>.\nRisk screen: **{draft.risk.level.value}**\nPost: {jump_url(draft.post)}",
        CONTENT_MAX,
    )


def split_message(text: str, limit: int = CONTENT_MAX) -> list[str]:
    """Split a long reply at paragraph, line or word boundaries into Discord-sized messages."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def community_summary(
    config: CommunityConfig, resources: Sequence[CrisisResource], model_lines: Sequence[str]
) -> str:
    """`/llumi-admin show`: the community's settings and the model status."""

    def ids(values: Sequence[str], mention: str) -> str:
        return ", ".join(mention.format(v) for v in values) or "none (admins only)"

    channels = (
        "all channels"
        if config.all_channels
        else ids(config.enabled_channels, "<#{}>").replace(
            "none (admins only)", "none — LLUMI is off everywhere"
        )
    )
    lines = [
        "**LLUMI settings for this server**",
        f"Enabled in: {channels}",
        f"Roles that may draft: {ids(config.draft_roles, '<@&{}>')}",
        f"Roles that may improve: {ids(config.improve_roles, '<@&{}>')}",
        f"Disclosure line: {config.disclosure or '(none)'}",
        f"Alert channel: {f'<#{config.alert_channel}>' if config.alert_channel else '(none)'}",
        f"Crisis resources ({'custom' if config.custom_resources else config.crisis_region}): "
        + "; ".join(r.line() for r in resources),
        f"Retention: {'server default' if config.retention_days is None else f'{config.retention_days} days'}",
        f"Learning from this server's drafts: {'on' if config.learning_enabled else 'off'}",
        f"({LEARNING_NOTE})",
        "**Model status**",
        *model_lines,
    ]
    return clip("\n".join(lines), CONTENT_MAX)
