"""Out-of-office delegation (请假代理): rules, permissions, API, the engine lookup and the real flow."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from platform_core.audit.models import AuditEvent
from platform_core.errors import PermissionDenied
from platform_core.org import delegations as d
from platform_core.org.models import Delegation

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def make(user: Any, delegate: Any, *, start: timedelta = -HOUR, end: timedelta = 3 * DAY, actor: Any = None,
         app: Any = None, reason: str = "年假") -> Delegation:
    """A delegation relative to now, created by ``actor`` (default: the away user)."""
    now = timezone.now()
    return d.delegation_create(actor=actor or user, user=user, delegate=delegate, starts_at=now + start,
                               ends_at=now + end, app=app, reason=reason)


@pytest.fixture
def designer(org: Any, people: Any) -> Any:
    org.role("app_publisher", permissions=["apps.design", "apps.publish"])
    return org.user("designer", department=people.company, roles=["app_publisher"])


@pytest.fixture
def apps(designer: Any) -> Any:
    """Two bare apps (only their keys matter to delegation scopes)."""
    from runtime.definitions import services

    purchase = services.app_create(actor=designer, key="purchase", name="采购申请")
    leave = services.app_create(actor=designer, key="leave", name="请假申请")
    return purchase, leave


# --- rules -------------------------------------------------------------------------------------

def test_own_delegation_is_created_and_audited(people):
    delegation = make(people.east_lead, people.sales_head)
    assert (delegation.user, delegation.delegate, delegation.created_by) == (
        people.east_lead, people.sales_head, people.east_lead)
    assert delegation.status_at(timezone.now()) == "active"
    event = AuditEvent.objects.get(action="delegation.create", target_id=str(delegation.pk))
    assert event.actor_id == people.east_lead.pk
    assert event.after["admin_override"] is False and event.after["delegate_id"] == people.sales_head.pk


def test_org_admin_may_create_and_cancel_for_others_as_an_override(people):
    delegation = make(people.east_lead, people.sales_head, actor=people.admin)
    assert delegation.created_by == people.admin
    assert AuditEvent.objects.get(action="delegation.create").after["admin_override"] is True
    d.delegation_cancel(actor=people.admin, delegation=delegation)
    event = AuditEvent.objects.get(action="delegation.cancel")
    assert event.after["admin_override"] is True and event.before == {"cancelled_at": None}


def test_others_may_not_create_or_cancel_someone_elses(people):
    with pytest.raises(PermissionDenied):
        make(people.east_lead, people.sales_head, actor=people.requester)
    delegation = make(people.east_lead, people.sales_head)
    for outsider in (people.requester, people.sales_head):  # the delegate does not own it either
        with pytest.raises(PermissionDenied):
            d.delegation_cancel(actor=outsider, delegation=delegation)
    assert Delegation.objects.get().cancelled_at is None


@pytest.mark.parametrize("case", ["self", "backwards", "past", "inactive_delegate", "inactive_user", "naive"])
def test_invalid_delegations_are_refused(people, case):
    from platform_core.org import services

    now = timezone.now()
    user, delegate, starts, ends = people.east_lead, people.sales_head, now, now + DAY
    if case == "self":
        delegate = user
    elif case == "backwards":
        starts, ends = now + DAY, now + HOUR
    elif case == "past":
        starts, ends = now - 2 * DAY, now - DAY
    elif case == "inactive_delegate":
        services.user_update(actor=None, system=True, user=delegate, is_active=False)
    elif case == "inactive_user":
        services.user_update(actor=None, system=True, user=user, is_active=False)
    elif case == "naive":
        starts = starts.replace(tzinfo=None)
    with pytest.raises(d.DelegationInvalid) as exc:
        d.delegation_create(actor=people.admin, user=user, delegate=delegate, starts_at=starts, ends_at=ends)
    assert exc.value.code == "delegation_invalid" and exc.value.details["field"]
    assert not Delegation.objects.exists()


def test_overlapping_delegations_of_the_same_scope_are_refused(people, apps):
    purchase, leave = apps
    first = make(people.east_lead, people.sales_head, start=HOUR, end=3 * DAY)
    with pytest.raises(d.DelegationOverlap) as exc:
        make(people.east_lead, people.requester, start=2 * DAY, end=5 * DAY)
    assert exc.value.code == "delegation_overlap" and exc.value.details["delegation_id"] == first.pk
    assert "张伟" in str(exc.value)  # says with whom the clash is
    # Back to back is fine (ends_at is exclusive), and so is another scope: an app wins over "all apps".
    make(people.east_lead, people.requester, start=3 * DAY, end=5 * DAY)
    make(people.east_lead, people.requester, start=2 * DAY, end=4 * DAY, app=purchase)
    with pytest.raises(d.DelegationOverlap):
        make(people.east_lead, people.gm, start=2 * DAY, end=4 * DAY, app=purchase)
    make(people.east_lead, people.gm, start=2 * DAY, end=4 * DAY, app=leave)
    # A cancelled delegation no longer blocks its window.
    d.delegation_cancel(actor=people.east_lead, delegation=first)
    make(people.east_lead, people.gm, start=HOUR, end=2 * DAY)


def test_loops_are_refused(people, apps):
    purchase, leave = apps
    a, b, c = people.east_lead, people.sales_head, people.requester
    make(a, b, end=3 * DAY)
    with pytest.raises(d.DelegationCycle) as exc:
        make(b, a, start=DAY, end=2 * DAY)
    assert exc.value.code == "delegation_cycle" and exc.value.details["chain"] == [a.pk, b.pk]
    make(b, c, end=2 * DAY)
    with pytest.raises(d.DelegationCycle) as exc:  # A→B→C→A
        make(c, a, start=DAY, end=5 * DAY)
    assert exc.value.details["chain"] == [a.pk, b.pk, c.pk]
    assert "王芳 → 张伟 → 李娜" in str(exc.value)
    # Not live at the same time: no loop (B→C ends after 2 days).
    make(c, a, start=2 * DAY, end=5 * DAY)


def test_loops_only_count_on_a_common_app(people, apps):
    purchase, leave = apps
    a, b = people.east_lead, people.sales_head
    make(a, b, app=purchase)
    make(b, a, app=leave)  # A→B only for purchases, B→A only for leave: never a loop
    with pytest.raises(d.DelegationCycle):
        make(b, a, app=purchase)
    make(people.gm, a)  # no loop through the gm
    with pytest.raises(d.DelegationCycle):
        make(b, a)  # B→A for every app meets A→B on purchases


def test_cancel_is_once_and_only_while_not_ended(people):
    delegation = make(people.east_lead, people.sales_head)
    cancelled = d.delegation_cancel(actor=people.east_lead, delegation=delegation)
    assert cancelled.cancelled_at is not None and cancelled.status_at(timezone.now()) == "cancelled"
    with pytest.raises(d.DelegationNotCancellable) as exc:
        d.delegation_cancel(actor=people.east_lead, delegation=delegation)
    assert exc.value.code == "delegation_not_cancellable"
    ended = make(people.east_lead, people.sales_head, end=HOUR)
    Delegation.objects.filter(pk=ended.pk).update(starts_at=timezone.now() - 2 * DAY,
                                                  ends_at=timezone.now() - DAY)
    with pytest.raises(d.DelegationNotCancellable) as exc:
        d.delegation_cancel(actor=people.east_lead, delegation=ended)
    assert "ended" in str(exc.value)


# --- the engine's lookup -----------------------------------------------------------------------

def test_lookup_loads_once_lazily_and_answers_from_memory(people, django_assert_num_queries):
    make(people.east_lead, people.sales_head)
    make(people.finance_head, people.accountant)
    with django_assert_num_queries(0):
        lookup = d.delegate_lookup()
    now = timezone.now()
    with django_assert_num_queries(1):
        assert lookup(str(people.east_lead.pk), "purchase", now) == str(people.sales_head.pk)
        assert lookup(str(people.finance_head.pk), None, now) == str(people.accountant.pk)
        assert lookup(str(people.gm.pk), "purchase", now) is None
        for _ in range(50):
            lookup(str(people.requester.pk), "purchase", now)


def test_lookup_respects_the_window_and_cancellation(people):
    scheduled = make(people.east_lead, people.sales_head, start=DAY, end=2 * DAY)
    now = timezone.now()
    east = str(people.east_lead.pk)
    assert d.delegate_lookup(now=now)(east, None, now) is None  # not started yet
    during = now + DAY + HOUR
    assert d.delegate_lookup(now=during)(east, None, during) == str(people.sales_head.pk)
    after = scheduled.ends_at  # ends_at is exclusive
    assert d.delegate_lookup(now=after)(east, None, after) is None
    d.delegation_cancel(actor=people.east_lead, delegation=scheduled)
    assert d.delegate_lookup(now=during)(east, None, during) is None


def test_lookup_prefers_the_app_specific_delegation(people, apps):
    purchase, _leave = apps
    make(people.east_lead, people.sales_head)
    make(people.east_lead, people.gm, app=purchase)
    now = timezone.now()
    lookup = d.delegate_lookup(now=now)
    east = str(people.east_lead.pk)
    assert lookup(east, "purchase", now) == str(people.gm.pk)
    assert lookup(east, "leave", now) == str(people.sales_head.pk)
    assert lookup(east, None, now) == str(people.sales_head.pk)


def test_lookup_follows_chains_up_to_the_bound_and_never_past_an_inactive_person(org, people):
    from platform_core.org import services

    extra = [org.user(f"chain{i}", department=people.sales, display_name=f"链{i}") for i in range(4)]
    chain = [people.east_lead, *extra]  # A→B→C→D→E
    for away, acting in zip(chain, chain[1:], strict=False):
        make(away, acting)
    now = timezone.now()
    lookup = d.delegate_lookup(now=now)
    assert d.MAX_HOPS == 3
    assert lookup(str(chain[0].pk), None, now) == str(chain[3].pk)  # three hops, not four
    assert lookup(str(chain[2].pk), None, now) == str(chain[4].pk)
    services.user_update(actor=None, system=True, user=chain[2], is_active=False)
    lookup = d.delegate_lookup(now=now)
    assert lookup(str(chain[0].pk), None, now) == str(chain[1].pk)  # stops before the inactive C


def test_lookup_returns_none_on_a_loop_that_slipped_past_the_check(people):
    a, b = people.east_lead, people.sales_head
    now = timezone.now()
    make(a, b)
    # Two concurrent requests on different people could build a loop; the lookup must not spin.
    Delegation.objects.create(user=b, delegate=a, starts_at=now - HOUR, ends_at=now + DAY)
    assert d.delegate_lookup(now=now)(str(a.pk), None, now) is None


# --- through the real flow ---------------------------------------------------------------------

@pytest.fixture
def purchase_app(designer: Any) -> Any:
    from runtime.definitions import services
    from tests.instances.conftest import purchase_flow_with_rights, purchase_form

    app = services.app_create(actor=designer, key="purchase", name="采购申请")
    services.draft_save(actor=designer, app=app, expected_revision=1, form=purchase_form(),
                        flow=purchase_flow_with_rights())
    services.app_publish(actor=designer, app=app)
    app.refresh_from_db()
    return app


def submit(user: Any) -> Any:
    from runtime.instances import services

    return services.instance_submit(actor=user, app_key="purchase", data={"amount": 3000, "reason": "显示器"}).instance


def head_task(instance: Any) -> Any:
    from runtime.instances.models import Task

    return Task.objects.get(instance=instance, node_id="head")


def test_a_new_task_goes_to_the_delegate_and_records_it(people, purchase_app, api_as):
    make(people.east_lead, people.sales_head, app=purchase_app)
    instance = submit(people.requester)
    task = head_task(instance)
    assert (task.assignee, task.original_assignee) == (people.sales_head, people.east_lead)
    engine_task = next(t for t in instance.state["tasks"] if t["node_id"] == "head")
    assert engine_task["delegated"] is True and engine_task["original_assignee"] == str(people.east_lead.pk)
    created = instance.events.get(type="task_created")
    assert created.data["delegated_from"] == str(people.east_lead.pk)
    # The delegate decides it from their own inbox.
    response = api_as(people.sales_head).post(f"/api/v1/tasks/{task.pk}/act/", {"action": "approve"},
                                              format="json")
    assert response.status_code == 200, response.json()


def test_after_the_end_new_tasks_go_to_the_user_again(people, purchase_app, monkeypatch):
    delegation = make(people.east_lead, people.sales_head, end=DAY)
    assert head_task(submit(people.requester)).assignee == people.sales_head
    later = delegation.ends_at + HOUR
    monkeypatch.setattr(timezone, "now", lambda: later)
    task = head_task(submit(people.requester))
    assert (task.assignee, task.original_assignee) == (people.east_lead, None)


def test_a_cancelled_delegation_is_ignored(people, purchase_app):
    delegation = make(people.east_lead, people.sales_head)
    d.delegation_cancel(actor=people.east_lead, delegation=delegation)
    task = head_task(submit(people.requester))
    assert (task.assignee, task.original_assignee) == (people.east_lead, None)


def test_a_delegation_for_another_app_is_ignored(people, purchase_app, apps_other):
    make(people.east_lead, people.sales_head, app=apps_other)
    assert head_task(submit(people.requester)).assignee == people.east_lead


@pytest.fixture
def apps_other(designer: Any) -> Any:
    from runtime.definitions import services

    return services.app_create(actor=designer, key="leave", name="请假申请")


# --- the API -----------------------------------------------------------------------------------

def iso(delta: timedelta) -> str:
    return (timezone.now() + delta).isoformat()


def test_anonymous_is_refused(api):
    for response in (api.get("/api/v1/delegations/"), api.post("/api/v1/delegations/", {}, format="json")):
        assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_create_list_retrieve_cancel_own(api_as, people, purchase_app):
    client = api_as(people.east_lead)
    response = client.post("/api/v1/delegations/", {
        "delegate": people.sales_head.pk, "ends_at": iso(3 * DAY), "app": "purchase", "reason": "年假",
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"]["name"] == "王芳" and body["delegate"]["name"] == "张伟"
    assert body["app"] == {"key": "purchase", "name": "采购申请"} and body["status"] == "active"
    assert body["created_by"]["id"] == people.east_lead.pk and body["reason"] == "年假"
    listed = client.get("/api/v1/delegations/").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert client.get(f"/api/v1/delegations/{body['id']}/").json()["id"] == body["id"]
    assert [r["id"] for r in client.get("/api/v1/delegations/?active=true").json()["results"]] == [body["id"]]
    cancelled = client.post(f"/api/v1/delegations/{body['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_at"]
    assert client.get("/api/v1/delegations/?active=true").json()["results"] == []
    again = client.post(f"/api/v1/delegations/{body['id']}/cancel/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "delegation_not_cancellable"


def test_no_idor(api_as, people):
    mine = make(people.east_lead, people.sales_head)
    theirs = make(people.finance_head, people.accountant)
    client = api_as(people.east_lead)
    assert [r["id"] for r in client.get("/api/v1/delegations/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/delegations/?user={people.finance_head.pk}").json()["results"] == []
    for response in (client.get(f"/api/v1/delegations/{theirs.pk}/"),
                     client.post(f"/api/v1/delegations/{theirs.pk}/cancel/"),
                     client.get("/api/v1/delegations/999999/"),
                     client.get("/api/v1/delegations/abc/")):
        assert response.status_code == 404
        assert response.json()["error"]["code"] in {"delegation_not_found", "not_found"}
    assert client.get(f"/api/v1/delegations/{theirs.pk}/").json()["error"]["code"] == "delegation_not_found"
    theirs.refresh_from_db()
    assert theirs.cancelled_at is None
    # The delegate sees the delegation they act in, but cannot cancel it.
    acting = api_as(people.sales_head)
    assert [r["id"] for r in acting.get("/api/v1/delegations/").json()["results"]] == [mine.pk]
    refused = acting.post(f"/api/v1/delegations/{mine.pk}/cancel/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"


def test_creating_for_someone_else_needs_org_manage(api_as, people):
    body = {"user": people.finance_head.pk, "delegate": people.accountant.pk, "ends_at": iso(DAY)}
    refused = api_as(people.requester).post("/api/v1/delegations/", body, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    assert not Delegation.objects.exists()
    created = api_as(people.admin).post("/api/v1/delegations/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["user"]["id"] == people.finance_head.pk
    assert created.json()["created_by"]["id"] == people.admin.pk
    make(people.east_lead, people.sales_head)
    admin = api_as(people.admin)
    assert admin.get("/api/v1/delegations/").json()["count"] == 2
    only = admin.get(f"/api/v1/delegations/?user={people.finance_head.pk}").json()["results"]
    assert [r["user"]["id"] for r in only] == [people.finance_head.pk]
    assert admin.post(f"/api/v1/delegations/{only[0]['id']}/cancel/").status_code == 200


def test_refusals_are_json_with_stable_codes(api_as, people):
    client = api_as(people.east_lead)
    make(people.east_lead, people.sales_head, end=2 * DAY)
    cases = [
        ({"delegate": people.east_lead.pk, "ends_at": iso(DAY)}, "delegation_invalid"),
        ({"delegate": people.gm.pk, "starts_at": iso(DAY), "ends_at": iso(HOUR)}, "delegation_invalid"),
        ({"delegate": people.gm.pk, "ends_at": iso(DAY)}, "delegation_overlap"),
        ({"delegate": people.gm.pk}, "validation_failed"),
        ({"delegate": people.gm.pk, "ends_at": iso(5 * DAY), "starts_at": iso(3 * DAY), "app": "nope"},
         "validation_failed"),
        ({"delegate": 999999, "ends_at": iso(DAY)}, "validation_failed"),
    ]
    for body, code in cases:
        response = client.post("/api/v1/delegations/", body, format="json")
        assert response.status_code == 400, (body, response.json())
        error = response.json()["error"]
        assert error["code"] == code and error["message"], (body, error)
    loop = api_as(people.sales_head).post(
        "/api/v1/delegations/", {"delegate": people.east_lead.pk, "ends_at": iso(DAY)}, format="json"
    )
    assert loop.status_code == 400 and loop.json()["error"]["code"] == "delegation_cycle"
    assert loop.json()["error"]["details"]["chain"] == [people.east_lead.pk, people.sales_head.pk]
