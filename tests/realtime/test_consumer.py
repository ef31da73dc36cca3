"""The /ws/ consumer through the real ASGI application: refusal, delivery, ping/pong, deactivation."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from platform_core.asgi import application
from platform_core.realtime.publish import publish_to_users
from platform_core.realtime.ws.consumers import CLOSE_REVOKED, CLOSE_UNAUTHORIZED
from tests.realtime.conftest import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)  # the session is read in another thread

ORIGIN = (b"origin", b"http://127.0.0.1")


def communicator(cookie: str | None = None, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    all_headers = [ORIGIN, (b"host", b"127.0.0.1"), *headers]
    if cookie:
        all_headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/", headers=all_headers)


def run(coroutine_function: Any) -> Any:
    return async_to_sync(coroutine_function)()


def test_anonymous_is_accepted_then_closed_with_4401():
    async def scenario() -> Any:
        ws = communicator()
        connected, _ = await ws.connect()
        assert connected
        closed = await ws.receive_output(timeout=2)
        await ws.wait()
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": CLOSE_UNAUTHORIZED}


def test_a_bad_session_cookie_is_anonymous(people):
    async def scenario() -> Any:
        ws = communicator("not-a-session")
        await ws.connect()
        return await ws.receive_output(timeout=2)

    assert run(scenario)["code"] == CLOSE_UNAUTHORIZED


def test_a_deactivated_account_is_refused(people):
    cookie = session_cookie(people.requester)
    people.requester.is_active = False
    people.requester.save(update_fields=["is_active"])

    async def scenario() -> Any:
        ws = communicator(cookie)
        await ws.connect()
        return await ws.receive_output(timeout=2)

    assert run(scenario)["code"] == CLOSE_UNAUTHORIZED


def test_signed_in_user_gets_ready_then_own_events_only_and_pong(people):
    me, other = people.requester, people.east_lead
    cookie = session_cookie(me)

    async def scenario() -> list[Any]:
        ws = communicator(cookie)
        connected, _ = await ws.connect()
        assert connected
        frames = [await ws.receive_json_from(timeout=2)]
        await database_sync_to_async(publish_to_users)([other.pk], "inbox.changed", {"instance_id": 1})
        await database_sync_to_async(publish_to_users)([me.pk], "inbox.changed", {"instance_id": 2, "reason": "x"})
        frames.append(await ws.receive_json_from(timeout=2))
        await ws.send_json_to({"type": "ping"})
        frames.append(await ws.receive_json_from(timeout=2))
        assert await ws.receive_nothing(timeout=0.2)  # the other user's event never came
        await ws.disconnect()
        return frames

    ready, event, pong = run(scenario)
    assert ready == {"type": "ready", "payload": {"user_id": me.pk}}
    assert event == {"type": "inbox.changed", "payload": {"instance_id": 2, "reason": "x"}}
    assert pong == {"type": "pong", "payload": {}}


def test_unknown_and_malformed_frames_get_a_translated_error(people):
    cookie = session_cookie(people.requester)

    async def scenario(language: bytes) -> list[Any]:
        ws = communicator(cookie, (b"accept-language", language))
        await ws.connect()
        await ws.receive_json_from(timeout=2)  # ready
        await ws.send_json_to({"type": "subscribe"})
        unknown = await ws.receive_json_from(timeout=2)
        await ws.send_to(text_data="not json")
        malformed = await ws.receive_json_from(timeout=2)
        await ws.disconnect()
        return [unknown, malformed]

    unknown, malformed = async_to_sync(scenario)(b"en")
    assert unknown == {"type": "error", "payload": {"code": "unknown_type",
                                                    "message": "Unknown message type: only “ping” is accepted."}}
    assert malformed["payload"]["code"] == "invalid_json"
    unknown_zh, _ = async_to_sync(scenario)(b"zh-CN,zh;q=0.9")
    assert unknown_zh["payload"]["code"] == "unknown_type"


def test_two_sockets_of_one_user_both_receive(people):
    cookie = session_cookie(people.requester)

    async def scenario() -> list[Any]:
        first, second = communicator(cookie), communicator(cookie)
        for ws in (first, second):
            await ws.connect()
            await ws.receive_json_from(timeout=2)
        await database_sync_to_async(publish_to_users)([people.requester.pk], "instance.updated", {"instance_id": 7})
        got = [await ws.receive_json_from(timeout=2) for ws in (first, second)]
        for ws in (first, second):
            await ws.disconnect()
        return got

    assert [f["payload"]["instance_id"] for f in run(scenario)] == [7, 7]


def test_deactivating_the_account_closes_open_sockets(people):
    user = people.requester
    cookie = session_cookie(user)

    def deactivate() -> None:
        user.is_active = False
        user.save(update_fields=["is_active"])

    async def scenario() -> list[Any]:
        ws = communicator(cookie)
        await ws.connect()
        await ws.receive_json_from(timeout=2)
        await database_sync_to_async(deactivate)()
        revoked = await ws.receive_json_from(timeout=2)
        closed = await ws.receive_output(timeout=2)
        return [revoked, closed]

    revoked, closed = run(scenario)
    assert revoked == {"type": "session.revoked", "payload": {"reason": "deactivated"}}
    assert closed == {"type": "websocket.close", "code": CLOSE_REVOKED}


def test_a_plain_thread_of_the_same_process_reaches_the_socket(people):
    # e.g. a worker thread inside the daphne process: the send is handed to the consumers' loop.
    import asyncio

    cookie = session_cookie(people.requester)

    async def scenario() -> Any:
        ws = communicator(cookie)
        await ws.connect()
        await ws.receive_json_from(timeout=2)
        await asyncio.to_thread(publish_to_users, [people.requester.pk], "notification.created", {"id": 5})
        frame = await ws.receive_json_from(timeout=2)
        await ws.disconnect()
        return frame

    assert run(scenario) == {"type": "notification.created", "payload": {"id": 5}}
