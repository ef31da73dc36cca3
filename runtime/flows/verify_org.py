"""Checks of a flow against the live organisation: members, resolvability, self-approval, repeats."""

from __future__ import annotations

from runtime.flows.assignee_rules import ResolveContext, collect_assignees, fallback_admins
from runtime.flows.errors import AssigneeResolutionError, OrgCycleDetected
from runtime.flows.issues import Issue, make_issue
from runtime.flows.node_types.tasks import assignee_rules_of
from runtime.flows.org import OrgDirectory
from runtime.flows.registries import assignee_rule_registry, node_type_registry
from runtime.flows.rule_checks import config_ok
from runtime.flows.settings import PEOPLE_NODE_TYPES, TASK_NODE_TYPES, TaskSettings
from runtime.flows.spec import FlowSpec, NodeSpec

MAX_LISTED = 10  # names listed in a message; the params carry the full list
# Per node and department: the users found, or None when the node's rules depend on the
# person or the data (manager chain, form field, ...) and cannot be tried in advance.
Table = dict[str, dict[str, list[str]] | None]


def _people_nodes(spec: FlowSpec, *types: str) -> list[NodeSpec]:
    # Nodes with a malformed config are reported elsewhere; their settings cannot be trusted here.
    return [n for n in spec.nodes_of_type(*types) if config_ok(n)]


def _names(names: list[str]) -> str:
    shown = "、".join(names[:MAX_LISTED])
    return shown if len(names) <= MAX_LISTED else f"{shown} (+{len(names) - MAX_LISTED})"


def org_issues(spec: FlowSpec, org: OrgDirectory) -> list[Issue]:
    """Return the issues found by looking at the organisation's current members."""
    issues = _named_members(spec, org)
    table, cycle_issues = _resolve_table(spec, org)
    issues += cycle_issues
    issues += _unresolvable(spec, org, table)
    issues += _self_approval(spec, org, table)
    issues += consecutive_duplicates(spec, org, table)
    return issues


def _named_members(spec: FlowSpec, org: OrgDirectory) -> list[Issue]:
    issues: list[Issue] = []
    for node in _people_nodes(spec, *PEOPLE_NODE_TYPES):
        roles: list[str] = []
        for _index, rule_spec in assignee_rules_of(node):
            rule = assignee_rule_registry.get(rule_spec["rule"])
            for user_id in rule.users(rule_spec):
                user = org.user(user_id)
                if user is None:
                    issues.append(
                        make_issue("assignee_user_unknown", node_id=node.id, node=node.label, user=user_id)
                    )
                elif not user.active:
                    issues.append(
                        make_issue("assignee_user_inactive", node_id=node.id, node=node.label, user=user.name)
                    )
            roles += list(rule.roles(rule_spec))
            for position in rule.positions(rule_spec):
                if not any(u.active for u in org.users_with_position(position)):
                    issues.append(
                        make_issue(
                            "position_without_members", node_id=node.id, node=node.label, position=position
                        )
                    )
        if node.type in TASK_NODE_TYPES:
            roles += [
                t.to
                for t in TaskSettings.from_node(node).timers
                if t.kind == "escalate" and t.to and t.to != "manager"
            ]
        for role in dict.fromkeys(roles):
            if not any(u.active for u in org.users_with_role(role)):
                issues.append(make_issue("role_without_members", node_id=node.id, node=node.label, role=role))
    return issues


def _resolve_table(spec: FlowSpec, org: OrgDirectory) -> tuple[Table, list[Issue]]:
    """Resolve every task node for a request from each department (rules permitting)."""
    table: Table = {}
    issues: list[Issue] = []
    departments = org.departments()
    for node in _people_nodes(spec, *TASK_NODE_TYPES):
        rules = [assignee_rule_registry.get(s["rule"]) for _i, s in assignee_rules_of(node)]
        if not rules or any(r.depends_on not in ("constant", "department") for r in rules):
            table[node.id] = None
            continue
        row: dict[str, list[str]] = {}
        for dept in departments:
            try:
                users, _trace = collect_assignees(node, ResolveContext(None, department_id=dept.id), org)
            except OrgCycleDetected as exc:
                issues.append(
                    make_issue(
                        "org_cycle",
                        node_id=node.id,
                        node=node.label,
                        detail=f"{exc.params.get('kind')}: {exc.params.get('chain')}",
                    )
                )
                row = {}
                break
            except AssigneeResolutionError:
                users = []
            row[dept.id] = users
        table[node.id] = row
    return table, issues


