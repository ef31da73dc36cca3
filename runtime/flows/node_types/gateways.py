"""Exclusive gateways and parallel split/join."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runtime.flows.issues import Issue
from runtime.flows.node_types.base import NodeType, issue_for
from runtime.flows.spec import EdgeSpec, NodeSpec

if TYPE_CHECKING:
    from runtime.flows.simulate import SimStep, Walk


class ExclusiveGateway(NodeType):
    # The first branch whose condition holds, in priority order, else the default branch.
    type = "exclusive_gateway"
    label = {"zh": "条件分支", "en": "Exclusive gateway"}
    max_outgoing = None
    branching = "exclusive"

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """Evaluate the branches in order and take the first match or the default."""
        edge = walk.choose_branch(node, step)
        return [edge] if edge is not None else None


class ParallelSplit(NodeType):
    type = "parallel_split"
    label = {"zh": "并行分支", "en": "Parallel split"}
    max_outgoing = None
    branching = "parallel"

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """Every branch runs; the walk follows each until the matching join."""
        step.status = "split"
        return walk.spec.outgoing(node.id)


class ParallelJoin(NodeType):
    type = "parallel_join"
    label = {"zh": "并行汇聚", "en": "Parallel join"}
    config_schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            # "all": wait for every branch; "first_n": continue once n branches arrived and
            # cancel the others.
            "join": {"enum": ["all", "first_n"]},
            "n": {"type": "integer"},
        },
    }

    def check_config(self, node: NodeSpec) -> list[Issue]:
        """``first_n`` needs ``n`` >= 1 (the upper bound is checked against the graph)."""
        if node.config.get("join") == "first_n" and int(node.config.get("n") or 0) < 1:
            return [issue_for("node_config_invalid", node, path="n", detail="first_n needs n of at least 1")]
        return []

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """All (or the first n) branches have arrived; continue."""
        step.status = "joined"
        step.details = {"join": node.config.get("join", "all"), "n": node.config.get("n")}
        return walk.spec.outgoing(node.id)
