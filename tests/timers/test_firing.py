"""Timers in the database, fired with a frozen clock across weekends, 国庆 2026 and its make-up Saturday.

2026: 中秋 Fri 25 Sep; 国庆 Thu 1 – Wed 7 Oct off; Sat 10 Oct is an adjusted working day.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from runtime.instances import services
from runtime.instances.models import InstanceEvent, Outbox, Task
from runtime.timers.models import Timer
from tests.timers.conftest import at

REMIND = {"kind": "remind", "after_hours": 24, "repeat_hours": 24, "max": 3}


def timers_of(instance, **filters):
    return list(Timer.objects.filter(instance=instance, **filters).order_by("due_at", "id"))


def notifies(instance, kind):
    """The users of the instance's notify outbox rows of ``kind``, row by row."""
    return [row.payload["users"] for row in Outbox.objects.filter(instance=instance, kind="notify").order_by("id")
            if row.payload["kind"] == kind]


def events(instance, type_):
    return list(InstanceEvent.objects.filter(instance=instance, type=type_).order_by("seq"))


def the_task(instance):
    return Task.objects.get(instance=instance, node_id="head", kind="normal")


def test_timers_are_stored_in_the_step_and_not_in_the_outbox(people, make_app, submit_at):
    make_app("t1", [REMIND, {"kind": "escalate", "after_working_days": 3, "to": "manager"}])
    instance = submit_at(people.requester, "t1", at("2026-09-30 10:00"))
    rows = timers_of(instance)
    assert [(t.kind, t.attempt, t.due_at) for t in rows] == [
        ("remind", 1, at("2026-10-01 10:00")), ("remind", 2, at("2026-10-02 10:00")),
        ("remind", 3, at("2026-10-03 10:00")),
        # 3 working days from Wed 30 Sep: Thu 8, Fri 9, Sat 10 Oct (make-up working day)
        ("escalate", 1, at("2026-10-10 10:00")),
    ]
    assert all(t.status == "pending" and t.task_id == "t1" and t.node_id == "head" for t in rows)
    assert rows[0].config == {"attempt": 1, "of": 3}
    assert not Outbox.objects.filter(kind__in=("schedule_timer", "cancel_timers")).exists()
    # SLA: the task's due time is the escalation's
    assert the_task(instance).due_at == at("2026-10-10 10:00")


def test_reminder_cap_holds_exactly(people, make_app, submit_at, fire_at):
    make_app("t2", [REMIND])
    instance = submit_at(people.requester, "t2", at("2026-09-30 10:00"))
    assert fire_at(at("2026-10-01 09:59")).claimed == 0  # not due yet
    assert fire_at(at("2026-10-01 10:00")).fired == 1
    assert fire_at(at("2026-10-01 10:00")).claimed == 0  # fired once only
    assert fire_at(at("2026-10-20 12:00")).fired == 2  # the two late ones, then nothing more
    for _ in range(2):
        assert fire_at(at("2026-12-31 12:00")).claimed == 0
    reminded = events(instance, "task_reminded")
    assert [e.data["attempt"] for e in reminded] == [1, 2, 3]
    assert notifies(instance, "reminder") == [[str(people.east_lead.pk)]] * 3
    assert {t.status for t in timers_of(instance)} == {"fired"}


def test_escalation_lands_with_the_managers_after_the_holiday(people, make_app, submit_at, fire_at):
    make_app("t3", [{"kind": "escalate", "after_working_days": 3, "to": "manager"}])
    instance = submit_at(people.requester, "t3", at("2026-09-30 10:00"))
    assert fire_at(at("2026-10-09 18:00")).claimed == 0  # 国庆: only two working days so far
    assert fire_at(at("2026-10-10 10:00")).fired == 1  # the make-up Saturday counts
    task = the_task(instance)
    assert (task.assignee_id, task.original_assignee_id) == (people.sales_head.pk, people.east_lead.pk)
    (moved,) = events(instance, "task_transferred")
    assert moved.data["reason"] == "escalate" and moved.actor_id is None and moved.actor_ref == "system"
    assert notifies(instance, "escalated") == [[str(people.sales_head.pk)]]


def test_escalation_to_a_named_role(people, make_app, submit_at, fire_at):
    make_app("t4", [{"kind": "escalate", "after_working_days": 1, "to": "hr"}])
    instance = submit_at(people.requester, "t4", at("2026-10-16 10:00"))  # a Friday
    assert Timer.objects.get(instance=instance).due_at == at("2026-10-19 10:00")  # over the weekend: Monday
    assert fire_at(at("2026-10-18 10:00")).claimed == 0
    assert fire_at(at("2026-10-19 10:00")).fired == 1
    assert the_task(instance).assignee_id == people.hr_head.pk
    assert notifies(instance, "escalated") == [[str(people.hr_head.pk)]]


