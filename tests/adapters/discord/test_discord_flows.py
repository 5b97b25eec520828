"""End to end: the real discord.py client, the fake Discord, the real model and a real SQLite DB.

Each test plays what moderators, supporters and admins do and asserts what
Discord would have received.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import json
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from adapters.discord import serve
from adapters.discord.commands import DRAFT_MENU, IMPROVE_MENU
from llumi_core.domain import DraftStatus, Platform, RiskLevel
from llumi_core.errors import ConfigError, ModelBusy
from llumi_core.llm import RoleBackends
from llumi_core.ports import ChatMessage, GenerationParams, LLMBackend
from llumi_core.service import RoleModel

from .conftest import DISCLOSURE, Running, app_with, configure, discord_settings, start_bot
from .fake_discord import (
    ADMIN,
    ALERT_CHANNEL,
    APP_ID,
    CHANNEL,
    EPHEMERAL,
    MEMBER,
    MOD,
    OTHER_BOT,
    OTHER_CHANNEL,
    OTHER_MOD,
    SUPPORTER,
    THREAD,
    FakeDiscord,
    User,
    buttons,
    embed_text,
)

# One event loop per module: the model is loaded once and serves every test.
pytestmark = [pytest.mark.model, pytest.mark.asyncio(loop_scope="module")]

SAD = "I've had a really rough week at work and I feel so alone lately. Nobody seems to notice me."
CRISIS = "I can't do this anymore. I have the pills ready and I'm going to end my life tonight."


# --- helpers ---------------------------------------------------------------------------------


def finished(fake: FakeDiscord, interaction: dict[str, Any]) -> dict[str, Any] | None:
    """The private message that ends a request: a draft with its buttons, or a clear failure.

    Escalate alone does not count: a flagged post shows it before the draft is written.
    """
    for message in fake.messages_for(interaction):
        if has_draft(message) or message["content"].startswith("⚠️"):
            return message
    return None


def has_draft(message: dict[str, Any]) -> bool:
    """The message shows a finished draft: buttons besides Escalate (which comes before the draft)."""
    return bool(set(buttons(message)) - {"escalate"})


async def ask_draft(
    fake: FakeDiscord, user: User = MOD, text: str = SAD, channel: int = CHANNEL
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A member posts; `user` picks "Draft supportive reply"; returns (post, interaction, private message)."""
    post = fake.post(MEMBER, text, channel)
    interaction = await fake.context_menu(user, DRAFT_MENU, post)
    message = await fake.until(lambda: finished(fake, interaction), what="the private draft")
    return post, interaction, message


def draft_id_of(message: dict[str, Any]) -> str:
    return next(iter(buttons(message).values()))["custom_id"].split(":")[1]


async def press(fake: FakeDiscord, user: User, message: dict[str, Any], action: str) -> dict[str, Any]:
    return await fake.press(user, message, buttons(message)[action]["custom_id"])


async def modal_of(fake: FakeDiscord, interaction: dict[str, Any]) -> dict[str, Any]:
    call = await fake.response(interaction)
    assert call.body["type"] == 9, f"expected a modal, got {call.body}"
    return call.body["data"]


async def private_reply(fake: FakeDiscord, interaction: dict[str, Any], contains: str = "") -> dict[str, Any]:
    """The ephemeral followup (or response) that answers `interaction`."""

    def find() -> dict[str, Any] | None:
        for m in fake.messages_for(interaction):
            if m["content"] and contains.lower() in m["content"].lower():
                return m
        return None

    return await fake.until(find, what=f"a private reply containing {contains!r}")


def assert_private_until_post(fake: FakeDiscord, before: int) -> None:
    """Nothing the bot sent before the click on Post was visible to anyone but the requester."""
    for call in fake.calls[:before]:
        if call.method == "POST" and call.path.endswith("/callback"):
            kind = call.body["type"]
            if kind in (4, 5):  # a new message (or a deferred one): must be ephemeral
                assert int(call.body["data"]["flags"]) & EPHEMERAL, call.body
        elif call.method == "POST" and call.path.startswith("/webhooks/"):
            assert int(call.body.get("flags") or 0) & EPHEMERAL, call.body
        elif call.method == "PATCH" and call.path.startswith("/webhooks/"):
            assert fake.messages[call.body["_target"]]["flags"] & EPHEMERAL
        assert not (call.method == "POST" and call.path.startswith("/channels/")), "posted before the click"


