"""Nodes that involve people: approval (审批), handle (办理) and cc (抄送)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from runtime.flows.approval_modes import APPROVED, REJECTED
from runtime.flows.issues import Issue
from runtime.flows.node_types.base import FIELD_RIGHTS_SCHEMA, NodeType, config_path, issue_for
from runtime.flows.registries import approval_mode_registry, assignee_rule_registry
from runtime.flows.settings import ON_EMPTY_CHOICES, TaskSettings
from runtime.flows.spec import EdgeSpec, NodeSpec
from runtime.flows.timers import (
    DEADLINE_FIELD_KINDS,
    DEADLINE_SCHEMA,
    TIMER_SCHEMA,
    check_timers,
    plan_deadline,
    plan_timers,
)

if TYPE_CHECKING:
    from runtime.flows.simulate import SimStep, Walk

# Each assignee object is checked against its own rule's schema in check_config, so
# the node schema only requires the discriminator.
_ASSIGNEES = {
    "type": "array",
    "items": {"type": "object", "required": ["rule"], "properties": {"rule": {"type": "string"}}},
}

TASK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "mode": {"type": "string"},
        "threshold": {"type": "number"},  # percent of assignees, for mode "percentage"
        "assignees": _ASSIGNEES,
        "on_empty": {"enum": list(ON_EMPTY_CHOICES)},
        "admin": {"type": "string", "minLength": 1},  # the "admin" fallback's user; default: role flow_admin
        "dedupe": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"consecutive": {"type": "boolean"}, "initiator": {"type": "boolean"}},
        },
        "skippable_when_urgent": {"type": "boolean"},
        "fields": FIELD_RIGHTS_SCHEMA,
        "timers": {"type": "array", "items": TIMER_SCHEMA},
        "deadline": DEADLINE_SCHEMA,
    },
}


def check_assignees(node: NodeSpec, key: str, assignees: list[Mapping[str, Any]]) -> list[Issue]:
    """Return issues for a missing list, unknown rules and rule objects that break their schema."""
    if not assignees:
        return [issue_for("task_without_assignees", node)]
    issues = []
    for index, spec in enumerate(assignees):
        name = str(spec.get("rule"))
        if name not in assignee_rule_registry:
            issues.append(issue_for("assignee_rule_unknown", node, rule=name))
            continue
        for error in assignee_rule_registry.get(name).validator().iter_errors(dict(spec)):
            issues.append(
                issue_for(
                    "assignee_rule_invalid",
                    node,
                    index=index + 1,
                    path=config_path(key, index, *error.absolute_path),
                    detail=error.message,
                )
            )
    return issues


def assignee_rules_of(node: NodeSpec) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Yield ``(index, rule object)`` for the node's assignee (or recipient) rules that are valid."""
    # Invalid rule objects are reported by check_assignees; the other checks skip them.
    for index, spec in enumerate(TaskSettings.from_node(node).assignees):
        if isinstance(spec, Mapping) and spec.get("rule") in assignee_rule_registry:
            if assignee_rule_registry.get(str(spec["rule"])).validator().is_valid(dict(spec)):
                yield index, spec


class PeopleNode(NodeType):
    """Shared hooks of nodes whose config lists assignee rules."""

    has_people = True
    people_key = "assignees"

    def rules(self, node: NodeSpec) -> Iterator[tuple[str, Any]]:
        """Yield the JSON-logic rules inside assignee rules (dynamic selection)."""
        for index, spec in assignee_rules_of(node):
            for key, rule in assignee_rule_registry.get(spec["rule"]).rules(spec):
                yield config_path(self.people_key, index, key), rule

    def field_refs(self, node: NodeSpec) -> Iterator[tuple[str, str, tuple[str, ...] | None]]:
        """Yield the form fields assignee rules read (user or department fields)."""
        for index, spec in assignee_rules_of(node):
            for key, field_key in assignee_rule_registry.get(spec["rule"]).field_refs(spec):
                yield config_path(self.people_key, index, key), field_key, ("user", "department")
        deadline = TaskSettings.from_node(node).deadline
        if deadline is not None:
            yield "deadline/field", deadline.field, DEADLINE_FIELD_KINDS
            if deadline.start_field:
                yield "deadline/start_field", deadline.start_field, DEADLINE_FIELD_KINDS


