"""The progress timeline of a request, read from its events (who, when, what, comment, how long).

Only what a viewer may see goes out: form values never appear (a patch lists field keys,
and only the visible ones); gateway traces name edges and results, not the values read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from platform_core.org.models import User
from runtime.flows import FlowSpec
from runtime.instances.models import Instance, InstanceEvent

SHOWN = frozenset({
    "submitted", "resubmitted", "node_activated", "node_skipped", "task_auto_approved", "task_approved",
    "task_rejected", "task_transferred", "signer_added", "gateway_decided", "routing_blocked", "node_failed",
    "returned", "withdrawn", "completed", "urged", "commented", "cc_sent", "task_reminded", "timeout_noted",
    "retried",
})
HIDDEN = "hidden"


def _user_ids(event: InstanceEvent) -> set[int]:
    ids: set[Any] = {event.actor_id}
    data = event.data or {}
    ids.update(data.get("assignees") or [])
    ids.update(data.get("users") or [])
    ids.update([data.get("from"), data.get("to")])
    out = set()
    for value in ids:
        try:
            out.add(int(value))
        except (TypeError, ValueError):
            continue
    return out


def _field_of(path: str) -> str:
    return path.removeprefix("form.").split(".")[0]


def _gateway(data: Mapping[str, Any], rights: Mapping[str, str]) -> dict[str, Any]:
    """Every evaluated edge with its rule and result; values read from hidden fields are left out."""
    evaluations = []
    for ev in data.get("evaluations") or []:
        if not isinstance(ev, Mapping):
            continue
        out = {k: ev[k] for k in ("edge_id", "target", "order", "priority", "rule", "result", "missing", "error")
               if k in ev}
        out["values"] = {p: v for p, v in (ev.get("values") or {}).items() if rights.get(_field_of(p)) != HIDDEN}
        evaluations.append(out)
    return {"taken": data.get("taken"), "target": data.get("target"), "reason": data.get("reason"),
            "evaluations": evaluations}


def instance_timeline(instance: Instance, flow: FlowSpec, rights: Mapping[str, str]) -> list[dict[str, Any]]:
    """Timeline entries, oldest first (two queries: events, then the people they name)."""
    events = list(InstanceEvent.objects.filter(instance=instance).order_by("seq"))
    people = {u.pk: u for u in User.objects.filter(pk__in=set().union(*(_user_ids(e) for e in events)) or [0])}

    def person(ref: Any) -> dict[str, Any] | None:
        try:
            user = people.get(int(ref))
        except (TypeError, ValueError):
            return None
        return {"id": user.pk, "name": user.name} if user else None

    created: dict[str, datetime] = {}
    entries: list[dict[str, Any]] = []
    for e in events:
        data = e.data or {}
        if e.type == "task_created":
            created[(data.get("task") or {}).get("id", "")] = e.at
        if e.type not in SHOWN:
            continue
        node_id = data.get("node_id") or (data.get("start_node") if e.type in ("submitted",) else None)
        task_id = data.get("task_id") or (data.get("task") or {}).get("id")
        entry: dict[str, Any] = {
            "seq": e.seq, "type": e.type, "at": e.at, "actor": person(e.actor_id),
            "node_id": node_id, "node_name": flow.node(node_id).label if node_id and flow.has_node(node_id) else None,
            "task_id": task_id, "action": data.get("action"), "comment": e.comment or None,
            "duration_seconds": None, "details": {},
        }
        if task_id and task_id in created and e.type in ("task_approved", "task_rejected"):
            entry["duration_seconds"] = int((e.at - created[task_id]).total_seconds())
        details: dict[str, Any] = {}
        if e.type == "task_approved":
            details["patched_fields"] = sorted(k for k in (data.get("patch") or {}) if rights.get(k) != HIDDEN)
            details["reason"] = data.get("reason")
        elif e.type == "node_activated":
            details = {"mode": data.get("mode"), "assignees": [person(u) for u in data.get("assignees") or []],
                       "trace": data.get("trace") or [], "fallback": data.get("fallback")}
        elif e.type in ("gateway_decided", "routing_blocked"):
            details = _gateway(data, rights) | {"reason": data.get("reason"), "missing": data.get("missing")}
        elif e.type in ("node_skipped", "task_auto_approved"):
            details = {"reason": data.get("reason"), "missing": data.get("missing")}
        elif e.type == "node_failed":
            details = {"code": data.get("code")}
        elif e.type == "task_transferred":
            details = {"from": person(data.get("from")), "to": person(data.get("to")), "reason": data.get("reason")}
        elif e.type in ("signer_added", "cc_sent"):
            details = {"users": [person(u) for u in data.get("users") or []], "position": data.get("position")}
        elif e.type == "returned":
            details = {"to": data.get("to")}
        elif e.type == "completed":
            details = {"outcome": data.get("outcome")}
        entry["details"] = {k: v for k, v in details.items() if v is not None}
        entries.append(entry)
    return entries
