"""What changed between two definitions (plain data in, plain data out).

Works on raw documents, so a draft that does not load yet can still be compared.
Fields are compared by dotted key (sub-table columns as ``table.column``), nodes and
edges by id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.definitions.documents import form_properties

_RULE_KEYWORDS = ("x-visible-if", "x-required-if", "x-compute")
_FIELD_OWN = {"x-type", "x-label", "title", *_RULE_KEYWORDS}
_EDGE_ATTRS = ("source", "target", "condition", "is_default", "priority")
_EDGE_DEFAULTS: dict[str, Any] = {"condition": None, "is_default": False, "priority": None}


def diff_definitions(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Compare ``{"form", "flow"}`` pairs: fields, nodes and edges added, removed and changed (a → b)."""
    return {
        "fields": diff_fields(a.get("form"), b.get("form")),
        "nodes": diff_nodes(a.get("flow"), b.get("flow")),
        "edges": diff_edges(a.get("flow"), b.get("flow")),
        "form_layout_changed": _get(a.get("form"), "ui_schema") != _get(b.get("form"), "ui_schema"),
        "flow_layout_changed": _get(a.get("flow"), "layout") != _get(b.get("flow"), "layout"),
    }


def _get(doc: Any, key: str) -> Any:
    return doc.get(key) if isinstance(doc, Mapping) else None


def _field_brief(key: str, prop: Mapping[str, Any]) -> dict[str, Any]:
    return {"key": key, "type": prop.get("x-type"), "label": prop.get("x-label") or {}}


def diff_fields(a: Any, b: Any) -> dict[str, list[dict[str, Any]]]:
    """Fields added, removed and changed, with what changed: type, label, required, rules, settings."""
    old = {key: (prop, required) for key, prop, required in form_properties(a)}
    new = {key: (prop, required) for key, prop, required in form_properties(b)}
    changed = []
    for key in new.keys() & old.keys():
        (p1, r1), (p2, r2) = old[key], new[key]
        changes: dict[str, Any] = {}
        if p1.get("x-type") != p2.get("x-type"):
            changes["type"] = {"from": p1.get("x-type"), "to": p2.get("x-type")}
        if (p1.get("x-label") or {}) != (p2.get("x-label") or {}):
            changes["label"] = {"from": p1.get("x-label") or {}, "to": p2.get("x-label") or {}}
        if r1 != r2:
            changes["required"] = {"from": r1, "to": r2}
        rules = {
            kw: {"from": p1.get(kw), "to": p2.get(kw)} for kw in _RULE_KEYWORDS if p1.get(kw) != p2.get(kw)
        }
        if rules:
            changes["rules"] = rules
        settings = {
            kw: {"from": p1.get(kw), "to": p2.get(kw)}
            for kw in sorted((set(p1) | set(p2)) - _FIELD_OWN - {"items", "properties"})
            if p1.get(kw) != p2.get(kw)
        }
        if settings:
            changes["settings"] = settings
        if changes:
            changed.append({**_field_brief(key, p2), "changes": changes})
    order_new = list(new)
    order_old = list(old)
    return {
        "added": [_field_brief(k, new[k][0]) for k in order_new if k not in old],
        "removed": [_field_brief(k, old[k][0]) for k in order_old if k not in new],
        "changed": sorted(changed, key=lambda c: order_new.index(c["key"])),
    }


def _by_id(doc: Any, kind: str) -> dict[str, Mapping[str, Any]]:
    items = _get(doc, kind)
    out: dict[str, Mapping[str, Any]] = {}
    if isinstance(items, list):
        for item in items:
            if isinstance(item, Mapping) and isinstance(item.get("id"), str) and item["id"] not in out:
                out[item["id"]] = item
    return out


def _node_brief(node: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": node.get("id"), "type": node.get("type"), "name": node.get("name") or {}}


def diff_nodes(a: Any, b: Any) -> dict[str, list[dict[str, Any]]]:
    """Nodes added, removed and changed (type, name, and each config key that changed)."""
    old, new = _by_id(a, "nodes"), _by_id(b, "nodes")
    changed = []
    for node_id, n2 in new.items():
        n1 = old.get(node_id)
        if n1 is None:
            continue
        changes: dict[str, Any] = {}
        for attr in ("type", "name"):
            if (n1.get(attr) or None) != (n2.get(attr) or None):
                changes[attr] = {"from": n1.get(attr), "to": n2.get(attr)}
        c1 = n1.get("config") if isinstance(n1.get("config"), Mapping) else {}
        c2 = n2.get("config") if isinstance(n2.get("config"), Mapping) else {}
        config = {k: {"from": c1.get(k), "to": c2.get(k)} for k in sorted(set(c1) | set(c2)) if c1.get(k) != c2.get(k)}
        if config:
            changes["config"] = config
        if changes:
            changed.append({**_node_brief(n2), "changes": changes})
    return {
        "added": [_node_brief(n) for k, n in new.items() if k not in old],
        "removed": [_node_brief(n) for k, n in old.items() if k not in new],
        "changed": changed,
    }


def _edge_brief(edge: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": edge.get("id"), "source": edge.get("source"), "target": edge.get("target")}


def diff_edges(a: Any, b: Any) -> dict[str, list[dict[str, Any]]]:
    """Connections added, removed and changed (ends, condition, default flag, priority)."""
    old, new = _by_id(a, "edges"), _by_id(b, "edges")
    changed = []
    for edge_id, e2 in new.items():
        e1 = old.get(edge_id)
        if e1 is None:
            continue
        changes = {}
        for attr in _EDGE_ATTRS:
            v1, v2 = e1.get(attr, _EDGE_DEFAULTS.get(attr)), e2.get(attr, _EDGE_DEFAULTS.get(attr))
            if v1 != v2:
                changes[attr] = {"from": v1, "to": v2}
        if changes:
            changed.append({**_edge_brief(e2), "changes": changes})
    return {
        "added": [_edge_brief(e) for k, e in new.items() if k not in old],
        "removed": [_edge_brief(e) for k, e in old.items() if k not in new],
        "changed": changed,
    }
