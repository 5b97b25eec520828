"""Stored records: communities, opt-outs, and a draft's life (get, edit, approve, post, discard, rate).

Every state change names the human who made it and is written to the
content-free audit log. Only the requester may act on a draft; status changes
are atomic transitions, so a second click never posts twice.
`DraftService` adds the use cases that need the model or the platform.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping

from . import retention
from .config import Settings
from .domain import (
    RATING_DIMENSIONS,
    Actor,
    AuditAction,
    AuditEntry,
    CommunityConfig,
    Draft,
    DraftStatus,
    Platform,
    Post,
    PostRef,
    Rating,
    RiskAssessment,
    utcnow,
)
from .errors import DraftClosed, InputError, LlumiError, NotAllowed, NotFound
from .logging_guard import register_content
from .ports import Repositories
from .safety import Safety
from .text import clean_post, post_hash


class PostChanged(LlumiError):
    """The post was edited or deleted after the draft was asked for."""

    def __init__(self, message: str, *, deleted: bool = False) -> None:
        super().__init__(message)
        self.deleted = deleted


class DraftRecords:
    """The stored drafts' state machine, for their requesters."""

    def __init__(self, repos: Repositories, safety: Safety, settings: Settings) -> None:
        self.repos = repos
        self.safety = safety
        self.settings = settings

    # --- communities and members -----------------------------------------

    async def community(self, platform: Platform, community_id: str) -> CommunityConfig:
        """The community's settings, or defaults (nothing enabled) when never configured."""
        saved = await self.repos.communities.get(platform, community_id)
        return saved or CommunityConfig(platform, community_id, crisis_region=self.settings.safety.region)

    async def update_community(self, config: CommunityConfig, by: Actor, *, changed: str) -> None:
        """Save admin changes; `changed` names the setting (never its content) for the audit."""
        await self.repos.communities.save(config)
        await self._audit(AuditAction.CONFIG, by, config.key, detail=f"field={changed}")

    async def opt_out(self, platform: Platform, user_id: str, by: Actor) -> None:
        await self.repos.optouts.add(platform, user_id)
        await self._audit(AuditAction.OPTOUT, by, f"{platform}:*", detail="opt-out")

    async def opt_in(self, platform: Platform, user_id: str, by: Actor) -> None:
        await self.repos.optouts.remove(platform, user_id)
        await self._audit(AuditAction.OPTOUT, by, f"{platform}:*", detail="opt-in")

    async def purge_expired(self, by: Actor) -> int:
        """Blank the content of drafts past retention (see `llumi_core.retention`)."""
        return await retention.purge_expired(self.repos, self.settings, by)

    # --- drafts ------------------------------------------------------------

    async def get(self, draft_id: str, by: Actor) -> Draft:
        """The draft, for its requester only (others are refused)."""
        draft = await self.repos.drafts.get(draft_id)
        if draft is None:
            raise NotFound("this draft no longer exists (it may have been purged)")
        if draft.requester.key != by.key:
            raise NotAllowed("only the person who asked for this draft can use it")
        return draft

    async def open_draft(self, draft_id: str, by: Actor) -> Draft:
        """The requester's draft if it can still be acted on (pending, with text): for an adapter
        that must refuse before it opens a form (a modal, a wait for the next message)."""
        return await self._own_open(draft_id, by)

    async def edit(self, draft_id: str, by: Actor, new_text: str) -> Draft:
        """Replace the text with the human's edit; checks run again and are shown, not enforced."""
        draft = await self._own_open(draft_id, by)
        text = clean_post(new_text, max_chars=self.settings.models.max_post_chars, what="edited text").text
        register_content(text)
        # The human has reviewed and rewritten the text: remaining findings are
        # advice for them, no longer a block on posting. Sending the flagged text
        # back unchanged is not an edit, so it stays blocked.
        issues = draft.issues if text == draft.text else ()
        edited = dataclasses.replace(draft, text=text, issues=issues, updated_at=utcnow())
        await self.repos.drafts.update(edited)
        await self._audit(AuditAction.EDIT, by, draft.community, draft)
        return edited

    async def use_mine(self, draft_id: str, by: Actor) -> Draft:
        """For an improvement: go back to the supporter's own text."""
        draft = await self._own_open(draft_id, by)
        if not draft.human_text:
            raise InputError("this draft has no text of your own to go back to")
        return await self.edit(draft_id, by, draft.human_text)

    async def approve(self, draft_id: str, by: Actor, final_text: str | None = None) -> Draft:
        """The requester accepts the text (to copy, or just before the bot posts it).

        Atomic: a second click finds the draft no longer pending, so nothing is posted twice.
        """
        draft = await self._own_open(draft_id, by)
        if final_text is not None and final_text.strip() != draft.text:
            draft = await self.edit(draft_id, by, final_text)
        if draft.blocked:
            raise NotAllowed(
                "the checks found problems in this draft; edit it before posting: "
                + "; ".join(sorted({i.kind for i in draft.issues}))
            )
        approved = dataclasses.replace(draft, status=DraftStatus.APPROVED, updated_at=utcnow())
        if not await self.repos.drafts.transition(draft_id, DraftStatus.PENDING, approved):
            raise DraftClosed("this draft was already posted, approved or discarded")
        await self._audit(AuditAction.APPROVE, by, draft.community, draft)
        return approved

    def text_to_post(self, draft: Draft, community: CommunityConfig | None) -> str:
        """The final text plus the community's disclosure line, when it has one."""
        disclosure = (community.disclosure if community else "").strip()
        return f"{draft.text}\n\n{disclosure}" if disclosure else draft.text

    def verify_post_unchanged(self, draft: Draft, current: Post | None) -> None:
        """Refuse to post a reply to a post that was deleted or edited since the draft."""
        if current is None:
            raise PostChanged("the original post was deleted; nothing was posted", deleted=True)
        if draft.post_hash and post_hash(current.text) != draft.post_hash:
            raise PostChanged(
                "the original post was edited after this draft was made; redraft it first", deleted=False
            )

    async def mark_posted(self, draft_id: str, by: Actor, message_id: str) -> Draft:
        """Record that the bot posted the approved draft on the requester's action."""
        draft = await self.get(draft_id, by)
        posted = dataclasses.replace(
            draft, status=DraftStatus.POSTED, posted_message_id=message_id, updated_at=utcnow()
        )
        if not await self.repos.drafts.transition(draft_id, DraftStatus.APPROVED, posted):
            raise DraftClosed("this draft is not approved, or was already posted")
        await self._audit(AuditAction.POST, by, draft.community, draft, detail=f"message={message_id}")
        await self._apply_content_policy(posted)
        return posted

    async def release(self, draft_id: str, by: Actor) -> Draft:
        """Back to pending after a failed send, so the human can retry; nothing is lost."""
        draft = await self.get(draft_id, by)
        pending = dataclasses.replace(draft, status=DraftStatus.PENDING, updated_at=utcnow())
        await self.repos.drafts.transition(draft_id, DraftStatus.APPROVED, pending)
        return pending

    async def discard(self, draft_id: str, by: Actor) -> Draft:
        draft = await self._own_open(draft_id, by)
        return await self._close(draft, DraftStatus.DISCARDED, by, AuditAction.DISCARD)

    async def rate(self, draft_id: str, by: Actor, scores: Mapping[str, int]) -> Rating:
        """1–5 on readability, empathy, connection, actionability, safety (any subset)."""
        draft = await self.get(draft_id, by)
        unknown = set(scores) - set(RATING_DIMENSIONS)
        if unknown or not scores:
            raise InputError(f"ratings are 1–5 on: {', '.join(RATING_DIMENSIONS)}")
        if any(not 1 <= int(v) <= 5 for v in scores.values()):
            raise InputError("each rating must be a whole number from 1 to 5")
        value = {d: (int(scores[d]) if d in scores else None) for d in RATING_DIMENSIONS}
        rating = Rating(
            draft.id,
            by,
            readability=value["readability"],
            empathy=value["empathy"],
            connection=value["connection"],
            actionability=value["actionability"],
            safety=value["safety"],
        )
        await self.repos.ratings.add(rating)
        await self._audit(AuditAction.RATE, by, draft.community, draft, detail=",".join(sorted(scores)))
        return rating

    async def escalate_post(
        self,
        ref: PostRef,
        by: Actor,
        risk: RiskAssessment,
        *,
        draft_id: str | None = None,
        alert: Callable[[], Awaitable[None]] | None = None,
    ) -> bool:
        """Record an escalation of the post, once per post; False if it was escalated before.

        `alert` tells the moderators, between the claim and the audit entry. When it fails the
        claim is released and the error re-raised: an alert that never arrived must not read
        "already escalated" to the next press, which would then send nothing.
        """
        if not await self.repos.escalations.claim(ref.key, by, draft_id):
            return False
        if alert is not None:
            try:
                await alert()
            except BaseException:
                await self.repos.escalations.release(ref.key)
                raise
        community = f"{ref.platform}:{ref.community_id}"
        await self.repos.audit.record(
            AuditEntry(
                AuditAction.ESCALATE, by.key, community, draft_id=draft_id, detail=f"risk={risk.level}"
            )
        )
        return True

    # --- internals -----------------------------------------------------------

    async def _own_open(self, draft_id: str, by: Actor) -> Draft:
        draft = await self.get(draft_id, by)
        if not draft.is_open:
            raise DraftClosed(f"this draft was already {draft.status.value}")
        if not draft.text:
            raise DraftClosed(
                "this draft has no text (still being written, or expired); please wait or ask again"
            )
        return draft

    async def _close(self, draft: Draft, status: DraftStatus, by: Actor, action: AuditAction) -> Draft:
        closed = dataclasses.replace(draft, status=status, updated_at=utcnow())
        if not await self.repos.drafts.transition(draft.id, DraftStatus.PENDING, closed):
            raise DraftClosed("this draft was already posted, approved or discarded")
        await self._audit(action, by, draft.community, draft)
        await self._apply_content_policy(closed)
        return closed

    async def _apply_content_policy(self, draft: Draft) -> None:
        """Once a draft is closed, keep only what `[privacy] store_content` allows."""
        if self.settings.privacy.store_content == "full":
            return
        keep = self.safety.redact_for_storage
        await self.repos.drafts.update(
            dataclasses.replace(
                draft,
                text=keep(draft.text),
                model_text=keep(draft.model_text),
                human_text=keep(draft.human_text) or None if draft.human_text else None,
                changes=(),
            )
        )

    async def _audit(
        self, action: AuditAction, by: Actor, community: str, draft: Draft | None = None, *, detail: str = ""
    ) -> None:
        await self.repos.audit.record(
            AuditEntry(
                action=action,
                actor=by.key,
                community=community,
                draft_id=draft.id if draft else None,
                model_id=draft.model_id if draft else None,
                prompt_version=draft.prompt_version if draft else None,
                detail=detail,
            )
        )
