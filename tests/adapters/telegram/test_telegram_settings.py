"""The admin settings menu: admins only (asked of Telegram on every press), stored per chat."""

from __future__ import annotations

import pytest

from llumi_core.domain import Platform
from tests.adapters.telegram.conftest import ALERTS, GROUP, Harness
from tests.adapters.telegram.test_telegram_flows import ask

pytestmark = pytest.mark.model


async def config(tg: Harness):
    assert tg.app is not None
    return await tg.app.service.community(Platform.TELEGRAM, str(GROUP))


def menu_button(call, action: str) -> str:
    return next(b["callback_data"] for b in call.buttons if b["callback_data"] == f"llset:{GROUP}:{action}")


async def test_non_admin_is_refused(tg: Harness) -> None:
    mark = tg.mark()
    cmd = tg.api.command(GROUP, tg.member, "/llumi_settings")
    refusal = await tg.private(tg.member["id"], after=mark)
    assert "only this group's administrators" in refusal.text
    assert tg.api.called("deleteMessage", message_id=cmd["message_id"])
    assert not [c for c in tg.api.calls if c.buttons and str(c.chat_id) == str(tg.member["id"])]


async def test_admin_menu_configures_the_group(tg: Harness) -> None:
    uid = tg.admin["id"]
    # A slow answer to the bot's prompts, as on a loaded machine: each text below reaches the
    # bot while its prompt's answer is still on the way. The answer must still be taken as
    # the answer (not a stray message), because updates are handled in order, one at a time.
    tg.api.latency["sendMessage"] = 0.3
    mark = tg.mark()
    tg.api.command(GROUP, tg.admin, "/llumi_settings")
    menu = await tg.private(uid, lambda c: "LLUMI settings for" in c.text, after=mark)
    assert "Enabled in this group: no" in menu.text
    msg = tg.api.bot_message(menu)

    async def press(action: str):
        mark = tg.mark()
        qid = tg.api.press(tg.admin, msg, menu_button(menu, action))
        return await tg.answer(qid), mark

    await press("toggle")
    assert (await config(tg)).channel_enabled(str(GROUP))

    async def answer_with(action: str, text: str) -> None:
        _, mark = await press(action)
        await tg.private(uid, lambda c: "/cancel" in c.text, after=mark)
        mark = tg.mark()
        tg.api.send(uid, tg.admin, text)
        await tg.private(uid, lambda c: "LLUMI settings for" in c.text, after=mark)

    await answer_with("disclosure", "Drafted with AI help; a human reviewed it.")
    await answer_with("alert", str(ALERTS))
    await answer_with("retention", "7")
    await answer_with("drafters", str(tg.other["id"]))
    await answer_with(
        "custom", "Peer line | call 0800 123 456 | https://example.org/help\nWarm line | text HELLO to 555"
    )
    saved = await config(tg)
    assert saved.disclosure == "Drafted with AI help; a human reviewed it."
    assert saved.alert_channel == str(ALERTS)
    assert saved.retention_days == 7
    assert saved.draft_users == [str(tg.other["id"])]
    assert [r.name for r in saved.custom_resources] == ["Peer line", "Warm line"]
    assert saved.custom_resources[0].url == "https://example.org/help"
    assert tg.api.called("sendMessage", chat_id=ALERTS)  # the alert chat was tested

    # A bad answer is explained, and the setting stays as it was.
    _, mark = await press("retention")
    tg.api.send(uid, tg.admin, "forever")
    assert "whole number" in (await tg.private(uid, lambda c: "whole number" in c.text, after=mark)).text
    assert (await config(tg)).retention_days == 7
    tg.api.send(uid, tg.admin, "14")
    await tg.private(uid, lambda c: "Keep draft text: 14 days" in c.text, after=mark)

    # Region presets.
    _, mark = await press("region")
    regions = await tg.api.wait_for(
        lambda c: c.method == "editMessageText" and "region" in c.text, after=mark
    )
    qid = tg.api.press(tg.admin, tg.api.bot_message(regions), f"llset:{GROUP}:reg_uk-ie")
    await tg.answer(qid)
    assert (await config(tg)).crisis_region == "uk-ie"

    # Carol is now listed as a drafter.
    _, _, mark = await ask(tg, "/draft", who=tg.other)
    await tg.draft_message(tg.other["id"], after=mark)

    # Demoted: the next press is refused (admin status is asked of Telegram every time).
    tg.api.members[(GROUP, uid)] = "member"
    answer, _ = await press("toggle")
    assert "administrators" in answer.params["text"]
    assert (await config(tg)).channel_enabled(str(GROUP))

    # Promoted again and disabled: /draft is refused.
    tg.api.members[(GROUP, uid)] = "creator"
    await press("toggle")
    assert not (await config(tg)).channel_enabled(str(GROUP))
    _, _, mark = await ask(tg, "/draft")
    await tg.private(uid, lambda c: "not enabled" in c.text, after=mark)


async def test_learning_switch_is_admins_only(tg: Harness) -> None:
    uid = tg.admin["id"]
    mark = tg.mark()
    tg.api.command(GROUP, tg.admin, "/llumi_settings")
    menu = await tg.private(uid, lambda c: "LLUMI settings for" in c.text, after=mark)
    assert "Learning from this group's drafts: off" in menu.text
    assert "Nothing leaves this machine" in menu.text
    msg = tg.api.bot_message(menu)

    async def press(who: dict) -> str:
        qid = tg.api.press(who, msg, menu_button(menu, "learning"))
        return (await tg.answer(qid)).params.get("text", "")

    assert await press(tg.admin) == "Learning on"
    assert (await config(tg)).learning_enabled
    assert tg.app is not None
    audit = [e.detail for e in await tg.app.repos.audit.entries() if e.community == f"telegram:{GROUP}"]
    assert "field=learning_enabled" in audit
    assert await press(tg.admin) == "Learning off"
    assert not (await config(tg)).learning_enabled

    # A member who got hold of the menu's button is refused, and nothing changes.
    assert "administrators" in await press(tg.member)
    assert not (await config(tg)).learning_enabled


async def test_settings_deep_link_when_admin_never_started_the_bot(tg: Harness) -> None:
    uid = tg.admin["id"]
    tg.api.unreachable.add(uid)
    mark = tg.mark()
    tg.api.command(GROUP, tg.admin, "/llumi_settings")
    note = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == GROUP, after=mark)
    assert f"?start=s_{GROUP}" in note.text
    tg.api.unreachable.discard(uid)
    mark = tg.mark()
    tg.api.command(uid, tg.admin, f"/start s_{GROUP}")
    await tg.private(uid, lambda c: "LLUMI settings for" in c.text, after=mark)
    # The same link is refused for a non-admin.
    mark = tg.mark()
    tg.api.command(tg.member["id"], tg.member, f"/start s_{GROUP}")
    assert "administrators" in (await tg.private(tg.member["id"], after=mark)).text
