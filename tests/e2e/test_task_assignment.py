"""任务分配 in a real browser: a manager assigns work with a due date, the owner finishes it from a
phone, the manager follows it on the Gantt timeline (an overdue one in red) and accepts it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.e2e.test_workspace import PASSWORD, act, demo_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: Any) -> None:
    demo_data()


def no_overflow(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def assign_overdue_by_api(page: Any, base: str, owner_id: int) -> int:
    """A second task, already late (due yesterday), sent through the API as the manager."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = {"app": "task_assignment", "request_id": "e2e-late",
            "data": {"task_name": "更新报价单模板", "owner": str(owner_id), "due_date": yesterday}}
    response = page.request.post(f"{base}/api/v1/instances/", data=json.dumps(body),
                                 headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": base})
    assert response.status == 201, response.text()
    return int(response.json()["id"])


def test_assign_finish_follow_on_the_gantt_and_accept(demo, signed_in, live_server, artifact):
    from platform_core.org.models import User
    from runtime.instances.models import Instance, Task

    base = live_server.url
    users = {u.username: u for u in User.objects.filter(username__in=["zhangwei", "lina", "liuqiang"])}
    due = timezone.localdate() + timedelta(days=3)

    # 张伟 (head of 销售部) assigns a task to 李娜, due in three days.
    manager = signed_in("zhangwei", password=PASSWORD)
    manager.goto(f"{base}/app/start/task_assignment")
    manager.locator("[data-testid=field-task_name]").wait_for()
    manager.fill("#qb-field-task_name", "整理华东客户名单")
    manager.fill("#qb-field-details", "按行业整理，标注重点客户")
    # Until the owner is chosen, the preview waits for it instead of reporting a blocked route.
    manager.locator("[data-testid=route-preview] .qb-route-more").wait_for()
    manager.click("[data-testid=field-owner] .ant-select")
    manager.keyboard.type("李娜")
    manager.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="李娜").first.click()
    manager.click("#qb-field-due_date")
    manager.keyboard.type(due.isoformat())
    manager.keyboard.press("Enter")
    manager.locator("[data-testid=route-step-do]", has_text="李娜").wait_for()
    manager.locator("[data-testid=route-step-accept]", has_text="张伟").wait_for()
    manager.click("[data-testid=submit]")
    manager.get_by_text("已提交").wait_for()
    instance = Instance.objects.get(app__key="task_assignment")
    assert instance.title == "任务分配 · 整理华东客户名单 · 张伟"
    task = Task.objects.get(instance=instance, node_id="do")
    assert task.assignee == users["lina"]
    assert timezone.localtime(task.due_at).date() == due and timezone.localtime(task.due_at).hour == 18
    late_id = assign_overdue_by_api(manager, base, users["liuqiang"].pk)
    late_task = Task.objects.get(instance_id=late_id, node_id="do")

    # 我发起的, sorted by due time: the late one first (it was sent last).
    manager.goto(f"{base}/app/inbox?box=started")
    manager.locator(f"[data-testid=inbox-row-{late_id}]").wait_for()
    assert manager.locator("[data-testid^=inbox-row-]").first.get_attribute("data-testid") == f"inbox-row-{late_id}"
    manager.click("[data-testid=inbox-sort]")
    manager.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="最早提交").click()
    manager.locator("[data-testid^=inbox-row-]").first.and_(
        manager.locator(f"[data-testid=inbox-row-{instance.pk}]")).wait_for()
    manager.click("[data-testid=inbox-sort]")
    manager.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="截止时间最近").click()
    manager.locator("[data-testid^=inbox-row-]").first.and_(
        manager.locator(f"[data-testid=inbox-row-{late_id}]")).wait_for()

    # 李娜 sees it in 待办 on her phone with its due date, reports what she did and finishes it.
    owner = signed_in("lina", password=PASSWORD, width=375, height=667)
    owner.goto(f"{base}/app/inbox")
    row = owner.locator(f"[data-testid=inbox-row-{instance.pk}]")
    row.wait_for()
    # On a phone the filters fold under one button.
    assert not owner.get_by_text("只看逾期").is_visible()
    owner.click("[data-testid=inbox-filter-toggle]")
    owner.get_by_text("只看逾期").wait_for()
    assert no_overflow(owner)
    assert "截止" in row.locator("[data-testid=due-later]").inner_text()
    row.locator("a").first.click()
    owner.locator("[data-testid=current-due]").wait_for()
    # Read-only people show their names (looked up by id), not the ids stored in the data.
    owner.locator("[data-testid=field-owner] .qb-fr-readonly", has_text="李娜").wait_for()
    owner.fill("#qb-field-result", "已整理 120 家客户，其中重点客户 18 家")
    assert owner.locator("[data-testid=action-approve]").inner_text().replace(" ", "") == "完成"
    assert no_overflow(owner)
    owner.screenshot(path=artifact("task-assignment-owner-375.png"), full_page=True)
    act(owner, "approve", "已完成，名单见完成情况")
    owner.locator("[data-testid=current-step]", has_text="张伟").wait_for()
    task.refresh_from_db()
    instance.refresh_from_db()
    assert task.status == "done" and instance.data["result"].startswith("已整理 120 家")

    # 张伟 follows both on the timeline: 李娜's done, 刘强's overdue (red, with the late icon).
    manager.goto(f"{base}/app/progress?view=gantt")
    manager.locator(f"[data-testid=gantt-bar-{task.pk}]").wait_for()
    assert "tone-done" in manager.locator(f"[data-testid=gantt-bar-{task.pk}]").get_attribute("class")
    late_bar = manager.locator(f"[data-testid=gantt-bar-{late_task.pk}]")
    assert "tone-overdue" in late_bar.get_attribute("class")
    assert "逾期" in late_bar.get_attribute("aria-label")
    manager.locator(f"[data-testid=gantt-row-{late_task.pk}] .ws-gantt-late-icon").wait_for()
    manager.screenshot(path=artifact("task-assignment-gantt-1280.png"))
    phone = signed_in("zhangwei", password=PASSWORD, width=375, height=667)
    phone.goto(f"{base}/app/progress?view=gantt")
    phone.locator(f"[data-testid=gantt-bar-{late_task.pk}]").wait_for()
    assert no_overflow(phone)
    phone.screenshot(path=artifact("task-assignment-gantt-375.png"))

    # The bar opens the request; 张伟 accepts the result and the request is done.
    manager.locator(f"[data-testid=gantt-bar-{task.pk}]").click()
    manager.wait_for_url(f"{base}/app/instances/{instance.pk}")
    manager.locator("[data-testid=action-approve]").wait_for()
    act(manager, "approve", "验收通过")
    manager.locator("[data-testid=instance-status]", has_text="已通过").wait_for()
    assert manager.js_errors == [] and owner.js_errors == [] and phone.js_errors == []
