"""Use cases: draft, improve, regenerate, edit, approve, post, discard, rate, escalate.

Every state change names the human who made it and is written to the
content-free audit log. Only the requester may act on a draft. The screen runs
before any model work, so risk and crisis resources reach the human first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from . import changes as change_diff
from . import replies, retention
from .config import Settings
from .domain import (
    RATING_DIMENSIONS,
    Actor,
    AuditAction,
    AuditEntry,
    CommunityConfig,
    CrisisResource,
    Draft,
    DraftKind,
    DraftResult,
    DraftStatus,
    OutputIssue,
    Platform,
    Post,
    PostRef,
    Rating,
    RiskAssessment,
    RiskLevel,
    Timings,
    utcnow,
)
from .errors import DraftClosed, InputError, LlumiError, ModelError, NotAllowed, NotFound
from .logging_guard import register_content
from .ports import ChatMessage, GenerationParams, LLMBackend, Repositories
from .prompts import STOP_SEQUENCES, PromptTemplate
from .safety import Safety
from .text import CleanText, clean_post, post_hash

log = logging.getLogger(__name__)

OnText = Callable[[str], Awaitable[None]]
"""Called with the whole text so far while a draft streams (adapters throttle edits)."""

OnStart = Callable[[Draft], Awaitable[None]]
"""Called with the stored, still empty draft (id, risk) before the model runs."""


class PostChanged(LlumiError):
    """The post was edited or deleted after the draft was asked for."""


@dataclass(frozen=True, slots=True)
class RoleModel:
    """A role (GM or IM): the backend that runs it and its versioned prompt."""

    backend: LLMBackend
    prompt: PromptTemplate

    @property
    def model_id(self) -> str:
        return self.backend.model_id


@dataclass(frozen=True, slots=True)
class Escalation:
    first: bool  # False: this post was escalated before; nothing new is sent
    draft: Draft


@dataclass(frozen=True, slots=True)
class _Generated:
    text: str
    issues: tuple[OutputIssue, ...]
    timings: Timings


@dataclass(frozen=True, slots=True)
class _Job:
    """One request's model work: who writes, what they are told, and what they must not copy."""

    role: RoleModel
    messages: list[ChatMessage]
    resources: tuple[CrisisResource, ...]
    guard: replies.CopyGuard


@dataclass(frozen=True, slots=True)
class _Attempt:
    text: str
    issues: tuple[OutputIssue, ...]
    copied: bool  # copied sentences were cut out: a last resort, never preferred

    @property
    def rank(self) -> tuple[bool, bool]:
        """Lower is better: a clean attempt beats a flagged one, which beats a cut one."""
        return (bool(self.issues), self.copied)


