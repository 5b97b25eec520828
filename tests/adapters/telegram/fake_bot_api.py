"""A small fake Telegram Bot API on 127.0.0.1, for driving the real python-telegram-bot.

It answers the methods the adapter uses the way Telegram does (form-encoded
requests, nested fields as JSON strings, `{"ok": ..., "result": ...}`
answers, 400/403 errors with Telegram's descriptions), keeps the messages it
has seen so replies to deleted posts fail as they would, and records every
call so a test can assert what the platform received.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 999
BOT_USERNAME = "llumi_test_bot"
JSON_FIELDS = {
    "reply_markup",
    "reply_parameters",
    "link_preview_options",
    "allowed_updates",
    "entities",
    "commands",
    "scope",
}
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def chat_id(self) -> int | str:
        value = self.params.get("chat_id", "")
        return int(value) if str(value).lstrip("-").isdigit() else value

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


def user(uid: int, first: str = "User", username: str | None = None) -> dict[str, Any]:
    u: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": first}
    if username:
        u["username"] = username
    return u


class _BotApiMethods:
    """The Bot API methods the bot calls (`api_<method>`); FakeBotApi holds the state they use."""

    async def api_getMe(self, p: dict[str, Any]) -> Any:
        return self.bot

    async def api_deleteWebhook(self, p: dict[str, Any]) -> Any:
        return True

    async def api_setMyCommands(self, p: dict[str, Any]) -> Any:
        return True

    async def api_getUpdates(self, p: dict[str, Any]) -> Any:
        offset = int(p.get("offset", 0) or 0)
        timeout = float(p.get("timeout", 0) or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        async with self._new:
            while not self.updates and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._new.wait(), timeout=max(0.01, deadline - time.monotonic()))
                except TimeoutError:
                    break
        return self.updates[: int(p.get("limit", 100) or 100)]

    async def api_getChatMember(self, p: dict[str, Any]) -> Any:
        chat, uid = int(p["chat_id"]), int(p["user_id"])
        status = self.members.get((chat, uid), "member")
        member: dict[str, Any] = {"status": status, "user": user(uid)}
        if status == "administrator":
            member.update(
                can_be_edited=False,
                can_manage_chat=True,
                can_change_info=True,
                can_delete_messages=True,
                can_invite_users=True,
                can_restrict_members=True,
                can_pin_messages=True,
                can_promote_members=False,
                can_manage_video_chats=True,
                is_anonymous=False,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
            )
        elif status == "creator":
            member.update(is_anonymous=False)
        return member

    async def api_getChat(self, p: dict[str, Any]) -> Any:
        chat = self._chat(int(p["chat_id"]))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }

    async def api_sendMessage(self, p: dict[str, Any]) -> Any:
        chat_id = int(p["chat_id"]) if str(p["chat_id"]).lstrip("-").isdigit() else p["chat_id"]
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id > 0 and chat_id in self.unreachable:
            raise ApiError(403, CANT_INITIATE)
        text = p.get("text", "")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        if p.get("parse_mode"):
            raise ApiError(400, "Bad Request: this fake expects plain text (no parse_mode)")
        msg = self.message(chat_id, self.bot, text)
        reply = p.get("reply_parameters")
        if reply:
            target = self.messages.get((chat_id, int(reply["message_id"])))
            if target is None:
                del self.messages[(chat_id, msg["message_id"])]
                raise ApiError(400, "Bad Request: message to be replied not found")
            msg["reply_to_message"] = target
        if p.get("reply_markup"):
            msg["reply_markup"] = p["reply_markup"]
        return msg

    async def api_editMessageText(self, p: dict[str, Any]) -> Any:
        key = (int(p["chat_id"]), int(p["message_id"]))
        msg = self.messages.get(key)
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = p.get("reply_markup")
        if msg.get("text") == p.get("text") and msg.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup of the message",
            )
        if len(p.get("text", "").encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        msg = {**msg, "text": p["text"], "edit_date": int(time.time())}
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        self.messages[key] = msg
        return msg

    async def api_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        key = (int(p["chat_id"]), int(p["message_id"]))
        msg = self.messages.get(key)
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = p.get("reply_markup")
        if msg.get("reply_markup") == markup or (not markup and "reply_markup" not in msg):
            raise ApiError(400, "Bad Request: message is not modified")
        msg = {**msg}
        msg.pop("reply_markup", None)
        if markup:
            msg["reply_markup"] = markup
        self.messages[key] = msg
        return msg

    async def api_deleteMessage(self, p: dict[str, Any]) -> Any:
        chat = int(p["chat_id"])
        if chat in self.cannot_delete:
            raise ApiError(400, "Bad Request: message can't be deleted")
        if self.messages.pop((chat, int(p["message_id"])), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    async def api_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        qid = str(p["callback_query_id"])
        if qid in self.answered:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        self.answered.add(qid)
        return True


class FakeBotApi(_BotApiMethods):
    """Records calls; serves updates to the Updater's long poll."""

    def __init__(self, token: str = "123:ABC") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.members: dict[tuple[int, int], str] = {}  # (chat, user) -> status
        self.chats: dict[int, dict[str, Any]] = {}
        self.unreachable: set[int] = set()  # users who never started the bot: 403 on private sends
        self.cannot_delete: set[int] = set()  # chats where the bot lacks the delete right
        # method -> (status, description), once; or a list of them, answered in turn
        self.fail_next: dict[str, tuple[int, str] | list[tuple[int, str]]] = {}
        self.answered: set[str] = set()
        # Seconds before the bot gets the answer to a method (a slow network or a loaded
        # machine): widens the window between a call being recorded and the bot moving on.
        self.latency: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._msg_ids: dict[int, itertools.count[int]] = {}
        self._new = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.bot = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "LLUMI",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    # --- lifecycle ---------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self.base_url

    async def stop(self) -> None:
        async with self._new:
            self._new.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- the world: chats, people, messages ------------------------------------------

    def group(self, chat_id: int, title: str = "Peer support") -> dict[str, Any]:
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        self.chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id in self.chats:
            return self.chats[chat_id]
        return (
            {"id": chat_id, "type": "private", "first_name": "User"} if chat_id > 0 else self.group(chat_id)
        )

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._msg_ids.setdefault(chat_id, itertools.count(100)))

    def message(
        self,
        chat_id: int,
        sender: dict[str, Any],
        text: str | None,
        *,
        reply_to: dict[str, Any] | None = None,
        command: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A message someone sent (not yet delivered to the bot: see `push`)."""
        msg: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": sender,
        }
        if text is not None:
            msg["text"] = text
        if command and text:
            length = len(text.split(" ", 1)[0].encode("utf-16-le")) // 2
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        msg.update(extra or {})
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), kind: payload}
        self.updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    async def _notify(self) -> None:
        async with self._new:
            self._new.notify_all()

    def send(self, chat_id: int, sender: dict[str, Any], text: str | None, **kw: Any) -> dict[str, Any]:
        msg = self.message(chat_id, sender, text, **kw)
        self.push("message", msg)
        return msg

    def command(
        self, chat_id: int, sender: dict[str, Any], text: str, reply_to: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        return self.send(chat_id, sender, text, reply_to=reply_to, command=True)

    def edit_by_member(self, msg: dict[str, Any], new_text: str) -> None:
        edited = {**msg, "text": new_text, "edit_date": int(time.time())}
        self.messages[(msg["chat"]["id"], msg["message_id"])] = edited
        self.push("edited_message", edited)

    def press(self, sender: dict[str, Any], message: dict[str, Any], data: str) -> str:
        """Tap an inline button (the message is the bot's message holding it)."""
        qid = str(next(self._ids))
        self.push(
            "callback_query",
            {"id": qid, "from": sender, "chat_instance": "ci", "data": data, "message": message},
        )
        return qid

    # --- assertions helpers ------------------------------------------------------------

    def called(self, method: str, **where: Any) -> list[Call]:
        out = []
        for c in self.calls:
            if c.method != method:
                continue
            if all(str(c.params.get(k)) == str(v) for k, v in where.items()):
                out.append(c)
        return out

    async def wait_for(
        self, predicate: Callable[[Call], bool], *, timeout: float = 120.0, after: int = 0
    ) -> Call:
        """The first recorded call (index >= after) matching predicate, waiting for it."""
        deadline = time.monotonic() + timeout
        while True:
            for c in self.calls[after:]:
                if predicate(c):
                    return c
            if time.monotonic() > deadline:
                seen = [(c.method, c.status) for c in self.calls[after:] if c.method != "getUpdates"]
                raise AssertionError(f"no matching call within {timeout}s; calls: {seen}")
            await asyncio.sleep(0.02)

    def bot_message(self, call: Call) -> dict[str, Any]:
        """The message object the fake returned for a send/edit call (to press its buttons)."""
        return call.params["_result"]

    # --- the API ----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(404, "Not Found")
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        if method in self.fail_next:
            failure = self.fail_next[method]
            if isinstance(failure, list):  # several failures in a row, then normal answers
                status, description = failure.pop(0)
                if not failure:
                    del self.fail_next[method]
            else:
                status, description = self.fail_next.pop(method)
            call.status = status
            return self._error(status, description)
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            call.status = 404
            return self._error(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except ApiError as err:
            call.status = err.status
            return self._error(err.status, err.description)
        params["_result"] = result
        if delay := self.latency.get(method):
            await asyncio.sleep(delay)  # recorded (tests see it) before the bot gets the answer
        return web.json_response({"ok": True, "result": result})

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data: dict[str, Any] = await request.json()
            return data
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if not isinstance(value, str):
                continue
            params[key] = json.loads(value) if key in JSON_FIELDS else value
        return params

    @staticmethod
    def _error(status: int, description: str) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": status, "description": description}, status=status
        )


class ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
