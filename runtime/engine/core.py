"""``step``: validate a command against the state, decide, and emit events and effects.

The new state is only ever the fold of the emitted events (``Runner.emit`` folds each
event as it is emitted). A refused command raises an :class:`EngineError` before
anything is returned, so the caller's state is untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from runtime.engine import commands as c
from runtime.engine.context import EngineContext
from runtime.engine.errors import (
    ApproverNotFound,
    EngineError,
    FieldNotEditable,
    InvalidCommand,
    InvalidTransition,
    NotAnAssignee,
    NotTheInitiator,
    RoutingBlocked,
    SignerNotYours,
    TaskAlreadyCompleted,
    TaskNotActive,
    WithdrawNotAllowed,
)
from runtime.engine.model import DECIDED_TASK, InstanceState, Status, StepResult, Task, TaskStatus
from runtime.engine.walk import Runner, lookup
from runtime.flows.assignee_rules import Walker, fallback_admins
from runtime.flows.settings import TASK_NODE_TYPES, field_rights
from runtime.flows.spec import FlowSpec, NodeSpec
from runtime.forms import validate_submission

LIVE = (Status.RUNNING, Status.BLOCKED, Status.ERROR)  # task actions go on while another branch is stuck
EDITABLE = "editable"


def step(flow: FlowSpec, state: InstanceState | None, command: c.Command, *, ctx: EngineContext) -> StepResult:
    """Apply ``command`` to ``state``; return the new state, the events that made it and the effects."""
    if state is not None and command.request_id and command.request_id in state.request_ids:
        return StepResult(state, (), ())  # a retried request: already done, nothing new happens
    decider = Decider(flow, state, ctx, command.actor, command.request_id, command.comment)
    handler: Callable[[Any], None] | None = getattr(decider, f"do_{command.type}", None)
    if handler is None:
        raise decider.fail(InvalidCommand, reason=f"unknown command {command.type}")
    if state is None and not isinstance(command, c.Submit):
        raise decider.fail(InvalidTransition, status="not submitted")
    handler(command)
    decider.run()
    return StepResult(decider.state, tuple(decider.events), tuple(decider.effects))


class Decider(Runner):
    """Command handlers: checks first (raise, nothing emitted), then events."""

    # --- checks ---------------------------------------------------------------------

    def require(self, *statuses: str) -> None:
        """Refuse the command unless the instance is in one of ``statuses``."""
        if self.state.status not in statuses:
            raise self.fail(InvalidTransition, status=str(self.state.status))

    def require_initiator(self) -> None:
        """Refuse unless the actor started the request."""
        if self.actor != self.state.initiator:
            raise self.fail(NotTheInitiator)

    def open_task(self, task_id: str, *, check_actor: bool = True) -> Task:
        """Return the pending task ``task_id`` or raise the matching refusal."""
        task = self.state.task(task_id)
        if task is None:
            raise self.fail(TaskNotActive, status="unknown", task_id=task_id)
        if task.status in DECIDED_TASK:
            raise self.fail(TaskAlreadyCompleted, task.node_id, task_id=task_id)
        if task.status != TaskStatus.PENDING:
            raise self.fail(TaskNotActive, task.node_id, status=str(task.status), task_id=task_id)
        self.require(*LIVE)
        if check_actor and self.actor != task.assignee:
            raise self.fail(NotAnAssignee, task.node_id, task_id=task_id)
        return task

    def active_user(self, user_id: str, node_id: str | None = None) -> str:
        """Return ``user_id`` if it names an active user, else refuse."""
        user = self.ctx.org.user(user_id)
        if user is None or not user.active:
            raise self.fail(InvalidCommand, node_id, reason=f"user {user_id} is unknown or inactive")
        return user_id

    def checked_data(self, node: NodeSpec, data: Mapping[str, Any], *, start: bool,
                     previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Check field rights at ``node`` (and validate with the FormSpec when there is one)."""
        rights = field_rights(node)
        default = EDITABLE if start else "read_only"  # fields not listed: editable at start only
        for key, value in data.items():
            if rights.get(key, default) != EDITABLE and (previous is None or previous.get(key) != value):
                raise self.fail(FieldNotEditable, node.id, field=key)
        fields = self.ctx.fields
        if fields is not None:
            unknown = sorted(k for k in data if k not in fields)
            if unknown:
                raise self.fail(InvalidCommand, node.id, reason=f"unknown field(s) {', '.join(unknown)}")
        spec = self.ctx.form_spec
        merged = {**dict(previous or {}), **dict(data)}
        if spec is None:
            return merged
        full = {k: rights.get(k, default) for k in spec.order}
        full.update(rights)
        initiator = self._state.initiator if self._state else self.actor
        return validate_submission(spec, merged, context={"initiator": {"id": initiator}, "now": self.now_iso},
                                   field_rights=full, previous=previous, actor=self.actor)

    def start_node(self) -> NodeSpec:
        """Return the flow's start node (a published flow always has one)."""
        start = self.flow.start
        if start is None:
            raise self.fail(InvalidCommand, reason="the flow has no start node")
        return start

    # --- submission -----------------------------------------------------------------

    def do_submit(self, cmd: c.Submit) -> None:
        """Start the instance at the start node."""
        if self._state is not None:
            raise self.fail(InvalidTransition, status=str(self._state.status))
        start = self.start_node()
        self.active_user(cmd.actor)
        data = self.checked_data(start, cmd.form_data, start=True)
        self.emit("submitted", {
            "initiator": cmd.actor, "data": data, "urgent": cmd.urgent,
            "picks": {k: list(v) for k, v in cmd.picks.items()}, "flow_version": self.ctx.flow_version,
            "app": self.ctx.app, "token_id": "k1", "start_node": start.id,
        }, comment=True)
        self.queue.append("k1")

    def do_resubmit(self, cmd: c.Resubmit) -> None:
        """Restart a returned request from the first node after start, with the edited data."""
        self.require(Status.RETURNED)
        self.require_initiator()
        start = self.start_node()
        data = self.checked_data(start, cmd.form_data, start=True)
        token_id = f"k{self.state.token_seq + 1}"
        self.emit("resubmitted", {"data": data, "token_id": token_id, "start_node": start.id}, comment=True)
        self.queue.append(token_id)

    def do_withdraw(self, cmd: c.Withdraw) -> None:
        """Cancel the request (initiator only; the flow's withdraw rule decides until when)."""
        self.require(*LIVE, Status.RETURNED)
        self.require_initiator()
        policy = str(self.start_node().config.get("withdraw", "before_first_approval"))
        if self.ctx.settings.withdraw_always and policy != "never":
            policy = "always"
        if policy == "never":
            raise self.fail(WithdrawNotAllowed, reason="this flow does not allow withdrawing")
        if policy == "before_first_approval" and self.state.human_approvals and self.state.status != "returned":
            raise self.fail(WithdrawNotAllowed, reason="someone has already approved")
        cancelled = self.cancel_everything("withdrawn")
        self.emit("withdrawn", {"policy": policy}, comment=True)
        self.notify("withdrawn", [t.assignee for t in cancelled if t.status == TaskStatus.PENDING])

    # --- task decisions -------------------------------------------------------------

    def do_approve(self, cmd: c.Approve) -> None:
        """Approve (or, at a handle node, complete) a task."""
        task = self.open_task(cmd.task_id)
        node = self.flow.node(task.node_id)
        patch: dict[str, Any] = {}
        if cmd.form_patch:
            cleaned = self.checked_data(node, cmd.form_patch, start=False, previous=self.state.data)
            patch = {k: v for k, v in cleaned.items() if self.state.data.get(k) != v}
        self.approve_task(task, node, patch=patch)

    def approve_task(self, task: Task, node: NodeSpec, *, patch: Mapping[str, Any] | None = None,
                     reason: str | None = None) -> None:
        """Record an approval and carry on (signers, node decision, next nodes)."""
        action = "done" if node.type == "handle" else "approve"
        self.emit("task_approved", {"task_id": task.id, "node_id": node.id, "by": self.actor, "action": action,
                                    "patch": dict(patch or {}), "reason": reason}, comment=True)
        if task.kind == "added_before":
            self.resume_if_free(task)
            return
        if task.kind == "normal":
            for waiting in self.state.tasks:
                if waiting.parent_id == task.id and waiting.status == TaskStatus.WAITING:
                    self.emit("task_activated", {"task_id": waiting.id, "node_id": node.id})
                    self.notify("new_task", [waiting.assignee], task_id=waiting.id, node_id=node.id)
        self.evaluate(task.token_id)

    def resume_if_free(self, signer: Task) -> None:
        """Resume the original task once every signer added before it is done."""
        parent = self.state.task(signer.parent_id or "")
        if parent is None or parent.status != TaskStatus.SUSPENDED:
            return
        if any(t.open and t.parent_id == parent.id and t.kind == "added_before" for t in self.state.tasks):
            return
        self.emit("task_resumed", {"task_id": parent.id, "node_id": parent.node_id})
        self.notify("new_task", [parent.assignee], task_id=parent.id, node_id=parent.node_id)

    def do_reject(self, cmd: c.Reject) -> None:
        """Reject a task; the node's mode decides whether the node (and the request) is rejected."""
        self.reject_task(self.open_task(cmd.task_id))

    def reject_task(self, task: Task, reason: str | None = None) -> None:
        """Record a rejection; a rejecting added signer rejects the node outright."""
        node = self.flow.node(task.node_id)
        self.emit("task_rejected", {"task_id": task.id, "node_id": node.id, "by": self.actor, "reason": reason},
                  comment=True)
        token = self.state.token(task.token_id)
        if task.kind != "normal" and token is not None:
            self.complete_node(token, node, "rejected")
        else:
            self.evaluate(task.token_id)

    def do_return(self, cmd: c.Return) -> None:
        """Send the request back to the initiator, the previous task node or an earlier one."""
        task = self.open_task(cmd.task_id)
        if task.kind != "normal":
            raise self.fail(InvalidCommand, task.node_id, reason="an added signer cannot return the request")
        target = self.return_target(task, cmd.to)
        self.cancel_task(task, "returned")
        self.cancel_everything("returned")
        token_id = None if target == "initiator" else f"k{self.state.token_seq + 1}"
        self.emit("returned", {"task_id": task.id, "from_node": task.node_id, "to": target, "token_id": token_id},
                  comment=True)
        if token_id is None:
            self.notify("returned", [self.state.initiator], node_id=task.node_id)
        else:
            self.queue.append(token_id)

    def return_target(self, task: Task, to: str) -> str:
        """Work out (and check) where a return goes."""
        trail = [n for n in self.state.trail if n != task.node_id]
        if to == "initiator":
            return to
        token = self.state.token(task.token_id)
        if token is not None and token.scope:
            # Inside a parallel branch the other branches hold state a return cannot rewind.
            raise self.fail(InvalidCommand, task.node_id,
                            reason="from inside parallel branches a request can only go back to the initiator")
        if to == "previous":
            return trail[-1] if trail else "initiator"
        if to not in trail or not self.flow.has_node(to) or self.flow.node(to).type not in TASK_NODE_TYPES:
            raise self.fail(InvalidCommand, task.node_id, reason=f"{to} is not an earlier step of this request")
        return to

    # --- people changes -------------------------------------------------------------

    def do_transfer(self, cmd: c.Transfer) -> None:
        """Hand a task to someone else (转交)."""
        task = self.open_task(cmd.task_id)
        to = self.active_user(cmd.to_user, task.node_id)
        if to == task.assignee:
            raise self.fail(InvalidCommand, task.node_id, reason="the task is already theirs")
        self.transfer(task, to, "transfer", "transferred")

    def transfer(self, task: Task, to: str, reason: str, kind: str) -> None:
        """Reassign a task and tell the new assignee (and, when a timer moved it, the one it left)."""
        self.emit("task_transferred", {"task_id": task.id, "node_id": task.node_id, "from": task.assignee,
                                       "to": to, "reason": reason}, comment=True)
        self.notify(kind, [to], task_id=task.id, node_id=task.node_id)
        if reason in ("escalate", "auto_transfer"):
            self.notify("handed_over", [task.assignee], task_id=task.id, node_id=task.node_id)

    def do_add_signer(self, cmd: c.AddSigner) -> None:
        """Add signers before (they decide first) or after (they decide after) a task (加签)."""
        task = self.open_task(cmd.task_id)
        if task.kind != "normal":
            raise self.fail(InvalidCommand, task.node_id, reason="signers can only be added to a regular task")
        if cmd.position not in ("before", "after"):
            raise self.fail(InvalidCommand, task.node_id, reason=f"position {cmd.position}")
        users = list(dict.fromkeys(cmd.users))
        if not users or task.assignee in users:
            raise self.fail(InvalidCommand, task.node_id, reason="name other people to add")
        for user in users:
            self.active_user(user, task.node_id)
        token = self.state.token(task.token_id)
        assert token is not None
        node = self.flow.node(task.node_id)
        self.emit("signer_added", {"task_id": task.id, "node_id": node.id, "users": users,
                                   "position": cmd.position}, comment=True)
        if cmd.position == "before":
            self.emit("task_suspended", {"task_id": task.id, "node_id": node.id})
        status = TaskStatus.PENDING if cmd.position == "before" else TaskStatus.WAITING
        for user in users:
            self.create_task(token, node, user, slot=None, kind=f"added_{cmd.position}", parent=task.id,
                             status=status)

    def do_remove_signer(self, cmd: c.RemoveSigner) -> None:
        """Remove a signer one added (only while their task is open)."""
        self.require(*LIVE)
        task = self.state.task(cmd.task_id)
        if task is None or task.kind == "normal":
            raise self.fail(InvalidCommand, reason=f"{cmd.task_id} is not an added signer's task")
        if not task.open:
            raise self.fail(TaskAlreadyCompleted if task.status in DECIDED_TASK else TaskNotActive, task.node_id,
                            status=str(task.status), task_id=task.id)
        if self.actor != task.added_by:
            raise self.fail(SignerNotYours, task.node_id, task_id=task.id)
        self.cancel_task(task, "signer_removed")
        if task.kind == "added_before":
            self.resume_if_free(task)
        else:
            self.evaluate(task.token_id)

    # --- initiator and bystanders ---------------------------------------------------

    def do_urge(self, cmd: c.Urge) -> None:
        """Remind the current assignees (催办); rate limits are the service's call."""
        self.require(*LIVE)
        self.require_initiator()
        users = sorted({t.assignee for t in self.state.pending_tasks()})
        self.emit("urged", {"users": users}, comment=True)
        self.notify("urged", users)

    def do_comment(self, cmd: c.Comment) -> None:
        """Record a comment (who may comment is the service's permission check)."""
        if cmd.task_id is not None and self.state.task(cmd.task_id) is None:
            raise self.fail(InvalidCommand, reason=f"unknown task {cmd.task_id}")
        self.emit("commented", {"task_id": cmd.task_id}, comment=True)

    def do_cc(self, cmd: c.Cc) -> None:
        """Copy the request to people (by the initiator or anyone who has a task on it)."""
        participants = {self.state.initiator} | {t.assignee for t in self.state.tasks}
        if self.actor not in participants:
            raise self.fail(NotAnAssignee)
        users = list(dict.fromkeys(cmd.users))
        if not users:
            raise self.fail(InvalidCommand, reason="name people to copy")
        for user in users:
            self.active_user(user)
        self.emit("cc_sent", {"node_id": None, "users": users, "manual": True}, comment=True)
        self.notify("cc", users)

    # --- system commands ------------------------------------------------------------

    def do_timeout(self, cmd: c.Timeout) -> None:
        """A task timer fired: remind, escalate, auto-transfer, decide, or tell the admins."""
        task = self.open_task(cmd.task_id, check_actor=False)
        node = self.flow.node(task.node_id)
        timer = dict(cmd.timer)
        if cmd.action == "remind":
            self.emit("task_reminded", {"task_id": task.id, "node_id": node.id, "attempt": timer.get("attempt")})
            self.notify("reminder", [task.assignee], task_id=task.id, node_id=node.id)
        elif cmd.action == "overdue":
            # The deadline passed with the task still open: the assignee and whoever asked are told.
            self.emit("task_overdue", {"task_id": task.id, "node_id": node.id, "due_at": timer.get("deadline")})
            self.notify("overdue", list(dict.fromkeys([task.assignee, self.state.initiator])), task_id=task.id,
                        node_id=node.id)
        elif cmd.action in ("escalate", "auto_transfer"):
            target = self.timer_target(task, node, cmd.action, timer.get("to"))
            if target is None:
                self.note_timeout(task, node, cmd.action)
            else:
                self.transfer(task, target, cmd.action, "escalated" if cmd.action == "escalate" else "transferred")
        elif cmd.action == "approve":
            self.approve_task(task, node, reason="timeout")
        elif cmd.action == "reject":
            self.reject_task(task, reason="timeout")
        elif cmd.action == "notify_admin":
            self.note_timeout(task, node, cmd.action)
        else:
            raise self.fail(InvalidCommand, node.id, reason=f"unknown timeout action {cmd.action}")

    def note_timeout(self, task: Task, node: NodeSpec, action: str) -> None:
        """Record a timeout nobody could take over and tell the flow admins."""
        admins = [u.id for u in fallback_admins(node, self.ctx.org)]
        self.emit("timeout_noted", {"task_id": task.id, "node_id": node.id, "action": action, "admins": admins})
        self.notify("escalated", admins, task_id=task.id, node_id=node.id)

    def timer_target(self, task: Task, node: NodeSpec, action: str, to: Any) -> str | None:
        """Return who an escalation or auto-transfer hands the task to (None: nobody found)."""
        if to is None:
            kinds = {"escalate": "escalate", "auto_transfer": "auto_transfer"}
            timer = next((t for t in node.config.get("timers") or () if t.get("kind") == kinds[action]), {})
            to = timer.get("to", "manager")
        org = self.ctx.org
        candidate: str | None = None
        if to == "backup" and self.ctx.backup_for is not None:
            candidate = self.ctx.backup_for(task.assignee, self.ctx.app or self.state.app)
        if candidate is None and to in ("manager", "backup"):
            user = org.user(task.assignee)
            candidate = Walker(org).manager_of(user) if user else None
        elif candidate is None:
            members = sorted(u.id for u in org.users_with_role(str(to)) if u.active)
            candidate = members[0] if members else None
        target = org.user(candidate) if candidate else None
        if target is None or not target.active or target.id == task.assignee:
            return None
        return target.id

    def waiting_token(self, node_id: str, token_id: str, wait: str) -> Any:
        """Return the token waiting at ``node_id`` for ``wait`` (a stale answer is refused)."""
        token = self.state.token(token_id)
        if token is None or token.node_id != node_id or token.wait != wait:
            raise self.fail(InvalidTransition, node_id, status=f"not waiting for {wait}")
        return token

    def fail_node(self, event: str, token: Any, node: Any, error: Mapping[str, Any], default: str) -> None:
        """An automated node failed for good: wait in error (admins told) or go on, per ``on_error``."""
        code = str(error.get("code") or event)
        message = str(error.get("message") or default)
        go_on = node.config.get("on_error") == "continue"
        self.emit(event, {"token_id": token.id, "node_id": node.id, "code": code, "message": message,
                          "continue": go_on})
        if go_on:
            self.leave(self.state.token(token.id) or token, node)
        else:
            self.notify("error", [u.id for u in fallback_admins(node, self.ctx.org)], node_id=node.id)

    def do_service_completed(self, cmd: c.ServiceCompleted) -> None:
        """A connector answered: write mapped results, or fail (or continue, per on_error)."""
        self.require(*LIVE)
        token = self.waiting_token(cmd.node_id, cmd.token, "service")
        node = self.flow.node(cmd.node_id)
        if cmd.error is not None:
            self.fail_node("service_failed", token, node, cmd.error, "the connector call failed")
            return
        output: Mapping[str, str] = node.config.get("output") or {}
        writes = {field: lookup(dict(cmd.result or {}), path) for field, path in output.items()}
        self.emit("service_completed", {"token_id": token.id, "node_id": node.id, "writes": writes})
        self.leave(self.state.token(token.id) or token, node)

    def do_delay_elapsed(self, cmd: c.DelayElapsed) -> None:
        """A delay node's time has come."""
        self.require(*LIVE)
        token = self.waiting_token(cmd.node_id, cmd.token, "delay")
        self.emit("delay_elapsed", {"token_id": token.id, "node_id": cmd.node_id})
        self.leave(self.state.token(token.id) or token, self.flow.node(cmd.node_id))

    def do_subprocess_completed(self, cmd: c.SubprocessCompleted) -> None:
        """A child instance ended: copy mapped fields back and continue."""
        self.require(*LIVE)
        token = self.waiting_token(cmd.node_id, cmd.token, "subprocess")
        node = self.flow.node(cmd.node_id)
        if cmd.error is not None:
            self.fail_node("subprocess_failed", token, node, cmd.error, "the child request could not be started")
            return
        output: Mapping[str, str] = node.config.get("output") or {}
        writes = {field: lookup(dict(cmd.data), path) for field, path in output.items()}
        self.emit("subprocess_completed", {"token_id": token.id, "node_id": node.id, "outcome": cmd.outcome,
                                           "writes": writes})
        self.leave(self.state.token(token.id) or token, node)

    def do_retry(self, cmd: c.Retry) -> None:
        """Admin: run a blocked or failed node again (after fixing data or the org)."""
        self.require(Status.BLOCKED, Status.ERROR)
        token = next((t for t in self.state.tokens if t.node_id == cmd.node_id and t.wait in ("blocked", "error")),
                     None)
        if token is None:
            raise self.fail(InvalidCommand, cmd.node_id, reason="nothing is stuck at this node")
        self.emit("retried", {"token_id": token.id, "node_id": cmd.node_id, "patch": dict(cmd.form_patch or {})},
                  comment=True)
        self.queue.append(token.id)
        self.run()
        again = self.state.token(token.id)
        if again is not None and again.node_id == cmd.node_id and again.wait in ("blocked", "error"):
            # Still stuck the same way: refuse, so the admin sees why and nothing is recorded.
            issue = dict(again.issue or {})
            code = str(issue.get("code"))
            node = self.flow.node(cmd.node_id)
            cls: type[EngineError] = RoutingBlocked if again.wait == "blocked" else (
                ApproverNotFound if code.startswith("approver_") else EngineError)
            error = self.fail(cls, cmd.node_id, node=node.label, reason=issue.get("message"), issue=issue)
            if cls is EngineError:
                error.code = code
            raise error
