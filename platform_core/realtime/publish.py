"""Publishing real-time events to signed-in users' websockets (docs/realtime.md).

``publish_to_users`` is the one entry point: it queues ``{"type", "payload"}`` for each
user and sends it to the channel-layer group ``user.<id>`` after the current transaction
commits, so a client never hears about a change that was rolled back, and a client that
re-reads on the event sees the committed rows.

Batching: calls made inside one transaction (one savepoint level) share one batch and one
``on_commit`` callback; on commit each user costs one ``group_send`` carrying all of that
user's events (identical events are sent once). A rolled-back savepoint drops its batch
with it, because Django drops the callbacks registered inside it.

Nothing here raises into the caller: a channel layer that is down or misconfigured is
logged and the events are lost (they are hints to re-read; the database stays the truth).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

GROUP_PREFIX = "user."
# The channel-layer message type; the consumer's handler is ``realtime_events``.
LAYER_MESSAGE_TYPE = "realtime.events"

INBOX_CHANGED = "inbox.changed"
INSTANCE_UPDATED = "instance.updated"
SESSION_REVOKED = "session.revoked"  # the consumer sends it, then closes the socket (4403)


def user_group(user_id: int) -> str:
    """The channel-layer group of one user's sockets."""
    return f"{GROUP_PREFIX}{int(user_id)}"


class _Batch:
    """Events queued in one transaction (one savepoint level): user id -> events, in order."""

    __slots__ = ("events",)

    def __init__(self) -> None:
        self.events: dict[int, list[dict[str, Any]]] = {}

    def add(self, user_ids: Iterable[int], event: dict[str, Any]) -> None:
        for user_id in user_ids:
            queued = self.events.setdefault(user_id, [])
            if event not in queued:  # a handful per user: a list scan beats hashing the payload
                queued.append(event)

    def flush(self) -> None:
        events, self.events = self.events, {}
        _send(events)


def _user_ids(user_ids: Iterable[Any]) -> list[int]:
    ids = []
    for user_id in user_ids:
        if user_id is None or user_id == "":
            continue
        try:
            ids.append(int(user_id))
        except (TypeError, ValueError):
            logger.warning("realtime: ignoring user id %r", user_id)
    return ids


def publish_to_users(user_ids: Iterable[int], type: str, payload: dict[str, Any]) -> None:
    """Send ``{"type": type, "payload": payload}`` to each user's sockets once the current transaction commits."""
    try:
        ids = _user_ids(user_ids)
        if not ids:
            return
        event = {"type": str(type), "payload": dict(payload)}
        connection = connections[DEFAULT_DB_ALIAS]
        if not connection.in_atomic_block:
            _send({user_id: [event] for user_id in ids})
            return
        _current_batch(connection).add(ids, event)
    except Exception:  # a real-time hint must never break the write that caused it
        logger.exception("realtime: could not queue %r", type)


def _current_batch(connection: Any) -> _Batch:
    """The batch of the current transaction and savepoint level, registering its on_commit callback once.

    Django replaces ``connection.run_on_commit`` with a new list when a transaction commits
    or rolls back and when a savepoint rolls back; a batch is reused only while the list it
    was registered in is the current one, so a batch whose callback was discarded is never
    filled again. (After a savepoint rollback the outer level gets a second batch: its first
    one is still registered and sends what it holds; order is kept.)
    """
    hooks = connection.run_on_commit
    state = getattr(connection, "_qiaoban_realtime", None)
    if state is None or state[0] is not hooks:
        state = (hooks, {})
        connection._qiaoban_realtime = state
    key = tuple(connection.savepoint_ids)
    batch = state[1].get(key)
    if batch is None:
        batch = state[1][key] = _Batch()
        transaction.on_commit(batch.flush)
    return batch


def _send(events: Mapping[int, list[dict[str, Any]]]) -> None:
    """One ``group_send`` per user, carrying all of that user's events; logs (never raises) on failure."""
    if not events:
        return
    try:
        layer = get_channel_layer()
        if layer is None:
            logger.warning("realtime: no channel layer configured; %d user(s) not notified", len(events))
            return
        messages = [(user_group(uid), {"type": LAYER_MESSAGE_TYPE, "events": evs}) for uid, evs in events.items()]
        _run(_group_send_all(layer, messages), in_memory=isinstance(layer, InMemoryChannelLayer))
    except Exception:  # see publish_to_users
        logger.exception("realtime: channel layer unavailable; %d user(s) not notified", len(events))


async def _group_send_all(layer: Any, messages: list[tuple[str, dict[str, Any]]]) -> None:
    for group, message in messages:
        try:
            await layer.group_send(group, message)
        except Exception:  # one failed group must not stop the others
            logger.exception("realtime: group_send to %s failed", group)


