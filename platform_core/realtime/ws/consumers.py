"""The user socket at ``/ws/``: one per signed-in browser tab, fed from the group ``user.<id>``.

Protocol (docs/realtime.md): every frame is JSON ``{"type": ..., "payload": {...}}``.

* Anonymous or deactivated users: the handshake is accepted and the socket at once closed
  with code **4401** — browsers do not expose the HTTP status of a refused handshake, and
  a distinct close code lets the client tell "sign in again" from a network failure (it
  must not reconnect in a loop on 4401).
* After joining the group the server sends ``{"type": "ready", "payload": {"user_id"}}``.
* The client may send ``{"type": "ping"}``; the answer is ``{"type": "pong", "payload": {}}``.
  Anything else is answered with ``{"type": "error", "payload": {"code", "message"}}``.

Events come from :func:`platform_core.realtime.publish.publish_to_users`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from platform_core.realtime.publish import SESSION_REVOKED, note_consumer_loop, user_group

logger = logging.getLogger(__name__)

CLOSE_UNAUTHORIZED = 4401  # like HTTP 401: not signed in, or the account is deactivated
CLOSE_REVOKED = 4403  # the account was deactivated while the socket was open


def _language(scope: dict[str, Any]) -> str:
    """The socket's language: the language cookie, else Accept-Language, else the default (zh-Hans)."""
    from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

    candidates = []
    cookie = (scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        candidates.append(cookie)
    for name, value in scope.get("headers") or ():
        if name == b"accept-language":
            candidates += [lang for lang, _q in parse_accept_lang_header(value.decode("latin-1"))]
    for candidate in candidates:
        if candidate == "*":
            break
        try:
            return get_supported_language_variant(candidate)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class UserConsumer(AsyncJsonWebsocketConsumer):
    """Delivers the signed-in user's events; answers pings."""

    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        await self.accept()
        # AuthMiddlewareStack already turns a deactivated account into AnonymousUser (the
        # model backend refuses inactive users); checking is_active again keeps that true
        # whatever backend authenticated the session.
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        note_consumer_loop(asyncio.get_running_loop())
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "ready", "payload": {"user_id": user.pk}})

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.group is None:
            return
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong", "payload": {}})
            return
        await self._error("unknown_type", gettext_noop("Unknown message type: only “ping” is accepted."))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if self.group is None:
            return
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:  # not JSON (json.JSONDecodeError is a ValueError), or a binary frame
            await self._error("invalid_json", gettext_noop('Messages must be JSON objects such as {"type": "ping"}.'))

    async def _error(self, code: str, msgid: str) -> None:
        """An error frame, its message in the socket's language."""
        with translation.override(_language(self.scope)):
            message = gettext(msgid)
        await self.send_json({"type": "error", "payload": {"code": code, "message": message}})

    # --- channel-layer handlers ---------------------------------------------------------------

    async def realtime_events(self, message: dict[str, Any]) -> None:
        """Events published for this user (one layer message may carry several)."""
        for event in message.get("events") or ():
            if self.group is None:
                return
            await self.send_json(event)
            if event.get("type") == SESSION_REVOKED:  # the account was deactivated: stop delivering
                await self.channel_layer.group_discard(self.group, self.channel_name)
                self.group = None
                await self.close(code=CLOSE_REVOKED)
