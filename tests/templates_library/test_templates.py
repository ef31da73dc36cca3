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
    assert template_keys() == ["leave", "purchase", "travel"]
    for key in template_keys():
        errors = [i for i in check_form(template_get(key).form) if i.severity == "error"]
        assert errors == [], key


def test_unknown_template_is_a_clear_error():
    with pytest.raises(TemplateDoesNotExist):
        template_get("nope")


def test_install_publishes_version_1_and_is_idempotent(demo):
    apps = {a.key: a for a in App.objects.select_related("published_version")}
    assert set(apps) == {"leave", "purchase", "travel"}
    assert all(a.published_version.number == 1 for a in apps.values())
    call_command("install_templates", stdout=StringIO())
    assert App.objects.count() == 3


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
