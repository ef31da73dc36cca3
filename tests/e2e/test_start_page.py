"""Starting a request in a real browser (/app/start/<key>): the shared form renderer with
live rules (required-if, computed days), client validation in Chinese, a sub-table, the
server's own 400 shown at its field, success, and a phone-width layout."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

PASSWORD = "qiaoban2026"  # platform_core/org/demo/data.py DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db: Any) -> None:
    """The demo organisation (lina, her department head, finance, ...) with the seed's apps installed."""
    import importlib

    from django.apps import apps

    # A transactional test flushes the tables afterwards, data migrations included: seed the
    # shared dictionary again (idempotent) so that every test finds expense_type and leave_type.
    importlib.import_module("platform_core.dictionary.migrations.0002_seed").seed(apps, None)
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    call_command("install_templates", stdout=StringIO())


def _no_overflow(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page: Any, path: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(400)
    page.screenshot(path=path, full_page=True)


def _pick_dates(page: Any, start: str, end: str) -> None:
    page.click("#qb-field-trip_dates")
    page.keyboard.type(start)
    page.keyboard.press("Enter")
    page.keyboard.type(end)
    page.keyboard.press("Enter")
    page.locator("[data-testid=field-days] .qb-fr-readonly.is-computed").wait_for()


def _choose(page: Any, field: str, option: str) -> None:
    page.click(f"[data-testid=field-{field}] .ant-select")
    page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text=option).first.click()


def _error(page: Any, field: str, text: str) -> None:
    """Wait for an error message under a field."""
    page.locator(f"[data-testid=field-{field}] .ant-form-item-explain-error", has_text=text).wait_for()


def _open_travel(page: Any) -> None:
    page.click("[data-testid=start-travel]")
    page.wait_for_url("**/app/start/travel")
    page.locator("[data-testid=field-trip_dates]").wait_for()


