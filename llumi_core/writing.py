"""Model work for one request: generate, clean, check, retry, store.

`DraftWriter.write` stores the empty first draft before the model runs (so its
id, for Escalate, works at once), streams the cleaned text to the adapter,
regenerates (bounded) while a draft is empty, copies the post or the prompt,
or fails the checks, and stores what it kept. `DraftService` builds the job.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from . import changes as change_diff
from . import replies
from .config import Settings
from .domain import (
    Actor,
    AuditAction,
    AuditEntry,
    CrisisResource,
    Draft,
    DraftKind,
    DraftStatus,
    OutputIssue,
    Post,
    RiskAssessment,
    Timings,
    utcnow,
)
from .errors import ModelError
from .logging_guard import register_content
from .ports import ChatMessage, GenerationParams, LLMBackend, Repositories
from .prompts import PromptTemplate
from .safety import Safety
from .text import post_hash

log = logging.getLogger(__name__)

OnText = Callable[[str], Awaitable[None]]
"""Called with the whole text so far while a draft streams (adapters throttle edits)."""

OnStart = Callable[[Draft], Awaitable[None]]
"""Called with the stored, still empty draft (id, risk) before the model runs."""


@dataclass(frozen=True, slots=True)
class RoleModel:
    """A role (GM or IM): the backend that runs it and its versioned prompt."""

    backend: LLMBackend
    prompt: PromptTemplate

    @property
    def model_id(self) -> str:
        return self.backend.model_id


@dataclass(frozen=True, slots=True)
class Job:
    """One request's model work: who writes, what they are told, and what they must not copy."""

    role: RoleModel
    messages: list[ChatMessage]
    resources: tuple[CrisisResource, ...]
    guard: replies.CopyGuard
    # How the model's text becomes the reply: an editing IM writes labelled pieces
    # that `editing.EditPlan.apply` puts into the supporter's reply.
    compose: Callable[[str], str] | None = None
    max_tokens: int | None = None  # None: the template's, else the settings'


@dataclass(frozen=True, slots=True)
class _Generated:
    text: str
    issues: tuple[OutputIssue, ...]
    timings: Timings


@dataclass(frozen=True, slots=True)
class _Attempt:
    text: str
    issues: tuple[OutputIssue, ...]
    copied: bool  # copied sentences were cut out: a last resort, never preferred

    @property
    def rank(self) -> tuple[bool, bool]:
        """Lower is better: a clean attempt beats a flagged one, which beats a cut one."""
        return (bool(self.issues), self.copied)


NOT_SAVED = (
    "not saved: the database is unavailable, so this draft is shown but not stored yet; copy it "
    "if you need it: it is saved when the database is back"
)


