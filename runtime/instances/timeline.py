"""The progress timeline of a request, read from its events (who, when, what, comment, how long).

Only what a viewer may see goes out. Every value taken from the form passes the same
field-rights filter as the detail's ``data`` (:func:`runtime.forms.filter_for_read`,
sub-table columns included): a patch lists only the visible fields whose visible part
changed; gateway traces and the traces of ``form_field`` and ``dynamic`` assignee rules
keep their rule, field and result, but a value read from a hidden field (or column) is
replaced by :data:`HIDDEN_VALUE`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from platform_core.org.models import User
from runtime import rules
from runtime.flows import FlowSpec
from runtime.flows.settings import TaskSettings
from runtime.forms import FormSpec, filter_for_read
from runtime.instances.models import Instance, InstanceEvent

SHOWN = frozenset({
    "submitted", "resubmitted", "node_activated", "node_skipped", "task_auto_approved", "task_approved",
    "task_rejected", "task_transferred", "signer_added", "gateway_decided", "routing_blocked", "node_failed",
    "returned", "withdrawn", "completed", "urged", "commented", "cc_sent", "task_reminded", "timeout_noted",
    "retried", "task_overdue",
})
HIDDEN = "hidden"
# What a trace shows instead of a value the viewer may not see (an object, so no form value can pass for it).
HIDDEN_VALUE: Mapping[str, bool] = {"hidden": True}
# Events whose data replaces the whole form, and those that patch it (key: where the patch is).
_DATA_SETS = ("submitted", "resubmitted")
_DATA_PATCHES = {"task_approved": "patch", "retried": "patch", "service_completed": "writes"}
# Keys of assignee-rule trace records that hold a value read from the form.
_FORM_FIELD_VALUES = ("value", "user", "user_id", "department", "department_id")
_DYNAMIC_VALUES = ("selected", "ignored")


def _hidden_marker() -> dict[str, bool]:
    return dict(HIDDEN_VALUE)


class _Filter:
    """One viewer's field rights applied to values found in events (paths like ``form.items.0.price``)."""

    def __init__(self, form: FormSpec, rights: Mapping[str, str]) -> None:
        self.form = form
        self.rights = rights
        self.any_hidden = any(r == HIDDEN for r in rights.values())

    def data(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Form data as the viewer may read it."""
        return filter_for_read(self.form, data, self.rights)

    def field_hidden(self, field_path: str) -> bool:
        """Whether a dotted field path (row indexes allowed) is, or lies within, a hidden field or column."""
        names = [p for p in field_path.split(".") if p and not p.isdigit()]
        return any(self.rights.get(".".join(names[:i])) == HIDDEN for i in range(1, len(names) + 1))

    def path_hidden(self, path: str) -> bool:
        """Whether a rule variable path reads a hidden field (``form`` itself: if anything is hidden)."""
        if path == "form":
            return self.any_hidden
        return path.startswith("form.") and self.field_hidden(path.removeprefix("form."))

    def rule_reads_hidden(self, rule: Any) -> bool:
        """Whether a JSON-logic rule may read a hidden field (a computed var path may read anything)."""
        try:
            analysis = rules.rule_analysis(rule)
        except rules.RuleInvalid:  # a published rule is valid; if not, assume the worst
            return self.any_hidden
        return (analysis.dynamic and self.any_hidden) or any(self.path_hidden(p) for p in analysis.paths())

    def value(self, path: str, value: Any) -> Any:
        """The value at a rule path as the viewer may see it: filtered (tables, rows), or the marker."""
        if path == "form":
            return self.data(value) if isinstance(value, Mapping) else (_hidden_marker() if self.any_hidden else value)
        if not path.startswith("form."):
            return value  # initiator, urgent, now: not form data
        if self.path_hidden(path):
            return _hidden_marker()
        parts = path.removeprefix("form.").split(".")
        top = parts[0]
        if len(parts) == 1:
            return self.data({top: value}).get(top)
        if len(parts) == 2 and parts[1].isdigit() and isinstance(value, Mapping):  # one row of a sub-table
            rows = self.data({top: [value]}).get(top) or [value]
            return rows[0]
        return value


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


def _gateway(data: Mapping[str, Any], view: _Filter) -> dict[str, Any]:
    """Every evaluated edge with its rule and result; values read from hidden fields become the marker."""
    evaluations = []
    for ev in data.get("evaluations") or []:
        if not isinstance(ev, Mapping):
            continue
        out = {k: ev[k] for k in ("edge_id", "target", "order", "priority", "rule", "result", "missing", "error")
               if k in ev}
        out["values"] = {str(p): view.value(str(p), v) for p, v in (ev.get("values") or {}).items()}
        evaluations.append(out)
    return {"taken": data.get("taken"), "target": data.get("target"), "reason": data.get("reason"),
            "evaluations": evaluations}


def _assignee_trace(trace: Iterable[Any], specs: Iterable[Mapping[str, Any]], view: _Filter) -> list[Any]:
    """An assignee-rule trace with the form values it records masked where the viewer may not see them.

    ``form_field`` records name their field, except the department-head records of a
    department field: those are masked when any ``form_field`` rule of the node reads a
    hidden field. ``dynamic`` records are masked when any ``dynamic`` rule of the node may
    read one (the records do not say which rule they came from).
    """
    specs = [s for s in specs if isinstance(s, Mapping)]
    field_rule_hidden = any(s.get("rule") == "form_field" and view.field_hidden(str(s.get("field") or ""))
                            for s in specs)
    dynamic_hidden = any(s.get("rule") == "dynamic" and view.rule_reads_hidden(s.get("select")) for s in specs)
    out: list[Any] = []
    for record in trace:
        if not isinstance(record, Mapping):
            continue
        record = dict(record)
        rule = record.get("rule")
        if rule == "form_field":
            hidden = view.field_hidden(str(record["field"])) if "field" in record else field_rule_hidden
            if hidden:
                record.update({k: _hidden_marker() for k in _FORM_FIELD_VALUES if k in record})
        elif rule == "dynamic" and dynamic_hidden:
            record.update({k: _hidden_marker() for k in _DYNAMIC_VALUES if k in record})
        out.append(record)
    return out


def _patched_fields(patch: Mapping[str, Any], before: Mapping[str, Any], view: _Filter) -> list[str]:
    """The patched fields whose visible part changed (a change to a hidden column alone is not shown)."""
    shown_before = view.data({k: before.get(k) for k in patch})
    shown_after = view.data(patch)
    return sorted(k for k in shown_after if shown_after[k] != shown_before.get(k))


def instance_timeline(
    instance: Instance, flow: FlowSpec, rights: Mapping[str, str], form: FormSpec | None = None
) -> list[dict[str, Any]]:
    """Timeline entries, oldest first (two queries: events, then the people they name).

    ``rights`` are the viewer's field rights (``selectors.rights_for_viewer``); ``form`` is
    the pinned form (read from the instance's version when not given).
    """
    if form is None:
        from runtime.instances.selectors import form_of

        form = form_of(instance.app_version)
    view = _Filter(form, rights)
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
    form_data: dict[str, Any] = {}  # the form as it stood before each event (replayed from the events)
    for e in events:
        data = e.data or {}
        before = form_data
        if e.type in _DATA_SETS and isinstance(data.get("data"), Mapping):
            form_data = dict(data["data"])
        elif e.type in _DATA_PATCHES and isinstance(data.get(_DATA_PATCHES[e.type]), Mapping):
            form_data = {**form_data, **data[_DATA_PATCHES[e.type]]}
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
            patch = data.get("patch") if isinstance(data.get("patch"), Mapping) else {}
            details["patched_fields"] = _patched_fields(patch, before, view)
            details["reason"] = data.get("reason")
        elif e.type == "node_activated":
            specs = TaskSettings.from_node(flow.node(node_id)).assignees if node_id and flow.has_node(node_id) else ()
            details = {"mode": data.get("mode"), "assignees": [person(u) for u in data.get("assignees") or []],
                       "trace": _assignee_trace(data.get("trace") or [], specs, view),
                       "fallback": data.get("fallback")}
        elif e.type in ("gateway_decided", "routing_blocked"):
            details = _gateway(data, view) | {"reason": data.get("reason"), "missing": data.get("missing")}
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