def assert_no_mentions(fake: FakeDiscord) -> None:
    for call in fake.calls:
        if (
            call.method in ("POST", "PATCH")
            and isinstance(call.body, dict)
            and (call.path.startswith(("/channels/", "/webhooks/")) or call.path.endswith("/callback"))
        ):
            body = call.body.get("data", call.body) if call.path.endswith("/callback") else call.body
            if "content" in body or "embeds" in body:
                allowed = body.get("allowed_mentions")
                assert allowed is not None and allowed.get("parse") == [], f"{call.path}: {allowed}"
                assert not allowed.get("replied_user")


async def status_becomes(app: Any, draft_id: str, user: User, status: DraftStatus) -> Any:
    """The bot records state right after Discord answers: wait for it (bounded)."""
    for _ in range(200):
        draft = await app.service.get(draft_id, _actor(user))
        if draft.status is status:
            return draft
        await asyncio.sleep(0.05)
    raise AssertionError(f"draft {draft_id} is {draft.status}, not {status}")


class SpyBackend:
    """Wraps the real backend and notes when model work starts (for the defer-first check)."""

    def __init__(self, inner: LLMBackend) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.started: list[float] = []

    def generate(self, messages: Sequence[ChatMessage], *, params: GenerationParams) -> AsyncIterator[str]:
        self.started.append(asyncio.get_running_loop().time())
        return self.inner.generate(messages, params=params)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def status(self) -> Any:
        return self.inner.status()


# --- moderators: draft, edit, post ------------------------------------------------------------


async def test_context_menu_draft_edit_and_post_as_a_new_user_would(bot: Running) -> None:
    fake, service = bot.fake, bot.app.service
    spy = SpyBackend(service.gm.backend)
    service.gm = RoleModel(spy, service.gm.prompt)  # type: ignore[arg-type]

    post, interaction, message = await ask_draft(fake)

    # Deferred (ephemeral) before any model work; then the private draft with its buttons.
    calls = fake.calls_for(interaction)
    assert calls[0].path.endswith("/callback") and calls[0].body["type"] == 5
    assert int(calls[0].body["data"]["flags"]) & EPHEMERAL
    assert spy.started and calls[0].at <= spy.started[0]
    first = next(c for c in calls if c.method == "POST" and c.path.startswith("/webhooks/"))
    assert "Risk screen" in first.body["content"]  # risk comes first, before the draft exists
    assert set(buttons(message)) >= {"post", "copy", "edit", "regen", "improve", "rate", "discard"}
    assert message["flags"] & EPHEMERAL
    # Streamed: the private message was edited while the text arrived, no faster than the interval.
    streamed = [
        c.at
        for c in calls
        if c.method == "PATCH" and "▌" in json.dumps(c.body.get("embeds"), ensure_ascii=False)
    ]
    assert streamed, "no edit while the draft was being written"
    interval = bot.app.settings.discord.stream_edit_interval_s
    assert all(b - a >= interval * 0.75 for a, b in itertools.pairwise(streamed))
    draft_id = draft_id_of(message)
    draft = await service.get(draft_id, _actor(MOD))
    assert draft.status is DraftStatus.PENDING and draft.text
    assert fake.channel_posts() == []

    # Edit: a modal pre-filled with the draft; the edit replaces the text in the private message.
    edit = await press(fake, MOD, message, "edit")
    modal = await modal_of(fake, edit)
    text_input = modal["components"][0]["components"][0]
    assert text_input["value"] == draft.text and text_input["max_length"] == 4000
    edited = "That sounds like such a lonely week, @everyone should see you. I'm here if you want to talk."
    await fake.submit_modal(MOD, modal, {"Your reply": edited}, message=message)
    await fake.until(lambda: "lonely week" in embed_text(message), what="the edited draft")

    # Nothing reached anyone else before the click on Post.
    before_post = fake.mark()
    assert_private_until_post(fake, before_post)

    click = await press(fake, MOD, message, "post")
    sent = await fake.until(lambda: fake.channel_posts(), what="the reply in the channel")
    assert len(sent) == 1
    reply = sent[0]
    assert reply["content"] == f"{edited}\n\n{DISCLOSURE}"
    assert reply["message_reference"]["message_id"] == int(post["id"])
    channel_call = next(c for c in fake.calls[before_post:] if c.path == f"/channels/{CHANNEL}/messages")
    assert channel_call.body["allowed_mentions"]["parse"] == []
    posted = await status_becomes(bot.app, draft_id, MOD, DraftStatus.POSTED)
    assert posted.posted_message_id == reply["id"]
    await fake.until(lambda: "Posted" in message["content"], what="the private confirmation")
    assert "post" not in buttons(message)
    assert fake.calls_for(click)[0].body["type"] == 6  # acknowledged by updating the private message
    assert_no_mentions(fake)