class DraftService:
    """The core's use cases. Adapters and the CLI call only these methods."""

    def __init__(
        self,
        gm: RoleModel,
        im: RoleModel,
        repos: Repositories,
        safety: Safety,
        settings: Settings,
    ) -> None:
        self.gm = gm
        self.im = im
        self.repos = repos
        self.safety = safety
        self.settings = settings

    # --- communities -------------------------------------------------------

    async def community(self, platform: Platform, community_id: str) -> CommunityConfig:
        """The community's settings, or defaults (nothing enabled) when never configured."""
        saved = await self.repos.communities.get(platform, community_id)
        return saved or CommunityConfig(platform, community_id, crisis_region=self.settings.safety.region)

    async def update_community(self, config: CommunityConfig, by: Actor, *, changed: str) -> None:
        """Save admin changes; `changed` names the setting (never its content) for the audit."""
        await self.repos.communities.save(config)
        await self._audit(AuditAction.CONFIG, by, config.key, detail=f"field={changed}")

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
        messages = self.gm.prompt.render(for_model, guidance=guidance)
        job = _Job(self.gm, messages, resources, _guard(self.gm, (cleaned.text, for_model, guidance)))
        start = self._new_draft(DraftKind.DRAFT, post, by, self.gm, risk, for_model)
        drafts, timings = await self._write(job, start, n, on_start, on_text)
        return DraftResult(risk, resources, drafts, timings, cleaned.notes)

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
        messages = self.im.prompt.render(for_model, reply=mine.text, guidance=guidance)
        # The supporter's own words may stay, even where they quote the member.
        guard = _guard(self.im, (cleaned.text, for_model, guidance), allowed=(mine.text,))
        job = _Job(self.im, messages, resources, guard)
        start = dataclasses.replace(
            self._new_draft(DraftKind.IMPROVE, post, by, self.im, risk, for_model),
            human_text=mine.text,
            parent_id=parent.id if parent else None,
        )
        drafts, timings = await self._write(job, start, 1, on_start, on_text)
        return DraftResult(risk, resources, drafts, timings, cleaned.notes + mine.notes)

    async def regenerate(
        self,
        draft_id: str,
        by: Actor,
        post: Post,
        *,
        community: CommunityConfig | None = None,
        guidance: str = "",
        on_start: OnStart | None = None,
        on_text: OnText | None = None,
    ) -> DraftResult:
        """A fresh draft for the same post; the old one is discarded and linked as parent."""
        old = await self._own_open(draft_id, by)
        if old.kind is DraftKind.IMPROVE and old.human_text:
            result = await self.improve(
                post,
                old.human_text,
                by,
                community=community,
                guidance=guidance,
                parent=old,
                on_start=on_start,
                on_text=on_text,
            )
        else:
            result = await self.draft(
                post, by, community=community, guidance=guidance, on_start=on_start, on_text=on_text
            )
            new = dataclasses.replace(result.draft, parent_id=old.id)
            await self.repos.drafts.update(new)
            result = dataclasses.replace(result, drafts=(new,))
        await self._close(old, DraftStatus.DISCARDED, by, AuditAction.REGENERATE)
        return result

    async def improve_draft(
        self,
        draft_id: str,
        by: Actor,
        post: Post,
        *,
        community: CommunityConfig | None = None,
        on_start: OnStart | None = None,
        on_text: OnText | None = None,
    ) -> DraftResult:
        """Run the IM on a draft's current text (the human's edit, or the GM's draft)."""
        old = await self._own_open(draft_id, by)
        result = await self.improve(
            post, old.text, by, community=community, parent=old, on_start=on_start, on_text=on_text
        )
        await self._close(old, DraftStatus.DISCARDED, by, AuditAction.REGENERATE)
        return result

    # --- acting on a draft ---------------------------------------------------

    async def get(self, draft_id: str, by: Actor) -> Draft:
        """The draft, for its requester only (others are refused)."""
        draft = await self.repos.drafts.get(draft_id)
        if draft is None:
            raise NotFound("this draft no longer exists (it may have been purged)")
        if draft.requester.key != by.key:
            raise NotAllowed("only the person who asked for this draft can use it")
        return draft

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
            raise PostChanged("the original post was deleted; nothing was posted")
        if draft.post_hash and post_hash(current.text) != draft.post_hash:
            raise PostChanged("the original post was edited after this draft was made; redraft it first")

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
        values: dict[str, int | None] = {
            d: (int(scores[d]) if d in scores else None) for d in RATING_DIMENSIONS
        }
        rating = Rating(
            draft.id,
            by,
            readability=values["readability"],
            empathy=values["empathy"],
            connection=values["connection"],
            actionability=values["actionability"],
            safety=values["safety"],
        )
        await self.repos.ratings.add(rating)
        await self._audit(AuditAction.RATE, by, draft.community, draft, detail=",".join(sorted(scores)))
        return rating

    async def escalate(self, draft_id: str, by: Actor) -> Escalation:
        """Mark the draft's post as escalated to the moderators, once per post."""
        draft = await self.get(draft_id, by)
        first = await self.escalate_post(draft.post, by, draft.risk, draft_id=draft.id)
        return Escalation(first, draft)

    async def escalate_post(
        self, ref: PostRef, by: Actor, risk: RiskAssessment, *, draft_id: str | None = None
    ) -> bool:
        """Record an escalation of the post, once per post; False if it was escalated before."""
        first = await self.repos.escalations.claim(ref.key, by, draft_id)
        if first:
            community = f"{ref.platform}:{ref.community_id}"
            await self.repos.audit.record(
                AuditEntry(
                    AuditAction.ESCALATE, by.key, community, draft_id=draft_id, detail=f"risk={risk.level}"
                )
            )
        return first

    # --- privacy -------------------------------------------------------------

    async def opt_out(self, platform: Platform, user_id: str, by: Actor) -> None:
        await self.repos.optouts.add(platform, user_id)
        await self._audit(AuditAction.OPTOUT, by, f"{platform}:*", detail="opt-out")

    async def opt_in(self, platform: Platform, user_id: str, by: Actor) -> None:
        await self.repos.optouts.remove(platform, user_id)
        await self._audit(AuditAction.OPTOUT, by, f"{platform}:*", detail="opt-in")

    async def purge_expired(self, by: Actor) -> int:
        """Blank the content of drafts past retention (see `llumi_core.retention`)."""
        return await retention.purge_expired(self.repos, self.settings, by)

    # --- internals -----------------------------------------------------------

    async def _screened(
        self, post: Post, community: CommunityConfig | None
    ) -> tuple[CleanText, RiskAssessment, tuple[CrisisResource, ...]]:
        """Refuse opted-out members and unusable posts; then the risk and the resources."""
        await self._refuse_opted_out(post)
        cleaned = clean_post(post.text, max_chars=self.settings.models.max_post_chars)
        register_content(post.text)
        return cleaned, self.safety.screen(cleaned.text), self.safety.resources(community)

    async def _refuse_opted_out(self, post: Post) -> None:
        if await self.repos.optouts.contains(post.ref.platform, post.author_id):
            raise NotAllowed("this member has opted out of LLUMI; their posts are never processed")

    def _for_model(self, text: str, post: Post) -> str:
        return self.safety.redact_for_model(text, _names(post))

    def _params(self, by: Actor, attempt: int) -> GenerationParams:
        m = self.settings.models
        # Unset means random: a fresh seed per call, because a backend's own default
        # (llama-cpp-python's is fixed at load) would repeat the same draft every time.
        seed = m.sampling.seed + attempt if m.sampling.seed is not None else secrets.randbelow(2**31)
        return GenerationParams(
            max_tokens=m.max_tokens,
            temperature=m.sampling.temperature,
            top_p=m.sampling.top_p,
            top_k=m.sampling.top_k,
            repeat_penalty=m.sampling.repeat_penalty,
            seed=seed,
            stop=STOP_SEQUENCES,
            timeout_s=m.timeout_s,
            requester=by.key,
        )

    async def _generate(
        self, job: _Job, by: Actor, risk: RiskAssessment, on_text: OnText | None, *, attempt: int = 0
    ) -> _Generated:
        """Generate, clean and check; regenerate (bounded) while the draft is empty, copies
        the post or the prompt, or the checks find problems. The best attempt is kept."""
        tries = 1 + self.settings.safety.max_regenerations
        timings = Timings()
        best: _Attempt | None = None
        copied = False
        for extra in range(tries):
            if extra and on_text is not None:
                await on_text("")  # a rejected attempt must not stay on screen
            params = self._params(by, attempt + extra * 7)
            raw, run_timings, cut = await self._stream(job, params, on_text)
            timings = _add(timings, run_timings)
            tried = self._attempt(raw, job, risk, copied=cut)
            copied = copied or tried.copied
            if tried.text and (best is None or tried.rank < best.rank):
                best = tried
            if best is not None and best.rank == (False, False):
                break
            log.info("draft attempt %d of %d rejected (empty, copied or checks)", extra + 1, tries)
        if best is None:
            raise ModelError(_COPIED if copied else _EMPTY)
        register_content(best.text)
        return _Generated(best.text, best.issues, timings)

    def _attempt(self, raw: str, job: _Job, risk: RiskAssessment, *, copied: bool) -> _Attempt:
        """The model's text made showable; its text is empty when nothing usable is left.

        `copied`: the stream was cut at a copy (its unfinished end may hide it from `find`).
        """
        text = replies.trim_unfinished(tidy_model_text(raw))
        spans = job.guard.find(text)
        copied = copied or bool(spans)
        if spans:
            text = replies.drop_sentences(text, spans)
        if not text or (copied and not replies.enough_words(text)):
            return _Attempt("", (), copied)
        if risk.level is RiskLevel.ACUTE:
            text = self.safety.ensure_resources(text, job.resources)
        return _Attempt(text, tuple(self.safety.check(text)), copied)

    async def _stream(
        self, job: _Job, params: GenerationParams, on_text: OnText | None
    ) -> tuple[str, Timings, bool]:
        """Stream one attempt; the human sees only cleaned text. A copy ends the attempt at
        once (the last value is True then)."""
        start = time.perf_counter()
        first: float | None = None
        parts: list[str] = []
        cut = False
        stream = job.role.backend.generate(job.messages, params=params)
        try:
            async for piece in stream:
                first = first or time.perf_counter()
                parts.append(piece)
                shown = replies.strip_partial(tidy_model_text("".join(parts)))
                if cut := job.guard.copies(shown):
                    break
                if on_text is not None:
                    await on_text(shown)
        finally:
            # Closing the stream now (not at garbage collection) stops the model within a token.
            close = getattr(stream, "aclose", None)
            if close is not None:
                await close()
        end = time.perf_counter()
        first = first or end
        return "".join(parts), Timings((first - start) * 1000, (end - first) * 1000), cut

    def _new_draft(
        self, kind: DraftKind, post: Post, by: Actor, role: RoleModel, risk: RiskAssessment, post_text: str
    ) -> Draft:
        return Draft(
            id=new_draft_id(),
            kind=kind,
            status=DraftStatus.PENDING,
            post=post.ref,
            post_author_id=post.author_id,
            requester=by,
            text="",
            model_id=role.model_id,
            prompt_version=role.prompt.version,
            risk=risk,
            post_hash=post_hash(post.text),
            post_text=self.safety.redact_for_storage(post_text, _names(post)),
        )

    async def _write(
        self, job: _Job, start: Draft, n: int, on_start: OnStart | None, on_text: OnText | None
    ) -> tuple[tuple[Draft, ...], Timings]:
        """Store the empty first draft, announce it, generate `n` texts, store them all.

        The first draft is stored before the model runs so its id (for Escalate)
        works at once; if generation fails it is discarded, never left half-made.
        """
        await self.repos.drafts.add(start)
        if on_start is not None:
            await on_start(start)
        drafts: list[Draft] = []
        timings = Timings()
        try:
            for i in range(n):
                gen = await self._generate(job, start.requester, start.risk, on_text, attempt=i)
                timings = _add(timings, gen.timings)
                base = start if i == 0 else dataclasses.replace(start, id=new_draft_id())
                drafts.append(self._filled(base, gen))
        except BaseException:
            with contextlib.suppress(Exception):
                await self.repos.drafts.transition(
                    start.id, DraftStatus.PENDING, dataclasses.replace(start, status=DraftStatus.DISCARDED)
                )
            raise
        action = AuditAction.DRAFT if start.kind is DraftKind.DRAFT else AuditAction.IMPROVE
        for d in drafts:
            await (self.repos.drafts.update(d) if d.id == start.id else self.repos.drafts.add(d))
            await self._audit(action, start.requester, d.community, d, detail=f"risk={d.risk.level}")
        return tuple(drafts), timings

    @staticmethod
    def _filled(draft: Draft, gen: _Generated) -> Draft:
        changes = tuple(change_diff.diff(draft.human_text, gen.text)) if draft.human_text is not None else ()
        return dataclasses.replace(
            draft, text=gen.text, model_text=gen.text, issues=gen.issues, changes=changes, updated_at=utcnow()
        )

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