class ApprovalNode(PeopleNode):
    type = "approval"
    label = {"zh": "审批", "en": "Approval"}
    config_schema = TASK_SCHEMA
    waits = True
    decision_status = "approved"

    def check_config(self, node: NodeSpec) -> list[Issue]:
        """Check assignees, mode, threshold and timers."""
        settings = TaskSettings.from_node(node)
        issues = check_assignees(node, "assignees", list(settings.assignees))
        if settings.mode not in approval_mode_registry:
            issues.append(issue_for("approval_mode_unknown", node, mode=settings.mode))
        elif approval_mode_registry.get(settings.mode).needs_threshold:
            if settings.threshold is None or not 0 < settings.threshold <= 100:
                issues.append(issue_for("approval_threshold_invalid", node, threshold=settings.threshold))
        if settings.dedupe_initiator and any(spec.get("rule") == "initiator" for spec in settings.assignees):
            issues.append(issue_for("initiator_task_deduped", node))
        return issues + check_timers(node, settings.timers)

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """Resolve the approvers, apply urgent skip and de-duplication, assume the decision."""
        settings = TaskSettings.from_node(node)
        mode = approval_mode_registry.get(settings.mode)
        step.mode = settings.mode
        step.threshold = settings.threshold
        if walk.urgent and settings.skippable_when_urgent:
            step.status = "skipped_urgent"
            return walk.spec.outgoing(node.id)
        resolution = walk.resolve(node, step)
        if resolution is None:
            return None
        step.approvers = resolution
        if resolution.fallback_used == "skip":
            step.status = "skipped_empty"
            return walk.spec.outgoing(node.id)
        users = resolution.users
        for user_id in users:
            if settings.dedupe_initiator and user_id == walk.ctx.initiator_id:
                step.auto_approved[user_id] = "initiator"
            elif settings.dedupe_consecutive and user_id in walk.previous_approvers:
                step.auto_approved[user_id] = "consecutive"
        step.required_approvals = mode.required_approvals(len(users), settings.threshold)
        if len(users) > 1 and settings.mode == "single":
            step.notes.append({"note": "single_mode_several_people", "count": len(users)})
        automatic = mode.outcome(len(step.auto_approved), 0, len(users), settings.threshold)
        walk.previous_approvers = tuple(users)
        if automatic == APPROVED:
            step.status = "auto_approved"
            return walk.spec.outgoing(node.id)
        step.timers = list(plan_timers(settings.timers, walk.now, walk.calendar))
        if settings.deadline is not None:
            step.timers += plan_deadline(
                settings.deadline, walk.form_value(settings.deadline.field), walk.now, walk.calendar
            )[1]
        if walk.decisions.get(node.id) == "reject":
            step.status = REJECTED
            walk.finish(node, REJECTED)
            return None
        step.status = self.decision_status
        return walk.spec.outgoing(node.id)


class HandleNode(ApprovalNode):
    # 办理: the assignee does the work and completes the task; same settings as approval.
    type = "handle"
    label = {"zh": "办理", "en": "Handle"}
    decision_status = "handled"


class CcNode(PeopleNode):
    type = "cc"
    label = {"zh": "抄送", "en": "Copy to"}
    people_key = "recipients"
    config_schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"recipients": _ASSIGNEES, "fields": FIELD_RIGHTS_SCHEMA},
    }

    def check_config(self, node: NodeSpec) -> list[Issue]:
        """A cc needs recipients."""
        return check_assignees(node, "recipients", list(node.config.get("recipients") or []))

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """Resolve the recipients; a copy never blocks the flow."""
        resolution = walk.resolve(node, step)
        if resolution is None:
            return None
        step.approvers = resolution
        step.status = "copied"
        return walk.spec.outgoing(node.id)