@pytest.mark.django_db(transaction=True)
def test_lina_submits_a_travel_request(demo: None, signed_in: Any, artifact: Any) -> None:
    from runtime.instances.models import Instance

    page = signed_in("lina", password=PASSWORD)
    _open_travel(page)
    assert page.locator(".qb-start-title").inner_text() == "差旅申请"
    # The description block and section titles are text.
    page.get_by_text("请如实填写出差日期").wait_for()
    assert page.locator(".qb-fr-section-title").all_inner_texts() == ["行程", "费用", "其他"]

    _pick_dates(page, "2026-12-01", "2026-12-03")
    assert "3 天" in page.locator("[data-testid=field-days]").inner_text()
    page.fill("#qb-field-destination", "上海")

    # 预算 becomes required once 费用类型 is 机票 (x-required-if, evaluated live).
    budget_label = page.locator("[data-testid=field-budget] label")
    assert "ant-form-item-required" not in (budget_label.get_attribute("class") or "")
    _choose(page, "expense_type", "机票")
    page.locator("[data-testid=field-budget] label.ant-form-item-required").wait_for()

    # Submitting now is refused in the browser, in Chinese, at the field.
    page.click("[data-testid=submit]")
    _error(page, "budget", "此项为必填项。")
    assert "1 处需要修改" in page.locator("[data-testid=start-errors]").inner_text()
    assert Instance.objects.count() == 0

    page.fill("#qb-field-budget", "3000")
    page.locator("[data-testid=field-budget] .ant-form-item-explain-error").wait_for(state="detached")

    # A companion row (同行人员): add, fill, the computed count follows.
    page.click("[data-testid=add-row-qb-field-companions]")
    page.fill("#qb-field-companions-0-name", "王芳")
    assert "1" in page.locator("[data-testid=field-companion_count]").inner_text()
    page.fill("#qb-field-reason", "<b>拜访客户</b>")
    _shot(page, artifact("start-travel-1280.png"))

    # A double click submits once (one request id per page load; the button waits for the answer).
    page.dblclick("[data-testid=submit]")
    page.get_by_text("已提交").wait_for()
    assert Instance.objects.count() == 1
    instance_id = int(page.locator("[data-testid=instance-id]").get_attribute("data-instance-id") or 0)
    _shot(page, artifact("start-travel-done-1280.png"))

    instance = Instance.objects.get(pk=instance_id)
    assert instance.initiator.username == "lina"
    assert instance.app.key == "travel"
    data = instance.data
    assert data["trip_dates"] == {"start": "2026-12-01", "end": "2026-12-03"}
    assert (data["destination"], data["expense_type"], data["budget"]) == ("上海", "air", 3000)
    assert data["days"] == 3
    assert data["companions"] == [{"name": "王芳"}]
    assert data["reason"] == "<b>拜访客户</b>"

    # "Start another" gives an empty form again.
    page.get_by_role("button", name="再发起一个").click()
    page.locator("[data-testid=field-trip_dates]").wait_for()
    assert page.input_value("#qb-field-destination") == ""
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_server_refusal_is_shown_at_its_field(demo: None, signed_in: Any, artifact: Any) -> None:
    """The browser checks first, but the server decides: its 400 details land at the fields."""
    from runtime.instances.models import Instance

    page = signed_in("lina", password=PASSWORD)
    _open_travel(page)
    _pick_dates(page, "2026-12-01", "2026-12-02")
    page.fill("#qb-field-destination", "杭州")
    _choose(page, "expense_type", "火车票")

    # Something only the server can catch: tamper with the request on its way (as an outdated
    # client would), sending a phone number that does not match the column's pattern.
    def tamper(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        body["data"]["companions"] = [{"name": "王芳", "phone": "12345"}]
        route.continue_(post_data=json.dumps(body))

    page.route("**/api/v1/instances/", tamper)
    page.click("[data-testid=submit]")
    page.locator("[data-testid=start-failure]").wait_for()
    assert "服务器未接受" in page.locator("[data-testid=start-failure]").inner_text()
    _error(page, "companions", "请按要求的格式输入")
    _shot(page, artifact("start-travel-server-error-1280.png"))
    assert Instance.objects.count() == 0
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_start_page_at_phone_width(demo: None, signed_in: Any, artifact: Any) -> None:
    page = signed_in("lina", width=375, height=740, password=PASSWORD)
    _open_travel(page)
    assert page.locator(".qb-form-renderer.is-phone").count() == 1
    assert _no_overflow(page)
    # On a phone the range is two one-month pickers (read-only inputs: no keyboard pops up).
    today = date.today().isoformat()
    for picker in ("#qb-field-trip_dates", "#qb-field-trip_dates-end"):
        page.click(picker)
        page.locator(f".ant-picker-dropdown:not(.ant-picker-dropdown-hidden) td[title='{today}']").last.click()
        page.wait_for_timeout(400)  # the panel's closing animation
    page.locator("[data-testid=field-days]", has_text="1 天").wait_for()
    page.fill("#qb-field-destination", "北京")
    _choose(page, "expense_type", "机票")
    page.click("[data-testid=add-row-qb-field-companions]")
    page.fill("#qb-field-companions-0-name", "王芳")
    page.click("[data-testid=submit]")
    _error(page, "budget", "此项为必填项。")
    page.wait_for_timeout(300)
    assert _no_overflow(page)
    # Sub-table rows are cards on a phone, not a wide grid.
    assert page.locator(".qb-fr-row-card").count() == 1
    _shot(page, artifact("start-travel-375.png"))
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_form_in_english(demo: None, signed_in: Any, artifact: Any) -> None:
    page = signed_in("lina", language="en", password=PASSWORD)
    _open_travel(page)
    assert page.locator(".qb-fr-section-title").all_inner_texts() == ["Trip", "Costs", "Other"]
    assert page.locator("[data-testid=field-trip_dates] label").inner_text().strip() == "Trip dates"
    _choose(page, "expense_type", "Air ticket")
    page.click("[data-testid=submit]")
    _error(page, "budget", "This field is required.")
    assert "fields need attention" in page.locator("[data-testid=start-errors]").inner_text()
    _shot(page, artifact("start-travel-en-1280.png"))
    assert page.js_errors == []


@pytest.mark.django_db(transaction=True)
def test_unknown_app_is_a_friendly_message(demo: None, signed_in: Any, live_server: Any) -> None:
    page = signed_in("lina", password=PASSWORD)
    page.goto(f"{live_server.url}/app/start/no-such-app")
    page.get_by_text("找不到这个应用，或你没有发起它的权限。").wait_for()
    assert page.js_errors == []


# Every other widget, on an app made for this test: dictionary radio, checkbox group,
# multi-select, boolean checkbox, user and department pickers, image and attachment uploads
# (kept in the page), a sub-table with a computed column and a total, a signature pad, and
# a node whose approvers the initiator picks.

def L(zh: str, en: str) -> dict[str, str]:  # noqa: N802 - a label, as in the documents
    return {"zh": zh, "en": en}


GALLERY_FORM = {
    "schema_version": 1,
    "schema": {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
        "title": "控件一览", "x-label": L("控件一览", "Widget gallery"),
        "properties": {
            "title": {"x-type": "text", "type": "string", "x-label": L("<b>标题</b>", "<b>Title</b>"), "maxLength": 50,
                      "x-help": L("标签和说明按原样显示", "Labels and help show as typed")},
            "email": {"x-type": "text", "type": "string", "format": "email", "x-label": L("邮箱", "E-mail")},
            "count": {"x-type": "number", "type": "number", "x-label": L("数量", "Quantity"), "x-precision": 0,
                      "x-unit": L("台", "units"), "minimum": 1},
            "meet_at": {"x-type": "datetime", "type": "string", "format": "date-time",
                        "x-label": L("会面时间", "Meeting time")},
            "level": {"x-type": "radio", "type": "string", "x-label": L("客户等级", "Customer level"),
                      "x-dictionary": "customer_level"},
            "channels": {"x-type": "checkbox", "type": "array", "x-label": L("渠道", "Channels"),
                         "x-options": [{"code": "web", "label": L("官网", "Website")},
                                       {"code": "phone", "label": L("电话", "Phone")},
                                       {"code": "visit", "label": L("拜访", "Visit")}]},
            "tags": {"x-type": "multi_select", "type": "array", "x-label": L("标签", "Tags"), "maxItems": 3,
                     "x-options": [{"code": "new", "label": L("新客户", "New")},
                                   {"code": "vip", "label": L("重点", "Key account")}]},
            "agree": {"x-type": "checkbox", "type": "boolean", "x-label": L("已阅读制度", "Read the policy")},
            "owner": {"x-type": "user", "type": "string", "x-label": L("负责人", "Owner")},
            "depts": {"x-type": "department", "type": "array", "x-multiple": True,
                      "x-label": L("协作部门", "Departments")},
            "photos": {"x-type": "image", "type": "array", "x-label": L("现场照片", "Site photos"), "maxItems": 3,
                       "x-accept": ["image/*"], "x-max-size": 2000000},
            "files": {"x-type": "attachment", "type": "array", "x-label": L("附件", "Attachments"), "maxItems": 2,
                      "x-accept": [".pdf", ".txt"], "x-max-size": 1000},
            "lines": {"x-type": "table", "type": "array", "x-label": L("明细", "Lines"), "minItems": 1, "maxItems": 5,
                      "items": {"type": "object", "required": ["item"], "properties": {
                          "item": {"x-type": "text", "type": "string", "x-label": L("物品", "Item")},
                          "price": {"x-type": "money", "type": "number", "x-currency": "CNY",
                                    "x-label": L("单价", "Price")},
                          "qty": {"x-type": "number", "type": "number", "x-label": L("数量", "Qty"), "x-precision": 0},
                          "subtotal": {"x-type": "computed", "type": "number", "x-currency": "CNY",
                                       "x-label": L("小计", "Subtotal"),
                                       "x-compute": {"*": [{"var": ["row.price", 0]}, {"var": ["row.qty", 0]}]}},
                          "day": {"x-type": "date", "type": "string", "format": "date",
                                  "x-label": L("日期", "Date")}}}},
            "total": {"x-type": "computed", "type": "number", "x-currency": "CNY", "x-label": L("合计", "Total"),
                      "x-compute": {"sum": [{"var": "form.lines"}, "subtotal"]}},
            "sign": {"x-type": "signature", "type": "object", "x-label": L("申请人签名", "Signature")},
        },
        "required": ["title", "lines", "sign"],
    },
    "ui_schema": {
        "order": ["title", "email", "count", "meet_at", "level", "channels", "tags", "agree", "owner", "depts",
                  "photos", "files", "lines", "total", "sign"],
        "sections": [
            {"title": L("基本信息", "Basics"), "columns": 2,
             "fields": ["title", "email", "count", "meet_at", "level", "channels", "tags", "agree", "owner", "depts"]},
            {"title": L("资料", "Documents"), "columns": 1, "fields": ["photos", "files", "lines", "total", "sign"]},
        ],
        "fields": {"lines": {"add_label": L("添加明细", "Add a line")}},
    },
}
GALLERY_FLOW = {
    "schema_version": 1,
    "nodes": [
        {"id": "start", "type": "start", "name": L("发起", "Start")},
        {"id": "review", "type": "approval", "name": L("指定审核人", "Chosen reviewer"),
         "config": {"mode": "any", "assignees": [{"rule": "initiator_picks", "multiple": True}]}},
        {"id": "end", "type": "end", "name": L("结束", "End")},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "review"}, {"id": "e2", "source": "review", "target": "end"}],
}