def _actor(user: User) -> Any:
    from llumi_core.domain import Actor

    return Actor(Platform.DISCORD, str(user.id))


async def test_slash_command_draft_by_link_and_copy(bot: Running) -> None:
    fake = bot.fake
    post = fake.post(MEMBER, SAD)
    link = f"https://discord.com/channels/{post['guild_id']}/{post['channel_id']}/{post['id']}"
    interaction = await fake.slash(MOD, "llumi", "draft", {"message": (3, link)})
    message = await fake.until(lambda: finished(fake, interaction), what="the private draft")
    assert fake.calls_for(interaction)[0].body["type"] == 5
    draft_id = draft_id_of(message)

    await press(fake, MOD, message, "copy")
    await fake.until(lambda: "Approved for copying" in message["content"], what="the copy view")
    assert "```" in embed_text(message) and DISCLOSURE in embed_text(message)
    await status_becomes(bot.app, draft_id, MOD, DraftStatus.APPROVED)
    assert fake.channel_posts() == []


async def test_post_in_a_thread_replies_in_the_thread(bot: Running) -> None:
    fake = bot.fake
    post, _, message = await ask_draft(fake, channel=THREAD)
    await press(fake, MOD, message, "post")
    sent = await fake.until(lambda: fake.channel_posts(THREAD), what="the reply in the thread")
    assert sent[0]["message_reference"]["message_id"] == int(post["id"])
    assert fake.channel_posts(CHANNEL) == []


# --- supporters: improve ---------------------------------------------------------------------------


async def test_improve_my_reply_modal_then_use_mine(bot: Running) -> None:
    fake = bot.fake
    post = fake.post(MEMBER, SAD)
    menu = await fake.context_menu(SUPPORTER, IMPROVE_MENU, post)
    modal = await modal_of(fake, menu)
    mine = "sorry that happend. you are not alone, i felt like that too. want to talk about it?"
    submit = await fake.submit_modal(SUPPORTER, modal, {"Your reply": mine})
    message = await fake.until(lambda: finished(fake, submit), what="the improved reply")
    assert fake.calls_for(submit)[0].body["type"] == 5
    assert set(buttons(message)) >= {"post", "edit", "mine", "discard"}
    draft = await bot.app.service.get(draft_id_of(message), _actor(SUPPORTER))
    assert draft.human_text == mine and draft.kind.value == "improve"
    if draft.changes:
        assert "What changed" in embed_text(message)

    await press(fake, SUPPORTER, message, "mine")
    await fake.until(lambda: "Back to your own text" in message["content"], what="the supporter's text")
    assert mine in embed_text(message)
    assert_private_until_post(fake, fake.mark())


# --- regenerate, improve, rate, discard ------------------------------------------------------------------


async def test_regenerate_replaces_the_draft_and_discards_the_old_one(bot: Running) -> None:
    fake, service = bot.fake, bot.app.service
    _, _, message = await ask_draft(fake)
    old_id = draft_id_of(message)
    await press(fake, MOD, message, "regen")
    await fake.until(lambda: has_draft(message) and draft_id_of(message) != old_id, what="a new draft")
    new = await service.get(draft_id_of(message), _actor(MOD))
    assert new.parent_id == old_id and new.status is DraftStatus.PENDING
    assert (await service.get(old_id, _actor(MOD))).status is DraftStatus.DISCARDED

    await press(fake, MOD, message, "improve")
    await fake.until(lambda: has_draft(message) and draft_id_of(message) != new.id, what="the improved draft")
    improved = await service.get(draft_id_of(message), _actor(MOD))
    assert improved.kind.value == "improve" and improved.parent_id == new.id


async def test_rate_and_discard(bot: Running) -> None:
    fake, app = bot.fake, bot.app
    _, _, message = await ask_draft(fake)
    draft_id = draft_id_of(message)

    rate = await press(fake, MOD, message, "rate")
    modal = await modal_of(fake, rate)
    submit = await fake.submit_modal(
        MOD, modal, {"Readability": "4", "Empathy": "5", "Safety": "5"}, message=message
    )
    thanks = await private_reply(fake, submit, "rating was saved")
    assert thanks["flags"] & EPHEMERAL
    ratings = await app.repos.ratings.for_draft(draft_id)
    assert ratings[0].scores() == {"readability": 4, "empathy": 5, "safety": 5}

    bad = await press(fake, MOD, message, "rate")
    modal = await modal_of(fake, bad)
    submit = await fake.submit_modal(MOD, modal, {"Readability": "9"}, message=message)
    await private_reply(fake, submit, "from 1 to 5")

    await press(fake, MOD, message, "discard")
    await fake.until(lambda: "discarded" in message["content"], what="the discard")
    assert "post" not in buttons(message)
    assert (await app.service.get(draft_id, _actor(MOD))).status is DraftStatus.DISCARDED
    assert fake.channel_posts() == []


