"""The shipped templates publish against the demo organisation and run the seed's scenarios."""

from io import StringIO

import pytest
from django.core.management import call_command

from platform_core.org.models import User
from runtime.definitions.models import App
from runtime.forms import check_form
from runtime.instances import services as instances
from runtime.instances.models import Instance, Task
from templates_library.catalog import TemplateDoesNotExist, template_get, template_keys


@pytest.fixture
def demo(db):
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    out = StringIO()
    call_command("install_templates", stdout=out)
    assert "purchase" in out.getvalue()
    return {u.username: u for u in User.objects.all()}


def test_every_template_form_is_clean():
    assert template_keys() == ["leave", "purchase", "task_assignment", "travel"]
    for key in template_keys():
        errors = [i for i in check_form(template_get(key).form) if i.severity == "error"]
        assert errors == [], key


def test_unknown_template_is_a_clear_error():
    with pytest.raises(TemplateDoesNotExist):
        template_get("nope")


def test_install_publishes_version_1_and_is_idempotent(demo):
    apps = {a.key: a for a in App.objects.select_related("published_version")}
    assert set(apps) == {"leave", "purchase", "task_assignment", "travel"}
    assert all(a.published_version.number == 1 for a in apps.values())
    assert apps["task_assignment"].visibility["roles"] == sorted(
        ["dept_head", "general_manager", "process_admin", "system_admin"])
    leave = apps["leave"].visibility
    assert not (leave["roles"] or leave["departments"] or leave["users"])  # everyone may ask for leave
    call_command("install_templates", stdout=StringIO())
    assert App.objects.count() == 4


def _pending(instance):
    return list(Task.objects.filter(instance=instance, status="pending").select_related("assignee"))


def _approve_all_pending(instance, node):
    tasks = _pending(instance)
    assert tasks and {t.node_id for t in tasks} == {node}, [(t.node_id, t.assignee.username) for t in tasks]
    # 或签/single: one approval completes the node.
    instances.task_act(actor=tasks[0].assignee, task_id=tasks[0].pk, action="approve", payload={"comment": "同意"})
    return tasks


def purchase(amount):
    return {"title": "笔记本电脑", "category": "it", "amount": amount,
            "items": [{"name": "笔记本电脑", "quantity": 1, "price": amount}]}


@pytest.mark.parametrize("amount,path", [
    (6000, ["head", "finance", "gm"]),
    (3000, ["head", "finance"]),
])
def test_purchase_three_levels_with_gm_above_5000(demo, amount, path):
    instance = instances.instance_submit(actor=demo["lina"], app_key="purchase", data=purchase(amount)).instance
    seen = []
    for node in path:
        tasks = _approve_all_pending(instance, node)
        seen.append((node, sorted(t.assignee.username for t in tasks)))
    assert seen[0] == ("head", ["wangfang"])  # 李娜's department head (华东销售组)
    assert "zhaomin" in seen[1][1]  # finance role
    if amount > 5000:
        assert seen[2] == ("gm", ["wangjianguo", "zhouqiang"])  # holders of the general_manager role
    instance.refresh_from_db()
    assert (instance.status, instance.outcome) == ("completed", "approved")


def test_urgent_purchase_skips_the_general_manager(demo):
    instance = instances.instance_submit(actor=demo["lina"], app_key="purchase", data=purchase(8000),
                                         urgent=True).instance
    _approve_all_pending(instance, "head")
    _approve_all_pending(instance, "finance")
    instance.refresh_from_db()
    assert instance.outcome == "approved"


@pytest.mark.parametrize("end,path", [("2026-12-02", ["head"]), ("2026-12-05", ["head", "hr"])])
def test_leave_hr_only_above_three_days(demo, end, path):
    data = {"leave_type": "annual", "period": {"start": "2026-12-01", "end": end}}
    instance = instances.instance_submit(actor=demo["lina"], app_key="leave", data=data).instance
    instance.refresh_from_db()
    assert instance.data["days"] in (2, 5)
    for node in path:
        _approve_all_pending(instance, node)
    instance.refresh_from_db()
    assert instance.outcome == "approved"
    assert not Instance.objects.filter(status="running").exists()


def test_task_assignment_to_a_person_with_deadline_result_and_acceptance(demo):
    """任务分配: 张伟 (head of 销售部) assigns work to 李娜 with a due date; she reports, he accepts."""
    from runtime.definitions.selectors import app_can_start

    app = App.objects.get(key="task_assignment")
    assert app_can_start(demo["zhangwei"], app) and not app_can_start(demo["lina"], app)
    data = {"task_name": "整理华东客户名单", "owner": str(demo["lina"].pk), "priority": "high",
            "start_date": "2026-12-07", "due_date": "2026-12-11"}
    instance = instances.instance_submit(actor=demo["zhangwei"], app_key="task_assignment", data=data).instance
    [task] = _pending(instance)
    assert (task.node_id, task.assignee.username) == ("do", "lina")
    assert task.due_at.isoformat() == "2026-12-11T10:00:00+00:00"  # 18:00 in Beijing
    instances.task_act(actor=demo["lina"], task_id=task.pk, action="approve",
                       payload={"comment": "已完成", "form_patch": {"result": "已整理 120 家客户"}})
    [accept] = _pending(instance)
    assert (accept.node_id, accept.assignee.username) == ("accept", "zhangwei")
    instances.task_act(actor=demo["zhangwei"], task_id=accept.pk, action="approve")
    instance.refresh_from_db()
    assert instance.outcome == "approved" and instance.data["result"] == "已整理 120 家客户"
    assert instance.title == "任务分配 · 整理华东客户名单 · 张伟"  # ui_schema.title_field names it


