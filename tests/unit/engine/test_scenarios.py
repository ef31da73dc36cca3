"""Named engine scenarios from the seed requirements and DESIGN.md "Engine semantics"."""

from __future__ import annotations

from datetime import datetime

import pytest

from runtime.engine import (
    AddSigner,
    Approve,
    Cc,
    Comment,
    EngineSettings,
    FieldNotEditable,
    NotAnAssignee,
    Reject,
    RemoveSigner,
    Resubmit,
    Retry,
    Return,
    RoutingBlocked,
    Submit,
    TaskAlreadyCompleted,
    Timeout,
    Transfer,
    Urge,
    Withdraw,
    WithdrawNotAllowed,
    command_from_dict,
    visible_data,
)
from runtime.engine.errors import EngineError
from runtime.flows import load_flow
from runtime.workcalendar import WorkCalendar
from tests.unit.engine.conftest import NOW, Harness, flow_fixture


def purchase(amount=8000, **kw):
    h = Harness(flow_fixture("purchase"), **kw)
    data = {"reason": "laptops"} if amount is None else {"amount": amount, "reason": "laptops"}
    h.do(Submit(actor="u_li", form_data=data, urgent=kw.pop("urgent", False)))
    return h


def approve(h, user, node=None, **kw):
    return h.do(Approve(actor=user, task_id=h.task_of(user, node).id, **kw))


def test_purchase_three_levels_end_to_end():
    h = purchase(8000)
    head = h.event("task_created")
    assert head.data["task"]["assignee"] == "u_zhang"
    assert {"rule": "dept_head", "department": "销售部", "user": "张三"}.items() <= head.data["trace"][0].items()
    approve(h, "u_zhang", "head")
    approve(h, "u_qian", "finance")
    assert [t.assignee for t in h.pending()] == ["u_zhao"]  # 会签: finance waits for everyone
    approve(h, "u_zhao", "finance")
    gateway = h.event("gateway_decided").data
    assert gateway["taken"] == "e4" and gateway["reason"] == "first_match"
    assert gateway["evaluations"][0]["values"] == {"form.amount": 8000}
    approve(h, "u_gm", "gm")
    assert (h.state.status, h.state.outcome) == ("completed", "approved")
    assert h.effects("notify")[-1] | {} == {**h.effects("notify")[-1], "kind": "approved", "users": ["u_li"]}


def test_purchase_small_amount_skips_gm_by_default_edge():
    h = purchase(3000)
    approve(h, "u_zhang")
    approve(h, "u_qian")
    approve(h, "u_zhao")
    assert h.event("gateway_decided").data["reason"] == "default"
    assert h.state.outcome == "approved"


@pytest.mark.parametrize(("days", "nodes"), [(2, ["head"]), (3, ["head"]), (5, ["head", "hr"])])
def test_leave_days_route(days, nodes):
    h = Harness(flow_fixture("leave"))
    h.do(Submit(actor="u_li", form_data={"days": days, "leave_type": "annual", "start_date": "2025-10-09"}))
    approve(h, "u_zhang", "head")
    if "hr" in nodes:
        assert h.event("gateway_decided").data["target"] == "hr"
        approve(h, "u_sun", "hr")
    else:
        assert h.event("cc_sent").data["users"] == ["u_sun"]
        assert ("cc_hr", "u_sun") in h.state.cc
    assert h.state.trail == tuple(nodes)
    assert h.state.outcome == "approved"


def test_amount_over_5000_goes_to_director():
    h = Harness(flow_fixture("purchase_director"))
    h.do(Submit(actor="u_li", form_data={"amount": 6000}))
    approve(h, "u_zhang")
    task = h.task_of("u_dir", "director")
    trace = h.event("node_activated").data["trace"]
    assert any(r.get("department") == "营销中心" for r in trace)
    assert task.due_at is not None
    approve(h, "u_dir")
    assert h.state.outcome == "approved"


def test_urgent_skips_skippable_node():
    h = Harness(flow_fixture("purchase"))
    h.do(Submit(actor="u_li", form_data={"amount": 9000, "reason": "x"}, urgent=True))
    for user in ("u_zhang", "u_qian", "u_zhao"):
        approve(h, user)
    skipped = h.event("node_skipped").data
    assert (skipped["node_id"], skipped["reason"]) == ("gm", "urgent")
    assert h.state.outcome == "approved"


