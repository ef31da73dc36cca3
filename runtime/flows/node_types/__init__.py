"""Built-in node types, registered in :data:`runtime.flows.registries.node_type_registry`."""

from __future__ import annotations

from runtime.flows.node_types.automation import DelayNode, ServiceNode, SubprocessNode
from runtime.flows.node_types.base import NodeType
from runtime.flows.node_types.events import EndNode, StartNode
from runtime.flows.node_types.gateways import ExclusiveGateway, ParallelJoin, ParallelSplit
from runtime.flows.node_types.tasks import ApprovalNode, CcNode, HandleNode
from runtime.flows.registries import node_type_registry

BUILT_IN: tuple[type[NodeType], ...] = (
    StartNode,
    ApprovalNode,
    HandleNode,
    CcNode,
    ExclusiveGateway,
    ParallelSplit,
    ParallelJoin,
    ServiceNode,
    DelayNode,
    SubprocessNode,
    EndNode,
)

for _cls in BUILT_IN:
    node_type_registry.register(_cls())

__all__ = ["BUILT_IN", "NodeType"]
