"""Reading and writing flow documents: shape checks, migrations, load and dump (pure Python)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from runtime.flows.errors import FlowInvalid, FlowSchemaVersionUnsupported
from runtime.flows.issues import ERROR, Issue, make_issue
from runtime.flows.registries import node_type_registry
from runtime.flows.spec import CURRENT_SCHEMA_VERSION, EdgeSpec, FlowSpec, NodeSpec

DOCUMENT_KEYS = ("schema_version", "nodes", "edges", "layout")
NODE_KEYS = ("id", "type", "name", "config")
EDGE_KEYS = ("id", "source", "target", "condition", "is_default", "priority")

# version -> function turning a document of that version into one of the next version.
# Stored documents are never rewritten in place; they are migrated each time they load.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def migrate(document: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``document`` migrated to the current ``schema_version``."""
    doc = copy.deepcopy(dict(document))
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise FlowInvalid(
            params={"count": 1, "first": "schema_version must be an integer"},
            details=[
                make_issue(
                    "flow_document_invalid", path="schema_version", detail="must be an integer"
                ).as_dict()
            ],
        )
    if version > CURRENT_SCHEMA_VERSION or version < 1:
        raise FlowSchemaVersionUnsupported(params={"version": version, "current": CURRENT_SCHEMA_VERSION})
    while version < CURRENT_SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise FlowSchemaVersionUnsupported(params={"version": version, "current": CURRENT_SCHEMA_VERSION})
        doc = step(doc)
        version += 1
        doc["schema_version"] = version
    return doc


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _bad_keys(raw: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    return sorted(str(k) for k in raw if k not in allowed)


def parse_document(document: Any) -> tuple[FlowSpec | None, list[Issue]]:
    """Migrate and parse a flow document, returning the spec (None if unusable) and every shape issue."""
    if not isinstance(document, Mapping):
        return None, [
            make_issue("flow_document_invalid", path="/", detail="the document must be a JSON object")
        ]
    try:
        doc = migrate(document)
    except FlowSchemaVersionUnsupported as exc:
        return None, [make_issue("flow_schema_version_unsupported", **exc.params)]
    except FlowInvalid:
        return None, [make_issue("flow_document_invalid", path="schema_version", detail="must be an integer")]
    issues: list[Issue] = []
    for key in _bad_keys(doc, DOCUMENT_KEYS):
        issues.append(make_issue("flow_document_invalid", path=key, detail="unknown key"))
    raw_nodes, raw_edges, raw_layout = doc.get("nodes"), doc.get("edges", []), doc.get("layout", {})
    for key, value, kind in (
        ("nodes", raw_nodes, list),
        ("edges", raw_edges, list),
        ("layout", raw_layout, dict),
    ):
        if not isinstance(value, kind):
            issues.append(
                make_issue(
                    "flow_document_invalid",
                    path=key,
                    detail=f"must be a JSON {'array' if kind is list else 'object'}",
                )
            )
    if any(i.code == "flow_document_invalid" and i.params.get("path") in ("nodes", "edges") for i in issues):
        return None, issues
    nodes = _parse_nodes(raw_nodes, issues)
    node_ids = {n.id for n in nodes}
    edges = _parse_edges(raw_edges, node_ids, issues)
    layout = _parse_layout(raw_layout if isinstance(raw_layout, dict) else {}, node_ids, issues)
    return FlowSpec(tuple(nodes), tuple(edges), layout, CURRENT_SCHEMA_VERSION), issues


def _parse_nodes(raw_nodes: list[Any], issues: list[Issue]) -> list[NodeSpec]:
    nodes: list[NodeSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_nodes):
        number = index + 1
        if not isinstance(raw, Mapping):
            issues.append(
                make_issue("node_invalid", index=number, path=f"nodes/{index}", detail="must be an object")
            )
            continue
        problems = [f"unknown key “{k}”" for k in _bad_keys(raw, NODE_KEYS)]
        if not _is_id(raw.get("id")):
            problems.append("id must be a non-empty string")
        if not _is_id(raw.get("type")):
            problems.append("type must be a non-empty string")
        name = raw.get("name", {})
        if not isinstance(name, Mapping) or not all(isinstance(v, str) for v in name.values()):
            problems.append('name must be an object like {"zh": "...", "en": "..."}')
        config = raw.get("config", {})
        if config is None:
            config = {}
        if not isinstance(config, Mapping):
            problems.append("config must be an object")
        if problems:
            node_id = raw.get("id") if _is_id(raw.get("id")) else None
            for problem in problems:
                issues.append(
                    make_issue(
                        "node_invalid", node_id=node_id, index=number, path=f"nodes/{index}", detail=problem
                    )
                )
            if node_id is None or not _is_id(raw.get("type")):
                continue
            name = name if isinstance(name, Mapping) else {}
            config = config if isinstance(config, Mapping) else {}
        node = NodeSpec(id=raw["id"], type=raw["type"], name=dict(name), config=dict(config))
        if node.id in seen:
            issues.append(make_issue("duplicate_node_id", node_id=node.id, id=node.id))
            continue
        seen.add(node.id)
        nodes.append(node)
        if node.type not in node_type_registry:
            issues.append(make_issue("unknown_node_type", node_id=node.id, node=node.label, type=node.type))
        elif not problems:
            issues += node_type_registry.get(node.type).static_issues(node)
    return nodes


def _parse_edges(raw_edges: list[Any], node_ids: set[str], issues: list[Issue]) -> list[EdgeSpec]:
    edges: list[EdgeSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_edges):
        number = index + 1
        if not isinstance(raw, Mapping):
            issues.append(
                make_issue("edge_invalid", index=number, path=f"edges/{index}", detail="must be an object")
            )
            continue
        problems = [f"unknown key “{k}”" for k in _bad_keys(raw, EDGE_KEYS)]
        for key in ("id", "source", "target"):
            if not _is_id(raw.get(key)):
                problems.append(f"{key} must be a non-empty string")
        if not isinstance(raw.get("is_default", False), bool):
            problems.append("is_default must be true or false")
        priority = raw.get("priority")
        if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
            problems.append("priority must be an integer or null")
        edge_id = raw.get("id") if _is_id(raw.get("id")) else None
        if problems:
            for problem in problems:
                issues.append(
                    make_issue(
                        "edge_invalid", edge_id=edge_id, index=number, path=f"edges/{index}", detail=problem
                    )
                )
            continue
        edge = EdgeSpec(
            id=raw["id"],
            source=raw["source"],
            target=raw["target"],
            condition=copy.deepcopy(raw.get("condition")),
            is_default=bool(raw.get("is_default", False)),
            priority=priority,
        )
        if edge.id in seen:
            issues.append(make_issue("duplicate_edge_id", edge_id=edge.id, id=edge.id))
            continue
        seen.add(edge.id)
        dangling = False
        if edge.source not in node_ids:
            issues.append(
                make_issue("edge_source_unknown", edge_id=edge.id, edge=edge.id, source=edge.source)
            )
            dangling = True
        if edge.target not in node_ids:
            issues.append(
                make_issue("edge_target_unknown", edge_id=edge.id, edge=edge.id, target=edge.target)
            )
            dangling = True
        if not dangling:  # a connection to nowhere is reported once and left out of the graph
            edges.append(edge)
    return edges


def _parse_layout(raw: dict[str, Any], node_ids: set[str], issues: list[Issue]) -> dict[str, dict[str, Any]]:
    layout: dict[str, dict[str, Any]] = {}
    for node_id, position in raw.items():
        if not isinstance(position, Mapping) or not all(
            isinstance(position.get(axis), (int, float)) and not isinstance(position.get(axis), bool)
            for axis in ("x", "y")
        ):
            issues.append(
                make_issue(
                    "flow_document_invalid",
                    path=f"layout/{node_id}",
                    detail='must be {"x": number, "y": number}',
                )
            )
            continue
        if node_id not in node_ids:
            issues.append(make_issue("layout_unknown_node", id=node_id))
        layout[node_id] = dict(position)
    return layout


def load_flow(document: Any) -> FlowSpec:
    """Load a flow document into a :class:`FlowSpec`; raise :class:`FlowInvalid` listing the errors."""
    from runtime.flows.rule_checks import rule_syntax_issues  # rule checks need the registries loaded

    spec, issues = parse_document(document)
    if spec is not None:
        issues += rule_syntax_issues(spec)
    errors = [i for i in issues if i.severity == ERROR]
    if spec is None or errors:
        first = errors[0] if errors else issues[0]
        raise FlowInvalid(
            params={"count": len(errors), "first": first.formatted()}, details=[i.as_dict() for i in errors]
        )
    return spec


def dump_flow(spec: FlowSpec) -> dict[str, Any]:
    """Return the canonical JSON document of ``spec`` (every key present, current schema_version)."""
    return {
        "schema_version": CURRENT_SCHEMA_VERSION,
        "nodes": [
            {"id": n.id, "type": n.type, "name": dict(n.name), "config": copy.deepcopy(dict(n.config))}
            for n in spec.nodes
        ],
        "edges": [
            {
                "id": e.id,
                "source": e.source,
                "target": e.target,
                "condition": copy.deepcopy(e.condition),
                "is_default": e.is_default,
                "priority": e.priority,
            }
            for e in spec.edges
        ],
        "layout": {k: dict(v) for k, v in spec.layout.items()},
    }
