"""Writing and checking the audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from platform_core.audit.models import AuditChainHead, AuditEvent


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
    """Append one event to the chain, inside the caller's transaction."""
    meta = meta or RequestMeta()
    with transaction.atomic():
        # The head row is the chain's lock: appends are serialised, so no two
        # events can claim the same predecessor.
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        actor_id = getattr(actor, "pk", None)
        event = AuditEvent(
            seq=head.seq + 1,
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
            prev_hash=head.hash,
        )
        event.hash = _digest(head.hash, _payload(event))
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


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