# --- escalation --------------------------------------------------------------------------------------------


async def test_escalate_alerts_moderators_once_without_the_post_text(bot: Running) -> None:
    fake = bot.fake
    post, _, message = await ask_draft(fake, text=CRISIS)
    draft = await bot.app.service.get(draft_id_of(message), _actor(MOD))
    assert draft.risk.level is RiskLevel.ACUTE
    assert message["content"].index("ACUTE") < message["content"].index("Crisis resources")
    first_row = message["components"][0]["components"]
    assert first_row[0]["custom_id"].endswith(":escalate")  # Escalate comes first

    esc = await press(fake, MOD, message, "escalate")
    alerts = await fake.until(lambda: fake.channel_posts(ALERT_CHANNEL), what="the moderator alert")
    alert = alerts[0]["content"]
    assert post["id"] in alert and "acute" in alert and str(MOD.id) in alert
    assert "pills" not in alert and "end my life" not in alert
    await private_reply(fake, esc, "Escalated")

    again = await press(fake, MOD, message, "escalate")
    await private_reply(fake, again, "already escalated")
    assert len(fake.channel_posts(ALERT_CHANNEL)) == 1
    assert_no_mentions(fake)


class GatedBackend(SpyBackend):
    """The real model, held back until the test opens the gate: a draft that is still being written."""

    def __init__(self, inner: LLMBackend) -> None:
        super().__init__(inner)
        self.gate = asyncio.Event()

    async def generate(  # type: ignore[override]
        self, messages: Sequence[ChatMessage], *, params: GenerationParams
    ) -> AsyncIterator[str]:
        self.started.append(asyncio.get_running_loop().time())
        await self.gate.wait()
        async for piece in self.inner.generate(messages, params=params):
            yield piece


async def test_escalate_is_offered_and_works_before_the_draft_is_written(bot: Running) -> None:
    fake, service = bot.fake, bot.app.service
    gated = GatedBackend(service.gm.backend)
    service.gm = RoleModel(gated, service.gm.prompt)  # type: ignore[arg-type]
    post = fake.post(MEMBER, CRISIS)
    interaction = await fake.context_menu(MOD, DRAFT_MENU, post)
    token = interaction["token"]

    # The first private message: risk, resources and Escalate, while the model has not written a word.
    first = await fake.wait_for(
        lambda c: c.method == "POST" and c.path.startswith(f"/webhooks/{APP_ID}/{token}")
    )
    assert int(first.body["flags"]) & EPHEMERAL
    content = first.body["content"]
    assert content.index("ACUTE") < content.index("Crisis resources")
    first_buttons = [b["custom_id"] for row in first.body["components"] for b in row["components"]]
    assert len(first_buttons) == 1 and first_buttons[0].endswith(":escalate")
    assert "▌" not in json.dumps(first.body.get("embeds"), ensure_ascii=False)  # no streamed text yet
    message = next(m for m in fake.messages_for(interaction) if buttons(m))
    draft_id = draft_id_of(message)
    assert (await service.get(draft_id, _actor(MOD))).text == ""

    # Pressed while the draft is being written: the moderators get the alert, without the post text.
    esc = await press(fake, MOD, message, "escalate")
    alerts = await fake.until(lambda: fake.channel_posts(ALERT_CHANNEL), what="the moderator alert")
    alert = alerts[0]["content"]
    assert post["id"] in alert and "acute" in alert and str(MOD.id) in alert
    assert "pills" not in alert and "end my life" not in alert
    await private_reply(fake, esc, "Escalated")
    await fake.until(lambda: gated.started, what="the model call")  # on a busy machine it may lag
    assert not gated.gate.is_set()  # the model was called and is held back
    assert (await service.get(draft_id, _actor(MOD))).text == ""
    assert finished(fake, interaction) is None  # still no draft: the escalation came first

    # Then the draft streams in; the finished message keeps Escalate first, with the other buttons.
    gated.gate.set()
    done = await fake.until(lambda: finished(fake, interaction), what="the private draft")
    assert next(iter(buttons(done))) == "escalate"
    assert set(buttons(done)) >= {"escalate", "post", "copy", "edit", "regen", "improve", "rate", "discard"}
    assert draft_id_of(done) == draft_id and (await service.get(draft_id, _actor(MOD))).text
    again = await press(fake, MOD, done, "escalate")
    await private_reply(fake, again, "already escalated")
    assert len(fake.channel_posts(ALERT_CHANNEL)) == 1  # once per post
    assert fake.channel_posts() == []  # the alert went to the moderators only; nothing was posted
    assert_no_mentions(fake)


