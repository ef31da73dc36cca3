"""The end-user workspace in a real browser against a real daphne (HTTP and websocket) on
the test database (issue 8): requests arrive in 待办 without a reload, approvers act from
the task view, the submitter follows progress; return / resubmit; transfer and add signer.

The server is ``python -m daphne platform_core.asgi:application`` in a subprocess (the
pytest live server speaks HTTP only, not websockets), sharing this test's database as the
real-time tests do (tests/realtime/test_daphne.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.files.conftest import jpeg_with_exif
from tests.realtime.test_daphne import ROOT, daphne, server_environment

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "qiaoban2026"  # platform_core/org/demo/data.py DEMO_PASSWORD


def demo_data() -> None:
    """The demo organisation with the seed's apps."""
    import importlib

    from django.apps import apps

    importlib.import_module("platform_core.dictionary.migrations.0002_seed").seed(apps, None)
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    call_command("install_templates", stdout=StringIO())


@contextmanager
def serve(tmp_path: Path) -> Iterator[str]:
    """daphne on this test's database (set up before: SQLite is copied for the server process)."""
    env = server_environment(tmp_path)
    # daphne serves static files through WhiteNoise from STATIC_ROOT (the live server of the
    # other browser tests finds them itself): collect this build into the test's var dir.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with daphne(env, tmp_path / "daphne.log") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def server(transactional_db: Any, tmp_path: Path, ui_built: None) -> Iterator[str]:
    """The demo organisation with the seed's apps, served by daphne; yields the base URL."""
    demo_data()
    with serve(tmp_path) as url:
        yield url


@pytest.fixture
def sign_in(page_factory: Any, server: str) -> Any:
    def make(username: str, *, width: int = 1280, height: int = 800) -> Any:
        page = page_factory(width=width, height=height)
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": server}])
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        page.goto(f"{server}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button.btn-primary")
        page.wait_for_url(f"{server}/app/")
        page.wait_for_selector(".qb-topbar")
        return page

    return make


def api_post(page: Any, server: str, path: str, body: dict[str, Any]) -> Any:
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(f"{server}{path}", data=json.dumps(body),
                                 headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": server})
    assert response.status in (200, 201), response.text()
    return response.json()


def next_week(days: int) -> tuple[str, str]:
    """From next week's Monday, ``days`` calendar days (ISO dates)."""
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday() + 7)
    return monday.isoformat(), (monday + timedelta(days=days - 1)).isoformat()


def submit_leave(page: Any, server: str, days: int, reason: str) -> int:
    start, end = next_week(days)
    body = {"app": "leave", "data": {"leave_type": "annual", "period": {"start": start, "end": end}, "reason": reason},
            "request_id": f"e2e-{reason}"}
    return int(api_post(page, server, "/api/v1/instances/", body)["id"])


def open_task(page: Any, server: str, instance_id: int) -> None:
    page.goto(f"{server}/app/instances/{instance_id}")
    page.wait_for_selector("[data-testid=instance-status]")


def act(page: Any, action: str, comment: str = "") -> None:
    """Press an action, fill the dialog, confirm, and wait for the server's answer."""
    if page.locator(f"[data-testid=action-{action}]").is_visible():
        page.click(f"[data-testid=action-{action}]")
    else:
        page.click("[data-testid=action-more]")
        page.click(f"[data-testid=action-{action}]")
    dialog = page.locator(".ant-modal:visible")
    if comment:
        dialog.locator("[data-testid=dialog-comment]").fill(comment)
    dialog.locator("[data-testid=dialog-ok]").click()
    dialog.wait_for(state="hidden")


def pick_person(page: Any, name: str) -> None:
    box = page.locator(".ant-modal:visible [data-testid=dialog-people] .ant-select")
    box.click()
    page.keyboard.type(name)
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text=name).first.click()