def test_delegation_sends_new_tasks_to_the_delegate():
    away = {"u_zhang": "u_dir"}
    h = Harness(flow_fixture("purchase"), delegate_for=lambda user, app, now: away.get(user))
    h.do(Submit(actor="u_li", form_data={"amount": 100, "reason": "x"}))
    task = h.task_of("u_dir", "head")
    assert (task.original_assignee, task.delegated) == ("u_zhang", True)
    assert h.event("task_created").data["delegated_from"] == "u_zhang"
    with pytest.raises(NotAnAssignee):
        h.do(Approve(actor="u_zhang", task_id=task.id))
    approve(h, "u_dir", "head")


def test_explicit_transfer():
    h = purchase(100)
    task = h.task_of("u_zhang")
    h.do(Transfer(actor="u_zhang", task_id=task.id, to_user="u_dir", comment="出差，转李总监"))
    moved = h.state.task(task.id)
    assert (moved.assignee, moved.original_assignee) == ("u_dir", "u_zhang")
    assert h.event("task_transferred").data["from"] == "u_zhang"
    assert h.effects("notify")[0]["kind"] == "transferred"
    with pytest.raises(NotAnAssignee):
        h.do(Approve(actor="u_zhang", task_id=task.id))
    approve(h, "u_dir", "head")


def test_add_signer_before_suspends_until_they_approve():
    h = purchase(100)
    task = h.task_of("u_zhang")
    h.do(AddSigner(actor="u_zhang", task_id=task.id, users=("u_dir",), position="before"))
    assert h.state.task(task.id).status == "suspended"
    with pytest.raises(EngineError) as exc:
        h.do(Approve(actor="u_zhang", task_id=task.id))
    assert exc.value.code == "task_not_active"
    approve(h, "u_dir", "head")
    assert h.state.task(task.id).status == "pending"
    approve(h, "u_zhang", "head")
    assert h.pending()[0].node_id == "finance"


def test_add_signer_after_must_approve_before_node_completes():
    h = purchase(100)
    task = h.task_of("u_zhang")
    h.do(AddSigner(actor="u_zhang", task_id=task.id, users=("u_dir",), position="after"))
    assert [t.assignee for t in h.pending()] == ["u_zhang"]
    approve(h, "u_zhang", "head")
    assert [t.assignee for t in h.pending()] == ["u_dir"]  # node not complete yet
    approve(h, "u_dir", "head")
    assert {t.node_id for t in h.pending()} == {"finance"}


def test_remove_signer_resumes_original_and_only_by_who_added():
    h = purchase(100)
    task = h.task_of("u_zhang")
    h.do(AddSigner(actor="u_zhang", task_id=task.id, users=("u_dir",), position="before"))
    signer = h.task_of("u_dir")
    with pytest.raises(EngineError) as exc:
        h.do(RemoveSigner(actor="u_dir", task_id=signer.id))
    assert exc.value.code == "signer_not_yours"
    h.do(RemoveSigner(actor="u_zhang", task_id=signer.id))
    assert h.state.task(task.id).status == "pending"


def test_added_signer_rejection_rejects():
    h = purchase(100)
    h.do(AddSigner(actor="u_zhang", task_id=h.task_of("u_zhang").id, users=("u_dir",), position="before"))
    h.do(Reject(actor="u_dir", task_id=h.task_of("u_dir").id))
    assert h.state.outcome == "rejected"


def test_return_to_initiator_edit_and_resubmit_restarts():
    h = purchase(8000)
    approve(h, "u_zhang")
    h.do(Return(actor="u_qian", task_id=h.task_of("u_qian").id, to="initiator", comment="金额写错"))
    assert h.state.status == "returned" and not h.pending()
    assert h.effects("notify")[-1]["kind"] == "returned"
    with pytest.raises(EngineError) as exc:
        h.do(Resubmit(actor="u_zhang", form_data={"amount": 1}))
    assert exc.value.code == "not_the_initiator"
    h.do(Resubmit(actor="u_li", form_data={"amount": 4000, "reason": "fixed"}))
    assert h.state.status == "running" and h.state.data["amount"] == 4000
    assert [t.node_id for t in h.pending()] == ["head"]  # restarts from the first node after start
    for user in ("u_zhang", "u_qian", "u_zhao"):
        approve(h, user)
    assert h.state.outcome == "approved"


