"""The task timeline (甘特图): which tasks, which days, who may see them, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from runtime.instances import services
from tests.instances.conftest import pending
from tests.timers.conftest import at

pytestmark = pytest.mark.django_db
URL = "/api/v1/tasks/schedule/"


def rows(response):
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_mine_holds_my_tasks_and_my_requests_tasks(api_as, people, submit):
    with time_machine.travel(at("2026-12-01 10:00"), tick=False):
        first = submit(people.requester, 100)
    with time_machine.travel(at("2026-12-02 11:00"), tick=False):
        services.task_act(actor=people.east_lead, task_id=pending(first)[0].pk, action="approve")
    with time_machine.travel(at("2026-12-03 09:00"), tick=False):
        second = submit(people.requester, 200)
        response = api_as(people.requester).get(URL, {"start": "2026-12-01", "end": "2026-12-31"})
    got = rows(response)
    assert [(r["request"]["id"], r["node_id"], r["status"]) for r in got] == [
        (first.pk, "head", "approved"), (first.pk, "finance", "pending"), (first.pk, "finance", "pending"),
        (second.pk, "head", "pending")]
    head = got[0]
    assert head["assignee"] == {"id": people.east_lead.pk, "name": people.east_lead.name}
    assert head["completed_at"].startswith("2026-12-02T") and head["overdue"] is False
    assert head["request"]["app"] == {"key": "purchase", "name": "采购申请"}
    assert head["request"]["initiator"]["id"] == people.requester.pk
    assert "data" not in head["request"] and response.json()["truncated"] is False
    # The head sees only their own task (not a request of theirs); the accountant theirs.
    with time_machine.travel(at("2026-12-03 09:00"), tick=False):
        lead = rows(api_as(people.east_lead).get(URL, {"start": "2026-12-01", "end": "2026-12-31"}))
        accountant = rows(api_as(people.accountant).get(URL, {"start": "2026-12-01", "end": "2026-12-31"}))
    assert [(r["request"]["id"], r["node_id"]) for r in lead] == [(first.pk, "head"), (second.pk, "head")]
    assert [r["assignee"]["id"] for r in accountant] == [people.accountant.pk]


def test_the_window_cuts_by_days(api_as, people, submit):
    with time_machine.travel(at("2026-11-02 10:00"), tick=False):
        done = submit(people.requester, 100)
        services.task_act(actor=people.east_lead, task_id=pending(done)[0].pk, action="reject")
    with time_machine.travel(at("2026-12-01 10:00"), tick=False):
        open_ = submit(people.requester, 100)
        client = api_as(people.requester)
        november = rows(client.get(URL, {"start": "2026-11-01", "end": "2026-11-30"}))
        december = rows(client.get(URL, {"start": "2026-12-01", "end": "2026-12-31"}))
        # A future window holds open tasks only through their due time (these have none).
        future = rows(client.get(URL, {"start": "2027-01-01", "end": "2027-01-31"}))
    assert [r["request"]["id"] for r in november] == [done.pk]  # rejected in November
    assert {r["request"]["id"] for r in december} == {open_.pk}
    assert future == []


def test_visible_scope_follows_the_data_scope(org, api_as, people, submit):
    with time_machine.travel(at("2026-12-01 10:00"), tick=False):
        instance = submit(people.requester, 100)
        org.role("sales_viewer", data_scope="subtree")
        director = org.user("sales_director", department=people.sales, roles=["sales_viewer"])
        outsider = org.user("hr_member", department=people.hr)
        window = {"start": "2026-12-01", "end": "2026-12-31"}
        assert rows(api_as(director).get(URL, {**window, "scope": "mine"})) == []
        assert [r["request"]["id"] for r in rows(api_as(director).get(URL, {**window, "scope": "visible"}))] == [
            instance.pk]
        assert rows(api_as(outsider).get(URL, {**window, "scope": "visible"})) == []
        assert rows(api_as(people.requester).get(URL, {**window, "app": "other"})) == []


def test_overdue_flag(api_as, people, submit):
    from runtime.instances.models import Task

    with time_machine.travel(at("2026-12-01 10:00"), tick=False):
        instance = submit(people.requester, 100)
    Task.objects.filter(instance=instance).update(due_at=at("2026-12-02 18:00"))
    for when, overdue in (("2026-12-02 17:00", False), ("2026-12-03 09:00", True)):
        with time_machine.travel(at(when), tick=False):
            [row] = rows(api_as(people.east_lead).get(URL, {"start": "2026-12-01", "end": "2026-12-31"}))
        assert row["overdue"] is overdue and row["due_at"] == "2026-12-02T18:00:00+08:00"


@pytest.mark.parametrize(("params", "field"), [
    ({}, "start"),
    ({"start": "2026-12-31", "end": "2026-12-01"}, "end"),
    ({"start": "2026-01-01", "end": "2027-01-02"}, "end"),
    ({"start": "yesterday", "end": "2026-12-01"}, "start"),
    ({"start": "2026-12-01", "end": "2026-12-02", "scope": "everyone"}, "scope"),
])
def test_bad_queries_are_400_with_the_field(api_as, people, params, field):
    response = api_as(people.requester).get(URL, params)
    assert response.status_code == 400
    assert field in str(response.json()["error"]), response.json()


def test_anonymous_is_refused(api):
    assert api.get(URL, {"start": "2026-12-01", "end": "2026-12-02"}).status_code in (401, 403)


def test_query_count_does_not_grow_with_the_rows(api_as, people, submit):
    window = {"start": (timezone.localdate() - timedelta(days=3)).isoformat(),
              "end": (timezone.localdate() + timedelta(days=3)).isoformat(), "scope": "visible"}

    def count(expected_rows):
        client = api_as(people.requester)
        client.get(URL, window)  # warm caches (permissions, scope)
        with CaptureQueriesContext(connection) as ctx:
            assert len(rows(client.get(URL, window))) == expected_rows
        return len(ctx.captured_queries)

    submit(people.requester, 100)
    small = count(1)
    for amount in range(6):
        submit(people.requester, 6000 + amount)
    assert count(7) == small <= 6
