"""Flow definitions as frozen dataclasses (pure Python).

A :class:`FlowSpec` is what a published flow *is*; running state lives elsewhere. Specs
are built by :func:`runtime.flows.loader.load_flow` and are never mutated (the config
dicts inside are shared, read-only by convention).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CURRENT_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class NodeSpec:
    """One node of a flow graph."""

    id: str
    type: str
    name: Mapping[str, str] = field(default_factory=dict)  # {"zh": ..., "en": ...}
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Return the name shown to people (Chinese first, then English, then the id)."""
        return self.name.get("zh") or self.name.get("en") or self.id


@dataclass(frozen=True)
class EdgeSpec:
    """One connection between two nodes."""

    id: str
    source: str
    target: str
    condition: Any = None  # JSON-logic rule or None
    is_default: bool = False
    priority: int | None = None  # lower is tried first; None after every numbered edge


@dataclass(frozen=True)
class FlowSpec:
    """A whole flow graph plus its canvas layout."""

    nodes: tuple[NodeSpec, ...]
    edges: tuple[EdgeSpec, ...]
    layout: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    schema_version: int = CURRENT_SCHEMA_VERSION
    _nodes: dict[str, NodeSpec] = field(init=False, repr=False, compare=False)
    _out: dict[str, list[EdgeSpec]] = field(init=False, repr=False, compare=False)
    _in: dict[str, list[EdgeSpec]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        nodes: dict[str, NodeSpec] = {}
        for node in self.nodes:
            nodes.setdefault(node.id, node)  # the first of duplicate ids wins; the verifier reports the rest
        out: dict[str, list[EdgeSpec]] = {n: [] for n in nodes}
        inc: dict[str, list[EdgeSpec]] = {n: [] for n in nodes}
        for edge in self.edges:
            out.setdefault(edge.source, []).append(edge)
            inc.setdefault(edge.target, []).append(edge)
        object.__setattr__(self, "_nodes", nodes)
        object.__setattr__(self, "_out", out)
        object.__setattr__(self, "_in", inc)

    def node(self, node_id: str) -> NodeSpec:
        """Return the node with ``node_id`` (KeyError when there is none)."""
        return self._nodes[node_id]

    def has_node(self, node_id: str) -> bool:
        """Return True when a node with ``node_id`` exists."""
        return node_id in self._nodes

    def nodes_of_type(self, *types: str) -> list[NodeSpec]:
        """Return the nodes whose type is one of ``types``, in document order."""
        return [n for n in self._nodes.values() if n.type in types]

    def outgoing(self, node_id: str) -> list[EdgeSpec]:
        """Return the edges leaving ``node_id`` in the order a gateway tries them."""
        edges = self._out.get(node_id, [])
        order = {id(e): i for i, e in enumerate(edges)}
        # Numbered priorities first (ascending), then unnumbered edges in drawing order,
        # and the default edge always last: it is taken only when nothing else matches.
        return sorted(
            edges,
            key=lambda e: (e.is_default, e.priority is None, e.priority or 0, order[id(e)]),
        )

    def incoming(self, node_id: str) -> list[EdgeSpec]:
        """Return the edges arriving at ``node_id`` in drawing order."""
        return list(self._in.get(node_id, []))

    @property
    def start(self) -> NodeSpec | None:
        """Return the (first) start node, or None."""
        starts = self.nodes_of_type("start")
        return starts[0] if starts else None
