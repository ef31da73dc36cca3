"""Flow definitions: format, registries, assignee resolution, verifier and simulator (pure Python).

No Django imports here or below: the engine, the designer's simulator and the publish
check all run this code over plain data. See ``docs/flows.md`` for the format.
"""

from __future__ import annotations

from runtime.flows import approval_modes, assignee_rules, node_types  # noqa: F401  (fill the registries)
from runtime.flows.assignee_rules import (
    FLOW_ADMIN_ROLE,
    Resolution,
    ResolveContext,
    resolve_assignees,
)
from runtime.flows.errors import (
    ApproverFallbackEmpty,
    ApproverNotFound,
    AssigneeDataMissing,
    AssigneeResolutionError,
    FlowInvalid,
    FlowSchemaVersionUnsupported,
    OrgCycleDetected,
)
from runtime.flows.issues import CATALOGUE, ERROR, WARNING, Issue, has_errors
from runtime.flows.loader import dump_flow, load_flow, migrate
from runtime.flows.org import DeptFacts, InMemoryOrg, OrgDirectory, UserFacts
from runtime.flows.registries import approval_mode_registry, assignee_rule_registry, node_type_registry
from runtime.flows.settings import TaskSettings, TimerSpec
from runtime.flows.simulate import BatchItem, BatchResult, SimStep, SimulationResult, simulate, simulate_batch
from runtime.flows.spec import CURRENT_SCHEMA_VERSION, EdgeSpec, FlowSpec, NodeSpec
from runtime.flows.verify import verify

__all__ = [
    "CATALOGUE",
    "CURRENT_SCHEMA_VERSION",
    "ERROR",
    "FLOW_ADMIN_ROLE",
    "WARNING",
    "ApproverFallbackEmpty",
    "ApproverNotFound",
    "AssigneeDataMissing",
    "AssigneeResolutionError",
    "BatchItem",
    "BatchResult",
    "DeptFacts",
    "EdgeSpec",
    "FlowInvalid",
    "FlowSchemaVersionUnsupported",
    "FlowSpec",
    "InMemoryOrg",
    "Issue",
    "NodeSpec",
    "OrgCycleDetected",
    "OrgDirectory",
    "Resolution",
    "ResolveContext",
    "SimStep",
    "SimulationResult",
    "TaskSettings",
    "TimerSpec",
    "UserFacts",
    "approval_mode_registry",
    "assignee_rule_registry",
    "dump_flow",
    "has_errors",
    "load_flow",
    "migrate",
    "node_type_registry",
    "resolve_assignees",
    "simulate",
    "simulate_batch",
    "verify",
]