def new_draft_id() -> str:
    """Short (12 hex chars) so `llumi:<id>:<action>` stays far under Telegram's 64 bytes."""
    return uuid.uuid4().hex[:12]


_EMPTY = "the model returned an empty draft; nothing was lost, please retry"
_COPIED = (
    "the model kept repeating the member's post instead of replying; nothing was shown or posted, "
    "please retry"
)
_PREAMBLES = ("reply:", "response:", "draft:", "assistant:")
# "Here's a rewritten version:", "The supporter could reply:" — small models announce their answer.
_ANNOUNCEMENT = re.compile(
    r"^(?:here(?:'s| is)|the supporter (?:can|could|might|would|should) (?:reply|respond|write|say))"
    r"\b[^:\n]{0,60}:\s*(?:-\s+)?",
    re.IGNORECASE,
)


def tidy_model_text(text: str) -> str:
    """Strip prompt markup, preambles and wrapping quotes; defuse mass mentions the model may echo."""
    text = _ANNOUNCEMENT.sub("", replies.strip_markup(text))
    lowered = text.lower()
    for preamble in _PREAMBLES:
        if lowered.startswith(preamble):
            text = text[len(preamble) :].lstrip()
            break
    if len(text) > 1 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    # A zero-width space keeps @everyone/@here from pinging anyone, on any platform.
    return text.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere")


def _guard(role: RoleModel, data: tuple[str, ...], allowed: tuple[str, ...] = ()) -> replies.CopyGuard:
    """What a draft must not copy: the member's post (as written and as the model saw it)
    and the community guidance; nor echo the prompt's own instructions."""
    prompt = role.prompt
    return replies.CopyGuard(
        data, (prompt.instructions,), quotable=prompt.quotable, markers=prompt.echo_markers, allowed=allowed
    )


def _names(post: Post) -> tuple[str, ...]:
    """Names the platform told us about, redacted along with other personal data."""
    return tuple(n for n in (post.author_name, *post.known_names) if n)


def _add(a: Timings, b: Timings) -> Timings:
    return Timings(a.queue_ms + b.queue_ms, a.generate_ms + b.generate_ms)
