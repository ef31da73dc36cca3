"""Random command sequences by random users (hypothesis) against valid flows, checking invariants each step."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from platform_core.errors import PlatformError
from runtime.engine import (
    AddSigner,
    Approve,
    InstanceState,
    Reject,
    RemoveSigner,
    Resubmit,
    Return,
    Submit,
    Timeout,
    Transfer,
    Urge,
    Withdraw,
    replay,
    step,
)
from runtime.flows import has_errors, verify
from tests.unit.engine.conftest import Harness, flow_fixture
from tests.unit.engine.patterns import load_pattern
from tests.unit.flows.conftest import LEAVE_FIELDS, PURCHASE_FIELDS

USERS = ["u_li", "u_zhang", "u_qian", "u_zhao", "u_sun", "u_gm", "u_dir", "u_lin", "u_wu", "system"]
MODES = ["single", "any", "all", "sequential", "percentage"]
TERMINAL_TASK_EVENTS = {"task_approved", "task_rejected", "task_cancelled", "task_auto_approved"}
FIELDS = {**PURCHASE_FIELDS, **LEAVE_FIELDS}


@st.composite
def random_flow(draw):
    """A chain of task/cc nodes with an optional parallel block and gateway; verified before use."""
    nodes = [{"id": "start", "type": "start", "config": {"withdraw": draw(st.sampled_from(
        ["before_first_approval", "always", "never"]))}}]
    ids = ["start"]
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["approval", "approval", "handle", "cc"]))
        users = draw(st.lists(st.sampled_from(USERS[:8]), min_size=1, max_size=3, unique=True))
        rules = [{"rule": "user", "users": users}]
        if kind == "cc":
            config = {"recipients": rules}
        else:
            mode = draw(st.sampled_from(MODES))
            config = {"mode": mode, "assignees": rules,
                      "dedupe": {"consecutive": draw(st.booleans()), "initiator": draw(st.booleans())}}
            if mode == "percentage":
                config["threshold"] = draw(st.sampled_from([34, 50, 100]))
        nodes.append({"id": f"n{i}", "type": kind, "config": config})
        ids.append(f"n{i}")
    edges = [{"id": f"e{i}", "source": a, "target": b} for i, (a, b) in enumerate(zip(ids, ids[1:], strict=False))]
    last = ids[-1]
    if draw(st.booleans()):
        nodes += [{"id": "split", "type": "parallel_split"},
                  {"id": "p1", "type": "approval", "config": {"assignees": [{"rule": "user", "users": ["u_gm"]}]}},
                  {"id": "p2", "type": "approval", "config": {"mode": "all", "assignees": [
                      {"rule": "user", "users": ["u_qian", "u_zhao"]}]}},
                  {"id": "join", "type": "parallel_join",
                   "config": draw(st.sampled_from([{}, {"join": "first_n", "n": 1}]))}]
        edges += [{"id": "s0", "source": last, "target": "split"}, {"id": "s1", "source": "split", "target": "p1"},
                  {"id": "s2", "source": "split", "target": "p2"}, {"id": "s3", "source": "p1", "target": "join"},
                  {"id": "s4", "source": "p2", "target": "join"}]
        last = "join"
    nodes += [{"id": "gw", "type": "exclusive_gateway"}, {"id": "end", "type": "end"},
              {"id": "end_no", "type": "end", "config": {"outcome": "rejected"}}]
    edges += [{"id": "g0", "source": last, "target": "gw"},
              {"id": "g1", "source": "gw", "target": "end_no", "priority": 1,
               "condition": {">": [{"var": "form.amount"}, 100000]}},
              {"id": "g2", "source": "gw", "target": "end", "is_default": True}]
    doc = {"schema_version": 1, "nodes": nodes, "edges": edges, "layout": {}}
    assert not has_errors(verify(doc, FIELDS)), [i.code for i in verify(doc, FIELDS)]
    return doc


FIXED = [flow_fixture("purchase"), flow_fixture("leave"), flow_fixture("purchase_director"),
         load_pattern("join_first_n")["flow"], load_pattern("sequential")["flow"],
         load_pattern("percentage")["flow"], load_pattern("return_loop")["flow"]]


class EngineMachine(RuleBasedStateMachine):
    """Drives one instance with random commands; every refusal must be a PlatformError."""

    @initialize(doc=st.one_of(st.sampled_from(FIXED), random_flow()),
                amount=st.one_of(st.none(), st.sampled_from([10, 8000, 200000])),
                initiator=st.sampled_from(["u_li", "u_sun", "u_zhang", "u_qian"]), urgent=st.booleans())
    def submit(self, doc, amount, initiator, urgent):
        self.h = Harness(doc)
        data = {"reason": "r", "days": 2, "leave_type": "annual", "start_date": "2025-10-09"}
        if amount is not None:
            data["amount"] = amount
        self.data = data
        self.try_(Submit(actor=initiator, form_data=data, urgent=urgent))

    def try_(self, command):
        before = self.h.state
        try:
            result = step(self.h.flow, before, command, ctx=self.h.context())
        except PlatformError:
            return  # refused: the engine returned nothing, so nothing can have changed
        if result.events and before is not None and hasattr(command, "task_id") and command.actor != "system":
            task = before.task(command.task_id)
            if isinstance(command, (Approve, Reject, Return, Transfer, AddSigner)):
                assert task is not None and task.assignee == command.actor, "only assignees act"
        self.h.events.extend(result.events)
        self.h.state = result.state
        self.h.last = result

    def task_id(self, index):
        if self.h.state is None or not self.h.state.tasks:
            return "t999"
        return self.h.state.tasks[index % len(self.h.state.tasks)].id

    @rule(index=st.integers(0, 30), actor=st.sampled_from(USERS), assignee=st.booleans(),
          kind=st.sampled_from(["approve", "reject", "return", "transfer", "add_before", "add_after",
                                "remove", "timeout"]),
          other=st.sampled_from(USERS[:8]), to=st.sampled_from(["initiator", "previous", "head", "n0", "a"]))
    def act(self, index, actor, assignee, kind, other, to):
        task_id = self.task_id(index)
        if assignee and self.h.state is not None and self.h.state.task(task_id) is not None:
            actor = self.h.state.task(task_id).assignee  # mostly let the right person act
        command = {
            "approve": lambda: Approve(actor=actor, task_id=task_id),
            "reject": lambda: Reject(actor=actor, task_id=task_id),
            "return": lambda: Return(actor=actor, task_id=task_id, to=to),
            "transfer": lambda: Transfer(actor=actor, task_id=task_id, to_user=other),
            "add_before": lambda: AddSigner(actor=actor, task_id=task_id, users=(other,), position="before"),
            "add_after": lambda: AddSigner(actor=actor, task_id=task_id, users=(other,), position="after"),
            "remove": lambda: RemoveSigner(actor=actor, task_id=task_id),
            "timeout": lambda: Timeout(actor="system", task_id=task_id,
                                       action=["remind", "escalate", "approve", "reject"][index % 4]),
        }[kind]()
        self.try_(command)

    @rule(index=st.integers(0, 10), decision=st.sampled_from(["approve", "approve", "reject", "initiator",
                                                               "previous"]))
    def pending_task_decides(self, index, decision):
        """Make progress: the assignee of a pending task decides (or returns it)."""
        pending = self.h.state.pending_tasks() if self.h.state is not None else []
        if not pending:
            return
        task = pending[index % len(pending)]
        if decision == "approve":
            self.try_(Approve(actor=task.assignee, task_id=task.id))
        elif decision == "reject":
            self.try_(Reject(actor=task.assignee, task_id=task.id))
        else:
            self.try_(Return(actor=task.assignee, task_id=task.id, to=decision))

    @rule(actor=st.sampled_from(USERS), kind=st.sampled_from(["withdraw", "urge", "resubmit"]))
    def initiator_action(self, actor, kind):
        if self.h.state is not None and actor == "system":
            actor = self.h.state.initiator
        command = {"withdraw": Withdraw(actor=actor), "urge": Urge(actor=actor),
                   "resubmit": Resubmit(actor=actor, form_data=self.data)}[kind]
        self.try_(command)

    @invariant()
    def consistent(self):
        if not hasattr(self, "h") or self.h.state is None:
            return
        events, state = self.h.events, self.h.state
        assert replay(self.h.flow, events) == state
        assert InstanceState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
        closed = Counter(e.data.get("task_id") or e.data["task"]["id"] for e in events
                         if e.type in TERMINAL_TASK_EVENTS)
        assert all(n == 1 for n in closed.values()), "a task was completed twice"
        assert sum(e.type in ("completed", "withdrawn") for e in events) <= 1
        if state.status in ("completed", "withdrawn"):
            assert not state.tokens and not state.open_tasks() and state.outcome
        else:
            assert state.outcome is None
            # a live instance always has somewhere to be (or is with the initiator)
            assert state.tokens or state.status == "returned"


TestEngineMachine = EngineMachine.TestCase
TestEngineMachine.settings = settings(max_examples=150, stateful_step_count=25, deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow])


@settings(max_examples=30, deadline=None)
@given(doc=random_flow(), amount=st.sampled_from([10, 200000]))
def test_random_flows_run_to_an_end_when_everyone_approves(doc, amount):
    h = Harness(doc)
    h.do(Submit(actor="u_li", form_data={"amount": amount}))
    for _ in range(30):
        if not h.pending():
            break
        task = h.pending()[0]
        h.do(Approve(actor=task.assignee, task_id=task.id))
    assert h.state.status == "completed"
    assert h.state.outcome == ("rejected" if amount > 100000 else "approved")