def test_task_assignment_to_a_department_goes_to_its_head(demo):
    east = demo["wangfang"].department  # 王芳 heads 华东
    data = {"task_name": "季度回访", "owner_department": str(east.pk), "due_date": "2026-12-20"}
    instance = instances.instance_submit(actor=demo["zhangwei"], app_key="task_assignment", data=data).instance
    assert [(t.node_id, t.assignee.username) for t in _pending(instance)] == [("do", "wangfang")]


def test_task_assignment_needs_an_owner_or_a_department(demo):
    from platform_core.errors import PlatformError

    with pytest.raises(PlatformError) as caught:
        instances.instance_submit(actor=demo["zhangwei"], app_key="task_assignment",
                                  data={"task_name": "没人做", "due_date": "2026-12-20"})
    assert "owner" in str(caught.value.details)


def test_a_title_field_hidden_at_some_step_stays_out_of_titles(demo):
    from runtime.definitions import services as definitions

    app = App.objects.get(key="task_assignment")
    template = template_get("task_assignment")
    for node in template.flow["nodes"]:
        if node["id"] == "accept":
            node["config"]["fields"]["task_name"] = "hidden"
    liuyang = demo["liuyang"]  # 流程管理员
    draft = definitions.draft_save(actor=liuyang, app=app, expected_revision=app.draft_revision,
                                   form=template.form, flow=template.flow)
    assert draft is not None
    definitions.app_publish(actor=liuyang, app=app)
    data = {"task_name": "机密项目", "owner": str(demo["lina"].pk), "due_date": "2026-12-20"}
    instance = instances.instance_submit(actor=demo["zhangwei"], app_key="task_assignment", data=data).instance
    assert "机密" not in instance.title and instance.title.startswith("任务分配 · 张伟 · ")


def test_the_title_follows_a_resubmitted_task_name(demo):
    data = {"task_name": "整理客户名单", "owner": str(demo["lina"].pk), "due_date": "2026-12-20"}
    instance = instances.instance_submit(actor=demo["zhangwei"], app_key="task_assignment", data=data).instance
    [task] = _pending(instance)
    instances.task_act(actor=demo["lina"], task_id=task.pk, action="return", payload={"comment": "范围不清楚"})
    instances.instance_resubmit(actor=demo["zhangwei"], instance_id=instance.pk,
                                data={**data, "task_name": "整理华东区重点客户名单"})
    instance.refresh_from_db()
    assert instance.title == "任务分配 · 整理华东区重点客户名单 · 张伟"
    from platform_core.audit.models import AuditEvent

    last = AuditEvent.objects.filter(action="instance.resubmit").order_by("-id").first()
    assert last is not None and last.target_label == instance.title


def test_the_timeline_shows_the_planned_start_unless_the_field_is_hidden(demo, client):
    from runtime.definitions import services as definitions

    data = {"task_name": "季度复盘", "owner": str(demo["lina"].pk), "start_date": "2026-12-07",
            "due_date": "2026-12-11"}
    instances.instance_submit(actor=demo["zhangwei"], app_key="task_assignment", data=data)
    client.force_login(demo["zhangwei"])
    window = {"start": "2026-12-01", "end": "2026-12-31"}
    [row] = [r for r in client.get("/api/v1/tasks/schedule/", window).json()["results"] if r["node_id"] == "do"]
    assert row["planned_start"] == "2026-12-07" and row["due_at"].startswith("2026-12-11T")

    # Hidden at some step: it stays off the timeline too.
    app = App.objects.get(key="task_assignment")
    template = template_get("task_assignment")
    for node in template.flow["nodes"]:
        if node["id"] == "accept":
            node["config"]["fields"]["start_date"] = "hidden"
    definitions.draft_save(actor=demo["liuyang"], app=app, expected_revision=app.draft_revision,
                           form=template.form, flow=template.flow)
    definitions.app_publish(actor=demo["liuyang"], app=app)
    instances.instance_submit(actor=demo["zhangwei"], app_key="task_assignment", data={**data, "task_name": "二"})
    rows = [r for r in client.get("/api/v1/tasks/schedule/", window).json()["results"] if r["node_id"] == "do"]
    assert [r["planned_start"] for r in rows] == ["2026-12-07", None]
