"""The simulator: the path a request would take through a flow, explained, without writing anything.

Assumptions (stated in every result): each approval is approved (unless ``decisions``
says "reject" for a node), every parallel branch runs, every task starts at ``now``
(so timer due times are relative to ``now``), services and subprocesses are not
called. Missing form values read by a gateway condition never route silently: the
walk stops with a blocking issue naming the fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from platform_core.errors import PlatformError
from runtime.flows import rules_bridge
from runtime.flows.assignee_rules import Resolution, ResolveContext, resolve_assignees
from runtime.flows.errors import ApproverNotFound, AssigneeDataMissing, OrgCycleDetected
from runtime.flows.issues import Issue, make_issue
from runtime.flows.loader import load_flow
from runtime.flows.org import OrgDirectory
from runtime.flows.registries import node_type_registry
from runtime.flows.spec import EdgeSpec, FlowSpec, NodeSpec
from runtime.forms.spec import FieldInfo
from runtime.workcalendar import WorkCalendar

MAX_STEPS = 500  # far beyond any real flow; a guard against loops the verifier was not asked about
ASSUMPTIONS = ("every_task_approved_unless_told", "tasks_start_at_now", "services_not_called")


@dataclass
class SimStep:
    """One node on the simulated path."""

    node_id: str
    type: str
    name: Mapping[str, str]
    branch: str | None = None  # parallel branch path: edge ids from the split(s), "e7" or "e7/e9"
    status: str = ""
    mode: str | None = None
    threshold: float | None = None
    required_approvals: int | None = None
    approvers: Resolution | None = None
    auto_approved: dict[str, str] = field(default_factory=dict)  # user id -> "initiator" | "consecutive"
    gateway: dict[str, Any] | None = None
    timers: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the step as plain JSON."""
        return {
            "node_id": self.node_id,
            "type": self.type,
            "name": dict(self.name),
            "branch": self.branch,
            "status": self.status,
            "mode": self.mode,
            "threshold": self.threshold,
            "required_approvals": self.required_approvals,
            "approvers": self.approvers.as_dict() if self.approvers else None,
            "auto_approved": dict(self.auto_approved),
            "gateway": _json(self.gateway),
            "timers": _json(self.timers),
            "details": _json(self.details),
            "notes": _json(self.notes),
        }

    def signature(self) -> tuple[Any, ...]:
        """Return what two runs must share at this step to count as the same path."""
        return (self.node_id, self.status, tuple(self.approvers.users) if self.approvers else ())


def _json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_json(v) for v in value)
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # Decimal and friends from rule results


