"""End to end: the real PTB Application and Updater polling a fake Bot API; real model; real SQLite."""

from __future__ import annotations

import pytest

from llumi_core.domain import DraftStatus
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

    mark = tg.mark()
    qid = tg.press(tg.admin, edited, "post")
    posted = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == GROUP, after=mark)
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
    assert len(tg.group_sends()) == 1


async def test_escalate_alerts_once_without_post_text(tg: Harness) -> None:
    await tg.configure()
    post, _, mark = await ask(tg, "/draft", ACUTE)
    uid = tg.admin["id"]
    head = await tg.private(uid, lambda c: c.method == "sendMessage" and "Risk screen" in c.text, after=mark)
    assert "ACUTE" in head.text and "Crisis resources" in head.text
    await tg.draft_message(uid, after=mark)
    with_button = await tg.api.wait_for(
        lambda c: c.chat_id == uid and any(b.get("callback_data", "").endswith(":esc") for b in c.buttons),
        after=mark,
    )
    mark = tg.mark()
    qid = tg.press(tg.admin, with_button, "esc")
    alert = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == ALERTS, after=mark)
    assert "ACUTE" in alert.text
    assert f"https://t.me/c/1234567890/{post['message_id']}" in alert.text
    for fragment in ("pills", "kill myself", "tonight", "can't do this"):
        assert fragment not in alert.text
    assert "escalated" in (await tg.answer(qid)).params["text"].lower()

    qid2 = tg.press(tg.admin, with_button, "esc")
    assert "already escalated" in (await tg.answer(qid2)).params["text"]
    assert len([c for c in tg.api.calls if c.method == "sendMessage" and c.chat_id == ALERTS]) == 1


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
