"""Moving tokens through the graph: what each node type does when a branch arrives.

:class:`Runner` emits events (folding each into ``self.state`` at once, so later
decisions in the same step see it) and collects effects. Command handling builds on
it in ``runtime.engine.core``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from platform_core.errors import PlatformError
from runtime import rules
from runtime.engine.context import EngineContext
from runtime.engine.errors import EngineError, FlowLoop
from runtime.engine.fold import apply
from runtime.engine.model import (
    CallConnector,
    CancelTimers,
    Effect,
    Event,
    InstanceState,
    Notify,
    ScheduleTimer,
    StartSubprocess,
    Task,
    TaskStatus,
    Token,
)
from runtime.flows.approval_modes import APPROVED, REJECTED
from runtime.flows.assignee_rules import Resolution, ResolveContext, fallback_admins, resolve_assignees, rule_context
from runtime.flows.errors import AssigneeResolutionError
from runtime.flows.registries import approval_mode_registry
from runtime.flows.settings import TASK_NODE_TYPES, TaskSettings
from runtime.flows.spec import EdgeSpec, FlowSpec, NodeSpec
from runtime.flows.timers import add_working_days, plan_deadline, plan_timers
from runtime.rules.errors import RuleMissingData

SLA_TIMERS = ("escalate", "auto_transfer", "timeout")  # timers whose due time is the task's deadline


def lookup(data: Any, path: str) -> Any:
    """Return the value at a dotted path (None when absent)."""
    value = data
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


_SCALARS = (str, int, float, bool, type(None))


def _json(value: Any) -> Any:
    # Rule results may hold Decimals or dates; events must stay plain JSON.
    if type(value) in _SCALARS:
        return value
    if type(value) is dict:
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class Runner:
    """Emits events for one step and walks tokens until every branch waits or ends."""

    def __init__(self, flow: FlowSpec, state: InstanceState | None, ctx: EngineContext, actor: str,
                 request_id: str | None, comment: str | None) -> None:
        self.flow = flow
        self.ctx = ctx
        self._state = state
        self.actor = actor
        self.request_id = request_id
        self.comment = comment
        self.events: list[Event] = []
        self.effects: list[Effect] = []
        self.queue: list[str] = []  # token ids to run at their current node
        self.visits = 0

    # --- plumbing -------------------------------------------------------------------

    @property
    def state(self) -> InstanceState:
        """Return the working state (only valid after the first event)."""
        assert self._state is not None
        return self._state

    @property
    def now_iso(self) -> str:
        """Return the step's time as ISO text."""
        return self.ctx.now.isoformat()

    @property
    def version(self) -> str | None:
        """Return the flow version for error details."""
        return (self._state.flow_version if self._state else None) or self.ctx.flow_version

    def emit(self, type_: str, data: Mapping[str, Any], *, comment: bool = False,
             actor: str | None = None) -> Event:
        """Record an event and fold it into the working state at once."""
        event = Event(
            seq=(self._state.seq if self._state else 0) + 1,
            type=type_,
            data=_json(data),
            actor=actor or self.actor,
            at=self.now_iso,
            request_id=self.request_id,
            comment=self.comment if comment else None,
        )
        self._state = apply(self._state, event)
        self.events.append(event)
        return event

    def effect(self, effect: Effect) -> None:
        """Collect an effect for the service to carry out after commit."""
        self.effects.append(effect)

    def notify(self, kind: str, users: list[str] | tuple[str, ...], *, task_id: str | None = None,
               node_id: str | None = None) -> None:
        """Collect a notification (skipped when nobody is to be told)."""
        if users:
            self.effect(Notify(kind, tuple(dict.fromkeys(users)), task_id, node_id, self.ctx.instance_id))

    def fail(self, cls: type[EngineError], node_id: str | None = None, **params: Any) -> EngineError:
        """Build an engine error with node id and flow version in its details."""
        details = params.pop("details", {})
        return cls(node_id=node_id, flow_version=self.version, params=params, **details)

    def rule_data(self) -> dict[str, Any]:
        """Return the one context every flow rule sees."""
        return rule_context(self.state.data, self.ctx.org, self.state.initiator, urgent=self.state.urgent,
                            now=self.now_iso)

    def tasks_of(self, token_id: str, *, kind: str | None = None) -> list[Task]:
        """Return the tasks of a token's current node visit (optionally of one kind)."""
        token = self.state.token(token_id)
        visit = token.visit if token else None
        return [t for t in self.state.tasks
                if t.token_id == token_id and t.visit == visit and (kind is None or t.kind == kind)]

    # --- the walk -------------------------------------------------------------------

    def run(self) -> None:
        """Run queued tokens at their nodes until every branch waits or the instance ends."""
        while self.queue:
            token = self.state.token(self.queue.pop(0))
            if token is None or self.state.status in ("completed", "withdrawn"):
                continue
            self.visits += 1
            node = self.flow.node(token.node_id)
            if self.visits > self.ctx.settings.max_nodes_per_step:
                raise self.fail(FlowLoop, node.id, node=node.label)
            handler = getattr(self, f"_node_{node.type}", None)
            if handler is None:
                self.node_failed(token, node, "unknown_node_type", f"unknown node type {node.type}")
                continue
            handler(token, node)

    def move(self, token: Token, edge: EdgeSpec) -> None:
        """Move a branch along ``edge`` and queue it at the target."""
        self.emit("node_entered", {"token_id": token.id, "node_id": edge.target, "edge_id": edge.id,
                                   "from": token.node_id})
        self.queue.append(token.id)

    def leave(self, token: Token, node: NodeSpec) -> None:
        """Leave a non-branching node by its one outgoing edge."""
        edges = self.flow.outgoing(node.id)
        if not edges:
            self.node_failed(token, node, "dead_end", f"node {node.id} has no way out")
            return
        self.move(token, edges[0])

    def node_failed(self, token: Token, node: NodeSpec, code: str, message: str, **extra: Any) -> None:
        """Stop a branch in the error state (STYLE 11: a code and a message, never raw locals)."""
        self.emit("node_failed", {"token_id": token.id, "node_id": node.id, "code": code, "message": message,
                                  **extra})
        self.notify("error", [u.id for u in fallback_admins(node, self.ctx.org)], node_id=node.id)

    def cancel_task(self, task: Task, reason: str) -> None:
        """Cancel an open task and its timers."""
        self.emit("task_cancelled", {"task_id": task.id, "node_id": task.node_id, "reason": reason})
        self.effect(CancelTimers(task_id=task.id, instance_id=self.ctx.instance_id))

    def cancel_token(self, token: Token, reason: str) -> None:
        """Cancel a branch: its open tasks, its timers, the token itself."""
        for task in self.tasks_of(token.id):
            if task.open:
                self.cancel_task(task, reason)
        if token.wait == "delay":
            self.effect(CancelTimers(token_id=token.id, instance_id=self.ctx.instance_id))
        self.emit("token_cancelled", {"token_id": token.id, "node_id": token.node_id, "reason": reason})

    def cancel_everything(self, reason: str, keep: str | None = None) -> list[Task]:
        """Cancel every open task and every branch but ``keep``; return the cancelled tasks."""
        cancelled = [t for t in self.state.tasks if t.open]
        for token in list(self.state.tokens):
            if token.id != keep:
                self.cancel_token(token, reason)
        for task in self.state.tasks:  # tasks whose token is gone already (defensive)
            if task.open:
                self.cancel_task(task, reason)
        return cancelled

    def finish(self, node: NodeSpec, outcome: str, token: Token) -> None:
        """End the instance with ``outcome`` (approved | rejected) where ``token`` stands."""
        self.cancel_everything("instance_completed", keep=token.id)
        self.emit("completed", {"node_id": node.id, "outcome": outcome})
        self.notify(outcome, [self.state.initiator], node_id=node.id)

    # --- node types -----------------------------------------------------------------

    def _node_start(self, token: Token, node: NodeSpec) -> None:
        self.leave(token, node)

    def _node_end(self, token: Token, node: NodeSpec) -> None:
        self.finish(node, str(node.config.get("outcome", APPROVED)), token)

    def _node_cc(self, token: Token, node: NodeSpec) -> None:
        # A copy never blocks the flow: if the recipients cannot be resolved, say so and go on.
        try:
            resolution = self.resolve(node)
            users, trace = resolution.users, resolution.trace
        except PlatformError as exc:
            users, trace = [], [{"rule": "error", "code": exc.code, "message": exc.formatted()}]
        self.emit("cc_sent", {"node_id": node.id, "token_id": token.id, "users": users, "trace": trace,
                              "manual": False})
        self.notify("cc", users, node_id=node.id)
        self.leave(token, node)

    def _node_exclusive_gateway(self, token: Token, node: NodeSpec) -> None:
        data = self.rule_data()
        edges = self.flow.outgoing(node.id)
        evaluations: list[dict[str, Any]] = []
        taken: EdgeSpec | None = None
        reason = None
        for order, edge in enumerate(e for e in edges if not e.is_default):
            record: dict[str, Any] = {"edge_id": edge.id, "target": edge.target, "order": order + 1,
                                      "priority": edge.priority, "rule": edge.condition}
            evaluations.append(record)
            if edge.condition is None:
                record.update(values={}, result=True)
                taken, reason = edge, "unconditional"
                break
            try:
                record["values"] = {p: lookup(data, p) for p in sorted(rules.variables(edge.condition))}
                result = rules.evaluate_condition(edge.condition, data, calendar=self.ctx.calendar)
            except RuleMissingData as exc:
                # Never route on missing data (docs/flows.md): the request waits for a fix.
                missing = [str(v).removeprefix("form.") for v in (exc.details or {}).get("variables", [])]
                record["missing"] = missing
                self.block(token, node, "missing_data", evaluations, missing=missing,
                           message=f"missing values: {', '.join(missing)}")
                return
            except PlatformError as exc:
                record["error"] = exc.code
                self.block(token, node, "rule_error", evaluations, message=exc.formatted())
                return
            record["result"] = bool(result)
            if result:
                taken, reason = edge, "first_match"
                break
        if taken is None:
            taken = next((e for e in edges if e.is_default), None)
            reason = "default" if taken is not None else None
        if taken is None:
            self.block(token, node, "no_branch", evaluations, message="no branch matched and there is no default")
            return
        self.emit("gateway_decided", {"token_id": token.id, "node_id": node.id, "evaluations": evaluations,
                                      "taken": taken.id, "target": taken.target, "reason": reason})
        self.move(token, taken)

    def block(self, token: Token, node: NodeSpec, reason: str, evaluations: list[dict[str, Any]], *,
              message: str, missing: list[str] | None = None) -> None:
        """Stop a branch at a gateway that cannot route; the instance becomes "blocked"."""
        self.emit("routing_blocked", {"token_id": token.id, "node_id": node.id, "code": "routing_blocked",
                                      "reason": reason, "missing": missing or [], "message": message,
                                      "evaluations": evaluations})
        self.notify("error", [u.id for u in fallback_admins(node, self.ctx.org)], node_id=node.id)

    def _node_parallel_split(self, token: Token, node: NodeSpec) -> None:
        group = f"g{self.state.group_seq + 1}"
        branches = [
            {"edge_id": e.id, "node_id": e.target, "token_id": f"k{self.state.token_seq + i + 1}"}
            for i, e in enumerate(self.flow.outgoing(node.id))
        ]
        self.emit("split", {"token_id": token.id, "node_id": node.id, "group": group, "branches": branches})
        self.queue.extend(b["token_id"] for b in branches)

    def _node_parallel_join(self, token: Token, node: NodeSpec) -> None:
        if not token.scope:  # reached without a split (e.g. after a return): nothing to wait for
            self.leave(token, node)
            return
        group = token.scope[-1]
        self.emit("join_arrived", {"token_id": token.id, "node_id": node.id, "group": group})
        arrived = [t for t in self.state.tokens if t.wait == "join" and t.node_id == node.id and t.scope
                   and t.scope[-1] == group]
        first_n = node.config.get("join") == "first_n"
        needed = int(node.config.get("n") or 1) if first_n else len(self.flow.incoming(node.id))
        if len(arrived) < needed:
            return
        for other in list(self.state.tokens):
            if group in other.scope and other.id not in {t.id for t in arrived}:
                self.cancel_token(other, "join_first_n")
        new_id = f"k{self.state.token_seq + 1}"
        self.emit("joined", {"node_id": node.id, "group": group, "arrived": [t.id for t in arrived],
                             "token_id": new_id, "scope": list(token.scope[:-1])})
        self.leave(self.state.token(new_id) or token, node)

    def _node_service(self, token: Token, node: NodeSpec) -> None:
        inputs = self.evaluate_mapping(node.config.get("input") or {})
        connector, operation = str(node.config["connector"]), node.config.get("operation")
        self.emit("service_called", {"token_id": token.id, "node_id": node.id, "connector": connector,
                                     "operation": operation, "input": inputs})
        self.effect(CallConnector(node.id, token.id, connector, operation, _json(inputs), self.ctx.instance_id))

    def _node_delay(self, token: Token, node: NodeSpec) -> None:
        config = node.config
        due: datetime | None
        if "after_hours" in config:
            due = self.ctx.now + timedelta(hours=float(config["after_hours"]))
        elif "after_working_days" in config:
            due = add_working_days(self.ctx.now, float(config["after_working_days"]), self.ctx.calendar)
        else:
            due = self._until(lookup(self.state.data, str(config.get("until"))))
        if due is None:
            self.node_failed(token, node, "delay_until_missing", f"field {config.get('until')} holds no date")
            return
        self.emit("delay_started", {"token_id": token.id, "node_id": node.id, "due_at": due.isoformat()})
        self.effect(ScheduleTimer("delay", due.isoformat(), node_id=node.id, token_id=token.id,
                                  instance_id=self.ctx.instance_id))

    def _until(self, value: Any) -> datetime | None:
        if not isinstance(value, str) or not value:
            return None
        try:
            if len(value) == 10:  # a date field: wait until the start of that day, in the step's zone
                return datetime.combine(date.fromisoformat(value), time(0), tzinfo=self.ctx.now.tzinfo)
            moment = datetime.fromisoformat(value)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=self.ctx.now.tzinfo)

    def _node_subprocess(self, token: Token, node: NodeSpec) -> None:
        inputs = self.evaluate_mapping(node.config.get("input") or {})
        wait = bool(node.config.get("wait", True))
        app = str(node.config["app"])
        self.emit("subprocess_started", {"token_id": token.id, "node_id": node.id, "app": app, "input": inputs,
                                         "wait": wait})
        self.effect(StartSubprocess(node.id, token.id, app, _json(inputs), wait, self.ctx.instance_id))
        if not wait:
            self.leave(token, node)

    def evaluate_mapping(self, mapping: Mapping[str, Any]) -> dict[str, Any]:
        """Evaluate an input mapping (param -> JSON-logic); a failing expression gives None."""
        data = self.rule_data()
        values: dict[str, Any] = {}
        for param, rule in mapping.items():
            try:
                values[param] = rules.evaluate(rule, data, calendar=self.ctx.calendar)
            except PlatformError:
                values[param] = None  # the connector validates its own input and answers with an error
        return values

    # --- task nodes -----------------------------------------------------------------

    def resolve(self, node: NodeSpec) -> Resolution:
        """Resolve a node's people with the initiator, the data and the previous approvers."""
        state = self.state
        ctx = ResolveContext(
            state.initiator, dict(state.data), urgent=state.urgent, now=self.now_iso,
            picks={k: list(v) for k, v in state.picks.items()}, previous_approvers=state.last_deciders,
            fields=self.ctx.fields,
        )
        return resolve_assignees(node, ctx, self.ctx.org)

    def _node_approval(self, token: Token, node: NodeSpec) -> None:
        settings = TaskSettings.from_node(node)
        if self.state.urgent and settings.skippable_when_urgent:
            self.emit("node_skipped", {"token_id": token.id, "node_id": node.id, "reason": "urgent"})
            self.leave(token, node)
            return
        try:
            resolution = self.resolve(node)
        except AssigneeResolutionError as exc:
            trace = (exc.details or {}).get("trace", [])
            self.node_failed(token, node, exc.code, exc.formatted(), trace=trace)
            return
        except PlatformError as exc:  # a dynamic rule failed to evaluate
            self.node_failed(token, node, exc.code, exc.formatted())
            return
        if resolution.fallback_used == "skip":
            self.emit("node_skipped", {"token_id": token.id, "node_id": node.id, "reason": "no_assignees",
                                       "trace": resolution.trace})
            self.leave(token, node)
            return
        users = list(resolution.users)
        visit = self.state.seq + 1
        self.emit("node_activated", {"token_id": token.id, "node_id": node.id, "visit": visit, "mode": settings.mode,
                                     "threshold": settings.threshold, "assignees": users,
                                     "trace": resolution.trace, "fallback": resolution.fallback_used})
        token = self.state.token(token.id) or token  # now carrying this visit's id
        for slot, user in enumerate(users):
            reason = None
            if settings.dedupe_initiator and user == self.state.initiator:
                reason = "initiator"
            elif settings.dedupe_consecutive and user in self.state.last_deciders:
                reason = "consecutive"
            if reason:
                task = Task(f"t{self.state.task_seq + 1}", node.id, token.id, user, TaskStatus.APPROVED,
                            decided_by=user, auto_reason=reason, visit=visit, slot=slot)
                self.emit("task_auto_approved", {"task": task.to_dict(), "reason": reason})
        mode = approval_mode_registry.get(settings.mode)
        if not mode.one_at_a_time:
            covered = {t.slot for t in self.tasks_of(token.id, kind="normal")}
            if mode.outcome(len(covered), 0, len(users), settings.threshold) is None:
                for slot, user in enumerate(users):
                    if slot not in covered:
                        self.create_task(token, node, user, slot=slot, trace=resolution.trace)
        self.evaluate(token.id)

    _node_handle = _node_approval

    def create_task(self, token: Token, node: NodeSpec, user: str, *, slot: int | None, kind: str = "normal",
                    parent: str | None = None, status: str = TaskStatus.PENDING,
                    trace: list[dict[str, Any]] | None = None) -> Task:
        """Create one task (delegation applied to resolved tasks) with its notification and timers."""
        assignee, original = user, None
        if kind == "normal" and self.ctx.delegate_for is not None:
            delegate = self.ctx.delegate_for(user, self.ctx.app or self.state.app, self.ctx.now)
            target = self.ctx.org.user(delegate) if delegate else None
            if delegate and delegate != user and target is not None and target.active:
                assignee, original = delegate, user
        plans = []
        deadline: datetime | None = None
        if kind == "normal" and node.type in TASK_NODE_TYPES:
            settings = TaskSettings.from_node(node)
            plans = list(plan_timers(settings.timers, self.ctx.now, self.ctx.calendar))
            if settings.deadline is not None:
                value = lookup(self.state.data, settings.deadline.field)
                deadline, extra = plan_deadline(settings.deadline, value, self.ctx.now, self.ctx.calendar)
                plans += extra
        sla = [datetime.fromisoformat(p["due"]) for p in plans if p["kind"] in SLA_TIMERS]
        if deadline is not None:
            sla.append(deadline)
        task = Task(
            f"t{self.state.task_seq + 1}", node.id, token.id, assignee, status, kind=kind,
            original_assignee=original, delegated=original is not None, parent_id=parent,
            added_by=self.actor if kind != "normal" else None,
            due_at=min(sla).isoformat() if sla else None, visit=token.visit, slot=slot,
        )
        data: dict[str, Any] = {"task": task.to_dict()}
        if trace is not None:
            data["trace"] = trace
        if original is not None:
            data["delegated_from"] = original
        self.emit("task_created", data)
        if status == TaskStatus.PENDING:
            self.notify("new_task", [assignee], task_id=task.id, node_id=node.id)
        for plan in plans:
            config = {k: plan[k] for k in ("to", "action", "deadline") if k in plan}
            times = plan.get("reminders") or [plan["due"]]
            for attempt, due in enumerate(times, start=1):
                self.effect(ScheduleTimer(plan["kind"], due, task_id=task.id, node_id=node.id, token_id=token.id,
                                          config={**config, "attempt": attempt, "of": len(times)},
                                          instance_id=self.ctx.instance_id))
        return task

    def evaluate(self, token_id: str) -> None:
        """Decide a task node from its tasks: wait, open the next sequential task, or complete it."""
        token = self.state.token(token_id)
        if token is None or token.wait != "task":
            return
        node = self.flow.node(token.node_id)
        normal = self.tasks_of(token.id, kind="normal")
        approved = sum(1 for t in normal if t.status in (TaskStatus.APPROVED, TaskStatus.DONE))
        rejected = sum(1 for t in normal if t.status == TaskStatus.REJECTED)
        mode = approval_mode_registry.get(token.mode or "single")
        outcome = mode.outcome(approved, rejected, len(token.assignees), token.threshold)
        if outcome is None:
            if mode.one_at_a_time and not any(t.open for t in normal):
                covered = {t.slot for t in normal}
                slot = next(i for i in range(len(token.assignees)) if i not in covered)
                self.create_task(token, node, token.assignees[slot], slot=slot)
            return
        signers_open = any(t.open for t in self.tasks_of(token.id) if t.kind != "normal")
        if outcome == APPROVED and signers_open:
            return  # signers added after someone's approval must approve before the node completes
        self.complete_node(token, node, outcome)

    def complete_node(self, token: Token, node: NodeSpec, outcome: str) -> None:
        """Close a task node's visit and move on (approved) or end the instance (rejected)."""
        for task in self.tasks_of(token.id):
            if task.open:
                self.cancel_task(task, "node_decided")
        deciders = [t.assignee for t in self.tasks_of(token.id, kind="normal")
                    if t.status in (TaskStatus.APPROVED, TaskStatus.DONE)]
        self.emit("node_completed", {"token_id": token.id, "node_id": node.id, "outcome": outcome,
                                     "deciders": deciders})
        if outcome == REJECTED:
            self.finish(node, REJECTED, token)
        else:
            self.leave(self.state.token(token.id) or token, node)
