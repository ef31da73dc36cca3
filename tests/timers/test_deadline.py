"""Task deadlines (任务截止时间) from a form field: due time, the reminder before it, the overdue notice."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from runtime.definitions import services as definitions
from runtime.instances import services
from runtime.instances.models import InstanceEvent, Outbox, Task
from runtime.timers.models import Timer
from tests.definitions.conftest import form_doc
from tests.timers.conftest import at

pytestmark = pytest.mark.django_db


def task_form() -> dict[str, Any]:
    return form_doc("任务", {
        "title": {"type": "string", "x-type": "text", "x-label": {"zh": "任务名称"}, "maxLength": 100},
        "owner": {"type": "string", "x-type": "user", "x-label": {"zh": "负责人"}},
        "due_date": {"type": "string", "format": "date", "x-type": "date", "x-label": {"zh": "截止日期"}},
    }, ["title", "owner", "due_date"])


def task_flow(deadline: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "layout": {}, "nodes": [
        {"id": "start", "type": "start", "name": {"zh": "分配任务"}},
        {"id": "do", "type": "handle", "name": {"zh": "办理任务"},
         "config": {"assignees": [{"rule": "form_field", "field": "owner"}], "deadline": deadline}},
        {"id": "end", "type": "end", "name": {"zh": "结束"}}],
        "edges": [{"id": "e1", "source": "start", "target": "do"}, {"id": "e2", "source": "do", "target": "end"}]}


@pytest.fixture
def task_app(org, people):
    org.role("app_publisher", permissions=["apps.design", "apps.publish"])
    publisher = org.user("publisher", department=people.company, roles=["app_publisher"])
    app = definitions.app_create(actor=publisher, key="task", name="任务分配")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=task_form(),
                           flow=task_flow({"field": "due_date", "remind_before_hours": 24}))
    definitions.app_publish(actor=publisher, app=app)
    return app


def assign(manager, owner, due_date, when):
    with time_machine.travel(when, tick=False):
        return services.instance_submit(actor=manager, app_key="task", data={
            "title": "整理客户名单", "owner": str(owner.pk), "due_date": due_date}).instance


def notified(instance, kind):
    return [sorted(row.payload["users"]) for row in Outbox.objects.filter(instance=instance, kind="notify")
            .order_by("id") if row.payload["kind"] == kind]


def test_the_deadline_field_sets_due_time_reminder_and_overdue_notice(people, task_app, fire_at):
    instance = assign(people.east_lead, people.requester, "2026-12-10", at("2026-12-07 09:30"))
    task = Task.objects.get(instance=instance, node_id="do")
    assert task.assignee == people.requester and task.due_at == at("2026-12-10 18:00")
    timers = [(t.kind, t.due_at) for t in Timer.objects.filter(instance=instance).order_by("due_at")]
    assert timers == [("remind", at("2026-12-09 18:00")), ("overdue", at("2026-12-10 18:00"))]

    assert fire_at(at("2026-12-09 18:00")).fired == 1
    assert notified(instance, "reminder") == [[str(people.requester.pk)]]
    assert fire_at(at("2026-12-10 17:59")).claimed == 0
    assert fire_at(at("2026-12-10 18:00")).fired == 1
    assert notified(instance, "overdue") == [sorted([str(people.requester.pk), str(people.east_lead.pk)])]
    overdue = InstanceEvent.objects.get(instance=instance, type="task_overdue")
    assert overdue.data["due_at"] == at("2026-12-10 18:00").isoformat()
    task.refresh_from_db()
    assert task.status == "pending"  # a notice, not a decision

    # Late, but still to be done: handling it closes it.
    with time_machine.travel(at("2026-12-11 09:00"), tick=False):
        services.task_act(actor=people.requester, task_id=task.pk, action="approve", payload={"comment": "完成"})
    task.refresh_from_db()
    assert task.status == "done"


def test_timers_of_a_task_done_in_time_become_obsolete(people, task_app, fire_at):
    instance = assign(people.east_lead, people.requester, "2026-12-10", at("2026-12-07 09:30"))
    task = Task.objects.get(instance=instance, node_id="do")
    with time_machine.travel(at("2026-12-08 10:00"), tick=False):
        services.task_act(actor=people.requester, task_id=task.pk, action="approve")
    counts = fire_at(at("2026-12-31 10:00"))
    assert (counts.claimed, counts.obsolete, counts.fired) == (2, 2, 0)
    assert notified(instance, "overdue") == [] and notified(instance, "reminder") == []


def test_publishing_a_deadline_on_a_text_field_is_refused(people, task_app, org):
    publisher = org.user("publisher2", department=people.company, roles=["app_publisher"])
    app = definitions.app_create(actor=publisher, key="task2", name="任务2")
    from platform_core.errors import PlatformError

    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=task_form(),
                           flow=task_flow({"field": "title"}))
    with pytest.raises(PlatformError) as caught:
        definitions.app_publish(actor=publisher, app=app)
    codes = {issue["code"] for issue in caught.value.details or []}
    assert "deadline_field_wrong_kind" in codes, caught.value.details