def test_auto_transfer_goes_to_the_backup(people, make_app, submit_at, fire_at, api_as):
    backup = people.accountant
    response = api_as(people.admin).patch(f"/api/v1/users/{people.east_lead.pk}/", {"backup": backup.pk},
                                          format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["backup"]["id"] == backup.pk
    make_app("t5", [{"kind": "auto_transfer", "after_hours": 24, "to": "backup"}])
    instance = submit_at(people.requester, "t5", at("2026-09-30 10:00"))
    assert fire_at(at("2026-10-01 10:00")).fired == 1
    task = the_task(instance)
    assert (task.assignee_id, task.original_assignee_id) == (backup.pk, people.east_lead.pk)
    assert events(instance, "task_transferred")[0].data["reason"] == "auto_transfer"
    assert notifies(instance, "new_task") == [[str(people.east_lead.pk)]]  # the original approver, at submit
    assert notifies(instance, "transferred") == [[str(backup.pk)]]
    assert notifies(instance, "handed_over") == [[str(people.east_lead.pk)]]  # both are told
    # the backup decides; nothing is left to fire
    services.task_act(actor=backup, task_id=task.pk, action="approve")
    instance.refresh_from_db()
    assert instance.status == "completed"


def test_auto_transfer_without_a_backup_goes_to_the_manager(people, make_app, submit_at, fire_at):
    make_app("t6", [{"kind": "auto_transfer", "after_hours": 24, "to": "backup"}])
    instance = submit_at(people.requester, "t6", at("2026-09-30 10:00"))
    assert fire_at(at("2026-10-01 10:00")).fired == 1
    assert the_task(instance).assignee_id == people.sales_head.pk


@pytest.mark.parametrize(("action", "status", "outcome"), [("approve", "completed", "approved"),
                                                           ("reject", "completed", "rejected")])
def test_final_timeout_decides(people, make_app, submit_at, fire_at, action, status, outcome):
    make_app("t7", [{"kind": "timeout", "after_working_days": 2, "action": action}])
    instance = submit_at(people.requester, "t7", at("2026-09-30 10:00"))
    assert Timer.objects.get(instance=instance).due_at == at("2026-10-09 10:00")
    assert fire_at(at("2026-10-09 09:00")).claimed == 0
    assert fire_at(at("2026-10-09 10:00")).fired == 1
    instance.refresh_from_db()
    assert (instance.status, instance.outcome) == (status, outcome)
    decided = events(instance, f"task_{action}d" if action == "approve" else "task_rejected")
    assert decided[0].data["reason"] == "timeout"


def test_timeout_notify_admin_tells_the_admins(people, make_app, submit_at, fire_at, org):
    admin = org.user("flow_admin_user", department=people.company, roles=["flow_admin"])
    make_app("t8", [{"kind": "timeout", "after_hours": 8, "action": "notify_admin"}])
    instance = submit_at(people.requester, "t8", at("2026-09-30 10:00"))
    assert fire_at(at("2026-09-30 18:00")).fired == 1
    assert events(instance, "timeout_noted")[0].data["admins"] == [str(admin.pk)]
    assert notifies(instance, "escalated") == [[str(admin.pk)]]
    assert the_task(instance).status == "pending"


def test_timers_of_a_decided_task_become_obsolete(people, make_app, submit_at, fire_at):
    make_app("t9", [REMIND, {"kind": "timeout", "after_hours": 72, "action": "reject"}])
    instance = submit_at(people.requester, "t9", at("2026-09-30 10:00"))
    assert fire_at(at("2026-10-01 10:00")).fired == 1
    services.task_act(actor=people.east_lead, task_id=the_task(instance).pk, action="approve")
    counts = fire_at(at("2026-10-31 10:00"))
    assert (counts.claimed, counts.obsolete, counts.fired) == (3, 3, 0)
    assert len(events(instance, "task_reminded")) == 1
    instance.refresh_from_db()
    assert instance.outcome == "approved"
    obsolete = timers_of(instance, status="obsolete")
    assert {t.last_error["code"] for t in obsolete} == {"task_already_completed"}


def test_withdraw_cancels_the_pending_timers(people, make_app, submit_at, fire_at):
    make_app("t10", [REMIND])
    instance = submit_at(people.requester, "t10", at("2026-09-30 10:00"))
    services.instance_withdraw(actor=people.requester, instance_id=instance.pk)
    assert {t.status for t in timers_of(instance)} == {"cancelled"}
    assert fire_at(at("2026-10-31 10:00")).claimed == 0


def test_delay_node_fires_delay_elapsed(people, make_app, submit_at, fire_at):
    make_app("t11", [], delay={"after_working_days": 1})
    instance = submit_at(people.requester, "t11", at("2026-09-30 10:00"))
    import time_machine

    with time_machine.travel(at("2026-09-30 11:00"), tick=False):
        services.task_act(actor=people.east_lead, task_id=the_task(instance).pk, action="approve")
    (delay,) = timers_of(instance)
    assert (delay.kind, delay.due_at, delay.token_id != "") == ("delay", at("2026-10-08 11:00"), True)
    assert fire_at(at("2026-10-08 11:00")).fired == 1
    instance.refresh_from_db()
    assert instance.status == "completed"


def test_a_crashed_workers_timers_fire_after_its_lease(people, make_app, submit_at, fire_at):
    from runtime.timers import services as timers

    make_app("t12", [{"kind": "remind", "after_hours": 1}])
    instance = submit_at(people.requester, "t12", at("2026-09-30 10:00"))
    now = at("2026-09-30 12:00")
    (held,) = timers._claim(10, now)  # claimed, then the worker died
    assert fire_at(now + timedelta(minutes=1)).claimed == 0  # its lease holds
    assert fire_at(now + timers.lease() + timedelta(seconds=1)).fired == 1
    assert timers._fire(held, now) == "lost"  # the dead worker wakes up: its claim is stale
    assert len(events(instance, "task_reminded")) == 1


def test_fire_timers_command(people, make_app, submit_at):
    import subprocess
    import sys
    from io import StringIO
    from pathlib import Path

    import time_machine
    from django.core.management import call_command
    from django.core.management.base import CommandError

    make_app("t13", [{"kind": "remind", "after_hours": 1}])
    submit_at(people.requester, "t13", at("2026-09-30 10:00"))
    out = StringIO()
    with time_machine.travel(at("2026-09-30 12:00"), tick=False):
        call_command("fire_timers", "--once", stdout=out)
    assert out.getvalue().strip() == "claimed=1 fired=1 obsolete=0 failed=0 lost=0"
    for bad in (["--interval", "0"], ["--interval", "soon"], ["--limit", "-3"]):
        with pytest.raises(CommandError, match="must be a positive number"):
            call_command("fire_timers", "--once", *bad)
    root = Path(__file__).resolve().parents[2]
    for args in (["--bogus"], ["--interval", "0"]):
        done = subprocess.run([sys.executable, "manage.py", "fire_timers", *args], cwd=root,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode != 0
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_overdue_filter_follows_the_sla(people, make_app, submit_at, fire_at, api_as):
    import time_machine

    make_app("t14", [REMIND, {"kind": "escalate", "after_working_days": 3, "to": "manager"}])
    instance = submit_at(people.requester, "t14", at("2026-09-30 10:00"))

    def overdue(user, when):
        with time_machine.travel(when, tick=False):
            response = api_as(user).get("/api/v1/instances/?box=todo&overdue=true")
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert overdue(people.east_lead, at("2026-10-09 10:00")) == []  # reminders are no deadline
    assert overdue(people.east_lead, at("2026-10-10 10:01")) == [instance.pk]
    assert fire_at(at("2026-10-10 10:01")).fired == 4  # three reminders, then the escalation
    assert overdue(people.east_lead, at("2026-10-10 10:02")) == []  # not theirs any more
    assert overdue(people.sales_head, at("2026-10-10 10:02")) == [instance.pk]  # still past the SLA


def test_working_days_are_counted_in_the_companys_time_zone(people, make_app, submit_at):
    # Fri 16 Oct 2026, 07:00 in Beijing is still Thursday in UTC (the step's clock): the
    # escalation must land on Monday, not on the Saturday after "Thursday + 1".
    make_app("t15", [{"kind": "escalate", "after_working_days": 1, "to": "manager"}])
    instance = submit_at(people.requester, "t15", at("2026-10-16 07:00"))
    assert Timer.objects.get(instance=instance).due_at == at("2026-10-19 07:00")


def test_storing_costs_one_insert_and_no_statement_for_tasks_without_timers(people, make_app, submit_at):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_app("t16", [REMIND, {"kind": "escalate", "after_working_days": 3, "to": "manager"}])
    with CaptureQueriesContext(connection) as queries:
        instance = submit_at(people.requester, "t16", at("2026-09-30 10:00"))
    timer_sql = [q["sql"] for q in queries.captured_queries if Timer._meta.db_table in q["sql"]]
    assert len(timer_sql) == 1 and timer_sql[0].startswith("INSERT")  # four timers, one statement
    with CaptureQueriesContext(connection) as queries:
        services.instance_withdraw(actor=people.requester, instance_id=instance.pk)
    timer_sql = [q["sql"] for q in queries.captured_queries if Timer._meta.db_table in q["sql"]]
    assert len(timer_sql) == 1 and timer_sql[0].startswith("UPDATE")  # the cancel
    assert {t.status for t in timers_of(instance)} == {"cancelled"}
    make_app("t17", [])  # no timers: cancelling its task writes nothing to the timers table
    plain = submit_at(people.requester, "t17", at("2026-09-30 10:00"))
    with CaptureQueriesContext(connection) as queries:
        services.instance_withdraw(actor=people.requester, instance_id=plain.pk)
    assert not [q for q in queries.captured_queries if Timer._meta.db_table in q["sql"]]