def _png(width: int = 48, height: int = 32) -> bytes:
    """A small solid-colour PNG (a visible thumbnail)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes((64, 140, 220)) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def gallery(demo: None) -> None:
    from platform_core.org.models import User
    from runtime.definitions import services

    admin = User.objects.get(username="admin")
    app = services.app_create(actor=admin, key="gallery", name="控件一览", name_en="Widget gallery", icon="form",
                              category="测试", form=GALLERY_FORM, flow=GALLERY_FLOW)
    services.app_publish(actor=admin, app=app)


def _draw_signature(page: Any) -> None:
    page.click("#qb-field-sign")
    canvas = page.locator(".qb-fr-signature-canvas")
    canvas.wait_for()
    page.wait_for_timeout(500)  # the dialog's opening animation
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 18, box["y"] + 100 + (25 if step % 2 else -25))
    page.mouse.up()
    page.locator(".ant-modal").get_by_role("button", name="完 成").or_(
        page.locator(".ant-modal").get_by_role("button", name="完成")).click()
    page.locator(".qb-fr-signature-image").wait_for()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_every_widget_on_the_start_page(gallery: None, signed_in: Any, artifact: Any, live_server: Any,
                                         tmp_path: Any, width: int) -> None:
    from platform_core.org.models import User
    from runtime.instances.models import Instance

    page = signed_in("lina", width=width, password=PASSWORD)
    page.goto(f"{live_server.url}/app/start/gallery")
    page.locator("[data-testid=field-title]").wait_for()
    # Labels are text: the <b> of the label shows literally.
    assert page.locator("[data-testid=field-title] label").inner_text().strip() == "<b>标题</b>"
    page.fill("#qb-field-title", "展会物料")
    page.fill("#qb-field-email", "bad-address")
    page.fill("#qb-field-count", "2")
    _error(page, "email", "请输入有效的电子邮箱地址。")
    page.fill("#qb-field-email", "lina@example.com")
    page.locator("[data-testid=field-level]").get_by_text("A级").click()
    page.locator("[data-testid=field-channels]").get_by_text("电话").click()
    page.locator("[data-testid=field-agree] .ant-checkbox-wrapper").click()

    # Files stay in the page; type and size limits use the server's words.
    photo = tmp_path / "site.png"
    photo.write_bytes(_png())
    page.set_input_files("[data-testid=field-photos] input[type=file]", str(photo))
    page.locator("[data-testid=field-photos] .ant-upload-list-item").wait_for()
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF" + b"0" * 2000)
    page.set_input_files("[data-testid=field-files] input[type=file]", str(big))
    refusal = page.locator("[data-testid=field-files] .qb-fr-inline-error")
    refusal.filter(has_text="文件大小超过了允许的 1000 字节。").wait_for()
    note = tmp_path / "说明.txt"
    note.write_text("hello")
    page.set_input_files("[data-testid=field-files] input[type=file]", str(note))
    page.locator("[data-testid=field-files] .ant-upload-list-item", has_text="说明.txt").wait_for()

    # The sub-table starts with its minimum of one row; the computed subtotal and total follow.
    page.click("[data-testid=add-row-qb-field-lines]")
    page.fill("#qb-field-lines-0-item", "易拉宝")
    page.fill("#qb-field-lines-0-price", "120.5")
    page.fill("#qb-field-lines-0-qty", "2")
    page.locator("[data-testid=field-total]", has_text="¥241.00").wait_for()

    _draw_signature(page)

    # The approver of the "指定审核人" step is chosen by the initiator.
    page.click("#qb-pick-review")
    page.keyboard.type("王")
    page.locator(".ant-select-dropdown:visible .ant-select-item-option").first.click()
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert _no_overflow(page)
    _shot(page, artifact(f"start-gallery-{width}.png"))

    page.click("[data-testid=submit]")
    page.get_by_text("已提交").wait_for()
    instance = Instance.objects.get(app__key="gallery")
    data = instance.data
    lina = User.objects.get(username="lina")
    assert data["sign"]["signer"] == str(lina.pk)
    assert data["photos"][0]["name"] == "site.png" and data["photos"][0]["content_type"] == "image/png"
    assert [f["name"] for f in data["files"]] == ["说明.txt"]
    assert data["lines"] == [{"item": "易拉宝", "price": 120.5, "qty": 2, "subtotal": 241.0}]
    assert data["total"] == 241.0
    assert (data["level"], data["channels"], data["agree"], data["count"]) == ("A", ["phone"], True, 2)
    assert page.js_errors == []