def test_return_to_previous_reactivates_with_fresh_tasks():
    h = purchase(100)
    first = h.task_of("u_zhang")
    approve(h, "u_zhang")
    h.do(Return(actor="u_qian", task_id=h.task_of("u_qian").id, to="previous"))
    fresh = h.task_of("u_zhang", "head")
    assert fresh.id != first.id and not h.pending("finance")
    with pytest.raises(EngineError) as exc:
        h.do(Return(actor="u_zhang", task_id=fresh.id, to="gm"))
    assert exc.value.code == "invalid_command"


def test_withdraw_before_first_approval_only():
    h = purchase(100)
    approve(h, "u_zhang")
    with pytest.raises(WithdrawNotAllowed):
        h.do(Withdraw(actor="u_li"))
    h2 = purchase(100)
    with pytest.raises(EngineError) as exc:
        h2.do(Withdraw(actor="u_zhang"))
    assert exc.value.code == "not_the_initiator"
    h2.do(Withdraw(actor="u_li"))
    assert (h2.state.status, h2.state.outcome) == ("withdrawn", "withdrawn") and not h2.state.open_tasks()


def test_withdraw_always_when_app_says_so():
    h = purchase(100, settings=EngineSettings(withdraw_always=True))
    approve(h, "u_zhang")
    h.do(Withdraw(actor="u_li"))
    assert h.state.status == "withdrawn"


def _single(on_empty, **extra):
    doc = {"schema_version": 1, "layout": {}, "nodes": [
        {"id": "start", "type": "start"},
        {"id": "a", "type": "approval", "config": {"assignees": [{"rule": "role", "role": "nobody"}],
                                                    "on_empty": on_empty, **extra}},
        {"id": "end", "type": "end"}],
        "edges": [{"id": "e1", "source": "start", "target": "a"}, {"id": "e2", "source": "a", "target": "end"}]}
    h = Harness(doc)
    h.do(Submit(actor="u_li", form_data={}))
    return h


def test_empty_approvers_fallback_admin_skip_error():
    admin = _single("admin")
    assert [t.assignee for t in admin.pending()] == ["u_wu"]
    assert admin.event("node_activated").data["fallback"] == "admin"
    skip = _single("skip")
    assert skip.event("node_skipped").data["reason"] == "no_assignees" and skip.state.outcome == "approved"
    error = _single("error")
    assert error.state.status == "error"
    assert error.state.tokens[0].issue["code"] == "approver_not_found"
    with pytest.raises(EngineError) as exc:
        error.do(Retry(actor="u_wu", node_id="a"))
    assert exc.value.code == "approver_not_found" and exc.value.node_id == "a"


def test_dedupe_auto_approves_initiator_and_consecutive():
    doc = flow_fixture("leave")
    h = Harness(doc)
    # 孙经理 (HR head) asks for 5 days: head of 人事部 is himself → not deduped on head (not configured),
    # but the HR node (dedupe.consecutive) auto-approves him after he decided the head node.
    h.do(Submit(actor="u_sun", form_data={"days": 5, "leave_type": "annual", "start_date": "2025-10-09"}))
    approve(h, "u_sun", "head")
    auto = h.event("task_auto_approved").data
    assert (auto["task"]["assignee"], auto["reason"]) == ("u_sun", "consecutive")
    assert h.state.outcome == "approved"
    doc["nodes"][1]["config"]["dedupe"] = {"initiator": True}
    h2 = Harness(doc)
    h2.do(Submit(actor="u_sun", form_data={"days": 1, "leave_type": "annual", "start_date": "2025-10-09"}))
    assert h2.event("task_auto_approved").data["reason"] == "initiator"
    assert h2.state.outcome == "approved" and h2.state.human_approvals == 0


def test_missing_amount_blocks_routing_then_retry_with_fix():
    h = purchase(None)
    for user in ("u_zhang", "u_qian", "u_zhao"):
        approve(h, user)
    blocked = h.event("routing_blocked").data
    assert h.state.status == "blocked"
    assert (blocked["reason"], blocked["missing"]) == ("missing_data", ["amount"])
    with pytest.raises(RoutingBlocked):
        h.do(Retry(actor="u_wu", node_id="gw"))
    h.do(Retry(actor="u_wu", node_id="gw", form_patch={"amount": 100}))
    assert h.state.outcome == "approved"