class DraftWriter:
    """Runs a `Job` and stores the drafts it produces (the audit names the requester)."""

    def __init__(self, repos: Repositories, safety: Safety, settings: Settings) -> None:
        self.repos = repos
        self.safety = safety
        self.settings = settings

    async def write(
        self, job: Job, start: Draft, n: int, on_start: OnStart | None, on_text: OnText | None
    ) -> tuple[tuple[Draft, ...], Timings]:
        """Store the empty first draft, announce it, generate `n` texts, store them all.

        If generation fails the first draft is marked failed, never left half-made. A storage
        fault after generation loses nothing: the repository holds the text until storage is
        back (see `unsaved_notes`), and the drafts are returned all the same.
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
                drafts.append(_filled(base, gen))
        except BaseException:
            with contextlib.suppress(Exception):
                await self.repos.drafts.transition(
                    start.id, DraftStatus.PENDING, dataclasses.replace(start, status=DraftStatus.FAILED)
                )
            raise
        action = AuditAction.DRAFT if start.kind is DraftKind.DRAFT else AuditAction.IMPROVE
        for d in drafts:
            await (self.repos.drafts.update(d) if d.id == start.id else self.repos.drafts.add(d))
            await self.repos.audit.record(
                AuditEntry(
                    action=action,
                    actor=start.requester.key,
                    community=d.community,
                    draft_id=d.id,
                    model_id=d.model_id,
                    prompt_version=d.prompt_version,
                    detail=f"risk={d.risk.level}",
                )
            )
        return tuple(drafts), timings

    def unsaved_notes(self, drafts: tuple[Draft, ...]) -> tuple[str, ...]:
        """A "not saved" note when storage refused to keep a draft (it is kept in memory and
        written when storage is back); nothing when all were saved."""
        is_saved = getattr(self.repos.drafts, "is_saved", None)
        if is_saved is None or all(is_saved(d.id) for d in drafts):
            return ()
        return (NOT_SAVED,)

    def new_draft(
        self, kind: DraftKind, post: Post, by: Actor, role: RoleModel, risk: RiskAssessment, post_text: str
    ) -> Draft:
        """The empty draft a request starts with; the post is kept only as redacted for storage."""
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
            post_text=self.safety.redact_for_storage(post_text, names(post)),
        )

    def _params(self, by: Actor, attempt: int, job: Job) -> GenerationParams:
        m = self.settings.models
        # Unset means random: a fresh seed per call, because a backend's own default
        # (llama-cpp-python's is fixed at load) would repeat the same draft every time.
        seed = m.sampling.seed + attempt if m.sampling.seed is not None else secrets.randbelow(2**31)
        return GenerationParams(
            max_tokens=min(job.max_tokens or job.role.prompt.max_tokens or m.max_tokens, m.max_tokens),
            temperature=m.sampling.temperature,
            top_p=m.sampling.top_p,
            top_k=m.sampling.top_k,
            repeat_penalty=m.sampling.repeat_penalty,
            seed=seed,
            stop=job.role.prompt.stop_sequences,
            timeout_s=m.timeout_s,
            requester=by.key,
        )

    async def _generate(
        self, job: Job, by: Actor, risk: RiskAssessment, on_text: OnText | None, *, attempt: int = 0
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
            params = self._params(by, attempt + extra * 7, job)
            raw, run_timings, cut = await _stream(job, params, on_text)
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

    def _attempt(self, raw: str, job: Job, risk: RiskAssessment, *, copied: bool) -> _Attempt:
        """The model's text made showable; its text is empty when nothing usable is left.

        `copied`: the stream was cut at a copy (its unfinished end may hide it from `find`).
        """
        text = replies.trim_unfinished(_composed(job, tidy_model_text(raw)))
        spans = job.guard.find(text)
        copied = copied or bool(spans)
        if spans:
            text = replies.drop_sentences(text, spans)
        if not text or (copied and not replies.enough_words(text)):
            return _Attempt("", (), copied)
        text = self.safety.answer_risk(text, risk, job.resources)
        return _Attempt(text, tuple(self.safety.check(text)), copied)


async def _stream(job: Job, params: GenerationParams, on_text: OnText | None) -> tuple[str, Timings, bool]:
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
            shown = _composed(job, replies.strip_partial(tidy_model_text("".join(parts))))
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


def _composed(job: Job, text: str) -> str:
    return job.compose(text) if job.compose is not None else text


def _filled(draft: Draft, gen: _Generated) -> Draft:
    changes = tuple(change_diff.diff(draft.human_text, gen.text)) if draft.human_text is not None else ()
    return dataclasses.replace(
        draft, text=gen.text, model_text=gen.text, issues=gen.issues, changes=changes, updated_at=utcnow()
    )


def guard(role: RoleModel, data: tuple[str, ...], allowed: tuple[str, ...] = ()) -> replies.CopyGuard:
    """What a draft must not copy: the member's post (as written and as the model saw it)
    and the community guidance; nor echo the prompt's own instructions."""
    prompt = role.prompt
    return replies.CopyGuard(
        data, (prompt.instructions,), quotable=prompt.quotable, markers=prompt.echo_markers, allowed=allowed
    )


def names(post: Post) -> tuple[str, ...]:
    """Names the platform told us about, redacted along with other personal data."""
    return tuple(n for n in (post.author_name, *post.known_names) if n)


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


def _add(a: Timings, b: Timings) -> Timings:
    return Timings(a.queue_ms + b.queue_ms, a.generate_ms + b.generate_ms)
