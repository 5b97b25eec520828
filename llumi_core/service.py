"""Use cases: draft, improve, regenerate, edit, approve, post, discard, rate, escalate.

Adapters and the CLI call only `DraftService`. Each use case runs its whole
sequence here, once for every platform, including `authorize` at the moment
of the action: a moderator whose role or channel was taken away after asking
can no longer post, regenerate or improve. The platform's part (reading the
post as it is now, replying, alerting the moderators) goes through an
`Outbox` the adapter passes in. The screen runs before any model work, so risk
and crisis resources reach the human first.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
from dataclasses import dataclass

from .config import Settings
from .domain import (
    Actor,
    AuditAction,
    CommunityConfig,
    CrisisResource,
    Draft,
    DraftKind,
    DraftResult,
    DraftStatus,
    Platform,
    Post,
    RiskAssessment,
)
from .editing import improve_call
from .errors import InputError, LlumiError, NotAllowed
from .logging_guard import register_content
from .ports import DraftRanker, Outbox, PostUnknown, Repositories
from .records import DraftRecords, PostChanged
from .safety import Safety
from .text import CleanText, clean_post
from .writing import (
    DraftWriter,
    Job,
    OnStart,
    OnText,
    RoleModel,
    guard,
    names,
    new_draft_id,
    tidy_model_text,
)

__all__ = [
    "DraftService",
    "Escalation",
    "OnStart",
    "OnText",
    "PostChanged",
    "Posted",
    "RoleModel",
    "new_draft_id",
    "tidy_model_text",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Escalation:
    first: bool  # False: this post was escalated before; nothing new is sent
    draft: Draft


@dataclass(frozen=True, slots=True)
class Posted:
    draft: Draft
    link: str  # to the reply in the community
    community: CommunityConfig


class DraftService(DraftRecords):
    """The core's use cases (the stored draft's own steps are in `DraftRecords`)."""

    def __init__(
        self, gm: RoleModel, im: RoleModel, repos: Repositories, safety: Safety, settings: Settings,
        *, ranker: DraftRanker | None = None,
    ) -> None:  # fmt: skip
        super().__init__(repos, safety, settings)
        self.gm, self.im = gm, im
        self.writer = DraftWriter(repos, safety, settings)
        self.ranker = ranker  # None: several drafts come in the order they were written

    # --- communities -------------------------------------------------------

    def authorize(
        self, config: CommunityConfig, by: Actor, kind: DraftKind, *channel_ids: str | None
    ) -> None:
        """Raise NotAllowed (with the reason) unless `by` may ask for `kind` here."""
        if not config.channel_enabled(*channel_ids):
            raise NotAllowed("LLUMI is not enabled in this channel; an admin can enable it in the settings")
        if by.is_admin:
            return
        roles = set(by.role_ids)
        may_draft = bool(roles & set(config.draft_roles)) or by.user_id in config.draft_users
        may_improve = bool(roles & set(config.improve_roles)) or by.user_id in config.improve_users
        allowed = may_draft if kind is DraftKind.DRAFT else (may_improve or may_draft)
        if not allowed:
            what = "ask for drafts" if kind is DraftKind.DRAFT else "ask for improvements"
            if by.platform is Platform.TELEGRAM:  # no roles there: admins, or people an admin listed
                raise NotAllowed(f"you may not {what} here; an admin can allow you in LLUMI's settings")
            raise NotAllowed(f"your roles may not {what} here; an admin can allow your role in the settings")

    def resources(self, config: CommunityConfig | None) -> tuple[CrisisResource, ...]:
        return self.safety.resources(config)

    # --- asking for text -----------------------------------------------------

    def screen(self, text: str) -> RiskAssessment:
        return self.safety.screen(text)

    async def screen_post(self, post: Post) -> RiskAssessment:
        """Screen a member's post before any drafting, so adapters can show the risk first.

        Refuses opted-out members and unusable posts exactly as `draft` would, before any processing.
        """
        _, risk, _ = await self._screened(post, None)
        return risk

    async def draft(
        self,
        post: Post,
        by: Actor,
        *,
        n: int = 1,
        community: CommunityConfig | None = None,
        guidance: str = "",
        on_start: OnStart | None = None,
        on_text: OnText | None = None,
    ) -> DraftResult:
        """Screen the post, then write `n` GM drafts for it, privately for `by`.

        `on_start` gets the (still empty) first draft, with its id and risk, before
        the model runs: adapters show the risk, resources and Escalate first.
        """
        if not 1 <= n <= self.settings.models.n_drafts_max:
            raise InputError(f"n must be between 1 and {self.settings.models.n_drafts_max}")
        cleaned, risk, resources = await self._screened(post, community)
        for_model = self._for_model(cleaned.text, post)
        messages = self.gm.prompt.render(for_model, guidance=guidance, at_risk=risk.level.flagged)
        job = Job(self.gm, messages, resources, guard(self.gm, (cleaned.text, for_model, guidance)))
        start = self.writer.new_draft(DraftKind.DRAFT, post, by, self.gm, risk, for_model)
        drafts, timings = await self.writer.write(job, start, n, on_start, on_text)
        drafts = await best_first(self.ranker, for_model, drafts)
        notes = cleaned.notes + self.writer.unsaved_notes(drafts)
        return DraftResult(risk, resources, drafts, timings, notes)

    async def improve(
        self,
        post: Post,
        human_text: str,
        by: Actor,
        *,
        community: CommunityConfig | None = None,
        guidance: str = "",
        parent: Draft | None = None,
        on_start: OnStart | None = None,
        on_text: OnText | None = None,
    ) -> DraftResult:
        """Revise the supporter's own reply with the IM, keeping their voice; list the changes."""
        cleaned, risk, resources = await self._screened(post, community)
        mine = clean_post(human_text, max_chars=self.settings.models.max_post_chars, what="reply")
        register_content(mine.text)
        for_model = self._for_model(cleaned.text, post)
        # An editing IM keeps the supporter's sentences and writes only what must change.
        call = improve_call(self.im.prompt, for_model, mine.text, self.safety.check, guidance=guidance)
        # The supporter's own words may stay, even where they quote the member.
        copy_guard = guard(self.im, (cleaned.text, for_model, guidance), allowed=(mine.text,))
        start = dataclasses.replace(
            self.writer.new_draft(DraftKind.IMPROVE, post, by, self.im, risk, for_model),
            human_text=mine.text,
            parent_id=parent.id if parent else None,
        )
        job = Job(self.im, call.messages, resources, copy_guard, call.compose, call.max_tokens)
        drafts, timings = await self.writer.write(job, start, 1, on_start, on_text)
        notes = cleaned.notes + mine.notes + self.writer.unsaved_notes(drafts)
        return DraftResult(risk, resources, drafts, timings, notes)

    # --- acting on a draft, with the platform --------------------------------

    async def regenerate(
        self,
        draft_id: str,
        by: Actor,
        outbox: Outbox,
        *,
        guidance: str = "",
        on_start: OnStart | None = None,
        on_text: OnText | None = None,
    ) -> DraftResult:
        """A fresh draft for the post as it is now; the old one is discarded and linked as parent.

        Also for a draft whose request was interrupted (`failed`: "interrupted — tap Regenerate").
        """
        old, config, post = await self._rewrite_target(draft_id, by, outbox, old_kind=True)
        if old.kind is DraftKind.IMPROVE and old.human_text:
            result = await self.improve(
                post,
                old.human_text,
                by,
                community=config,
                guidance=guidance,
                parent=old,
                on_start=on_start,
                on_text=on_text,
            )
        else:
            result = await self.draft(
                post, by, community=config, guidance=guidance, on_start=on_start, on_text=on_text
            )
            new = dataclasses.replace(result.draft, parent_id=old.id)
            await self.repos.drafts.update(new)
            result = dataclasses.replace(result, drafts=(new,))
        if old.is_open:
            await self._close(old, DraftStatus.DISCARDED, by, AuditAction.REGENERATE)
        return result

    async def improve_draft(
        self,
        draft_id: str,
        by: Actor,
        outbox: Outbox,
        *,
        on_start: OnStart | None = None,
        on_text: OnText | None = None,
    ) -> DraftResult:
        """Run the IM on a draft's current text (the human's edit, or the GM's draft)."""
        old, config, post = await self._rewrite_target(draft_id, by, outbox, old_kind=False)
        result = await self.improve(
            post, old.text, by, community=config, parent=old, on_start=on_start, on_text=on_text
        )
        await self._close(old, DraftStatus.DISCARDED, by, AuditAction.REGENERATE)
        return result

    async def post(self, draft_id: str, by: Actor, outbox: Outbox) -> Posted:
        """The requester presses Post: re-check, approve, reply in the community, record it.

        Refused unless `by` may still ask here now, the draft is open and usable, and
        the post is unchanged. A failed send puts the draft back to pending (nothing lost).
        """
        draft = await self._own_open(draft_id, by)
        config = await self._authorized(draft, by, draft.kind, outbox)
        if not draft.text.strip():
            raise InputError("this draft is empty; edit it and write the reply first")
        # Only what the platform can see can be checked; a deleted post then fails at `reply`.
        with contextlib.suppress(PostUnknown):
            self.verify_post_unchanged(draft, await outbox.current_post(draft.post))
        approved = await self.approve(draft_id, by)
        try:
            sent = await outbox.reply(approved.post, self.text_to_post(approved, config))
        except BaseException:
            await self.release(draft_id, by)  # back to pending: the human can retry, nothing is lost
            raise
        posted = await self.mark_posted(draft_id, by, sent.message_id)
        return Posted(posted, sent.link, config)

    async def escalate(self, draft_id: str, by: Actor, outbox: Outbox | None = None) -> Escalation:
        """Alert the moderators' channel about the draft's post, once per post.

        Anyone who asked may escalate, at any time (no role re-check): it is a safety
        action. Without an outbox (the CLI) the escalation is only recorded.
        """
        draft = await self.get(draft_id, by)
        config = await self.community(draft.post.platform, draft.post.community_id)
        if outbox is None:
            return Escalation(await self.escalate_post(draft.post, by, draft.risk, draft_id=draft.id), draft)
        channel = config.alert_channel
        if not channel:
            raise NotAllowed(
                "no moderator alert channel is set (an admin can set one in LLUMI's settings); "
                "please contact a moderator directly now"
            )
        alert = functools.partial(_alert, outbox, channel, draft, by)
        first = await self.escalate_post(draft.post, by, draft.risk, draft_id=draft.id, alert=alert)
        return Escalation(first, draft)

    # --- internals -----------------------------------------------------------

    async def _authorized(self, draft: Draft, by: Actor, kind: DraftKind, outbox: Outbox) -> CommunityConfig:
        """Authorize `by` now, where the post lives now (roles and channels change)."""
        config = await self.community(draft.post.platform, draft.post.community_id)
        self.authorize(config, by, kind, *await outbox.places(draft.post))
        return config

    async def _rewrite_target(
        self, draft_id: str, by: Actor, outbox: Outbox, *, old_kind: bool
    ) -> tuple[Draft, CommunityConfig, Post]:
        """The open draft (for Regenerate also an interrupted one), its community (authorized
        now) and its post as it is now."""
        old = await self.get(draft_id, by)
        if not (old_kind and old.status is DraftStatus.FAILED):
            old = await self._own_open(draft_id, by)
        kind = old.kind if old_kind else DraftKind.IMPROVE
        config = await self._authorized(old, by, kind, outbox)
        post = await outbox.current_post(old.post)
        if post is None:
            raise PostChanged("the original post was deleted; there is nothing to reply to", deleted=True)
        return old, config, post

    async def _screened(
        self, post: Post, community: CommunityConfig | None
    ) -> tuple[CleanText, RiskAssessment, tuple[CrisisResource, ...]]:
        """Refuse opted-out members and unusable posts; then the risk and the resources."""
        if await self.repos.optouts.contains(post.ref.platform, post.author_id):
            raise NotAllowed("this member has opted out of LLUMI; their posts are never processed")
        cleaned = clean_post(post.text, max_chars=self.settings.models.max_post_chars)
        register_content(post.text)
        # With [safety] model_second_opinion, a borderline post waits for the GM's yes/no
        # (bounded by a timeout), so the risk shown first already includes it.
        risk = await self.safety.screen_with_opinion(
            cleaned.text, self.gm.backend, for_model=self._for_model(cleaned.text, post)
        )
        return cleaned, risk, self.safety.resources(community)

    def _for_model(self, text: str, post: Post) -> str:
        return self.safety.redact_for_model(text, names(post))


async def _alert(outbox: Outbox, channel_id: str, draft: Draft, by: Actor) -> None:
    """Send the escalation's alert; a failure is one line for the person (the claim is then
    released by `escalate_post`, so pressing Escalate again sends it again)."""
    try:
        await outbox.alert(channel_id, draft, by)
    except Exception as err:
        log.warning("escalation alert not delivered: %s", type(err).__name__)
        raise LlumiError(
            "the alert could not be delivered to the moderators' channel; "
            "press Escalate to try again, or contact a moderator directly now"
        ) from None


async def best_first(ranker: DraftRanker | None, post: str, drafts: tuple[Draft, ...]) -> tuple[Draft, ...]:
    """Best-of-n: the drafts ordered by the community preference model, best first."""
    if ranker is None or len(drafts) < 2:
        return drafts
    order = await asyncio.to_thread(ranker.rank, post, [d.text for d in drafts])
    return tuple(drafts[i] for i in order)
