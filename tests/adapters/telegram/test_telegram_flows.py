"""End to end: the real PTB Application and Updater polling a fake Bot API; real model; real SQLite."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from llumi_core.domain import Actor, DraftStatus, Platform
from llumi_core.ports import ChatMessage, GenerationParams, LLMBackend
from llumi_core.service import RoleModel
from tests.adapters.telegram.conftest import ALERTS, DISCLOSURE, GROUP, Harness

pytestmark = pytest.mark.model

LONELY = "I've been feeling really lonely lately and nobody in my life seems to notice when I'm struggling."
ACUTE = "I can't do this anymore. I have the pills ready and I plan to kill myself tonight."


async def ask(tg: Harness, command: str, text: str = LONELY, who: dict | None = None):
    """A member posts `text`; `who` (the admin by default) replies with `command`."""
    post = tg.api.send(GROUP, tg.member, text)
    mark = tg.mark()
    cmd = tg.api.command(GROUP, who or tg.admin, command, reply_to=post)
    return post, cmd, mark


def draft_id(call) -> str:
    return next(b["callback_data"] for b in call.buttons if b["callback_data"].endswith(":edit")).split(":")[
        1
    ]


async def test_draft_edit_post_end_to_end(tg: Harness) -> None:
    await tg.configure()
    post, cmd, mark = await ask(tg, "/draft")
    uid = tg.admin["id"]

    # The command disappears from the group.
    await tg.api.wait_for(
        lambda c: c.method == "deleteMessage" and c.params["message_id"] == str(cmd["message_id"])
    )
    # Risk first, then the draft with its buttons, all in the private chat.
    head = await tg.private(uid, lambda c: c.method == "sendMessage" and "Risk screen" in c.text, after=mark)
    shown = await tg.draft_message(uid, after=mark)
    assert tg.api.calls.index(head) < tg.api.calls.index(shown)
    actions = {b["callback_data"].rsplit(":", 1)[1] for b in shown.buttons}
    assert {"post", "edit", "regen", "improve", "rate", "discard"} <= actions
    assert all(len(b["callback_data"].encode()) < 64 for b in shown.buttons)
    assert "parse_mode" not in shown.params
    # The draft streamed into the private message, throttled to stream_edit_interval_s (0.2 s here).
    streamed = [c for c in tg.api.calls if c.method == "editMessageText" and c.text.startswith("✍ Writing")]
    assert streamed and all(c.chat_id == uid for c in streamed)
    gaps = [b.at - a.at for a, b in itertools.pairwise(streamed)]
    assert all(gap >= 0.15 for gap in gaps)  # requests arrive with a little jitter
    # Streaming never sent an edit Telegram would refuse as unchanged.
    assert not [c for c in tg.api.calls if c.method.startswith("edit") and c.status != 200]

    # Edit: the bot asks in private, the moderator sends new text, a new draft message comes back.
    mark = tg.mark()
    tg.press(tg.admin, shown, "edit")
    await tg.private(uid, lambda c: "Send the new text" in c.text, after=mark)
    mine = "Thank you for telling us, Bob. You are not alone here; we notice you and we are glad you wrote."
    mark = tg.mark()
    tg.api.send(uid, tg.admin, mine)
    edited = await tg.draft_message(uid, after=mark)
    assert mine in edited.text

    # Nothing reached the group before the tap on Post.
    assert tg.group_sends() == []

    # A network error (502) on the way is retried with backoff: the post still arrives, once.
    tg.api.fail_next["sendMessage"] = (502, "Bad Gateway")
    mark = tg.mark()
    qid = tg.press(tg.admin, edited, "post")
    posted = await tg.api.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == GROUP and c.status == 200, after=mark
    )
    assert posted.params["reply_parameters"]["message_id"] == post["message_id"]
    assert posted.text == f"{mine}\n\n{DISCLOSURE}"
    assert posted.params["link_preview_options"]["is_disabled"] is True
    assert "parse_mode" not in posted.params
    assert (await tg.answer(qid)).params.get("text") == "Posted to the group"

    assert tg.app is not None
    stored = await tg.app.repos.drafts.get(draft_id(edited))
    assert stored is not None and stored.status is DraftStatus.POSTED
    assert stored.posted_message_id == str(posted.params["_result"]["message_id"])

    # A second tap cannot post twice.
    mark = tg.mark()
    again = tg.api.press(tg.admin, tg.api.bot_message(edited), tg.button(edited, "post"))
    refusal = await tg.answer(again)
    assert refusal.params.get("show_alert") in (True, "true", "True")
    assert [c.status for c in tg.group_sends()] == [502, 200]


async def test_escalate_alerts_once_without_post_text(tg: Harness) -> None:
    await tg.configure()
    post, _, mark = await ask(tg, "/draft", ACUTE)
    uid = tg.admin["id"]
    head = await tg.private(uid, lambda c: c.method == "sendMessage" and "Risk screen" in c.text, after=mark)
    assert "ACUTE" in head.text and "Crisis resources" in head.text
    await tg.draft_message(uid, after=mark)
    with_button = await tg.api.wait_for(
        lambda c: (
            c.chat_id == uid and any(b.get("callback_data", "").endswith(":escalate") for b in c.buttons)
        ),
        after=mark,
    )
    mark = tg.mark()
    qid = tg.press(tg.admin, with_button, "escalate")
    alert = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == ALERTS, after=mark)
    assert "ACUTE" in alert.text
    assert f"https://t.me/c/1234567890/{post['message_id']}" in alert.text
    for fragment in ("pills", "kill myself", "tonight", "can't do this"):
        assert fragment not in alert.text
    assert "escalated" in (await tg.answer(qid)).params["text"].lower()

    qid2 = tg.press(tg.admin, with_button, "escalate")
    assert "already escalated" in (await tg.answer(qid2)).params["text"]
    assert len([c for c in tg.api.calls if c.method == "sendMessage" and c.chat_id == ALERTS]) == 1


class GatedBackend:
    """The real model, held back until the test opens the gate: a draft that is still being written."""

    def __init__(self, inner: LLMBackend) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.gate = asyncio.Event()
        self.called = asyncio.Event()
        self.calls = 0

    async def generate(
        self, messages: Sequence[ChatMessage], *, params: GenerationParams
    ) -> AsyncIterator[str]:
        self.calls += 1
        self.called.set()
        await self.gate.wait()
        async for piece in self.inner.generate(messages, params=params):
            yield piece

    async def aclose(self) -> None:
        await self.inner.aclose()

    def status(self) -> Any:
        return self.inner.status()  # type: ignore[attr-defined]


async def test_escalate_comes_first_and_works_while_the_draft_is_written(tg: Harness) -> None:
    await tg.configure()
    assert tg.app is not None
    service = tg.app.service
    gated = GatedBackend(service.gm.backend)
    service.gm = RoleModel(gated, service.gm.prompt)  # type: ignore[arg-type]
    uid = tg.admin["id"]
    post, _, mark = await ask(tg, "/draft", ACUTE)

    # The very first private message: risk, resources and Escalate, before the model wrote a word.
    first = await tg.private(uid, after=mark)
    assert first.method == "sendMessage"
    assert first.text.index("ACUTE") < first.text.index("Crisis resources")
    assert [b["callback_data"].rsplit(":", 1)[1] for b in first.buttons] == ["escalate"]
    esc_id = first.buttons[0]["callback_data"].split(":")[1]
    await tg.private(uid, lambda c: c.text.startswith("✍ Writing"), after=mark)  # the placeholder
    # The placeholder goes out just before the model is called: on a busy machine, wait for the call.
    await asyncio.wait_for(gated.called.wait(), timeout=120)
    assert gated.calls == 1 and not gated.gate.is_set()
    assert (await service.get(esc_id, Actor(Platform.TELEGRAM, str(uid)))).text == ""

    # Pressed while the draft is being written: the alert chat gets it, without the post text.
    qid = tg.press(tg.admin, first, "escalate")
    alert = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == ALERTS, after=mark)
    assert "ACUTE" in alert.text and f"https://t.me/c/1234567890/{post['message_id']}" in alert.text
    for fragment in ("pills", "kill myself", "tonight", "can't do this"):
        assert fragment not in alert.text
    assert "escalated" in (await tg.answer(qid)).params["text"].lower()
    assert not gated.gate.is_set() and not [c for c in tg.api.calls[mark:] if has_draft_buttons(c)]

    # Then the draft streams in, with its buttons; the risk message keeps Escalate (once per post).
    gated.gate.set()
    shown = await tg.draft_message(uid, after=mark)
    assert draft_id(shown) == esc_id and tg.api.calls.index(first) < tg.api.calls.index(shown)
    assert {"post", "edit", "regen", "improve", "rate", "discard"} <= {
        b["callback_data"].rsplit(":", 1)[1] for b in shown.buttons
    }
    again = tg.press(tg.admin, first, "escalate")
    assert "already escalated" in (await tg.answer(again)).params["text"]
    assert len([c for c in tg.api.calls if c.method == "sendMessage" and c.chat_id == ALERTS]) == 1
    assert tg.group_sends() == []


def has_draft_buttons(call: Any) -> bool:
    return any(b.get("callback_data", "").endswith(":edit") for b in call.buttons)


async def test_cannot_initiate_conversation_deep_link_then_start_delivers(tg: Harness) -> None:
    await tg.configure()
    uid = tg.admin["id"]
    tg.api.unreachable.add(uid)
    _, _, mark = await ask(tg, "/draft")
    note = await tg.api.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == GROUP, after=mark, timeout=90
    )
    assert "https://t.me/llumi_test_bot?start=d_" in note.text
    assert "lonely" not in note.text.lower()
    payload = note.text.split("?start=", 1)[1].split()[0]
    assert tg.api.called("sendMessage", chat_id=uid) and all(
        c.status == 403 for c in tg.api.called("sendMessage", chat_id=uid)
    )

    # Another member following the link gets nothing of the draft.
    mark = tg.mark()
    tg.api.command(tg.other["id"], tg.other, f"/start {payload}")
    refused = await tg.private(tg.other["id"], after=mark)
    assert "only the person who asked" in refused.text

    tg.api.unreachable.discard(uid)
    mark = tg.mark()
    tg.api.command(uid, tg.admin, f"/start {payload}")
    head = await tg.private(uid, lambda c: "Risk screen" in c.text, after=mark)
    shown = await tg.draft_message(uid, after=mark)
    assert tg.api.calls.index(head) < tg.api.calls.index(shown)
    assert draft_id(shown) == payload[2:]
    # Tried as a new user would: nothing in the group carries any of the draft's text.
    assert tg.app is not None
    stored = await tg.app.repos.drafts.get(payload[2:])
    assert stored is not None and stored.text
    for call in tg.group_sends():
        assert stored.text[:40] not in call.text


async def test_improve_inline_then_use_mine(tg: Harness) -> None:
    await tg.configure()
    mine = "hey bob, sorry ur feeling lonely. we r here if u want to talk about it"
    _, _, mark = await ask(tg, f"/improve {mine}")
    uid = tg.admin["id"]
    shown = await tg.draft_message(uid, after=mark)
    assert "Improved reply" in shown.text
    actions = {b["callback_data"].rsplit(":", 1)[1] for b in shown.buttons}
    assert {"post", "edit", "mine", "discard"} <= actions
    mark = tg.mark()
    tg.press(tg.admin, shown, "mine")
    back = await tg.draft_message(uid, after=mark)
    assert mine in back.text
    assert tg.group_sends() == []


async def test_improve_alone_asks_in_private(tg: Harness) -> None:
    await tg.configure()
    _, _, mark = await ask(tg, "/improve")
    uid = tg.admin["id"]
    await tg.private(uid, lambda c: "Send me your own reply" in c.text, after=mark)
    mark = tg.mark()
    tg.api.send(uid, tg.admin, "I'm sorry you feel alone. I notice you, and I'm glad you posted here.")
    shown = await tg.draft_message(uid, after=mark)
    assert "Improved reply" in shown.text
    assert any(b["callback_data"].endswith(":mine") for b in shown.buttons)


async def test_regenerate_rate_discard_and_other_users_refused(tg: Harness) -> None:
    await tg.configure()
    _, _, mark = await ask(tg, "/draft")
    uid = tg.admin["id"]
    first = await tg.draft_message(uid, after=mark)
    assert tg.app is not None

    # Someone else's tap is refused with an alert, and changes nothing.
    qid = tg.press(tg.other, first, "discard")
    refusal = await tg.answer(qid)
    assert "only the person who asked" in refusal.params["text"]
    assert refusal.params.get("show_alert") in (True, "true", "True")

    mark = tg.mark()
    tg.press(tg.admin, first, "regen")
    second = await tg.draft_message(uid, after=mark)
    assert draft_id(second) != draft_id(first)
    old = await tg.app.repos.drafts.get(draft_id(first))
    new = await tg.app.repos.drafts.get(draft_id(second))
    assert old is not None and old.status is DraftStatus.DISCARDED
    assert new is not None and new.parent_id == old.id and new.status is DraftStatus.PENDING

    # Rate: the rating keyboard replaces the buttons; one tap stores one score.
    mark = tg.mark()
    tg.press(tg.admin, second, "rate")
    rating_kb = await tg.api.wait_for(lambda c: c.method == "editMessageReplyMarkup", after=mark)
    assert any(b["callback_data"].endswith(":rate_e_4") for b in rating_kb.buttons)
    qid = tg.api.press(tg.admin, tg.api.bot_message(second), f"llumi:{draft_id(second)}:rate_e_4")
    assert "empathy 4/5" in (await tg.answer(qid)).params["text"]
    ratings = await tg.app.repos.ratings.for_draft(draft_id(second))
    assert [r.empathy for r in ratings] == [4]

    mark = tg.mark()
    qid = tg.press(tg.admin, second, "discard")
    closed = await tg.api.wait_for(lambda c: c.method == "editMessageText" and c.status == 200, after=mark)
    assert "Discarded" in closed.text
    stored = await tg.app.repos.drafts.get(draft_id(second))
    assert stored is not None and stored.status is DraftStatus.DISCARDED
    assert tg.group_sends() == []


# These tests press Post on the model's own draft: output checks could (rarely) block it.
NO_CHECKS = pytest.mark.tg_settings(safety={"check_outputs": False})


@NO_CHECKS
async def test_buttons_work_after_restart(tg: Harness) -> None:
    await tg.configure()
    post, _, mark = await ask(tg, "/draft")
    shown = await tg.draft_message(tg.admin["id"], after=mark)
    await tg.restart()  # a new App (model, DB connection) and a new Application on the same database
    mark = tg.mark()
    tg.press(tg.admin, shown, "post")
    posted = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == GROUP, after=mark)
    assert posted.params["reply_parameters"]["message_id"] == post["message_id"]
    assert posted.text.endswith(DISCLOSURE)


async def test_long_draft_with_special_characters_is_split_and_posts_intact(tg: Harness) -> None:
    await tg.configure(disclosure="")
    post, _, mark = await ask(tg, "/draft")
    uid = tg.admin["id"]
    shown = await tg.draft_message(uid, after=mark)
    special = "*_[]()~>#+-=|{}.! <b>not bold</b> &amp; `code` @everyone @bob \\ "
    paragraph = ("You matter to us. " * 20 + special).strip()
    long_text = "\n\n".join(f"{i}. {paragraph}" for i in range(1, 13))
    assert len(long_text) > 4096

    mark = tg.mark()
    tg.press(tg.admin, shown, "edit")
    await tg.private(uid, lambda c: "Send the new text" in c.text, after=mark)
    mark = tg.mark()
    tg.api.send(uid, tg.admin, long_text)
    edited = await tg.draft_message(uid, after=mark)
    private = [
        c for c in tg.api.calls[mark:] if c.chat_id == uid and c.method == "sendMessage" and c.status == 200
    ]
    assert len(private) >= 2 and all(len(c.text) <= 4096 for c in private)

    mark = tg.mark()
    tg.press(tg.admin, edited, "post")
    await tg.api.wait_for(lambda c: c.method == "answerCallbackQuery", after=mark)
    parts = [c for c in tg.api.calls[mark:] if c.method == "sendMessage" and c.chat_id == GROUP]
    assert len(parts) >= 2 and all(c.status == 200 and len(c.text) <= 4096 for c in parts)
    assert parts[0].params["reply_parameters"]["message_id"] == post["message_id"]
    assert all("parse_mode" not in c.params for c in parts)
    joined = "\n\n".join(c.text for c in parts)
    # Every character arrives as typed; only @ gains a zero-width space so nobody is pinged.
    assert joined.replace("@\u200b", "@") == long_text
    assert "@everyone" not in joined and "@bob" not in joined