@dataclass(frozen=True)
class SimulationResult:
    """The simulated path, how it ended, and what blocked it."""

    steps: list[SimStep]
    outcome: str | None  # "approved" | "rejected" | None (blocked)
    end_node: str | None
    blocking: list[Issue]
    parallel: list[dict[str, Any]]
    now: str
    urgent: bool

    @property
    def path(self) -> list[str]:
        """Return the node ids in visiting order."""
        return [s.node_id for s in self.steps]

    @property
    def blocked(self) -> bool:
        """Return True when the request could not run to an end."""
        return bool(self.blocking)

    @property
    def skipped_urgent(self) -> list[str]:
        """Return the nodes skipped because the request is urgent."""
        return [s.node_id for s in self.steps if s.status == "skipped_urgent"]

    def step(self, node_id: str) -> SimStep:
        """Return the first step at ``node_id`` (KeyError when the path does not visit it)."""
        for step in self.steps:
            if step.node_id == node_id:
                return step
        raise KeyError(node_id)

    def as_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON."""
        return {
            "path": self.path,
            "steps": [s.as_dict() for s in self.steps],
            "outcome": self.outcome,
            "end_node": self.end_node,
            "blocked": self.blocked,
            "blocking": [i.as_dict() for i in self.blocking],
            "skipped_urgent": self.skipped_urgent,
            "parallel": _json(self.parallel),
            "now": self.now,
            "urgent": self.urgent,
            "assumptions": list(ASSUMPTIONS),
        }


class Walk:
    """The state of one simulation; node types call back into it from their ``simulate`` hooks."""

    def __init__(
        self,
        spec: FlowSpec,
        fields: Mapping[str, FieldInfo],
        org: OrgDirectory,
        ctx: ResolveContext,
        now: datetime,
        decisions: Mapping[str, str],
        calendar: WorkCalendar | None,
    ) -> None:
        self.spec = spec
        self.fields = fields
        self.org = org
        self.ctx = ctx
        self.now = now
        self.urgent = ctx.urgent
        self.decisions = decisions
        self.calendar = calendar
        self.data = ctx.rule_data(org)
        self.steps: list[SimStep] = []
        self.blocking: list[Issue] = []
        self.parallel: list[dict[str, Any]] = []
        self.outcome: str | None = None
        self.end_node: str | None = None
        self.previous_approvers: tuple[str, ...] = ()
        self._visited: set[tuple[str, str | None]] = set()

    @property
    def stopped(self) -> bool:
        """Return True once the path ended or was blocked."""
        return bool(self.blocking) or self.end_node is not None

    def finish(self, node: NodeSpec, outcome: str) -> None:
        """Record that the request ends at ``node`` with ``outcome``."""
        self.outcome = outcome
        self.end_node = node.id

    def block(self, step: SimStep | None, code: str, **params: Any) -> None:
        """Record a blocking issue and mark the step blocked."""
        if step is not None:
            step.status = "blocked"
            params.setdefault("node_id", step.node_id)
        self.blocking.append(make_issue(code, **params))

    def form_value(self, key: str) -> Any:
        """Return a (dotted) form value or None."""
        value: Any = self.ctx.form
        for part in key.split("."):
            if not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return value

    def context_value(self, path: str) -> Any:
        """Return the value of a rule variable path in the rule context."""
        value: Any = self.data
        for part in path.split("."):
            if isinstance(value, Mapping):
                value = value.get(part)
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return None
        return value

    def resolve(self, node: NodeSpec, step: SimStep) -> Resolution | None:
        """Resolve a node's people; on failure record a blocking issue and return None."""
        ctx = replace(self.ctx, previous_approvers=self.previous_approvers)
        try:
            return resolve_assignees(node, ctx, self.org)
        except AssigneeDataMissing as exc:
            self.block(step, "sim_missing_value", node=node.label, fields=exc.params.get("fields"))
        except ApproverNotFound as exc:
            step.approvers = Resolution([], list((exc.details or {}).get("trace", [])), None)
            self.block(step, "sim_approver_not_found", node=node.label, **_detail(exc))
        except OrgCycleDetected as exc:
            self.block(step, "sim_org_error", node=node.label, **_detail(exc))
        except PlatformError as exc:  # a dynamic rule that fails to evaluate
            self.block(step, "sim_rule_error", where=f"node “{node.label}”", **_detail(exc))
        return None

    def choose_branch(self, node: NodeSpec, step: SimStep) -> EdgeSpec | None:
        """Try the gateway's branches in priority order, recording every evaluation."""
        edges = self.spec.outgoing(node.id)
        evaluations: list[dict[str, Any]] = []
        step.gateway = {"evaluations": evaluations, "taken": None, "target": None, "reason": None}
        taken: EdgeSpec | None = None
        reason = None
        for order, edge in enumerate(e for e in edges if not e.is_default):
            record: dict[str, Any] = {
                "edge_id": edge.id,
                "target": edge.target,
                "order": order + 1,
                "priority": edge.priority,
                "rule": edge.condition,
            }
            evaluations.append(record)
            if edge.condition is None:
                record.update(values={}, result=True)
                taken, reason = edge, "unconditional"
                break
            try:
                paths = rules_bridge.variables(edge.condition)
                record["values"] = {p: self.context_value(p) for p in sorted(paths)}
                missing = rules_bridge.missing_form_values(edge.condition, self.data)
                if missing:
                    record["missing"] = missing
                    self.block(
                        step,
                        "sim_missing_value",
                        node=node.label,
                        fields=", ".join(missing),
                        edge_id=edge.id,
                        missing=missing,
                    )
                    return None
                result = rules_bridge.condition(edge.condition, self.data, self.calendar)
            except PlatformError as exc:
                self.block(
                    step,
                    "sim_rule_error",
                    where=f"connection “{edge.id}”",
                    **_detail(exc),
                    edge_id=edge.id,
                )
                return None
            record["result"] = bool(result)
            if result:
                taken, reason = edge, "first_match"
                break
        if taken is None:
            taken = next((e for e in edges if e.is_default), None)
            reason = "default" if taken is not None else None
        if taken is None:
            self.block(step, "sim_no_branch_matched", node=node.label)
            return None
        step.status = "decided"
        step.gateway.update(taken=taken.id, target=taken.target, reason=reason)
        return taken

    def evaluate_mapping(
        self, node: NodeSpec, mapping: Mapping[str, Any], step: SimStep, key: str
    ) -> dict[str, Any]:
        """Evaluate an input mapping (param -> rule); problems become notes, not blocks."""
        values: dict[str, Any] = {}
        for param, rule in mapping.items():
            try:
                missing = rules_bridge.missing_form_values(rule, self.data)
                if missing:
                    step.notes.append({"note": "missing_input", "param": f"{key}/{param}", "fields": missing})
                    values[param] = None
                    continue
                values[param] = rules_bridge.evaluate(rule, self.data, self.calendar)
            except PlatformError as exc:
                step.notes.append(
                    {"note": "input_error", "param": f"{key}/{param}", "detail": exc.formatted()}
                )
                values[param] = None
        return values

    def run(self) -> None:
        """Walk from the start node until an end, a block or the step limit."""
        start = self.spec.start
        if start is None:
            self.block(None, "start_missing")
            return
        self._run_from(start.id, None, at_join=False)

    def _run_from(self, node_id: str, branch: str | None, *, at_join: bool) -> str | None:
        """Walk from ``node_id``; return the join a parallel branch arrives at, else None."""
        current = node_id
        while not self.stopped:
            node = self.spec.node(current)
            if node.type == "parallel_join" and branch is not None and not at_join:
                return current  # this branch is done; the split's walk continues at the join
            at_join = False
            if len(self.steps) >= MAX_STEPS:
                self.block(None, "sim_too_long", limit=MAX_STEPS)
                return None
            if (current, branch) in self._visited:
                # Nothing changes between two visits in a simulation, so a second visit repeats forever.
                self.block(None, "sim_loop_detected", node=node.label, node_id=node.id)
                return None
            self._visited.add((current, branch))
            step = SimStep(node.id, node.type, dict(node.name), branch)
            self.steps.append(step)
            node_type = node_type_registry.get(node.type)
            edges = node_type.simulate(node, self, step)
            if edges is None or self.stopped:
                return None
            if not edges:
                self.block(step, "sim_dead_end", node=node.label)
                return None
            if node_type.branching != "parallel":
                current = edges[0].target
                continue
            join = self._run_branches(node, edges, branch, step)
            if join is None:
                return None
            current, at_join = join, True
        return None

    def _run_branches(
        self, split: NodeSpec, edges: list[EdgeSpec], branch: str | None, step: SimStep
    ) -> str | None:
        joins: list[str | None] = []
        record: dict[str, Any] = {"split": split.id, "join": None, "branches": {}}
        self.parallel.append(record)
        for edge in edges:
            label = f"{branch}/{edge.id}" if branch else edge.id
            first = len(self.steps)
            joins.append(self._run_from(edge.target, label, at_join=False))
            record["branches"][edge.id] = [s.node_id for s in self.steps[first:]]
            if self.stopped:
                return None
        if len(set(joins)) != 1 or joins[0] is None:
            self.block(step, "sim_parallel_not_joined", node=split.label)
            return None
        record["join"] = joins[0]
        return joins[0]


