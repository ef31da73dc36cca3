"""App management in a real browser: list, create, copy, archive, export/import, publish,
versions with diff and rollback, who may use an app; desktop and phone; the forbidden state."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

FORM = {
    "schema_version": 1,
    "schema": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
            "reason": {"x-type": "textarea", "title": "事由", "x-label": {"zh": "事由", "en": "Reason"},
                       "type": "string", "maxLength": 500},
            "days": {"x-type": "number", "title": "天数", "x-label": {"zh": "天数", "en": "Days"}, "type": "number"},
        },
        "required": ["reason"],
    },
    "ui_schema": {"order": ["reason", "days"]},
}
FLOW = {
    "schema_version": 1,
    "nodes": [
        {"id": "start", "type": "start", "name": {"zh": "发起", "en": "Start"}},
        {"id": "head", "type": "approval", "name": {"zh": "部门负责人", "en": "Department head"},
         "config": {"mode": "single", "assignees": [{"rule": "dept_head", "levels": 1}]}},
        {"id": "end", "type": "end", "name": {"zh": "结束", "en": "End"}},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "head"}, {"id": "e2", "source": "head", "target": "end"}],
}


def _designer(org: Any) -> Any:
    org.role("designer", permissions=["apps.design", "apps.publish"], data_scope="all")
    dept = org.department("行政部", code="admin-dept")
    lina = org.user("lina", display_name="李娜", roles=["designer"], department=dept)
    org.set_head(dept, lina)
    return lina


def _leave_app(lina: Any, **extra: Any) -> Any:
    from runtime.definitions import services

    return services.app_create(actor=lina, key="leave", name="请假申请", name_en="Leave request", icon="calendar",
                               category="人事", description="1–3 天由部门负责人审批。", form=FORM, flow=FLOW, **extra)


def _no_overflow(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page: Any, path: str, *, full_page: bool = True, top: bool = True) -> None:
    """A screenshot once animations (modal, drawer, message) have settled, scrolled to the top."""
    if top:
        page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(400)
    page.screenshot(path=path, full_page=full_page)


def _row_menu(page: Any, key: str, item: str) -> None:
    page.click(f"[data-testid=app-actions-{key}]")
    page.locator(".ant-dropdown:visible .ant-dropdown-menu-item", has_text=item).first.click()


@pytest.mark.django_db(transaction=True)
def test_manage_apps_desktop(signed_in: Any, org: Any, artifact: Any, tmp_path: Any, live_server: Any) -> None:
    from runtime.definitions import services
    from runtime.definitions.models import App

    lina = _designer(org)
    _leave_app(lina)
    page = signed_in("lina")

    # The Apps menu leads to the list; the unpublished app is there with its status.
    page.get_by_role("link", name="应用管理").first.click()
    page.wait_for_url("**/app/apps")
    row = page.locator("[data-testid=app-row-leave]")
    row.wait_for()
    assert "草稿未发布" in row.inner_text()
    assert "人事" in row.inner_text()

    # New app: the key is suggested from the Chinese name; category, icon and description.
    page.click("[data-testid=create-app]")
    page.fill("[data-testid=create-name]", "采购审批")
    assert page.input_value("[data-testid=create-key]") == "purchase-approval"
    _shot(page, artifact("apps-create-1280.png"), full_page=False)
    page.fill("[data-testid=create-key]", "Bad key")
    page.locator(".ant-modal").get_by_text("应用标识须以小写字母开头").wait_for()
    page.fill("[data-testid=create-key]", "purchase")
    page.locator(".ant-modal input#category").fill("财务")
    page.click("[data-icon=wallet]")
    page.locator(".ant-modal").get_by_role("button", name="创 建").or_(
        page.locator(".ant-modal").get_by_role("button", name="创建")).click()
    page.wait_for_url("**/app/apps/purchase")
    page.locator(".qb-apps-detail-text h1", has_text="采购审批").wait_for()
    app = App.objects.get(key="purchase")
    assert (app.category, app.icon, app.name) == ("财务", "wallet", "采购审批")

    # A key already used is refused next to the field.
    page.goto(f"{live_server.url}/app/apps")
    page.click("[data-testid=create-app]")
    page.fill("[data-testid=create-name]", "另一个")
    page.fill("[data-testid=create-key]", "leave")
    page.locator(".ant-modal .ant-btn-primary").click()
    page.locator(".ant-modal .ant-form-item-explain-error", has_text="leave").wait_for()
    page.locator(".ant-modal .ant-btn", has_text="取").first.click()

    # Copy from the row menu.
    page.locator("[data-testid=app-row-purchase]").wait_for()
    _row_menu(page, "purchase", "复制")
    assert page.input_value("[data-testid=copy-key]") == "purchase-copy"
    assert page.input_value("[data-testid=copy-name]") == "采购审批 副本"
    page.locator(".ant-modal .ant-btn-primary").click()
    page.wait_for_url("**/app/apps/purchase-copy")
    assert App.objects.filter(key="purchase-copy").exists()

    # Archive the copy: it leaves the list, and "show archived" brings it back tagged.
    page.goto(f"{live_server.url}/app/apps")
    page.locator("[data-testid=app-row-purchase-copy]").wait_for()
    _row_menu(page, "purchase-copy", "归档")
    page.locator(".ant-modal-confirm .ant-btn-dangerous").click()
    page.get_by_text("已归档“采购审批 副本”").wait_for()
    page.locator("[data-testid=app-row-purchase-copy]").wait_for(state="detached")
    assert App.objects.get(key="purchase-copy").is_archived
    page.click("[data-testid=apps-show-archived]")
    archived_row = page.locator("[data-testid=app-row-purchase-copy]")
    archived_row.wait_for()
    assert "已归档" in archived_row.inner_text()
    page.click("[data-testid=apps-show-archived]")

    # Search and the category filter.
    page.fill("[data-testid=apps-search]", "请假")
    page.locator("[data-testid=app-row-purchase]").wait_for(state="detached")
    page.fill("[data-testid=apps-search]", "")
    page.locator("[data-testid=app-row-purchase]").wait_for()
    _shot(page, artifact("apps-list-1280.png"))

    # Export the draft of "leave" from its page.
    page.click("[data-testid=app-link-leave]")
    page.wait_for_url("**/app/apps/leave")
    page.click("[data-testid=export-app]")
    with page.expect_download() as download_info:
        page.locator(".ant-dropdown:visible .ant-dropdown-menu-item", has_text="导出草稿").click()
    download = download_info.value
    assert download.suggested_filename == "leave-draft.qiaoban.json"
    exported = tmp_path / download.suggested_filename
    download.save_as(str(exported))
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["format"] == "qiaoban-app" and document["app"]["key"] == "leave"

    # Import it back: the key is taken, so the report says which key it got.
    page.goto(f"{live_server.url}/app/apps")
    page.click("[data-testid=import-app]")
    page.locator(".ant-modal input[type=file]").set_input_files(str(exported))
    report = page.locator("[data-testid=import-report]")
    report.wait_for()
    assert "“leave”已被占用" in report.inner_text() and "leave-2" in report.inner_text()
    _shot(page, artifact("apps-import-report-1280.png"), full_page=False)
    page.locator(".ant-modal .ant-btn-primary", has_text="打开应用").click()
    page.wait_for_url("**/app/apps/leave-2")
    assert App.objects.get(key="leave-2").published_version is None

    # Publish "leave": the check runs first, then v1 is published with the note.
    page.goto(f"{live_server.url}/app/apps/leave")
    page.click("[data-testid=publish-app]")
    page.locator(".ant-modal").get_by_text("检查通过").wait_for()
    page.fill("[data-testid=publish-note]", "第一版")
    page.click("[data-testid=publish-confirm]")
    page.get_by_text("已发布 v1").first.wait_for()
    assert App.objects.get(key="leave").published_version.number == 1

    # A second version with changes (saved as the designer would), then the history.
    app = App.objects.get(key="leave")
    form, flow = copy.deepcopy(FORM), copy.deepcopy(FLOW)
    form["schema"]["properties"]["days"]["x-label"] = {"zh": "请假天数", "en": "Days off"}
    form["schema"]["required"] = ["reason", "days"]
    form["schema"]["properties"]["note"] = {"x-type": "text", "title": "备注", "x-label": {"zh": "备注", "en": "Note"},
                                            "type": "string"}
    flow["nodes"][1]["config"]["mode"] = "any"
    services.draft_save(actor=lina, app=app, expected_revision=app.draft_revision, form=form, flow=flow)
    services.app_publish(actor=lina, app=App.objects.get(key="leave"), note="天数必填，增加备注")

    page.goto(f"{live_server.url}/app/apps/leave?tab=versions")
    page.locator("text=v2").first.wait_for()
    page.locator("[data-testid=diff-previous-2]").wait_for()
    _shot(page, artifact("apps-detail-versions-1280.png"))
    page.click("[data-testid=diff-previous-2]")
    diff = page.locator("[data-testid=diff-view]")
    diff.wait_for()
    text = diff.inner_text()
    assert "备注" in text and "请假天数" in text and "必填" in text and "或签（一人同意）" in text
    _shot(page, artifact("apps-diff-1280.png"), full_page=False)
    page.keyboard.press("Escape")
    diff.wait_for(state="detached")

    # Roll back to v1: a new v3 copied from v1.
    page.click("[data-testid=rollback-1]")
    page.fill("[data-testid=rollback-note]", "恢复第一版")
    page.click("[data-testid=rollback-confirm]")
    page.get_by_text("已回滚").first.wait_for()
    page.get_by_text("回滚自 v1").first.wait_for()
    app = App.objects.get(key="leave")
    assert app.published_version.number == 3 and app.published_version.rolled_back_from.number == 1

    # Who may use the app: a role, saved through PATCH.
    page.get_by_role("tab", name="概览与设置").click()
    page.locator("[data-testid=visibility-roles]").click()
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="designer").click()
    page.keyboard.press("Escape")
    page.locator("[data-testid=visibility-departments]").click()
    page.locator(".ant-select-dropdown:visible .ant-select-tree-title", has_text="行政部").click()
    page.keyboard.press("Escape")
    page.locator("[data-testid=visibility-users]").click()
    page.keyboard.type("李")
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="李娜（行政部）").click()
    page.keyboard.press("Escape")
    page.click("[data-testid=settings-save]")
    page.get_by_text("已保存").first.wait_for()
    visibility = App.objects.get(key="leave").visibility
    assert visibility.get("roles") == ["designer"]
    assert [int(i) for i in visibility.get("departments")] == [lina.department_id]
    assert [int(i) for i in visibility.get("users")] == [lina.pk]
    # After a reload the chosen people and departments show by name.
    page.reload()
    page.locator("[data-testid=visibility-users]", has_text="李娜（行政部）").wait_for()
    page.locator("[data-testid=visibility-departments]", has_text="行政部").wait_for()
    _shot(page, artifact("apps-detail-1280.png"))

    assert _no_overflow(page)
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_publish_refused_lists_the_issues(signed_in: Any, org: Any, artifact: Any, live_server: Any) -> None:
    lina = _designer(org)
    flow = copy.deepcopy(FLOW)
    flow["edges"] = flow["edges"][:1]  # the approval node can no longer reach the end
    from runtime.definitions import services

    services.app_create(actor=lina, key="broken", name="有问题的应用", form=FORM, flow=flow)
    page = signed_in("lina")
    page.goto(f"{live_server.url}/app/apps/broken")
    page.click("[data-testid=publish-app]")
    issues = page.locator(".ant-modal [data-testid=issue-list]")
    issues.wait_for()
    assert "节点：" in issues.inner_text()
    assert page.locator("[data-testid=publish-confirm]").is_disabled()
    _shot(page, artifact("apps-publish-refused-1280.png"), full_page=False)
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_apps_on_a_phone(signed_in: Any, org: Any, artifact: Any, live_server: Any) -> None:
    from runtime.definitions import services

    lina = _designer(org)
    app = _leave_app(lina)
    services.app_publish(actor=lina, app=app, note="第一版")
    services.app_create(actor=lina, key="purchase", name="采购审批", category="财务", icon="shopping-cart")
    page = signed_in("lina", width=375, height=740)
    page.goto(f"{live_server.url}/app/apps")
    card = page.locator("[data-testid=app-card-leave]")
    card.wait_for()
    assert "已发布 v1" in card.inner_text()
    assert _no_overflow(page)
    _shot(page, artifact("apps-list-375.png"))

    page.click("[data-testid=create-app]")
    page.fill("[data-testid=create-name]", "会议室预订")
    assert page.input_value("[data-testid=create-key]") == "meeting-room-booking"
    assert _no_overflow(page)
    _shot(page, artifact("apps-create-375.png"), full_page=False)
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/app/apps/leave")
    page.locator(".qb-apps-detail-text h1", has_text="请假申请").wait_for()
    assert _no_overflow(page)
    _shot(page, artifact("apps-detail-375.png"))
    page.goto(f"{live_server.url}/app/apps/leave?tab=versions")
    page.locator("[data-testid=version-card-1]").wait_for()
    assert _no_overflow(page)
    _shot(page, artifact("apps-versions-375.png"))
    page.click("[data-testid=diff-draft-1]")
    page.get_by_text("两个版本的表单和流程完全相同").wait_for()
    _shot(page, artifact("apps-diff-375.png"), full_page=False)
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_empty_list_invites_to_create(signed_in: Any, org: Any, artifact: Any, live_server: Any) -> None:
    _designer(org)
    page = signed_in("lina")
    page.goto(f"{live_server.url}/app/apps")
    empty = page.locator("[data-testid=apps-empty]")
    empty.wait_for()
    assert "还没有应用" in empty.inner_text()
    _shot(page, artifact("apps-empty-1280.png"), full_page=False)
    empty.get_by_role("button", name="新建应用").click()
    page.locator(".ant-modal").get_by_text("新建应用").first.wait_for()
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_apps_in_english(signed_in: Any, org: Any, artifact: Any, live_server: Any) -> None:
    lina = _designer(org)
    _leave_app(lina)
    page = signed_in("lina", language="en")
    page.goto(f"{live_server.url}/app/apps")
    row = page.locator("[data-testid=app-row-leave]")
    row.wait_for()
    assert "Leave request" in row.inner_text() and "Draft, not published" in row.inner_text()
    _shot(page, artifact("apps-list-en-1280.png"))
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_without_design_permission_the_apps_pages_are_forbidden(signed_in: Any, org: Any, artifact: Any,
                                                                live_server: Any) -> None:
    org.user("zhang", display_name="张三")
    page = signed_in("zhang")
    assert page.locator(".qb-topbar").get_by_text("应用管理").count() == 0
    page.goto(f"{live_server.url}/app/apps")
    page.locator("[data-testid=apps-forbidden]").wait_for()
    assert "没有权限" in page.locator("[data-testid=apps-forbidden]").inner_text()
    page.goto(f"{live_server.url}/app/apps/leave")
    page.locator("[data-testid=apps-forbidden]").wait_for()
    _shot(page, artifact("apps-forbidden-1280.png"), full_page=False)
    assert page.js_errors == []
