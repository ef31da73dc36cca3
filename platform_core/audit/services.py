"""Writing and checking the audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from platform_core.audit.models import AuditChainHead, AuditEvent
from platform_core.fastsql import Table


@dataclass(frozen=True)
class RequestMeta:
    """Where an action came from (copied out of the request by the view)."""

    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: Any) -> RequestMeta:
        """Build from a Django/DRF request (REMOTE_ADDR only: proxies are configured, not trusted)."""
        if request is None:
            return cls()
        meta = getattr(request, "META", {})
        return cls(ip=meta.get("REMOTE_ADDR") or None, user_agent=(meta.get("HTTP_USER_AGENT") or "")[:300])


def _digest(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "user_agent": event.user_agent,
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: Any,
    target_label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    meta: RequestMeta | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    The head row is the chain's lock (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
    write transaction is already exclusive): appends are serialised, so no two events can
    claim the same predecessor. Every engine step appends one event, so the three
    statements are prepared ones (``platform_core.fastsql``), not ORM calls.
    """
    meta = meta or RequestMeta()
    with transaction.atomic(savepoint=False):
        head = _lock_head()
        actor_id = getattr(actor, "pk", None)
        event = AuditEvent(
            seq=head[0] + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_label=str(actor) if actor is not None else "system",
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            target_label=str(target_label)[:200],
            before=_jsonable(before),
            after=_jsonable(after),
            ip=meta.ip,
            user_agent=meta.user_agent,
            prev_hash=head[1],
        )
        event.hash = _digest(head[1], _payload(event))
        (event.pk,) = _events.insert(_EVENT_COLUMNS, [[getattr(event, name) for name in _EVENT_COLUMNS]],
                                     returning_id=True)
        _heads.update([1], ("seq", "hash"), (event.seq, event.hash))
    return event


_EVENT_COLUMNS = ("seq", "at", "actor_id", "actor_label", "action", "target_type", "target_id", "target_label",
                  "before", "after", "ip", "user_agent", "prev_hash", "hash")
_events = Table(AuditEvent)
_heads = Table(AuditChainHead)


def _lock_head() -> tuple[int, str]:
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {_heads.quoted} WHERE id = 1{lock}")
        row = cursor.fetchone()
    if row is None:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        return head.seq, head.hash
    return int(row[0]), str(row[1])


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))


def audit_verify_chain() -> tuple[bool, int | None]:
    """Recompute every hash; return (intact, first broken sequence number or None)."""
    prev = "0" * 64
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.prev_hash != prev or _digest(prev, _payload(event)) != event.hash:
            return False, event.seq
        prev = event.hash
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.hash != prev:
        return False, head.seq
    return True, None
