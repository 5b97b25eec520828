"""A draft the checks flag, and a draft the model littered with markup, through the real PTB stack.

The model is scripted (whether the real one writes a flagged draft is chance);
the App, the safety checks, SQLite, the Application and the Bot API calls are real.
"""

from __future__ import annotations

import pytest

from llumi_core.domain import DraftStatus
from llumi_core.service import RoleModel
from tests.adapters.telegram.conftest import DISCLOSURE, GROUP, Harness
from tests.adapters.telegram.test_telegram_flows import LONELY, ask, draft_id
from tests.fakes import ScriptedBackend

pytestmark = pytest.mark.model

FLAGGED = "I'm a licensed therapist, and I promise this stays between us. DM me any time."
MARKED_UP = (
    "<response>I'm really sorry you feel unseen. What would help tonight?</response>\n<post>\n" + LONELY
)


def scripted(tg: Harness, *replies: str) -> ScriptedBackend:
    assert tg.app is not None
    backend = ScriptedBackend(replies[0])
    backend.replies = list(replies)
    service = tg.app.service
    service.gm = RoleModel(backend, service.gm.prompt)
    return backend


def actions(call) -> set[str]:
    return {b["callback_data"].rsplit(":", 1)[1] for b in call.buttons}


async def test_a_flagged_draft_keeps_post_disabled_through_regenerate_until_edited(tg: Harness) -> None:
    await tg.configure()
    backend = scripted(tg, FLAGGED)
    uid = tg.admin["id"]
    _, _, mark = await ask(tg, "/draft")
    shown = await tg.draft_message(uid, after=mark)
    assert len(backend.calls) == 3  # the first try and two regenerations were all flagged
    assert "post" not in actions(shown) and "blocked" in actions(shown)
    assert "Post is disabled" in shown.text and "secrecy" in shown.text

    qid = tg.press(tg.admin, shown, "blocked")
    assert "Press Edit" in (await tg.answer(qid)).params["text"]
    forged = tg.api.press(tg.admin, tg.api.bot_message(shown), f"llumi:{draft_id(shown)}:post")
    assert "edit it before posting" in (await tg.answer(forged)).params["text"]

    mark = tg.mark()
    tg.press(tg.admin, shown, "regen")
    again = await tg.draft_message(uid, after=mark)
    assert draft_id(again) != draft_id(shown) and len(backend.calls) == 6
    assert "post" not in actions(again) and "Post is disabled" in again.text

    mark = tg.mark()
    tg.press(tg.admin, again, "edit")
    await tg.private(uid, lambda c: "Send the new text" in c.text, after=mark)
    mark = tg.mark()
    mine = "I hear you, and I'm glad you posted. What has been the hardest part?"
    tg.api.send(uid, tg.admin, mine)
    edited = await tg.draft_message(uid, after=mark)
    assert "post" in actions(edited) and "Post is disabled" not in edited.text
    assert tg.group_sends() == []

    mark = tg.mark()
    tg.press(tg.admin, edited, "post")
    posted = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == GROUP, after=mark)
    assert posted.text == f"{mine}\n\n{DISCLOSURE}"


@pytest.mark.tg_settings(safety={"check_outputs": False})
async def test_markup_and_an_echoed_post_never_reach_the_chat(tg: Harness) -> None:
    await tg.configure()
    scripted(tg, MARKED_UP)
    uid = tg.admin["id"]
    _, _, mark = await ask(tg, "/draft")
    shown = await tg.draft_message(uid, after=mark)
    texts = [c.text for c in tg.api.calls[mark:] if c.chat_id == uid and c.text]
    assert texts and not any(tag in t for t in texts for tag in ("<response>", "</response>", "<post>"))
    assert not any("nobody in my life seems to notice" in t for t in texts)
    assert "I'm really sorry you feel unseen." in shown.text

    mark = tg.mark()
    qid = tg.press(tg.admin, shown, "post")
    posted = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == GROUP, after=mark)
    assert posted.text.startswith("I'm really sorry you feel unseen. What would help tonight?")
    assert "<" not in posted.text and "nobody in my life" not in posted.text
    await tg.answer(qid)  # the draft is marked posted before the tap is answered
    assert tg.app is not None
    stored = await tg.app.repos.drafts.get(draft_id(shown))
    assert stored is not None and stored.status is DraftStatus.POSTED


async def test_a_draft_that_only_copies_the_post_is_refused_and_nothing_of_it_stays(tg: Harness) -> None:
    await tg.configure()
    backend = scripted(tg, LONELY)
    uid = tg.admin["id"]
    _, _, mark = await ask(tg, "/draft")
    refused = await tg.private(uid, lambda c: c.text.startswith("No draft this time"), after=mark)
    assert "repeating the member's post" in refused.text and "retry" in refused.text
    assert len(backend.calls) == 3
    texts = [c.text for c in tg.api.calls[mark:] if c.chat_id == uid and c.text]
    assert not any("nobody in my life seems to notice" in t for t in texts)
    assert tg.group_sends() == []