def test_leave_from_a_phone_to_approved_with_live_inbox(sign_in, server, artifact, tmp_path):
    head = sign_in("wangfang")
    head.goto(f"{server}/app/inbox")
    head.wait_for_selector("[data-testid=inbox-boxes]")
    assert head.locator("[data-testid^=inbox-row-]").count() == 0

    # 李娜 asks for 5 days from her phone.
    lina = sign_in("lina", width=375, height=667)
    lina.goto(f"{server}/app/start/leave")
    lina.locator("[data-testid=field-leave_type] .ant-select").click()
    lina.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="年假").first.click()
    start, end = next_week(5)
    # On a phone the date inputs are read-only (no keyboard pops up): tap the days.
    for index, day in enumerate((start, end)):
        lina.locator("[data-testid=field-period] .ant-picker-input input").nth(index).click()
        # Each date has its own picker; the one just opened is the last dropdown in the page (the
        # previous one may still be fading out), so look only inside that one.
        dropdown = lina.locator(".ant-picker-dropdown:not(.ant-picker-dropdown-hidden)").last
        dropdown.locator("td[title]").first.wait_for()
        cell = dropdown.locator(f"td[title='{day}']")
        for _ in range(3):
            if cell.count():
                break
            dropdown.locator(".ant-picker-header-next-btn").first.click()
        cell.first.click()
        lina.wait_for_timeout(300)
    lina.wait_for_selector("[data-testid=field-days]:has-text('5')")
    lina.fill("#qb-field-reason", "回老家探亲")
    # A photo as proof: on a phone the picker opens the camera; the photo's EXIF time and place show.
    photo = tmp_path / "证明.jpg"
    photo.write_bytes(jpeg_with_exif())
    upload = lina.locator("[data-testid=upload-input-attachments]")
    assert upload.get_attribute("capture") == "environment" and upload.get_attribute("accept") == "image/*"
    upload.set_input_files(str(photo))
    lina.wait_for_selector("text=拍摄于")
    assert lina.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    lina.screenshot(path=artifact("workspace-phone-form.png"), full_page=True)
    lina.click("[data-testid=submit]")
    lina.click("[data-testid=view-request]")
    lina.wait_for_selector("[data-testid=instance-status]:has-text('审批中')")
    assert lina.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    lina.screenshot(path=artifact("workspace-phone-request.png"), full_page=True)

    # The department head's inbox shows it without a reload (websocket), with a badge.
    row = head.locator("[data-testid^=inbox-row-]").first
    row.wait_for(timeout=10_000)
    assert "李娜" in row.inner_text()
    head.wait_for_selector("[data-testid=nav-inbox-count]")
    head.screenshot(path=artifact("workspace-inbox.png"))
    row.locator("a").click()
    head.wait_for_selector("[data-testid=action-approve]")
    # The approver sees the photo (served to them: the request shows it in a visible field).
    thumbnail = head.locator("[data-testid=instance-form] img").first
    thumbnail.wait_for()
    head.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    head.screenshot(path=artifact("workspace-task.png"), full_page=True)
    act(head, "approve", "同意，请做好工作交接")
    head.wait_for_selector("[data-testid=timeline-task_approved]")

    # HR (或签) approves from the inbox too.
    hr = sign_in("chenjing")
    hr.goto(f"{server}/app/inbox")
    hr.locator("[data-testid^=inbox-row-]").first.locator("a").click()
    act(hr, "approve")

    # 李娜's open page turns to 已通过 by itself and shows the whole timeline.
    lina.wait_for_selector("[data-testid=instance-status]:has-text('已通过')", timeout=10_000)
    timeline = lina.locator("[data-testid=timeline]").inner_text()
    for text in ("李娜 提交了申请", "王芳 同意", "同意，请做好工作交接", "陈静 同意", "流程结束"):
        assert text in timeline, (text, timeline)
    lina.screenshot(path=artifact("workspace-phone-approved.png"), full_page=True)
    for page in (head, hr, lina):
        assert page.js_errors == []


def test_return_to_initiator_edit_resubmit_and_approve(sign_in, server):
    lina = sign_in("lina")
    instance = submit_leave(lina, server, 2, "原因写得不清楚")
    head = sign_in("wangfang")
    open_task(head, server, instance)
    head.click("[data-testid=action-more]")
    head.click("[data-testid=action-return]")
    dialog = head.locator(".ant-modal:visible")
    dialog.get_by_text("发起人（修改后重新提交）").click()
    dialog.locator("[data-testid=dialog-comment]").fill("请写清楚事由")
    dialog.locator("[data-testid=dialog-ok]").click()
    dialog.wait_for(state="hidden")

    open_task(lina, server, instance)
    lina.wait_for_selector("[data-testid=instance-status]:has-text('已退回')")
    assert "请写清楚事由" in lina.locator("[data-testid=timeline]").inner_text()
    lina.fill("#qb-field-reason", "带孩子看病")
    act(lina, "resubmit", "已补充")
    lina.wait_for_selector("[data-testid=instance-status]:has-text('审批中')")

    head.reload()
    head.wait_for_selector("[data-testid=action-approve]")
    assert head.locator("[data-testid=instance-form]").inner_text().count("带孩子看病") == 1
    act(head, "approve")
    # Two days: a copy to HR, no HR approval; the request is approved.
    lina.wait_for_selector("[data-testid=instance-status]:has-text('已通过')", timeout=10_000)
    assert "重新提交" in lina.locator("[data-testid=timeline]").inner_text()
    assert lina.js_errors == [] and head.js_errors == []