# --- guards --------------------------------------------------------------------------------------------------


async def test_another_user_cannot_use_the_requesters_buttons(bot: Running) -> None:
    fake = bot.fake
    _, _, message = await ask_draft(fake)
    for action in ("post", "discard", "edit"):
        refused = await press(fake, OTHER_MOD, message, action)
        reply = await private_reply(fake, refused, "only the person who asked")
        assert reply["flags"] & EPHEMERAL
    draft = await bot.app.service.get(draft_id_of(message), _actor(MOD))
    assert draft.status is DraftStatus.PENDING
    assert fake.channel_posts() == []


async def test_role_not_allowed_and_channel_not_enabled_are_refused(bot: Running) -> None:
    fake = bot.fake
    post = fake.post(MEMBER, SAD)
    no_role = await fake.context_menu(SUPPORTER, DRAFT_MENU, post)  # supporters may improve, not draft
    reply = await private_reply(fake, no_role, "your roles may not")
    assert reply["flags"] & EPHEMERAL

    elsewhere = fake.post(MEMBER, SAD, OTHER_CHANNEL)
    disabled = await fake.context_menu(MOD, DRAFT_MENU, elsewhere)
    await private_reply(fake, disabled, "not enabled in this channel")

    improve_elsewhere = await fake.context_menu(SUPPORTER, IMPROVE_MENU, elsewhere)
    call = await fake.response(improve_elsewhere)
    assert call.body["type"] == 4 and int(call.body["data"]["flags"]) & EPHEMERAL  # refused before a modal
    assert await bot.app.repos.drafts.list() == []


async def test_bot_posts_and_attachment_only_posts_get_a_clear_message(bot: Running) -> None:
    fake = bot.fake
    by_bot = fake.post(OTHER_BOT, "Welcome to the server!")
    menu = await fake.context_menu(MOD, DRAFT_MENU, by_bot)
    await private_reply(fake, menu, "written by a bot")

    image = fake.post(
        MEMBER,
        "",
        attachments=[
            {
                "id": "1",
                "filename": "a.png",
                "size": 1,
                "url": "http://x/a.png",
                "proxy_url": "http://x/a.png",
            }
        ],
    )
    menu = await fake.context_menu(MOD, DRAFT_MENU, image)
    await private_reply(fake, menu, "only attachments")

    joined = fake.post(MEMBER, "", type=7)  # "member joined" system message
    menu = await fake.context_menu(MOD, DRAFT_MENU, joined)
    await private_reply(fake, menu, "system message")
    assert await bot.app.repos.drafts.list() == []


async def test_post_refused_when_the_post_was_edited_or_deleted(bot: Running) -> None:
    fake = bot.fake
    post, _, message = await ask_draft(fake)
    fake.edit_post(post, "Actually I'm feeling a lot better now, thanks everyone.")
    click = await press(fake, MOD, message, "post")
    refusal = await private_reply(fake, click, "edited")
    assert "regen" in buttons(refusal)  # offered: a fresh draft for what they say now
    assert fake.channel_posts() == []

    post2, _, message2 = await ask_draft(fake)
    fake.delete_post(post2)
    click = await press(fake, MOD, message2, "post")
    await private_reply(fake, click, "deleted")
    assert fake.channel_posts() == []
    draft = await bot.app.service.get(draft_id_of(message2), _actor(MOD))
    assert draft.status is DraftStatus.PENDING  # nothing lost: the human can still copy it


# --- admins -----------------------------------------------------------------------------------------------


