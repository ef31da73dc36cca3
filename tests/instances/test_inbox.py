"""Inboxes, counts, data scopes and IDOR: who sees which requests, in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from runtime.instances import services
from runtime.instances.models import InstanceEvent
from tests.instances.conftest import pending

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_boxes_and_counts(api_as, people, submit):
    a, b = submit(people.requester, 100), submit(people.requester, 200, urgent=True)
    services.task_act(actor=people.east_lead, task_id=pending(a)[0].pk, action="approve")
    lead = api_as(people.east_lead)
    assert ids(lead.get("/api/v1/instances/?box=todo")) == [b.pk]
    assert ids(lead.get("/api/v1/instances/?box=done")) == [a.pk]
    assert ids(lead.get("/api/v1/instances/?box=started")) == []
    assert lead.get("/api/v1/instances/counts/").json() == {"todo": 1, "done": 1, "started": 0, "cc": 0}
    row = lead.get("/api/v1/instances/?box=todo").json()["results"][0]
    assert row["urgent"] is True and [t["engine_id"] for t in row["my_tasks"]] == ["t1"]
    mine = api_as(people.requester)
    assert ids(mine.get("/api/v1/instances/?box=started")) == [b.pk, a.pk]
    assert ids(mine.get("/api/v1/instances/?box=started&urgent=true")) == [b.pk]
    assert ids(mine.get("/api/v1/instances/?box=started&app=nope")) == []
    assert ids(mine.get("/api/v1/instances/?box=started&overdue=1")) == []
    assert ids(mine.get("/api/v1/instances/?search=采购")) == [b.pk, a.pk]
    assert ids(api_as(people.accountant).get("/api/v1/instances/?box=todo")) == [a.pk]
    assert mine.get("/api/v1/instances/?box=bogus").status_code == 400


def test_other_users_ids_are_404(api_as, people, submit):
    instance = submit(people.requester, 100)
    task = pending(instance)[0]
    outsider = api_as(people.hr_head)
    for response in (
        outsider.get(f"/api/v1/instances/{instance.pk}/"),
        outsider.post(f"/api/v1/tasks/{task.pk}/act/", {"action": "approve"}, format="json"),
        outsider.post(f"/api/v1/instances/{instance.pk}/comment/", {"comment": "hi"}, format="json"),
        outsider.post(f"/api/v1/instances/{instance.pk}/withdraw/", {}, format="json"),
        outsider.get("/api/v1/instances/999999/"),
        outsider.post("/api/v1/tasks/999999/act/", {"action": "approve"}, format="json"),
    ):
        assert response.status_code == 404, response.json()
        assert response.json()["error"]["code"] in ("instance_not_found", "task_not_found")
    assert ids(outsider.get("/api/v1/instances/")) == []
    assert InstanceEvent.objects.filter(instance=instance).count() == instance.event_seq


def test_data_scopes(org, api_as, people, submit):
    instance = submit(people.requester, 100)
    org.role("sales_viewer", data_scope="subtree")
    org.role("team_viewer", data_scope="department")
    org.role("auditor", data_scope="all")
    subtree = org.user("sales_director", department=people.sales, roles=["sales_viewer"])
    dept_only = org.user("sales_analyst", department=people.sales, roles=["team_viewer"])
    teammate = org.user("east_analyst", department=people.sales_east, roles=["team_viewer"])
    auditor = org.user("auditor", department=people.hr, roles=["auditor"])
    plain = org.user("east_member", department=people.sales_east)
    for user, sees in ((subtree, True), (dept_only, False), (teammate, True), (auditor, True), (plain, False)):
        response = api_as(user).get(f"/api/v1/instances/{instance.pk}/")
        assert response.status_code == (200 if sees else 404), user
        assert ids(api_as(user).get("/api/v1/instances/")) == ([instance.pk] if sees else [])
    # Scope viewers read with the most restrictive rights: a field hidden at any node is hidden.
    assert api_as(auditor).get(f"/api/v1/instances/{instance.pk}/").json()["data"] == {"amount": 100,
                                                                                        "reason": "办公电脑"}


def test_inbox_query_count_does_not_grow_with_the_page(api_as, people, submit):
    def count(n_before):
        client = api_as(people.east_lead)
        client.get("/api/v1/instances/?box=todo")  # warm caches (permissions, scope)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/instances/?box=todo")
        assert len(response.json()["results"]) == n_before
        return len(ctx.captured_queries)

    submit(people.requester, 100)
    small = count(1)
    for amount in range(5):
        submit(people.requester, 200 + amount)
    big = count(6)
    assert big == small <= 8
    with CaptureQueriesContext(connection) as ctx:
        assert api_as(people.requester).get("/api/v1/instances/counts/").status_code == 200
    assert len(ctx.captured_queries) <= 8


def test_detail_query_count_is_bounded(api_as, people, submit):
    instance = submit(people.requester, 6000)
    for user in (people.east_lead, people.finance_head, people.accountant):
        for task in pending(instance, user):
            services.task_act(actor=user, task_id=task.pk, action="approve", payload={"comment": "ok"})
    client = api_as(people.gm)
    client.get(f"/api/v1/instances/{instance.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/instances/{instance.pk}/")
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 10, [q["sql"] for q in ctx.captured_queries]


def test_date_range_and_sorts(api_as, people, submit):
    import time_machine

    from runtime.instances.models import Task
    from tests.timers.conftest import at

    with time_machine.travel(at("2026-12-01 10:00"), tick=False):
        first = submit(people.requester, 100)
    with time_machine.travel(at("2026-12-03 10:00"), tick=False):
        second = submit(people.requester, 200)
    with time_machine.travel(at("2026-12-05 10:00"), tick=False):
        third = submit(people.requester, 300, urgent=True)
    lead = api_as(people.east_lead)
    assert ids(lead.get("/api/v1/instances/?box=todo&created_from=2026-12-02&created_to=2026-12-03")) == [second.pk]
    assert ids(lead.get("/api/v1/instances/?box=todo&created_to=2026-12-01")) == [first.pk]
    assert ids(lead.get("/api/v1/instances/?box=todo")) == [third.pk, second.pk, first.pk]  # urgent, then newest
    assert ids(lead.get("/api/v1/instances/?box=todo&sort=oldest")) == [first.pk, second.pk, third.pk]
    assert ids(lead.get("/api/v1/instances/?box=todo&sort=newest")) == [third.pk, second.pk, first.pk]
    # Earliest due first; requests without a due time come last.
    Task.objects.filter(instance=third).update(due_at=None)
    Task.objects.filter(instance=second).update(due_at=at("2026-12-08 18:00"))
    Task.objects.filter(instance=first).update(due_at=at("2026-12-09 18:00"))
    assert ids(lead.get("/api/v1/instances/?box=todo&sort=due")) == [second.pk, first.pk, third.pk]
    for bad in ("created_from=12/01", "created_to=tomorrow", "sort=random"):
        response = lead.get(f"/api/v1/instances/?box=todo&{bad}")
        assert response.status_code == 400 and bad.split("=")[0] in str(response.json()["error"]), bad


def test_sorting_by_due_keeps_the_query_count(api_as, people, submit):
    client = api_as(people.east_lead)
    for amount in range(3):
        submit(people.requester, 100 + amount)
    client.get("/api/v1/instances/?box=todo&sort=due")
    with CaptureQueriesContext(connection) as ctx:
        assert len(ids(client.get("/api/v1/instances/?box=todo&sort=due"))) == 3
    assert len(ctx.captured_queries) <= 8
