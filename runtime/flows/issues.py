"""Verification issues: one stable code per problem, with a message template (pure Python).

Issue codes are API contract: the designer highlights nodes, edges and fields by them
and the API returns them as they are. Templates are English gettext msgids with
``%(name)s`` parameters; the API layer translates them for the request's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from platform_core.errors import gettext_noop as _

ERROR = "error"
WARNING = "warning"

# code -> (default severity, message template). Every code the verifier and the
# simulator can report is listed here, and only here.
CATALOGUE: dict[str, tuple[str, str]] = {
    # document shape
    "flow_document_invalid": (ERROR, _("The flow document is not valid at %(path)s: %(detail)s")),
    "flow_schema_version_unsupported": (
        ERROR,
        _("The flow format version %(version)s is not supported (this server reads up to %(current)s)."),
    ),
    "node_invalid": (ERROR, _("Node number %(index)s is not valid at %(path)s: %(detail)s")),
    "edge_invalid": (ERROR, _("Connection number %(index)s is not valid at %(path)s: %(detail)s")),
    "duplicate_node_id": (ERROR, _("Two nodes have the same id “%(id)s”; ids must be unique.")),
    "duplicate_edge_id": (ERROR, _("Two connections have the same id “%(id)s”; ids must be unique.")),
    "unknown_node_type": (ERROR, _("Node “%(node)s” has an unknown type “%(type)s”.")),
    "node_config_invalid": (
        ERROR,
        _("The settings of node “%(node)s” are not valid at %(path)s: %(detail)s"),
    ),
    "edge_source_unknown": (
        ERROR,
        _("Connection “%(edge)s” starts at a node that does not exist (“%(source)s”)."),
    ),
    "edge_target_unknown": (
        ERROR,
        _("Connection “%(edge)s” leads to a node that does not exist (“%(target)s”)."),
    ),
    "layout_unknown_node": (WARNING, _("The canvas layout mentions a node that does not exist (“%(id)s”).")),
    "node_name_missing": (WARNING, _("Node “%(node)s” has no name; approvers see the name in their inbox.")),
    # graph
    "start_missing": (ERROR, _("The flow has no start node; add one.")),
    "start_multiple": (ERROR, _("The flow has %(count)s start nodes; keep exactly one.")),
    "end_missing": (ERROR, _("The flow has no end node; add one.")),
    "start_has_incoming": (ERROR, _("The start node cannot have incoming connections (from “%(source)s”).")),
    "end_has_outgoing": (ERROR, _("End node “%(node)s” cannot have outgoing connections.")),
    "node_unreachable": (
        ERROR,
        _("Node “%(node)s” can never be reached from the start; connect it or delete it."),
    ),
    "node_dead_end": (
        ERROR,
        _("Node “%(node)s” has no outgoing connection; connect it to the next step or an end."),
    ),
    "node_cannot_reach_end": (ERROR, _("From node “%(node)s” the flow can never reach an end.")),
    "cycle_without_exit": (
        ERROR,
        _("The nodes %(nodes)s form a loop with no way out; add a branch that leaves the loop."),
    ),
    "self_loop": (ERROR, _("Connection “%(edge)s” leads from node “%(node)s” back to itself.")),
    "cycle_without_wait_state": (
        ERROR,
        _("The loop %(nodes)s has no approval or waiting step, so it would repeat forever without a change."),
    ),
    "multiple_outgoing_edges": (
        ERROR,
        _(
            "Node “%(node)s” has %(count)s outgoing connections; use an exclusive or parallel gateway to "
            "branch."
        ),
    ),
    "condition_not_allowed": (
        ERROR,
        _("Connection “%(edge)s” has a condition, but only connections leaving an exclusive gateway can."),
    ),
    "default_not_allowed": (
        ERROR,
        _(
            "Connection “%(edge)s” is marked as default, but only connections leaving an exclusive gateway "
            "can be."
        ),
    ),
    "gateway_no_default": (
        ERROR,
        _(
            "Exclusive gateway “%(node)s” has no default branch and its conditions may not cover every "
            "case; mark one branch as default."
        ),
    ),
    "gateway_multiple_defaults": (
        ERROR,
        _("Exclusive gateway “%(node)s” has %(count)s default branches; keep one."),
    ),
    "default_edge_has_condition": (
        ERROR,
        _(
            "Default branch “%(edge)s” also has a condition; a default branch is taken when no condition "
            "matches."
        ),
    ),
    "gateway_branch_without_condition": (
        ERROR,
        _(
            "Branch “%(edge)s” of exclusive gateway “%(node)s” has no condition; add one or make it the "
            "default."
        ),
    ),
    "gateway_single_branch": (
        WARNING,
        _("Exclusive gateway “%(node)s” has only one branch; it decides nothing."),
    ),
    "gateway_priority_tie": (
        WARNING,
        _(
            "Branches %(edges)s of gateway “%(node)s” have the same priority %(priority)s; they are tried "
            "in drawing order."
        ),
    ),
    "parallel_split_not_joined": (
        ERROR,
        _("The branches of parallel split “%(node)s” do not all meet at one parallel join (%(detail)s)."),
    ),
    "parallel_split_single_branch": (WARNING, _("Parallel split “%(node)s” has only one branch.")),
    "parallel_join_without_split": (ERROR, _("Parallel join “%(node)s” does not close any parallel split.")),
    "parallel_join_n_invalid": (
        ERROR,
        _("Parallel join “%(node)s” waits for %(n)s branches but only %(branches)s arrive."),
    ),
    # rules
    "rule_invalid": (ERROR, _("The rule at %(where)s is not valid: %(detail)s")),
    "rule_unknown_variable": (
        ERROR,
        _(
            "The rule at %(where)s reads “%(var)s”, which does not exist (form fields are read as "
            "“form.<field>”)."
        ),
    ),
    "rule_unknown_field": (
        ERROR,
        _("The rule at %(where)s reads form field “%(field)s”, which the form does not have."),
    ),
    "rule_type_mismatch": (
        ERROR,
        _("The rule at %(where)s compares %(kind)s field “%(field)s” with %(value)s (%(value_kind)s)."),
    ),
    "rule_unknown_dictionary_code": (
        ERROR,
        _(
            "The rule at %(where)s compares field “%(field)s” with “%(value)s”, which is not a code of "
            "dictionary “%(dictionary)s”."
        ),
    ),
    "rule_unknown_option": (
        ERROR,
        _(
            "The rule at %(where)s compares field “%(field)s” with “%(value)s”, which is not one of its "
            "options."
        ),
    ),
    # fields
    "field_right_unknown_field": (
        ERROR,
        _("Node “%(node)s” sets a permission on field “%(field)s”, which the form does not have."),
    ),
    "field_right_invalid": (
        ERROR,
        _(
            "Node “%(node)s” gives field “%(field)s” the permission “%(right)s”; use editable, read_only "
            "or hidden."
        ),
    ),
    "required_field_not_editable_at_start": (
        ERROR,
        _(
            "Field “%(field)s” is required but is %(right)s at the start node, so the form could never be "
            "submitted."
        ),
    ),
    "assignee_field_unknown": (
        ERROR,
        _("Node “%(node)s” takes its assignee from field “%(field)s”, which the form does not have."),
    ),
    "assignee_field_wrong_kind": (
        ERROR,
        _(
            "Node “%(node)s” takes its assignee from field “%(field)s”, which is a %(kind)s field, not a "
            "user or department field."
        ),
    ),
    "mapping_field_unknown": (
        ERROR,
        _("Node “%(node)s” maps field “%(field)s” (%(path)s), which the form does not have."),
    ),
    "deadline_field_unknown": (
        ERROR,
        _("Node “%(node)s” takes its deadline from field “%(field)s”, which the form does not have."),
    ),
    "deadline_field_wrong_kind": (
        ERROR,
        _("Node “%(node)s” takes its deadline from field “%(field)s”, which is a %(kind)s field, not a date."),
    ),
    "delay_field_wrong_kind": (
        ERROR,
        _("Delay node “%(node)s” waits until field “%(field)s”, which is not a date."),
    ),
    # tasks
    "task_without_assignees": (
        ERROR,
        _("Node “%(node)s” does not say who it goes to; add at least one assignee rule."),
    ),
    "approval_mode_unknown": (ERROR, _("Node “%(node)s” uses an unknown approval mode “%(mode)s”.")),
    "approval_threshold_invalid": (
        ERROR,
        _(
            "Node “%(node)s” uses percentage approval and needs a threshold between 1 and 100 (got "
            "%(threshold)s)."
        ),
    ),
    "assignee_rule_unknown": (ERROR, _("Node “%(node)s” uses an unknown assignee rule “%(rule)s”.")),
    "assignee_rule_invalid": (
        ERROR,
        _("Assignee rule %(index)s of node “%(node)s” is not valid at %(path)s: %(detail)s"),
    ),
    "initiator_task_deduped": (
        WARNING,
        _(
            "Node “%(node)s” is assigned to the initiator but skips tasks of the initiator, so it always "
            "approves itself; turn off one of the two."
        ),
    ),
    # timers
    "timer_not_positive": (ERROR, _("Node “%(node)s”: %(what)s must be a positive number (got %(value)s).")),
    "timer_reminder_cap": (
        ERROR,
        _("Node “%(node)s” repeats reminders; set a maximum between 1 and %(cap)s (got %(max)s)."),
    ),
    "timer_duplicate": (ERROR, _("Node “%(node)s” has more than one “%(kind)s” timer.")),
    "timer_after_timeout": (
        WARNING,
        _("Node “%(node)s”: the %(kind)s timer fires after the timeout action, so it never runs."),
    ),
    # organisation
    "assignee_user_unknown": (
        ERROR,
        _("Node “%(node)s” is assigned to user “%(user)s”, who does not exist."),
    ),
    "assignee_user_inactive": (
        WARNING,
        _("Node “%(node)s” is assigned to %(user)s, who is no longer active."),
    ),
    "role_without_members": (
        WARNING,
        _("Node “%(node)s” uses role “%(role)s”, which has no active members."),
    ),
    "position_without_members": (
        WARNING,
        _("Node “%(node)s” uses position “%(position)s”, which nobody holds."),
    ),
    "approvers_unresolvable": (
        ERROR,
        _(
            "Node “%(node)s” finds no active approver for requests from %(departments)s; such requests "
            "would stop there."
        ),
    ),
    "approvers_fallback_used": (
        WARNING,
        _(
            "Node “%(node)s” finds no active approver for requests from %(departments)s; its "
            "“%(fallback)s” fallback applies."
        ),
    ),
    "self_approval_risk": (
        WARNING,
        _("At node “%(node)s” %(users)s would approve their own requests."),
    ),
    "consecutive_duplicate_approver": (
        WARNING,
        _(
            "%(users)s would approve twice in a row (nodes “%(previous)s” and “%(node)s”); consider "
            "auto-approving repeats."
        ),
    ),
    "org_cycle": (
        ERROR,
        _("Resolving node “%(node)s” runs into a loop in the organisation data: %(detail)s"),
    ),
    # simulation (blocking)
    "sim_missing_value": (
        ERROR,
        _("The route cannot be decided at “%(node)s”: the form has no value for %(fields)s."),
    ),
    "sim_no_branch_matched": (ERROR, _("No branch of gateway “%(node)s” matches and there is no default.")),
    "sim_approver_not_found": (ERROR, _("Nobody can handle node “%(node)s”: %(detail)s")),
    "sim_rule_error": (ERROR, _("A rule at %(where)s could not be evaluated: %(detail)s")),
    "sim_loop_detected": (
        ERROR,
        _("The route returns to node “%(node)s” without any change; it would loop forever."),
    ),
    "sim_initiator_unknown": (ERROR, _("The initiator “%(user)s” does not exist in the organisation.")),
    "sim_org_error": (ERROR, _("Resolving node “%(node)s” failed: %(detail)s")),
    "sim_parallel_not_joined": (
        ERROR,
        _("The branches of parallel split “%(node)s” do not meet at one join."),
    ),
    "sim_dead_end": (ERROR, _("The route stops at node “%(node)s”, which leads nowhere.")),
    "sim_too_long": (ERROR, _("The route is longer than %(limit)s steps; the flow probably loops.")),
}


@dataclass(frozen=True)
class Issue:
    """One problem found in a flow: a stable code, a severity and where it is."""

    code: str
    severity: str
    message: str  # English template (gettext msgid) with %(name)s parameters
    params: Mapping[str, Any] = field(default_factory=dict)
    node_id: str | None = None
    edge_id: str | None = None
    field: str | None = None

    def formatted(self, translate: Any = None) -> str:
        """Return the message filled with its parameters, translated by ``translate`` when given."""
        template = translate(self.message) if translate else self.message
        try:
            return template % dict(self.params)
        except (KeyError, TypeError, ValueError):
            return template

    def as_dict(self) -> dict[str, Any]:
        """Return the issue as plain JSON."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "text": self.formatted(),
            "params": _plain(dict(self.params)),
            "node_id": self.node_id,
            "edge_id": self.edge_id,
            "field": self.field,
        }


def make_issue(
    code: str,
    *,
    node_id: str | None = None,
    edge_id: str | None = None,
    field: str | None = None,
    severity: str | None = None,
    **params: Any,
) -> Issue:
    """Build an :class:`Issue` with the catalogue's template and default severity."""
    default_severity, template = CATALOGUE[code]
    if field is not None:
        params.setdefault("field", field)
    return Issue(code, severity or default_severity, template, params, node_id, edge_id, field)


def has_errors(issues: list[Issue]) -> bool:
    """Return True when any issue is an error (publishing is refused)."""
    return any(i.severity == ERROR for i in issues)


def _plain(value: Any) -> Any:
    # Params may hold tuples or sets; JSON wants lists (sets sorted for stable output).
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    return value
