"""The registries of flow building blocks (pure Python).

Each is a :class:`~platform_core.registry.Registry` singleton. The engine package has
no Django ``AppConfig`` of its own, so the built-in types register themselves when
``runtime.flows`` is imported; an app adding a type registers it in its ``ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from platform_core.registry import Registry

if TYPE_CHECKING:
    from runtime.flows.approval_modes import ApprovalMode
    from runtime.flows.assignee_rules import AssigneeRule
    from runtime.flows.node_types.base import NodeType

node_type_registry: Registry[NodeType] = Registry("node")
approval_mode_registry: Registry[ApprovalMode] = Registry("approval mode")
assignee_rule_registry: Registry[AssigneeRule] = Registry("assignee rule")
