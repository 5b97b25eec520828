"""Guards and failures: every refusal is a short clear message, and the bot keeps running."""

from __future__ import annotations

import logging

import pytest

from llumi_core.domain import DraftStatus
from tests.adapters.telegram.conftest import GROUP, Harness
from tests.adapters.telegram.test_telegram_flows import LONELY, NO_CHECKS, ask, draft_id

pytestmark = pytest.mark.model


async def test_disabled_group_and_non_allowed_user_are_refused(tg: Harness) -> None:
    uid = tg.admin["id"]
    _, _, mark = await ask(tg, "/draft")  # never configured: not enabled
    refusal = await tg.private(uid, after=mark)
    assert "not enabled" in refusal.text
    await tg.configure()
    _, _, mark = await ask(tg, "/draft", who=tg.other)  # enabled, but Carol is neither admin nor listed
    refusal = await tg.private(tg.other["id"], after=mark)
    assert "may not ask for drafts" in refusal.text
    assert not [c for c in tg.api.calls if c.chat_id == uid and "Risk screen" in c.text]


async def test_commands_without_a_usable_post_get_clear_answers(tg: Harness) -> None:
    await tg.configure()
    uid = tg.admin["id"]
    cases = [
        (None, "reply to a member's post"),
        (
            tg.api.message(
                GROUP,
                tg.member,
                None,
                extra={
                    "sticker": {
                        "file_id": "s",
                        "file_unique_id": "s",
                        "type": "regular",
                        "width": 1,
                        "height": 1,
                        "is_animated": False,
                        "is_video": False,
                    }
                },
            ),
            "no text",
        ),
        (tg.api.message(GROUP, tg.api.bot, "I am a bot message"), "sent by a bot"),
    ]
    for target, expected in cases:
        mark = tg.mark()
        tg.api.command(GROUP, tg.admin, "/draft", reply_to=target)
        answer = await tg.private(uid, after=mark)
        assert expected in answer.text
    # In private, /draft explains where to use it.
    mark = tg.mark()
    tg.api.command(uid, tg.admin, "/draft")
    assert "in a group" in (await tg.private(uid, after=mark)).text


async def test_refusal_in_group_when_private_chat_is_impossible(tg: Harness) -> None:
    tg.api.unreachable.add(tg.other["id"])
    await tg.configure()
    _, _, mark = await ask(tg, "/draft", who=tg.other)
    note = await tg.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == GROUP, after=mark)
    assert "may not ask for drafts" in note.text and "lonely" not in note.text


@pytest.mark.tg_settings(models={"timeout_s": 0.001})
async def test_model_timeout_gives_a_clear_message_and_bot_keeps_running(tg: Harness) -> None:
    await tg.configure()
    uid = tg.admin["id"]
    _, _, mark = await ask(tg, "/draft")
    failed = await tg.private(uid, lambda c: "No draft this time" in c.text, after=mark)
    assert "did not finish" in failed.text and "retry" in failed.text
    assert "Traceback" not in failed.text
    mark = tg.mark()
    tg.api.command(uid, tg.admin, "/start")
    assert "LLUMI" in (await tg.private(uid, after=mark)).text


@NO_CHECKS
async def test_deleted_post_is_not_answered_and_draft_is_kept(tg: Harness) -> None:
    await tg.configure()
    post, _, mark = await ask(tg, "/draft")
    shown = await tg.draft_message(tg.admin["id"], after=mark)
    del tg.api.messages[(GROUP, post["message_id"])]  # the member deleted the post
    qid = tg.press(tg.admin, shown, "post")
    answer = await tg.answer(qid)
    assert "deleted" in answer.params["text"]
    assert [c.status for c in tg.group_sends()] == [400]
    assert tg.app is not None
    stored = await tg.app.repos.drafts.get(draft_id(shown))
    assert stored is not None and stored.status is DraftStatus.PENDING


@NO_CHECKS
async def test_observed_edit_of_the_post_blocks_posting(tg: Harness) -> None:
    await tg.configure()
    post, _, mark = await ask(tg, "/draft")
    shown = await tg.draft_message(tg.admin["id"], after=mark)
    tg.api.edit_by_member(post, LONELY + " Actually, never mind, I'm fine now.")
    await tg.api.wait_for(lambda c: c.method == "getUpdates", after=tg.mark())  # the edit was fetched
    qid = tg.press(tg.admin, shown, "post")
    assert "edited" in (await tg.answer(qid)).params["text"]
    assert tg.group_sends() == []


async def test_edit_can_be_cancelled_and_times_out(tg: Harness) -> None:
    await tg.configure()
    uid = tg.admin["id"]
    _, _, mark = await ask(tg, "/draft")
    shown = await tg.draft_message(uid, after=mark)
    mark = tg.mark()
    tg.press(tg.admin, shown, "edit")
    await tg.private(uid, lambda c: "Send the new text" in c.text, after=mark)
    mark = tg.mark()
    tg.api.command(uid, tg.admin, "/cancel")
    assert "Cancelled" in (await tg.private(uid, after=mark)).text
    mark = tg.mark()
    tg.api.send(uid, tg.admin, "this text must not replace the draft")
    assert "not waiting" in (await tg.private(uid, after=mark)).text
    assert tg.app is not None
    stored = await tg.app.repos.drafts.get(draft_id(shown))
    assert stored is not None and "must not replace" not in stored.text

    # Edit again and say nothing: the conversation times out (edit_timeout_s) and says so.
    mark = tg.mark()
    tg.press(tg.admin, shown, "edit")
    await tg.private(uid, lambda c: "Send the new text" in c.text, after=mark)
    await tg.private(uid, lambda c: "stopped waiting" in c.text, after=mark, timeout=40)
    tg.api.send(uid, tg.admin, "too late")
    await tg.private(uid, lambda c: "not waiting" in c.text, after=mark)