def _unresolvable(spec: FlowSpec, org: OrgDirectory, table: Table) -> list[Issue]:
    issues = []
    for node in _people_nodes(spec, *TASK_NODE_TYPES):
        row = table.get(node.id)
        if not row:
            continue
        empty = [d for d in org.departments() if not row.get(d.id)]
        if not empty:
            continue
        names = [d.name for d in empty]
        params = {"node": node.label, "departments": _names(names), "department_ids": [d.id for d in empty]}
        on_empty = TaskSettings.from_node(node).on_empty
        if on_empty == "skip":
            issues.append(make_issue("approvers_fallback_used", node_id=node.id, fallback="skip", **params))
        elif on_empty == "admin" and fallback_admins(node, org):
            issues.append(make_issue("approvers_fallback_used", node_id=node.id, fallback="admin", **params))
        else:
            reason = "no_admin_to_fall_back_to" if on_empty == "admin" else "set_to_stop"
            issues.append(make_issue("approvers_unresolvable", node_id=node.id, reason=reason, **params))
    return issues


def _self_approval(spec: FlowSpec, org: OrgDirectory, table: Table) -> list[Issue]:
    # Anyone can start a request from their own department, so a user found for their
    # own department would be asked to approve their own request.
    issues = []
    for node in _people_nodes(spec, "approval"):
        row = table.get(node.id)
        if not row:
            continue
        selves: list[str] = []
        for dept_id, users in row.items():
            for user_id in users:
                user = org.user(user_id)
                if user is not None and user.department_id == dept_id and user_id not in selves:
                    selves.append(user_id)
        if selves:
            names = [u.name if (u := org.user(i)) else i for i in selves]
            issues.append(
                make_issue(
                    "self_approval_risk",
                    node_id=node.id,
                    node=node.label,
                    users=_names(names),
                    user_ids=selves,
                    auto_approve=TaskSettings.from_node(node).dedupe_initiator,
                )
            )
    return issues


def previous_task_nodes(spec: FlowSpec, node: NodeSpec) -> list[NodeSpec]:
    """Return the task nodes right before ``node``, looking back through gateways and copies."""
    found: list[NodeSpec] = []
    seen = {node.id}
    stack = [e.source for e in spec.incoming(node.id)]
    while stack:
        current = spec.node(stack.pop())
        if current.id in seen:
            continue
        seen.add(current.id)
        if current.type in TASK_NODE_TYPES:
            if config_ok(current):
                found.append(current)
        elif current.type in node_type_registry and not node_type_registry.get(current.type).waits_at(
            current
        ):
            stack += [e.source for e in spec.incoming(current.id)]
    return found


def consecutive_duplicates(spec: FlowSpec, org: OrgDirectory | None, table: Table | None) -> list[Issue]:
    """Warn when one person would decide two task nodes in a row and the second does not auto-approve."""
    issues = []
    for node in _people_nodes(spec, *TASK_NODE_TYPES):
        if TaskSettings.from_node(node).dedupe_consecutive:
            continue
        for previous in previous_task_nodes(spec, node):
            if org is None or table is None:
                same = TaskSettings.from_node(previous).assignees == TaskSettings.from_node(node).assignees
                if same:
                    issues.append(
                        make_issue(
                            "consecutive_duplicate_approver",
                            node_id=node.id,
                            node=node.label,
                            previous=previous.label,
                            users="the same assignees",
                            user_ids=[],
                        )
                    )
                continue
            row, prev_row = table.get(node.id), table.get(previous.id)
            if not row or not prev_row:
                continue
            repeated: list[str] = []
            for dept_id, users in row.items():
                repeated += [u for u in users if u in prev_row.get(dept_id, []) and u not in repeated]
            if repeated:
                names = [u.name if (u := org.user(i)) else i for i in repeated]
                issues.append(
                    make_issue(
                        "consecutive_duplicate_approver",
                        node_id=node.id,
                        node=node.label,
                        previous=previous.label,
                        users=_names(names),
                        user_ids=repeated,
                    )
                )
    return issues