def test_completed_task_and_non_assignee_are_refused_without_change():
    h = purchase(100)
    task = h.task_of("u_zhang")
    with pytest.raises(NotAnAssignee) as exc:
        h.do(Approve(actor="u_li", task_id=task.id))
    assert exc.value.details["flow_version"] == "v1" and exc.value.node_id == "head"
    approve(h, "u_zhang")
    before = (h.state, len(h.events))
    with pytest.raises(TaskAlreadyCompleted) as exc:
        h.do(Approve(actor="u_zhang", task_id=task.id))
    assert exc.value.code == "task_already_completed"
    assert (h.state, len(h.events)) == before


def test_field_rights_on_approve():
    h = purchase(100)
    with pytest.raises(FieldNotEditable) as exc:
        approve(h, "u_zhang", form_patch={"amount": 1})
    assert exc.value.params["field"] == "amount"
    doc = flow_fixture("purchase")
    doc["nodes"][1]["config"]["fields"] = {"amount": "read_only", "contract_no": "editable", "reason": "hidden"}
    h2 = Harness(doc)
    h2.do(Submit(actor="u_li", form_data={"amount": 100, "reason": "secret"}))
    approve(h2, "u_zhang", form_patch={"contract_no": "HT-7"})
    assert h2.state.data["contract_no"] == "HT-7"
    assert "reason" not in visible_data(h2.flow, "head", h2.state.data, h2.fields)
    assert visible_data(h2.flow, "finance", h2.state.data, h2.fields)["reason"] == "secret"


def test_timers_across_weekend_and_holiday():
    # Tue 30 Sep 2025: 1-8 Oct is the National Day holiday, Sat 11 Oct an adjusted working day.
    h = purchase(100, now=datetime.fromisoformat("2025-09-30T10:00:00+08:00"))
    timers = {(t["kind"], t["config"]["attempt"]): t["due_at"] for t in h.effects("schedule_timer")}
    assert timers[("escalate", 1)] == "2025-10-11T10:00:00+08:00"
    assert timers[("remind", 1)] == "2025-10-01T10:00:00+08:00"
    assert timers[("remind", 3)] == "2025-10-03T10:00:00+08:00"
    assert h.task_of("u_zhang").due_at == "2025-10-11T10:00:00+08:00"
    company = WorkCalendar(statutory=False, extra_holidays=["2025-09-23"])
    h2 = purchase(100, now=datetime.fromisoformat("2025-09-19T10:00:00+08:00"), calendar=company)  # a Friday
    due = [t["due_at"] for t in h2.effects("schedule_timer") if t["kind"] == "escalate"]
    assert due == ["2025-09-25T10:00:00+08:00"]  # Mon, (Tue off), Wed, Thu


def test_timeout_commands():
    h = purchase(100)
    task = h.task_of("u_zhang")
    h.do(Timeout(actor="system", task_id=task.id, action="remind", timer={"attempt": 1}))
    assert h.effects("notify")[0]["kind"] == "reminder"
    h.do(Timeout(actor="system", task_id=task.id, action="escalate", timer={"to": "manager"}))
    assert h.state.task(task.id).assignee == "u_dir"  # 张三's manager: head of 营销中心
    h.do(Timeout(actor="system", task_id=task.id, action="approve"))
    assert h.state.human_approvals == 0 and h.pending()[0].node_id == "finance"


def test_urge_comment_cc_and_idempotent_request():
    h = purchase(100)
    h.do(Urge(actor="u_li"))
    assert h.effects("notify")[0] == {**h.effects("notify")[0], "kind": "urged", "users": ["u_zhang"]}
    h.do(Comment(actor="u_zhang", comment="看一下"))
    h.do(Cc(actor="u_li", users=("u_sun",)))
    assert (None, "u_sun") in h.state.cc
    command = command_from_dict({"type": "approve", "actor": "u_zhang", "task_id": h.task_of("u_zhang").id,
                                 "request_id": "r-1"})
    h.do(command)
    count = len(h.events)
    again = h.do(command)
    assert again.events == () and len(h.events) == count