async def test_command_is_kept_when_bot_may_not_delete(tg: Harness) -> None:
    tg.api.cannot_delete.add(GROUP)
    await tg.configure()
    _, _, mark = await ask(tg, "/draft")
    await tg.draft_message(tg.admin["id"], after=mark)
    deletes = [c for c in tg.api.calls[mark:] if c.method == "deleteMessage"]
    assert deletes and deletes[0].status == 400  # tried, refused, and the draft still came


async def test_optout_member_posts_are_never_processed(tg: Harness) -> None:
    await tg.configure()
    mark = tg.mark()
    cmd = tg.api.command(GROUP, tg.member, "/optout")
    done = await tg.private(tg.member["id"], after=mark)
    assert "never process your posts" in done.text
    assert tg.api.called("deleteMessage", message_id=cmd["message_id"])
    _, _, mark = await ask(tg, "/draft")
    refusal = await tg.private(tg.admin["id"], after=mark)
    assert "opted out" in refusal.text
    mark = tg.mark()
    tg.api.command(tg.member["id"], tg.member, "/optin")
    assert "again" in (await tg.private(tg.member["id"], after=mark)).text


# --- authorization at the time of the action, and a failed admin check (issue 12) -------------------


@NO_CHECKS
async def test_an_admin_who_lost_admin_status_cannot_post_or_regenerate(tg: Harness) -> None:
    await tg.configure()
    _, _, mark = await ask(tg, "/draft")
    shown = await tg.draft_message(tg.admin["id"], after=mark)
    tg.api.members[(GROUP, tg.admin["id"])] = "member"  # demoted after asking

    qid = tg.press(tg.admin, shown, "post")
    assert "may not ask for drafts" in (await tg.answer(qid)).params["text"]
    qid = tg.press(tg.admin, shown, "regen")
    assert "may not ask for drafts" in (await tg.answer(qid)).params["text"]
    assert tg.group_sends() == []
    assert tg.app is not None
    stored = await tg.app.repos.drafts.get(draft_id(shown))
    assert stored is not None and stored.status is DraftStatus.PENDING

    tg.api.members[(GROUP, tg.admin["id"])] = "administrator"  # made admin again: the same button posts
    qid = tg.press(tg.admin, shown, "post")
    assert "Posted" in (await tg.answer(qid)).params["text"]
    assert [c.status for c in tg.group_sends()] == [200]


@NO_CHECKS
async def test_a_listed_drafter_taken_off_the_list_or_a_disabled_group_cannot_post(tg: Harness) -> None:
    await tg.configure(draft_users=[str(tg.other["id"])])
    _, _, mark = await ask(tg, "/draft", who=tg.other)
    shown = await tg.draft_message(tg.other["id"], after=mark)
    await tg.configure(draft_users=[])
    qid = tg.press(tg.other, shown, "post")
    assert "may not ask for drafts" in (await tg.answer(qid)).params["text"]
    await tg.configure(draft_users=[str(tg.other["id"])], enabled_channels=[])
    qid = tg.press(tg.other, shown, "post")
    assert "not enabled" in (await tg.answer(qid)).params["text"]
    assert tg.group_sends() == []


@NO_CHECKS
async def test_a_failed_admin_check_says_so_is_retried_once_and_logs_no_content(
    tg: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.telegram")
    await tg.configure()
    _, _, mark = await ask(tg, "/draft")
    shown = await tg.draft_message(tg.admin["id"], after=mark)

    before = len(tg.api.called("getChatMember"))
    tg.api.fail_next["getChatMember"] = [(502, "Bad Gateway"), (502, "Bad Gateway")]
    qid = tg.press(tg.admin, shown, "post")
    answer = (await tg.answer(qid)).params["text"]
    assert "could not check" in answer and "try again" in answer and "admin" in answer
    assert "role" not in answer  # Telegram has no roles
    assert len(tg.api.called("getChatMember")) == before + 2  # asked twice, then told the user
    assert tg.group_sends() == []
    warnings = [
        r for r in caplog.records if r.levelno == logging.WARNING and "getChatMember" in r.getMessage()
    ]
    assert len(warnings) == 2 and all(r.getMessage().endswith("NetworkError") for r in warnings)
    assert not any(LONELY[:20] in r.getMessage() or tg.api.token in r.getMessage() for r in caplog.records)

    tg.api.fail_next["getChatMember"] = (502, "Bad Gateway")  # one failure: the retry answers
    qid = tg.press(tg.admin, shown, "post")
    assert "Posted" in (await tg.answer(qid)).params["text"]
