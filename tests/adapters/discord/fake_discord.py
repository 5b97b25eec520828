"""A small fake Discord (REST + gateway) on 127.0.0.1 for driving the real discord.py client.

It records every REST call, keeps the messages it has seen (channel posts and
interaction responses, with their flags), and lets a test dispatch gateway
events: a member's context-menu click, a button press, a modal submit.
See /work/shared/TESTING.md for the facts this is built on.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import discord
import yarl
from aiohttp import WSMsgType, web

EPHEMERAL = 64
MANAGE_GUILD = 1 << 5
BASIC_PERMS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16)  # view, send, embed links, read history

APP_ID = 900000000000000001
GUILD = 100000000000000001
CATEGORY = 110000000000000001
CHANNEL = 111000000000000001  # enabled in most tests
OTHER_CHANNEL = 112000000000000001  # never enabled
ALERT_CHANNEL = 113000000000000001
THREAD = 114000000000000001  # a thread in CHANNEL

ROLE_MOD = 201000000000000001
ROLE_SUPPORTER = 202000000000000001
ROLE_MEMBER = 203000000000000001


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass
class User:
    id: int
    name: str
    roles: tuple[int, ...] = ()
    admin: bool = False
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.name.title(),
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }

    def member(self) -> dict[str, Any]:
        perms = BASIC_PERMS | (MANAGE_GUILD if self.admin else 0)
        return {
            "user": self.payload(),
            "roles": [str(r) for r in self.roles],
            "nick": None,
            "avatar": None,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "permissions": str(perms),
        }


BOT = User(APP_ID, "llumi", bot=True)
MOD = User(301, "mod", (ROLE_MOD,))
SUPPORTER = User(302, "supporter", (ROLE_SUPPORTER,))
MEMBER = User(303, "member", (ROLE_MEMBER,))
OTHER_MOD = User(304, "othermod", (ROLE_MOD,))
ADMIN = User(305, "admin", (), admin=True)
OTHER_BOT = User(306, "otherbot", (), bot=True)


@dataclass
class Call:
    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    at: float = field(default_factory=lambda: asyncio.get_running_loop().time())


def _channel(cid: int, name: str, ctype: int = 0, parent: int | None = None) -> dict[str, Any]:
    return {
        "id": str(cid),
        "type": ctype,
        "name": name,
        "guild_id": str(GUILD),
        "position": 0,
        "parent_id": str(parent) if parent else None,
        "permission_overwrites": [],
        "nsfw": False,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def _role(rid: int, name: str, perms: int = 0) -> dict[str, Any]:
    return {
        "id": str(rid),
        "name": name,
        "permissions": str(perms),
        "position": 1 if rid != GUILD else 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


class _State:
    """What the fake Discord knows; the parts below act on it."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, dict[str, Any]] = {}  # every message, by id
        self.deleted: set[str] = set()
        self.commands: dict[str, dict[str, Any]] = {}  # synced commands by name
        self.originals: dict[str, str] = {}  # interaction token -> @original message id
        self.interaction_channel: dict[str, str] = {}  # token -> channel id
        self.identified = 0
        self.identify: dict[str, Any] = {}
        self.reject_token = False  # answer /users/@me with 401, as Discord does for a bad token
        self.forbidden_channels: set[int] = set()  # the bot may not send messages there (403)
        self.guild_created = asyncio.Event()
        self._ids = itertools.count(500000000000000001)
        self._sockets: set[web.WebSocketResponse] = set()
        self._seq = itertools.count(1)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.channels = {
            str(c["id"]): c
            for c in (
                _channel(CATEGORY, "support", 4),
                _channel(CHANNEL, "venting", 0, CATEGORY),
                _channel(OTHER_CHANNEL, "off-topic", 0),
                _channel(ALERT_CHANNEL, "mod-alerts", 0),
            )
        }
        thread = _channel(THREAD, "a thread", 11, CHANNEL)
        thread.update(
            owner_id=str(MEMBER.id),
            message_count=0,
            member_count=1,
            thread_metadata={
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        )
        self.threads = {str(THREAD): thread}

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()


class _Rest(_State):
    """The REST API under /api/v10: what discord.py calls, answered from the state."""

    # --- REST ---------------------------------------------------------------------------

    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        # discord.py decodes JSON only for exactly this content type (no charset).
        return web.Response(
            status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
        )

    def _not_found(self, what: str = "Unknown Message", code: int = 10008) -> web.Response:
        return self._json({"message": what, "code": code}, 404)

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if raw and request.content_type == "application/json":
                body = json.loads(raw)
            elif raw and request.content_type.startswith("multipart"):
                body = {"multipart": True}
        call = Call(request.method, path, dict(request.query), body)
        self._record(call)
        if self.reject_token and path == "/users/@me":
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        for method, pattern, handler in self._routes():
            if request.method == method and (m := re.fullmatch(pattern, path)):
                return handler(call, **m.groupdict())
        return self._json({"message": "404: Not Found", "code": 0}, 404)

    def _routes(self) -> list[tuple[str, str, Callable[..., web.Response]]]:
        return [
            (
                "GET",
                r"/users/@me",
                lambda c: self._json(BOT.payload() | {"verified": True, "mfa_enabled": False}),
            ),
            ("GET", r"/oauth2/applications/@me", self._app_info),
            ("PUT", r"/applications/\d+/(?:guilds/(?P<guild>\d+)/)?commands", self._sync),
            ("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback", self._callback),
            ("POST", r"/webhooks/\d+/(?P<token>[^/]+)", self._followup),
            ("PATCH", r"/webhooks/\d+/(?P<token>[^/]+)/messages/(?P<mid>[^/]+)", self._edit_webhook_message),
            ("GET", r"/webhooks/\d+/(?P<token>[^/]+)/messages/(?P<mid>[^/]+)", self._get_webhook_message),
            (
                "DELETE",
                r"/webhooks/\d+/(?P<token>[^/]+)/messages/(?P<mid>[^/]+)",
                lambda c, **_: web.Response(status=204),
            ),
            ("POST", r"/channels/(?P<cid>\d+)/messages", self._channel_post),
            ("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._get_message),
            ("GET", r"/channels/(?P<cid>\d+)", self._get_channel),
        ]

    def _app_info(self, call: Call) -> web.Response:
        return self._json(
            {
                "id": str(APP_ID),
                "name": "LLUMI",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": ADMIN.payload(),
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
            }
        )

    def _sync(self, call: Call, guild: str | None = None) -> web.Response:
        out = []
        for i, cmd in enumerate(call.body or []):
            synced = dict(cmd)
            synced.setdefault("description", "")
            synced.update(id=str(700 + i), application_id=str(APP_ID), version="1")
            if guild:
                synced["guild_id"] = guild
            self.commands[cmd["name"]] = synced
            out.append(synced)
        return self._json(out)

    def _new_message(
        self, channel_id: str, author: User, content: str = "", *, flags: int = 0, **extra: Any
    ) -> dict[str, Any]:
        mid = str(next(self._ids))
        message = {
            "id": mid,
            "channel_id": channel_id,
            "guild_id": str(GUILD),
            "author": author.payload(),
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": flags,
        }
        message.update(extra)
        self.messages[mid] = message
        return message

    def _apply(self, message: dict[str, Any], body: dict[str, Any]) -> None:
        for key in ("content", "embeds", "components", "allowed_mentions"):
            if key in body:
                message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")

    def _callback(self, call: Call, iid: str, token: str) -> web.Response:
        body = call.body or {}
        kind = body.get("type")
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        channel = self.interaction_channel.get(token, str(CHANNEL))
        if kind in (4, 5):  # a new (maybe deferred) response message
            message = self._new_message(
                channel, BOT, flags=flags, webhook_id=str(APP_ID), application_id=str(APP_ID)
            )
            self._apply(message, data)
            message["interaction_token"] = token
            self.originals[token] = message["id"]
        elif kind == 7 and (mid := self.originals.get(token)):
            self._apply(self.messages[mid], data)
        return self._json(
            {
                "interaction": {
                    "id": iid,
                    "type": 2,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(flags & EPHEMERAL),
                }
            }
        )

    def _followup(self, call: Call, token: str) -> web.Response:
        body = call.body or {}
        channel = self.interaction_channel.get(token, str(CHANNEL))
        message = self._new_message(
            channel,
            BOT,
            flags=int(body.get("flags") or 0),
            webhook_id=str(APP_ID),
            application_id=str(APP_ID),
        )
        self._apply(message, body)
        message["interaction_token"] = token
        return self._json(message)

    def _webhook_message(self, token: str, mid: str) -> dict[str, Any] | None:
        if mid == "@original":
            mid = self.originals.get(token, "")
        return self.messages.get(mid)

    def _edit_webhook_message(self, call: Call, token: str, mid: str) -> web.Response:
        message = self._webhook_message(token, mid)
        if message is None:
            return self._not_found()
        call.body = call.body or {}
        call.body["_target"] = message["id"]
        self._apply(message, call.body)
        message["edited_timestamp"] = now_iso()
        return self._json(message)

    def _get_webhook_message(self, call: Call, token: str, mid: str) -> web.Response:
        message = self._webhook_message(token, mid)
        return self._json(message) if message else self._not_found()

    def _channel_post(self, call: Call, cid: str) -> web.Response:
        if int(cid) in self.forbidden_channels:
            return self._json({"message": "Missing Permissions", "code": 50013}, 403)
        body = call.body or {}
        extra: dict[str, Any] = {}
        if "message_reference" in body:
            extra = {"type": 19, "message_reference": body["message_reference"]}
        message = self._new_message(cid, BOT, body.get("content", ""), **extra)
        self._apply(message, body)
        return self._json(message)

    def _get_message(self, call: Call, cid: str, mid: str) -> web.Response:
        message = self.messages.get(mid)
        if message is None or mid in self.deleted or message["channel_id"] != cid:
            return self._not_found()
        return self._json(message)

    def _get_channel(self, call: Call, cid: str) -> web.Response:
        channel = self.channels.get(cid) or self.threads.get(cid)
        return self._json(channel) if channel else self._not_found("Unknown Channel", 10003)


class _Members(_State):
    """What the tests do as members, and how they read what the bot sent."""

    # --- what members do ------------------------------------------------------------------

    def post(self, author: User, content: str, channel: int = CHANNEL, **extra: Any) -> dict[str, Any]:
        """A message a member wrote (stored; the bot sees it through interactions and fetches)."""
        return self._new_message(str(channel), author, content, **extra)

    def edit_post(self, message: dict[str, Any], content: str) -> None:
        message["content"] = content
        message["edited_timestamp"] = now_iso()

    def delete_post(self, message: dict[str, Any]) -> None:
        self.deleted.add(message["id"])

    def _interaction(
        self, kind: int, user: User, channel: int, data: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        iid = str(next(self._ids))
        token = f"tok{iid}"
        self.interaction_channel[token] = str(channel)
        raw_channel = (
            self.channels.get(str(channel)) or self.threads.get(str(channel)) or _channel(channel, "x")
        )
        payload = {
            "id": iid,
            "application_id": str(APP_ID),
            "type": kind,
            "token": token,
            "version": 1,
            "guild_id": str(GUILD),
            "channel_id": str(channel),
            "channel": raw_channel,
            "member": user.member(),
            "app_permissions": str(BASIC_PERMS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "attachment_size_limit": 8 * 1024 * 1024,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD)},
            "context": 0,
            "data": data,
        }
        payload.update(extra)
        if "message" in extra:  # a button or modal on a message: @original is that message
            self.originals[token] = extra["message"]["id"]
        return payload

    async def context_menu(self, user: User, name: str, message: dict[str, Any]) -> dict[str, Any]:
        cmd = self.commands[name]
        data = {
            "id": cmd["id"],
            "name": name,
            "type": 3,
            "guild_id": str(GUILD),
            "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}},
        }
        return await self._send_interaction(self._interaction(2, user, int(message["channel_id"]), data))

    async def slash(
        self,
        user: User,
        group: str,
        sub: str,
        options: dict[str, tuple[int, Any]] | None = None,
        *,
        channel: int = CHANNEL,
        resolved: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """`/group sub name:value …`; options map name -> (option type, value)."""
        cmd = self.commands[group]
        opts = [{"type": t, "name": n, "value": v} for n, (t, v) in (options or {}).items()]
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": group,
            "type": 1,
            "guild_id": str(GUILD),
            "options": [{"type": 1, "name": sub, "options": opts}],
        }
        if resolved:
            data["resolved"] = resolved
        return await self._send_interaction(self._interaction(2, user, channel, data))

    async def press(self, user: User, message: dict[str, Any], custom_id: str) -> dict[str, Any]:
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._interaction(3, user, int(message["channel_id"]), data, message=message)
        return await self._send_interaction(payload)

    async def submit_modal(
        self,
        user: User,
        modal: dict[str, Any],
        values: dict[str, str],
        *,
        message: dict[str, Any] | None = None,
        channel: int = CHANNEL,
    ) -> dict[str, Any]:
        """Submit a modal recorded from a callback; `values` maps input label prefixes to text."""
        rows = []
        for text_input in iter_inputs(modal.get("components", [])):
            value = next((v for k, v in values.items() if text_input.get("label", "").startswith(k)), "")
            rows.append(
                {"type": 1, "components": [{"type": 4, "custom_id": text_input["custom_id"], "value": value}]}
            )
        data = {"custom_id": modal["custom_id"], "components": rows}
        extra = {"message": message} if message else {}
        where = int(message["channel_id"]) if message else channel
        return await self._send_interaction(self._interaction(5, user, where, data, **extra))

    async def _send_interaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    # --- reading what the bot sent ----------------------------------------------------------

    def calls_for(self, interaction: dict[str, Any]) -> list[Call]:
        """Every REST call answering this interaction (callback, followups, edits)."""
        iid, token = interaction["id"], interaction["token"]
        return [c for c in self.calls if f"/{iid}/{token}/" in c.path or f"/{token}" in c.path]

    async def response(self, interaction: dict[str, Any], *, timeout: float = 30.0) -> Call:
        token = interaction["token"]
        return await self.wait_for(
            lambda c: c.path.startswith(f"/interactions/{interaction['id']}/{token}/"), timeout=timeout
        )

    def messages_for(self, interaction: dict[str, Any]) -> list[dict[str, Any]]:
        token = interaction["token"]
        return [m for m in self.messages.values() if m.get("interaction_token") == token]

    def channel_posts(self, channel: int = CHANNEL) -> list[dict[str, Any]]:
        """Messages the bot posted in a channel (not interaction responses)."""
        return [
            m
            for m in self.messages.values()
            if m["channel_id"] == str(channel)
            and m["author"]["id"] == str(APP_ID)
            and "interaction_token" not in m
        ]


class FakeDiscord(_Rest, _Members):
    """REST under /api/v10 and a gateway at /gateway, both on one loopback port."""

    # --- lifecycle -------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @contextlib.contextmanager
    def patched(self) -> Iterator[None]:
        """Point discord.py at this fake (both settings are class-level)."""
        old_base, old_gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = f"http://127.0.0.1:{self.port}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")
        try:
            yield
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    # --- recording -------------------------------------------------------------

    async def wait_for(
        self, predicate: Callable[[Call], bool], *, timeout: float = 60.0, after: int = 0
    ) -> Call:
        """The first recorded call (from index `after`) that matches; waits for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for call in self.calls[after:]:
                if predicate(call):
                    return call
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no matching call within {timeout}s; calls: {self.summary(after)}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.5))

    async def until(
        self, check: Callable[[], Any], *, timeout: float = 120.0, what: str = "condition"
    ) -> Any:
        """Wait until `check()` is truthy (re-checked on every recorded call); return its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (value := check()):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out waiting for {what}; last calls: {self.summary()[-8:]}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.2))
        return value

    def summary(self, after: int = 0) -> list[str]:
        return [f"{c.method} {c.path}" for c in self.calls[after:]]

    def mark(self) -> int:
        """An index to wait for calls after this point."""
        return len(self.calls)

    # --- gateway ---------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                if data["op"] == 2:
                    self.identified += 1
                    self.identify = data["d"]
                    await self._send_ready(ws)
                elif data["op"] == 1:
                    await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
        finally:
            self._sockets.discard(ws)
        return ws

    async def _send_ready(self, ws: web.WebSocketResponse) -> None:
        ready = {
            "v": 10,
            "user": BOT.payload() | {"verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(GUILD), "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
            "application": {"id": str(APP_ID), "flags": 0},
        }
        await ws.send_json({"op": 0, "t": "READY", "s": next(self._seq), "d": ready})
        await ws.send_json({"op": 0, "t": "GUILD_CREATE", "s": next(self._seq), "d": self.guild_payload()})
        self.guild_created.set()

    def guild_payload(self) -> dict[str, Any]:
        return {
            "id": str(GUILD),
            "name": "Peer Support",
            "icon": None,
            "owner_id": str(ADMIN.id),
            "roles": [
                _role(GUILD, "@everyone", BASIC_PERMS),
                _role(ROLE_MOD, "moderators"),
                _role(ROLE_SUPPORTER, "supporters"),
                _role(ROLE_MEMBER, "members"),
            ],
            "channels": list(self.channels.values()),
            "threads": list(self.threads.values()),
            "members": [],
            "member_count": 6,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "unavailable": False,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "system_channel_id": None,
            "afk_timeout": 300,
            "nsfw_level": 0,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        }

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        assert self._sockets, "the bot is not connected"
        for ws in list(self._sockets):
            await ws.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})


def iter_inputs(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for comp in components:
        if comp.get("type") == 4:
            yield comp
        yield from iter_inputs(comp.get("components", []))
        if "component" in comp:
            yield from iter_inputs([comp["component"]])


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The message's buttons by action (the last part of `llumi:<draft_id>:<action>`)."""
    out = {}
    for row in message.get("components", []):
        for comp in row.get("components", []):
            if comp.get("type") == 2 and comp.get("custom_id", "").startswith("llumi:"):
                out[comp["custom_id"].rsplit(":", 1)[1]] = comp
    return out


def embed_text(message: dict[str, Any]) -> str:
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts.append(embed.get("title") or "")
        parts.append(embed.get("description") or "")
        for f in embed.get("fields") or []:
            parts.append(f"{f.get('name')}\n{f.get('value')}")
    return "\n".join(parts)
