"""Start and end nodes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runtime.flows.node_types.base import FIELD_RIGHTS_SCHEMA, NodeType
from runtime.flows.spec import EdgeSpec, NodeSpec

if TYPE_CHECKING:
    from runtime.flows.simulate import SimStep, Walk

OUTCOMES = ("approved", "rejected")


class StartNode(NodeType):
    type = "start"
    label = {"zh": "发起", "en": "Start"}
    config_schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            # What the initiator may edit on the submission form.
            "fields": FIELD_RIGHTS_SCHEMA,
            # When the initiator may withdraw: until someone has approved, or at any time.
            "withdraw": {"enum": ["before_first_approval", "always", "never"]},
        },
    }

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """The request is submitted."""
        step.status = "submitted"
        return walk.spec.outgoing(node.id)


class EndNode(NodeType):
    type = "end"
    label = {"zh": "结束", "en": "End"}
    max_outgoing = 0
    config_schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"outcome": {"enum": list(OUTCOMES)}},
    }

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """The request finishes with the end's outcome (approved unless configured otherwise)."""
        step.status = "ended"
        walk.finish(node, str(node.config.get("outcome", "approved")))
        return None