def _as_spec(flow: Mapping[str, Any] | FlowSpec) -> FlowSpec:
    return flow if isinstance(flow, FlowSpec) else load_flow(flow)


def _as_datetime(now: datetime | str | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if isinstance(now, str):
        return datetime.fromisoformat(now)
    return now


def simulate(
    flow: Mapping[str, Any] | FlowSpec,
    fields: Mapping[str, FieldInfo],
    *,
    data: Mapping[str, Any],
    initiator_id: str,
    org: OrgDirectory,
    urgent: bool = False,
    now: datetime | str | None = None,
    picks: Mapping[str, list[str]] | None = None,
    decisions: Mapping[str, str] | None = None,
    department_id: str | None = None,
    calendar: WorkCalendar | None = None,
) -> SimulationResult:
    """Return the path a request with ``data`` from ``initiator_id`` would take (raises FlowInvalid)."""
    spec = _as_spec(flow)
    moment = _as_datetime(now)
    ctx = ResolveContext(
        initiator_id,
        dict(data),
        department_id=department_id,
        urgent=urgent,
        now=moment.isoformat(),
        picks=dict(picks or {}),
        fields=fields,
    )
    walk = Walk(spec, fields, org, ctx, moment, dict(decisions or {}), calendar)
    if org.user(initiator_id) is None:
        walk.block(None, "sim_initiator_unknown", user=initiator_id)
    else:
        walk.run()
    return SimulationResult(
        walk.steps,
        walk.outcome if not walk.blocking else None,
        walk.end_node,
        walk.blocking,
        walk.parallel,
        moment.isoformat(),
        urgent,
    )


@dataclass(frozen=True)
class BatchItem:
    """One sample run through the draft and the published flow."""

    name: str
    draft: SimulationResult
    published: SimulationResult
    divergence: dict[str, Any] | None  # where the paths first differ; None when they agree

    @property
    def differs(self) -> bool:
        """Return True when the draft routes this sample differently."""
        return self.divergence is not None

    def as_dict(self) -> dict[str, Any]:
        """Return the comparison as plain JSON."""
        return {
            "name": self.name,
            "differs": self.differs,
            "divergence": _json(self.divergence),
            "draft": self.draft.as_dict(),
            "published": self.published.as_dict(),
        }


@dataclass(frozen=True)
class BatchResult:
    """Draft-versus-published comparison over sample requests."""

    items: list[BatchItem]

    @property
    def differing(self) -> list[BatchItem]:
        """Return the samples whose path changes."""
        return [i for i in self.items if i.differs]

    def as_dict(self) -> dict[str, Any]:
        """Return the comparison as plain JSON."""
        return {
            "items": [i.as_dict() for i in self.items],
            "differing": len(self.differing),
            "total": len(self.items),
        }


def first_divergence(draft: SimulationResult, published: SimulationResult) -> dict[str, Any] | None:
    """Return where two simulated paths first differ (node, status or approvers), else None."""
    for index in range(max(len(draft.steps), len(published.steps))):
        a = draft.steps[index] if index < len(draft.steps) else None
        b = published.steps[index] if index < len(published.steps) else None
        if a is not None and b is not None and a.signature() == b.signature():
            continue
        if a is None or b is None or a.node_id != b.node_id:
            reason = "different_node"
        elif a.status != b.status:
            reason = "different_status"
        else:
            reason = "different_approvers"
        return {
            "index": index,
            "reason": reason,
            "node_id": a.node_id if a is not None else b.node_id if b is not None else None,
            "draft": _brief(a),
            "published": _brief(b),
        }
    if (draft.outcome, [i.code for i in draft.blocking]) != (
        published.outcome,
        [i.code for i in published.blocking],
    ):
        return {
            "index": len(draft.steps),
            "reason": "different_outcome",
            "node_id": None,
            "draft": {"outcome": draft.outcome, "blocking": [i.code for i in draft.blocking]},
            "published": {"outcome": published.outcome, "blocking": [i.code for i in published.blocking]},
        }
    return None


def _brief(step: SimStep | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {
        "node_id": step.node_id,
        "status": step.status,
        "approvers": list(step.approvers.users) if step.approvers else [],
    }


def simulate_batch(
    draft_flow: Mapping[str, Any] | FlowSpec,
    published_flow: Mapping[str, Any] | FlowSpec,
    fields: Mapping[str, FieldInfo],
    samples: Iterable[Mapping[str, Any]],
    org: OrgDirectory,
    *,
    now: datetime | str | None = None,
) -> BatchResult:
    """Run each sample (``{"name", "data", "initiator_id", "urgent"?, "picks"?}``) through both flows."""
    draft, published = _as_spec(draft_flow), _as_spec(published_flow)
    moment = _as_datetime(now)  # one clock for both runs, so timers compare equal
    items = []
    for index, sample in enumerate(samples):
        kwargs: dict[str, Any] = {
            "data": sample.get("data") or {},
            "initiator_id": sample["initiator_id"],
            "org": org,
            "urgent": bool(sample.get("urgent", False)),
            "now": moment,
            "picks": sample.get("picks"),
            "decisions": sample.get("decisions"),
            "department_id": sample.get("department_id"),
        }
        a = simulate(draft, fields, **kwargs)
        b = simulate(published, fields, **kwargs)
        items.append(BatchItem(str(sample.get("name", index + 1)), a, b, first_divergence(a, b)))
    return BatchResult(items)


def _detail(exc: PlatformError) -> dict[str, Any]:
    """An error inside an issue: its English text as ``detail``, and its msgid and parameters so the
    API can translate it with the issue (runtime/definitions/verification.py:format_message)."""
    return {"detail": exc.formatted(), "detail_message": exc.message, "detail_params": dict(exc.params or {})}