async def test_admin_commands_change_settings_and_non_admins_are_refused(bot: Running) -> None:
    fake, service = bot.fake, bot.app.service
    channel_resolved = {
        "channels": {str(OTHER_CHANNEL): fake.channels[str(OTHER_CHANNEL)] | {"permissions": "0"}}
    }
    cmd = await fake.slash(
        ADMIN,
        "llumi-admin",
        "channel",
        {"channel": (7, str(OTHER_CHANNEL)), "enabled": (5, True)},
        resolved=channel_resolved,
    )
    await private_reply(fake, cmd, "Saved")
    config = await service.community(Platform.DISCORD, str(fake.guild_payload()["id"]))
    assert str(OTHER_CHANNEL) in config.enabled_channels

    cmd = await fake.slash(
        ADMIN, "llumi-admin", "disclosure", {"text": (3, "Drafted with AI, checked by a human.")}
    )
    await private_reply(fake, cmd, "Saved")
    cmd = await fake.slash(ADMIN, "llumi-admin", "retention", {"days": (4, 7)})
    await private_reply(fake, cmd, "Saved")
    cmd = await fake.slash(ADMIN, "llumi-admin", "resources", {"region": (3, "UK")})
    await private_reply(fake, cmd, "Saved")
    config = await service.community(Platform.DISCORD, config.community_id)
    assert config.disclosure == "Drafted with AI, checked by a human."
    assert config.retention_days == 7 and config.crisis_region == "uk-ie"

    role = fake.guild_payload()["roles"][2]  # supporters
    cmd = await fake.slash(
        ADMIN,
        "llumi-admin",
        "role",
        {"kind": (3, "draft"), "role": (8, role["id"]), "allowed": (5, True)},
        resolved={"roles": {role["id"]: role}},
    )
    await private_reply(fake, cmd, "Saved")
    assert role["id"] in (await service.community(Platform.DISCORD, config.community_id)).draft_roles
    cmd = await fake.slash(ADMIN, "llumi-admin", "alert-channel")  # no channel: alerts off
    await private_reply(fake, cmd, "Saved")
    assert (await service.community(Platform.DISCORD, config.community_id)).alert_channel is None

    show = await fake.slash(ADMIN, "llumi-admin", "show")
    summary = await private_reply(fake, show, "LLUMI settings")
    assert "Drafted with AI" in summary["content"] and "Model status" in summary["content"]
    assert "queue" in summary["content"]

    # The default permission hides the command; a server can override it, so it is checked again.
    assert str(fake.commands["llumi-admin"]["default_member_permissions"]) == "32"
    cmd = await fake.slash(MOD, "llumi-admin", "disclosure", {"text": (3, "hijacked")})
    refusal = await private_reply(fake, cmd, "Manage Server")
    assert refusal["flags"] & EPHEMERAL
    assert (await service.community(Platform.DISCORD, config.community_id)).disclosure != "hijacked"

    cmd = await fake.slash(ADMIN, "llumi-admin", "resources", {"region": (3, "atlantis")})
    await private_reply(fake, cmd, "⚠️")


async def test_admin_learning_switch_is_stored_audited_and_admins_only(bot: Running) -> None:
    fake, app = bot.fake, bot.app
    guild_id = str(fake.guild_payload()["id"])

    async def learning() -> bool:
        return bool((await app.service.community(Platform.DISCORD, guild_id)).learning_enabled)

    cmd = await fake.slash(ADMIN, "llumi-admin", "learning", {"enabled": (5, True)})
    await private_reply(fake, cmd, "Saved")
    assert await learning()
    audit = [e.detail for e in await app.repos.audit.entries() if e.community == f"discord:{guild_id}"]
    assert "field=learning_enabled" in audit
    show = await private_reply(fake, await fake.slash(ADMIN, "llumi-admin", "show"), "LLUMI settings")
    assert "Learning from this server's drafts: on" in show["content"]
    assert "Nothing leaves this machine" in show["content"]

    cmd = await fake.slash(ADMIN, "llumi-admin", "learning", {"enabled": (5, False)})
    await private_reply(fake, cmd, "Saved")
    assert not await learning()

    cmd = await fake.slash(MOD, "llumi-admin", "learning", {"enabled": (5, True)})
    await private_reply(fake, cmd, "Manage Server")
    assert not await learning()


async def test_optout_stops_drafts_for_that_member(bot: Running) -> None:
    fake = bot.fake
    cmd = await fake.slash(MEMBER, "llumi", "optout")
    await private_reply(fake, cmd, "opted out")
    post = fake.post(MEMBER, SAD)
    menu = await fake.context_menu(MOD, DRAFT_MENU, post)
    message = await fake.until(lambda: finished(fake, menu), what="the refusal")
    assert "opted out" in message["content"]


# --- restarts and failures -----------------------------------------------------------------------------------