def test_transfer_then_add_a_signer_before(sign_in, server):
    lina = sign_in("lina")
    instance = submit_leave(lina, server, 2, "家里有事")
    head = sign_in("wangfang")
    open_task(head, server, instance)
    head.click("[data-testid=action-more]")
    head.click("[data-testid=action-transfer]")
    pick_person(head, "张伟")
    head.locator(".ant-modal:visible [data-testid=dialog-ok]").click()
    head.locator(".ant-modal:visible").wait_for(state="hidden")
    head.wait_for_selector("[data-testid=action-approve]", state="detached")

    director = sign_in("zhangwei")
    open_task(director, server, instance)
    director.click("[data-testid=action-more]")
    director.click("[data-testid=action-add_signer]")
    pick_person(director, "朱红")
    director.locator(".ant-modal:visible [data-testid=signer-position]").get_by_text("在我之前审批").click()
    director.locator(".ant-modal:visible [data-testid=dialog-ok]").click()
    director.locator(".ant-modal:visible").wait_for(state="hidden")
    timeline = director.locator("[data-testid=timeline]")
    timeline.locator("[data-testid=timeline-task_transferred]").wait_for()
    timeline.locator("[data-testid=timeline-signer_added]").wait_for()
    assert "王芳 转交给 张伟" in timeline.inner_text()

    # The added signer decides first; then the task comes back to 张伟.
    signer = sign_in("zhuhong")
    open_task(signer, server, instance)
    act(signer, "approve", "我先看过了")
    director.reload()
    director.wait_for_selector("[data-testid=action-approve]")
    act(director, "approve")
    lina.goto(f"{server}/app/instances/{instance}")
    lina.wait_for_selector("[data-testid=instance-status]:has-text('已通过')", timeout=10_000)
    for page in (lina, head, director, signer):
        assert page.js_errors == []


@pytest.fixture
def server_hiding_reason(transactional_db: Any, tmp_path: Path, ui_built: None) -> Iterator[str]:
    """As ``server``, with the leave app's 部门负责人 step hiding 请假事由 (a new published version)."""
    from platform_core.org.models import User
    from runtime.definitions import services as definitions
    from runtime.definitions.models import App

    demo_data()
    admin = User.objects.get(username="liuyang")
    app = App.objects.get(key="leave")
    draft = app.draft
    flow = json.loads(json.dumps(draft.flow))
    for node in flow["nodes"]:
        if node["id"] == "head":
            node.setdefault("config", {})["fields"] = {"reason": "hidden"}
    definitions.draft_save(actor=admin, app=app, expected_revision=draft.revision, flow=flow)
    definitions.app_publish(actor=admin, app=app)
    with serve(tmp_path) as url:
        yield url


def test_a_hidden_field_never_reaches_the_approvers_page(page_factory, server_hiding_reason):
    server = server_hiding_reason
    secret = "家中私事-XYZ-保密"

    def login(username: str) -> Any:
        page = page_factory(width=1280, height=800)
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": server}])
        page.goto(f"{server}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button.btn-primary")
        page.wait_for_url(f"{server}/app/")
        return page

    lina = login("lina")
    instance = submit_leave(lina, server, 2, secret)
    open_task(lina, server, instance)
    assert secret in lina.content()  # the submitter sees her own reason

    head = login("wangfang")
    open_task(head, server, instance)
    head.wait_for_selector("[data-testid=instance-form]")
    head.wait_for_selector("[data-testid=action-approve]")
    html = head.content()
    assert secret not in html
    assert "请假事由" not in html  # not even the field's label
    assert "请假类型" in html
    # Nor in anything the page fetched: the request's JSON has neither the value nor the field.
    detail = head.request.get(f"{server}/api/v1/instances/{instance}/").json()
    assert secret not in json.dumps(detail, ensure_ascii=False)
    assert "reason" not in detail["form"]["schema"]["properties"]
