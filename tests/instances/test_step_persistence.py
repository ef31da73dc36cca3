"""The step's write path: prepared statements equal the ORM, the org snapshot follows every org change.

``runtime.instances.services`` writes each step with ``platform_core.fastsql`` and reuses one
org snapshot per revision (``platform_core.org.revision``). These tests pin what that must
never change: rows read back exactly as ORM rows, and a change to the org (a new department
head, a role given, a delegation) is seen by the very next step.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from platform_core.fastsql import Table
from platform_core.org import revision
from platform_core.org.models import User
from runtime.instances import services
from runtime.instances.models import Instance, InstanceEvent, Task
from tests.instances.conftest import pending


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_rows_written_by_a_step_read_back_like_orm_rows(people: Any, submit: Any) -> None:
    instance = submit(people.requester, 6000)
    stored = Instance.objects.get(pk=instance.pk)
    assert _fields(Table(Instance).get(instance.pk)) == _fields(stored)
    assert stored.state["status"] == "running" and stored.data["amount"] == 6000
    assert stored.created_at == stored.updated_at and stored.created_at.tzinfo is not None
    task = pending(instance)[0]
    assert task.assignee == people.east_lead and task.node_name and task.created_at.tzinfo is not None
    event = InstanceEvent.objects.filter(instance=instance).order_by("seq").first()
    assert event is not None and event.type == "submitted" and event.actor_id == people.requester.pk


def test_task_rows_follow_the_state_through_a_whole_request(people: Any, submit: Any) -> None:
    instance = submit(people.requester, 6000)
    while (tasks := pending(instance)):
        services.task_act(actor=tasks[0].assignee, task_id=tasks[0].pk, action="approve",
                          payload={"comment": "同意"})
    instance.refresh_from_db()
    assert (instance.status, instance.outcome) == ("completed", "approved")
    assert instance.completed_at is not None
    rows = {t.engine_id: t for t in Task.objects.filter(instance=instance)}
    for t in instance.state["tasks"]:
        row = rows.pop(t["id"])
        assert (row.node_id, str(row.assignee_id), row.status) == (t["node_id"], t["assignee"], t["status"])
        if t["status"] in ("approved", "cancelled"):
            assert row.completed_at is not None
        if t["status"] == "approved":
            assert (row.action, row.comment) == ("approve", "同意")
    assert rows == {}


def test_a_new_department_head_is_seen_by_the_next_step(org: Any, people: Any, submit: Any) -> None:
    first = submit(people.requester, 3000)
    assert pending(first)[0].assignee == people.east_lead
    deputy = org.user("deputy", department=people.sales_east, display_name="代理负责人")
    org.set_head(people.sales_east, deputy)
    second = submit(people.requester, 3000)
    assert pending(second)[0].assignee == deputy


def test_the_org_snapshot_is_reused_until_the_org_changes(org: Any, people: Any,
                                                          django_assert_num_queries: Any) -> None:
    snapshot = revision.org_directory()
    with django_assert_num_queries(1):  # the revision token only
        assert revision.org_directory() is snapshot
    token = revision.org_revision()
    people.requester.last_login = timezone.now()
    people.requester.save(update_fields=["last_login"])  # signing in is not an org change
    assert revision.org_revision() == token
    org.user("newcomer", department=people.sales)
    assert revision.org_revision() != token
    fresh = revision.org_directory()
    assert fresh is not snapshot and any(u.name == "newcomer" for u in fresh._users.values())


def test_role_membership_and_department_moves_change_the_revision(org: Any, people: Any) -> None:
    from platform_core.org import services as org_services

    token = revision.org_revision()
    people.requester.roles.add(org.role("auditor"))
    assert revision.org_revision() != token
    token = revision.org_revision()
    org_services.department_move(actor=None, system=True, department=people.sales_east, parent=people.finance)
    assert revision.org_revision() != token


def test_a_delegation_is_seen_by_the_next_step(people: Any, submit: Any) -> None:
    from platform_core.org.delegations import delegation_create

    first = submit(people.requester, 3000)
    assert pending(first)[0].assignee == people.east_lead
    now = timezone.now()
    delegation_create(actor=people.east_lead, user=people.east_lead, delegate=people.sales_head,
                      starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=2))
    second = submit(people.requester, 3000)
    task = pending(second)[0]
    assert (task.assignee, task.original_assignee) == (people.sales_head, people.east_lead)


def test_an_approval_step_takes_a_bounded_number_of_queries(people: Any, submit: Any,
                                                            django_assert_max_num_queries: Any) -> None:
    instance = submit(people.requester, 6000)
    task = pending(instance)[0]
    actor = User.objects.get(pk=task.assignee_id)
    # find the task, BEGIN, lock (+ version stamp + org revision), instance, events, tasks (insert +
    # update), participants, outbox, audit (3), COMMIT; a changed org adds its reload (4).
    with django_assert_max_num_queries(18):
        services.task_act(actor=actor, task_id=task.pk, action="approve")