async def test_buttons_still_work_after_a_restart(
    fake: FakeDiscord, backends: RoleBackends, tmp_path: Path
) -> None:
    settings = discord_settings(tmp_path)
    async with app_with(settings, backends) as app:
        await configure(app)
        first = await start_bot(fake, app)
        post, _, message = await ask_draft(fake)
        draft_id = draft_id_of(message)
        await first.shutdown()

    async with app_with(settings, backends) as app:  # a new process: same database, nothing in memory
        second = await start_bot(fake, app)
        try:
            await press(fake, MOD, message, "post")
            sent = await fake.until(lambda: fake.channel_posts(), what="the reply after the restart")
            assert sent[0]["message_reference"]["message_id"] == int(post["id"])
            await status_becomes(app, draft_id, MOD, DraftStatus.POSTED)
        finally:
            await second.shutdown()
    assert fake.identified == 2


async def test_model_timeout_gives_a_clear_message_and_the_bot_keeps_running(
    fake: FakeDiscord, backends: RoleBackends, tmp_path: Path
) -> None:
    async with app_with(discord_settings(tmp_path, timeout_s=0.001), backends) as app:
        await configure(app)
        running = await start_bot(fake, app)
        try:
            _, _, message = await ask_draft(fake)
            assert message["content"].startswith("⚠️") and "model" in message["content"]
            assert "Risk screen" in message["content"]  # the risk header stays visible
            assert message["flags"] & EPHEMERAL
            assert await app.repos.drafts.list(status=DraftStatus.PENDING) == []
            # Still serving: an admin command works afterwards.
            show = await fake.slash(ADMIN, "llumi-admin", "show")
            await private_reply(fake, show, "LLUMI settings")
        finally:
            await running.shutdown()


class BrokenBackend:
    """A model that fails the way a bug would: not a LlumiError."""

    model_id = "broken"

    async def generate(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams
    ) -> AsyncIterator[str]:
        raise RuntimeError("secret internal detail")
        yield ""  # pragma: no cover - makes this an async generator

    async def aclose(self) -> None:
        return None

    def status(self) -> Any:
        from llumi_core.ports import BackendStatus

        return BackendStatus(self.model_id, loaded=True)


async def test_unexpected_error_gives_a_generic_apology(fake: FakeDiscord, tmp_path: Path) -> None:
    async with app_with(discord_settings(tmp_path), backend=BrokenBackend()) as app:
        await configure(app)
        running = await start_bot(fake, app)
        try:
            post = fake.post(MEMBER, SAD)
            menu = await fake.context_menu(MOD, DRAFT_MENU, post)
            reply = await private_reply(fake, menu, "Sorry")
            assert "secret internal detail" not in reply["content"] and "Traceback" not in reply["content"]
            assert reply["flags"] & EPHEMERAL
            again = await fake.context_menu(MOD, DRAFT_MENU, post)
            await private_reply(fake, again, "Sorry")  # the bot kept running
        finally:
            await running.shutdown()


class BusyBackend(BrokenBackend):
    """A model whose queue is full."""

    async def generate(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams
    ) -> AsyncIterator[str]:
        raise ModelBusy(position=3, eta_s=40)
        yield ""  # pragma: no cover


async def test_model_busy_tells_the_place_in_the_queue(fake: FakeDiscord, tmp_path: Path) -> None:
    async with app_with(discord_settings(tmp_path), backend=BusyBackend()) as app:
        await configure(app)
        running = await start_bot(fake, app)
        try:
            _, _, message = await ask_draft(fake)
            assert "number 3 in the queue" in message["content"] and "retry" in message["content"]
            assert message["flags"] & EPHEMERAL
        finally:
            await running.shutdown()