def test_handle_node_is_done():
    doc = {"schema_version": 1, "layout": {}, "nodes": [
        {"id": "start", "type": "start"},
        {"id": "do", "type": "handle", "config": {"assignees": [{"rule": "user", "users": ["u_lin"]}]}},
        {"id": "end", "type": "end"}],
        "edges": [{"id": "e1", "source": "start", "target": "do"}, {"id": "e2", "source": "do", "target": "end"}]}
    h = Harness(load_flow(doc))
    h.do(Submit(actor="u_li", form_data={}))
    approve(h, "u_lin")
    assert h.state.tasks[0].status == "done" and h.state.outcome == "approved"


def _assigned_task(deadline, **config):
    """A 任务分配 flow: one handle node for 张三 whose due time comes from a form field."""
    doc = {"schema_version": 1, "layout": {}, "nodes": [
        {"id": "start", "type": "start"},
        {"id": "do", "type": "handle", "name": {"zh": "办理任务"},
         "config": {"assignees": [{"rule": "user", "users": ["u_zhang"]}], "deadline": deadline, **config}},
        {"id": "end", "type": "end"}],
        "edges": [{"id": "e1", "source": "start", "target": "do"}, {"id": "e2", "source": "do", "target": "end"}]}
    return Harness(load_flow(doc), calendar=WorkCalendar(zone=NOW.tzinfo))


def test_deadline_from_a_date_field_sets_due_time_reminder_and_overdue_notice():
    h = _assigned_task({"field": "need_by", "remind_before_hours": 24})
    h.do(Submit(actor="u_li", form_data={"need_by": "2025-09-26"}))
    task = h.task_of("u_zhang")
    assert task.due_at == "2025-09-26T18:00:00+08:00"  # the end of that working day
    timers = {t["kind"]: t for t in h.effects("schedule_timer")}
    assert timers["remind"]["due_at"] == "2025-09-25T18:00:00+08:00"
    assert timers["overdue"]["due_at"] == "2025-09-26T18:00:00+08:00"
    assert timers["overdue"]["task_id"] == task.id
    h.do(Timeout(actor="system", task_id=task.id, action="remind", timer=timers["remind"]["config"]))
    assert h.effects("notify")[0]["kind"] == "reminder" and h.effects("notify")[0]["users"] == ["u_zhang"]
    h.do(Timeout(actor="system", task_id=task.id, action="overdue", timer=timers["overdue"]["config"]))
    assert h.types()[-1] == "task_overdue"
    assert h.event("task_overdue").data["due_at"] == "2025-09-26T18:00:00+08:00"
    notice = h.effects("notify")[0]
    assert notice["kind"] == "overdue" and notice["users"] == ["u_zhang", "u_li"]
    assert h.pending() == [h.state.task(task.id)]  # overdue is a notice: the task stays open
    approve(h, "u_zhang")
    assert h.state.outcome == "approved"


@pytest.mark.parametrize(("value", "due"), [
    ("2025-09-30T12:30:00+08:00", "2025-09-30T12:30:00+08:00"),  # a datetime as written
    ("2025-09-30T12:30:00", "2025-09-30T12:30:00+08:00"),  # naive: the company's zone
    ({"start": "2025-09-23", "end": "2025-09-29"}, "2025-09-29T18:00:00+08:00"),  # a range: its last day
])
def test_deadline_reads_datetimes_and_ranges(value, due):
    h = _assigned_task({"field": "need_by"})
    h.do(Submit(actor="u_li", form_data={"need_by": value}))
    assert h.task_of("u_zhang").due_at == due
    assert [t["kind"] for t in h.effects("schedule_timer")] == ["overdue"]  # no reminder configured


def test_deadline_empty_or_past_reminder_and_earlier_sla():
    h = _assigned_task({"field": "need_by", "remind_before_hours": 48})
    h.do(Submit(actor="u_li", form_data={}))
    assert h.task_of("u_zhang").due_at is None and h.effects("schedule_timer") == []
    h = _assigned_task({"field": "need_by", "remind_before_hours": 48})
    h.do(Submit(actor="u_li", form_data={"need_by": "2025-09-23"}))  # tomorrow: 48 h before is past
    assert [t["kind"] for t in h.effects("schedule_timer")] == ["overdue"]
    h = _assigned_task({"field": "need_by"}, timers=[{"kind": "escalate", "after_hours": 2, "to": "manager"}])
    h.do(Submit(actor="u_li", form_data={"need_by": "2025-09-26"}))
    assert h.task_of("u_zhang").due_at == "2025-09-22T12:00:00+08:00"  # the escalation comes first