# --- where the sends run ------------------------------------------------------------------------
# A flush runs in the thread that committed, usually a request thread or a worker: it must not
# wait for the channel layer (asgiref's async_to_sync builds an event loop per call, which cost
# more than the whole step), and the in-memory layer only works on the loop its consumers use.
# So sends are handed, without waiting, to (1) this thread's own loop when it runs one, else
# (2) the loop of this process's consumers (daphne's) when one has connected, else (3) for a
# cross-process layer (Redis), one sender loop per process on a daemon thread. The in-memory
# layer without a consumer in this process has nobody to deliver to: nothing is sent.

_consumer_loop: asyncio.AbstractEventLoop | None = None
_sender: tuple[int, asyncio.AbstractEventLoop] | None = None  # (pid, loop): recreated after a fork
_sender_lock = threading.Lock()
_pending: set[Any] = set()  # tasks and futures in flight (kept alive; waited for at exit)


def note_consumer_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called by the consumer on connect: the loop this process's sockets live on."""
    global _consumer_loop
    _consumer_loop = loop


def _sender_loop() -> asyncio.AbstractEventLoop:
    global _sender
    with _sender_lock:
        if _sender is None or _sender[0] != os.getpid() or _sender[1].is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="realtime-sender", daemon=True).start()
            _sender = (os.getpid(), loop)
        return _sender[1]


def _run(coroutine: Any, *, in_memory: bool) -> None:
    """Start the send without waiting for it (see above)."""
    try:
        own = asyncio.get_running_loop()
    except RuntimeError:
        own = None
    if own is not None:
        task = own.create_task(coroutine)
        _pending.add(task)
        task.add_done_callback(_pending.discard)
        return
    loop = _consumer_loop
    if loop is None or loop.is_closed() or not loop.is_running():
        if in_memory:
            coroutine.close()  # no socket of this process can hear it, and no other process can
            return
        loop = _sender_loop()
    future = asyncio.run_coroutine_threadsafe(coroutine, loop)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


@atexit.register
def _drain(timeout: float = 2.0) -> None:
    """At exit (a management command, a worker), give sends in flight a moment to finish."""
    futures = [f for f in list(_pending) if isinstance(f, concurrent.futures.Future)]
    if futures:
        concurrent.futures.wait(futures, timeout=timeout)


def close_user_sockets(user_id: int) -> None:
    """Tell the user's open sockets that the account was deactivated; the consumer then closes them (after commit)."""
    publish_to_users([user_id], SESSION_REVOKED, {"reason": "deactivated"})


# --- the engine's write path --------------------------------------------------------------------

def _uid(ref: Any) -> int | None:
    try:
        return int(ref) if ref not in (None, "") else None
    except (TypeError, ValueError):
        return None


def instance_changed(instance_id: int, status: str, version: int, before: Any, state: Any) -> None:
    """Publish what one engine step changed: ``inbox.changed`` and ``instance.updated``.

    Computed from the engine states before and after the step (no database reads):

    * inbox: assignees of tasks created, closed or reassigned (both people), new cc
      recipients, and the initiator when the status changed (“我发起的” shows it);
    * watchers: everyone in the state — initiator, every task's assignee and original
      assignee, cc recipients.
    """
    try:
        old = {t.id: t for t in before.tasks} if before is not None else {}
        inbox: set[int | None] = set()
        for t in state.tasks:
            previous = old.get(t.id)
            if previous is None:
                inbox.add(_uid(t.assignee))
            elif previous is not t and (previous.status != t.status or previous.assignee != t.assignee):
                inbox.add(_uid(t.assignee))
                inbox.add(_uid(previous.assignee))
        old_cc = set(before.cc) if before is not None else set()
        inbox.update(_uid(user) for entry in state.cc if entry not in old_cc for user in entry[1:2])
        if before is None or before.status != state.status:
            inbox.add(_uid(state.initiator))
            reason = "submitted" if before is None else "status"
        else:
            reason = "tasks"
        watchers: set[int | None] = {_uid(state.initiator)}
        for t in state.tasks:
            watchers.add(_uid(t.assignee))
            if t.original_assignee:
                watchers.add(_uid(t.original_assignee))
        watchers.update(_uid(user) for _, user in state.cc)
        inbox.discard(None)
        watchers.discard(None)
        if inbox:
            publish_to_users(sorted(inbox), INBOX_CHANGED,  # type: ignore[arg-type]
                             {"instance_id": instance_id, "reason": reason})
        publish_to_users(sorted(watchers), INSTANCE_UPDATED,  # type: ignore[arg-type]
                         {"instance_id": instance_id, "status": str(status), "version": version})
    except Exception:
        logger.exception("realtime: could not publish the change of instance %s", instance_id)
