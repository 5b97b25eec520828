"""Texts the bot sends, all plain text (no parse_mode) so model output can never break a send.

Risk and crisis resources come first, in their own message, before any draft
text. Long texts are split at paragraph, line, sentence or word boundaries
under Telegram's 4,096-character limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram.constants import MessageLimit

from llumi_core.domain import Actor, CrisisResource, Draft, DraftKind, DraftStatus, RiskAssessment, RiskLevel

LIMIT: int = MessageLimit.MAX_TEXT_LENGTH  # 4096 (Telegram counts UTF-16 code units)
_MENTION = re.compile(r"@(?=\w)")
_RISK_TEXT = {
    RiskLevel.NONE: "Risk screen: no signs of crisis found. Read the post yourself too.",
    RiskLevel.ELEVATED: "⚠ Risk screen: ELEVATED — this post may signal distress or risk.",
    RiskLevel.ACUTE: "🚨 Risk screen: ACUTE — this post may signal a crisis. Put safety first.",
}


_NOT_SCREENED = (
    "⚪ Risk screen: NOT SCREENED — this post looks like it is in another language ({}), and the screen "
    "reads English only. Read it yourself; crisis resources and Escalate are below."
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split into pieces of at most `limit` UTF-16 units, preferring natural boundaries."""
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = _cut_point(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return [p for p in pieces if p] or [""]


def _cut_point(text: str, limit: int) -> int:
    # The longest prefix within the limit, counted in UTF-16 units (emoji count twice).
    end, units = 0, 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            break
        end = i + 1
    window = text[:end]
    for sep in ("\n\n", "\n", ". ", "! ", "? ", " "):
        at = window.rfind(sep)
        if at > end // 2:
            return at + len(sep)
    return end


def no_mentions(text: str) -> str:
    """A zero-width space after every @ so no username in a draft notifies anyone."""
    return _MENTION.sub("@\u200b", text)


def header(risk: RiskAssessment, resources: Sequence[CrisisResource]) -> str:
    """The first message: the risk level, and crisis resources when the post is flagged."""
    lines = [_RISK_TEXT[risk.level] if risk.screened else _NOT_SCREENED.format(risk.unscreened_language)]
    if risk.needs_resources:
        if risk.reasons and risk.screened:
            lines.append("Why: " + "; ".join(risk.reasons))
        lines.append("")
        lines.append("Crisis resources:")
        lines.extend(f"• {r.line()}" for r in resources)
        lines.append("")
        lines.append("Escalate alerts your moderators (no post text is sent). The draft follows below.")
    return "\n".join(lines)


def draft_body(draft: Draft, notes: Sequence[str] = ()) -> str:
    """The draft message: a short title, the text, then changes, check findings and notes."""
    title = {
        DraftKind.DRAFT: "Draft reply (AI-written — review before posting):",
        DraftKind.IMPROVE: "Improved reply (AI-revised — review before posting):",
    }[draft.kind]
    parts = [_status_line(draft) or title, "", draft.text or "(the model wrote nothing; regenerate or edit)"]
    if draft.changes:
        parts += ["", "What changed:"]
        parts += [f"• {_change_line(c.kind.value, c.before, c.after)}" for c in draft.changes[:8]]
        if len(draft.changes) > 8:
            parts.append(f"• … and {len(draft.changes) - 8} more")
    if draft.blocked:
        parts += ["", "⚠ The checks found problems; Post is disabled until you edit the text:"]
        parts += [f"• {i.kind}: {i.why}" for i in draft.issues]
    if notes:
        parts += ["", *(f"Note: {n}" for n in notes)]
    return "\n".join(parts)


def _status_line(draft: Draft) -> str:
    return {
        DraftStatus.PENDING: "",
        DraftStatus.APPROVED: "Approved (being posted):",
        DraftStatus.POSTED: "✅ Posted to the group:",
        DraftStatus.DISCARDED: "🗑 Discarded:",
        DraftStatus.FAILED: "⚠ Interrupted (tap Regenerate):",
        DraftStatus.EXPIRED: "⌛ Expired, nothing was posted:",
    }[draft.status]


def _change_line(kind: str, before: str, after: str) -> str:
    def short(s: str) -> str:
        return s if len(s) <= 60 else s[:57] + "…"

    if kind == "insert":
        return f"added “{short(after)}”"
    if kind == "delete":
        return f"removed “{short(before)}”"
    return f"“{short(before)}” → “{short(after)}”"


def draft_messages(draft: Draft, notes: Sequence[str] = ()) -> list[str]:
    return split_text(draft_body(draft, notes))


def streaming(text: str) -> str:
    """What the private message shows while the model writes (cut to fit one message)."""
    body = text.strip() or "…"
    shown = f"✍ Writing…\n\n{body}"
    if utf16_len(shown) > LIMIT - 10:
        shown = split_text(shown, LIMIT - 10)[0] + " …"
    return shown


def closed(draft: Draft) -> str:
    return {
        DraftStatus.POSTED: "✅ Posted to the group. You can still rate this draft.",
        DraftStatus.DISCARDED: "🗑 Discarded. Nothing was posted. You can still rate this draft.",
        DraftStatus.APPROVED: "Approved.",
        DraftStatus.PENDING: "",
        DraftStatus.FAILED: "⚠ Interrupted before it was finished. Nothing was posted: tap Regenerate.",
        DraftStatus.EXPIRED: "⌛ Expired. Nothing was posted.",
    }[draft.status]


# Replaces "✍ Writing…" when the request died (a restart, a crash): see `interrupted.py`.
INTERRUPTED = (
    "⚠ Interrupted: the bot stopped before this draft was written. Nothing was posted — tap Regenerate."
)


def post_texts(final_text: str) -> list[str]:
    """The group post: plain text, no mentions, split cleanly when long."""
    return split_text(no_mentions(final_text))


def alert(draft: Draft, by: Actor, link: str) -> str:
    """The escalation alert: who, where, how risky. Never the post or draft text."""
    who = by.display_name or "a moderator"
    return (
        f"🚨 LLUMI escalation — risk: {draft.risk.level.value.upper()}\n"
        f"Flagged by {no_mentions(who)} (Telegram user id {by.user_id}).\n"
        f"Post: {link}\n"
        "Please check on this member. (The post text is not included here.)"
    )


def deep_link(bot_username: str, payload: str) -> str:
    return f"https://t.me/{bot_username}?start={payload}"


def group_note(link: str) -> str:
    """The content-free note in a group when the bot cannot open the private chat."""
    return (
        "LLUMI has a private message for the person who just asked. "
        f"Open it here (only they can use it): {link}"
    )