async def test_startup_syncs_to_the_guild_and_logs_one_line_per_guild(
    fake: FakeDiscord, backends: RoleBackends, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.discord")
    async with app_with(discord_settings(tmp_path), backends) as app:
        running = await start_bot(fake, app)
        try:
            await fake.until(
                lambda: any("serving guild" in r.getMessage() for r in caplog.records), what="log"
            )
            assert sum("serving guild" in r.getMessage() for r in caplog.records) == 1
            sync = next(c for c in fake.calls if c.method == "PUT")
            assert f"/guilds/{fake.guild_payload()['id']}/commands" in sync.path
            assert {c["name"] for c in sync.body} == {"llumi", "llumi-admin", DRAFT_MENU, IMPROVE_MENU}
            assert fake.identify["intents"] & (1 << 15)  # message content: to re-read a post before posting
        finally:
            await running.shutdown()
        assert running.task.done() and running.task.exception() is None  # a clean stop


async def test_a_rejected_token_is_a_clear_config_error(
    fake: FakeDiscord, backends: RoleBackends, tmp_path: Path
) -> None:
    fake.reject_token = True
    async with app_with(discord_settings(tmp_path), backends) as app:
        with pytest.raises(ConfigError, match="token was rejected"):
            await asyncio.wait_for(serve(app, asyncio.Event()), timeout=30)


async def test_a_draft_the_checks_flag_cannot_be_posted_until_edited(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    from tests.fakes import ScriptedBackend

    flagged = ScriptedBackend(
        "I hear you. Text me on 555-123-4567 or mail me at robin.b@example.com any time."
    )
    async with app_with(discord_settings(tmp_path, check_outputs=True), backend=flagged) as app:
        await configure(app)
        running = await start_bot(fake, app)
        try:
            _, _, message = await ask_draft(fake)
            assert buttons(message)["post"]["disabled"] and buttons(message)["copy"]["disabled"]
            assert "Checks found problems" in embed_text(message) and "__**" in embed_text(message)
            forced = await press(fake, MOD, message, "post")  # e.g. a stale client still showing it enabled
            await private_reply(fake, forced, "edit it before posting")
            assert fake.channel_posts() == []

            edit = await press(fake, MOD, message, "edit")
            modal = await modal_of(fake, edit)
            await fake.submit_modal(
                MOD, modal, {"Your reply": "I hear you. I'm glad you posted."}, message=message
            )
            await fake.until(
                lambda: not buttons(message)["post"].get("disabled"), what="Post enabled after the edit"
            )
        finally:
            await running.shutdown()


async def test_slash_improve_with_a_link_and_text(bot: Running) -> None:
    fake = bot.fake
    post = fake.post(MEMBER, SAD)
    link = f"https://discord.com/channels/{post['guild_id']}/{post['channel_id']}/{post['id']}"
    mine = "that sounds hard, you're not alone. do you want to talk about it?"
    cmd = await fake.slash(SUPPORTER, "llumi", "improve", {"message": (3, link), "text": (3, mine)})
    message = await fake.until(lambda: finished(fake, cmd), what="the improved reply")
    assert "mine" in buttons(message) and message["flags"] & EPHEMERAL
    draft = await bot.app.service.get(draft_id_of(message), _actor(SUPPORTER))
    assert draft.human_text == mine

    other_server = await fake.slash(
        SUPPORTER,
        "llumi",
        "improve",
        {"message": (3, "https://discord.com/channels/1/2/3"), "text": (3, mine)},
    )
    await private_reply(fake, other_server, "⚠️")


async def test_a_failed_send_keeps_the_draft_for_a_retry(bot: Running) -> None:
    fake = bot.fake
    _, _, message = await ask_draft(fake)
    fake.forbidden_channels.add(CHANNEL)
    click = await press(fake, MOD, message, "post")
    await private_reply(fake, click, "permission")
    await status_becomes(bot.app, draft_id_of(message), MOD, DraftStatus.PENDING)

    fake.forbidden_channels.clear()
    await press(fake, MOD, message, "post")  # the same button, once the permission is fixed
    await fake.until(lambda: fake.channel_posts(), what="the reply on retry")
    await status_becomes(bot.app, draft_id_of(message), MOD, DraftStatus.POSTED)


# --- authorization at the time of the action (issue 12) ------------------------------------------


async def test_a_moderator_who_lost_the_role_or_the_channel_cannot_post_or_regenerate(bot: Running) -> None:
    fake, app = bot.fake, bot.app
    _, _, message = await ask_draft(fake)
    draft_id = draft_id_of(message)
    demoted = dataclasses.replace(MOD, roles=())  # the same person, after an admin took the role away

    click = await press(fake, demoted, message, "post")
    refusal = await private_reply(fake, click, "may not ask for drafts")
    assert refusal["flags"] & EPHEMERAL
    regen = await press(fake, demoted, message, "regen")
    await fake.until(
        lambda: (
            any("may not ask for drafts" in m["content"].lower() for m in fake.messages_for(regen))
            or "may not ask for drafts" in message["content"].lower()
        ),
        what="the regenerate refusal",
    )
    assert fake.channel_posts() == []
    assert (await app.service.get(draft_id, _actor(MOD))).status is DraftStatus.PENDING

    # Still a moderator, but LLUMI was switched off in the channel after the draft was asked for.
    await configure(app, enabled_channels=[])
    click = await press(fake, MOD, message, "post")
    await private_reply(fake, click, "not enabled in this channel")
    assert fake.channel_posts() == []
    assert (await app.service.get(draft_id, _actor(MOD))).status is DraftStatus.PENDING

    await configure(app)  # given back: the same button posts
    await press(fake, MOD, message, "post")
    await fake.until(lambda: fake.channel_posts(), what="the reply once allowed again")
    await status_becomes(app, draft_id, MOD, DraftStatus.POSTED)
