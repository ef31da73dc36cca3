"""The form designer in a real browser against the built UI and a live server (issue 6).

An admin builds the seed's 差旅申请表 by dragging fields from the palette, makes 预算
required when 费用类型 is 机票, previews it at phone width, publishes, and the published
version has the expected schema. A second test shows a verifier error at its field.
"""

from __future__ import annotations

from typing import Any

import pytest

from platform_core.dictionary.models import DictionaryEntry
from runtime.definitions import services as definitions
from runtime.definitions.models import AppVersion

pytestmark = pytest.mark.django_db(transaction=True)


def ensure_expense_type() -> None:
    """The seed's dictionary entry (transactional tests may have flushed the migration's seed)."""
    from platform_core.dictionary import services as dictionary

    if DictionaryEntry.objects.filter(key="expense_type").exists():
        return
    entry = dictionary.entry_create(actor=None, system=True, key="expense_type", name="费用类型",
                                    name_en="Expense type")
    options = (("air", "机票", "Air ticket"), ("train", "火车票", "Train ticket"), ("hotel", "住宿", "Hotel"))
    for code, zh, en in options:
        dictionary.option_create(actor=None, system=True, entry=entry, code=code, label=zh, label_en=en)


@pytest.fixture
def designer_user(org: Any, people: Any) -> Any:
    org.role("form_designer", permissions=["apps.design", "apps.publish"], data_scope="all")
    return org.user("zhou", display_name="周敏", department=people.company, roles=["form_designer"])


def drag(page: Any, source: str, target: str, *, where: str = "center") -> None:
    """Drag with real mouse moves (dnd-kit starts after 5 px and follows the pointer)."""
    page.locator(source).scroll_into_view_if_needed()
    box = page.locator(source).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 12, box["y"] + box["height"] / 2 + 12, steps=4)
    goal = page.locator(target).bounding_box()
    y = goal["y"] + {"bottom": goal["height"] - 6, "top": 6}.get(where, goal["height"] / 2)
    page.mouse.move(goal["x"] + goal["width"] / 2, y, steps=12)
    page.mouse.move(goal["x"] + goal["width"] / 2, y + 1, steps=2)
    page.mouse.up()


def set_labels(page: Any, zh: str, en: str) -> None:
    page.fill("#label-zh", zh)
    page.fill("#label-en", en)


def wait_saved(page: Any) -> None:
    page.wait_for_selector("[data-testid=save-state-saved]", timeout=10_000)


def open_designer(signed_in: Any, live_server: Any, key: str, **kwargs: Any) -> Any:
    page = signed_in("zhou", **kwargs)
    page.goto(f"{live_server.url}/app/apps/{key}/form")
    page.wait_for_selector("[data-testid=canvas]")
    page.wait_for_selector("[data-testid=palette-text]")
    return page


def test_build_the_travel_form_by_drag_and_drop_and_publish(live_server, signed_in, artifact, designer_user):
    ensure_expense_type()
    definitions.app_create(actor=designer_user, key="trip", name="差旅申请", name_en="Travel request")
    page = open_designer(signed_in, live_server, "trip")

    # 出差日期: a date range dragged into the (empty) first section.
    drag(page, "[data-testid=palette-date_range]", "[data-testid=section-0]")
    page.wait_for_selector("[data-testid=field-date_range_1]")
    set_labels(page, "出差日期", "Trip dates")
    page.wait_for_selector("[data-testid=field-trip_dates]")  # the key follows the English label
    page.click("[data-testid=prop-required]")

    # 目的地 and 预算 dropped below it.
    drag(page, "[data-testid=palette-text]", "[data-testid=field-trip_dates]", where="bottom")
    page.wait_for_selector("[data-testid=field-text_1]")
    set_labels(page, "目的地", "Destination")
    page.click("[data-testid=prop-required]")
    drag(page, "[data-testid=palette-money]", "[data-testid=field-destination]", where="bottom")
    page.wait_for_selector("[data-testid=field-money_1]")
    set_labels(page, "预算", "Budget")

    # 费用类型 from the data dictionary, above 预算.
    drag(page, "[data-testid=palette-select]", "[data-testid=field-budget]", where="top")
    page.wait_for_selector("[data-testid=field-select_1]")
    set_labels(page, "费用类型", "Expense type")
    page.get_by_text("数据字典", exact=True).click()
    page.click("[data-testid=dictionary-select]")
    options = page.locator(".ant-select-dropdown:visible .ant-select-item-option-content")
    options.filter(has_text="费用类型 (expense_type)").click()
    page.wait_for_selector("text=机票 · air")
    page.click("[data-testid=prop-required]")

    # 同行人员: a sub-table (it starts with one column, 名称: renamed 姓名) and a 手机号
    # column dragged into it.
    drag(page, "[data-testid=palette-table]", "[data-testid=field-budget]", where="bottom")
    page.wait_for_selector("[data-testid=field-table_1]")
    set_labels(page, "同行人员", "Companions")
    page.wait_for_selector("[data-testid=table-drop-companions]")
    page.click("[data-testid=column-companions-name]")
    set_labels(page, "姓名", "Name")
    page.click("[data-testid=prop-required]")
    drag(page, "[data-testid=palette-text]", "[data-testid=table-drop-companions]")
    page.wait_for_selector("[data-testid=column-companions-text_1]")
    set_labels(page, "手机号", "Mobile")
    page.wait_for_selector("[data-testid=column-companions-mobile]")

    # The order on the canvas is the order of the drops.
    keys = page.eval_on_selector_all("[data-field-key]", "nodes => nodes.map(n => n.dataset.fieldKey)")
    assert keys == ["trip_dates", "destination", "expense_type", "budget", "companions"]

    # 预算 is required when 费用类型 is 机票: the condition builder writes JSON-logic.
    page.click("[data-testid=field-budget] .fd-field-label")
    page.click("[data-testid=required-if-edit]")
    builder = page.locator("[data-testid=rule-builder]")
    builder.locator(".ruleGroup-addRule").click()
    page.wait_for_selector(".rule")
    # The first field offered is 出差日期; choose 费用类型, then 机票.
    page.locator(".rule-fields").click()
    page.locator(".ant-select-dropdown:visible").get_by_text("费用类型", exact=True).click()
    page.locator(".rule-value").click()
    page.locator(".ant-select-dropdown:visible").get_by_text("机票", exact=True).click()
    page.get_by_role("button", name="确 定").click()
    page.wait_for_selector("text=费用类型 = 机票")

    # Undo and redo the condition (the keyboard shortcut and the toolbar).
    page.click("[data-testid=canvas]", position={"x": 10, "y": 10})
    page.keyboard.press("Control+z")
    page.wait_for_selector("[data-testid=field-budget] .fd-badge-text", state="detached")
    page.click("[data-testid=redo]")
    page.wait_for_selector("[data-testid=field-budget] .fd-badge-text")
    wait_saved(page)
    page.screenshot(path=artifact("designer-travel.png"), full_page=False)

    # Preview at phone width, with the same renderer the workspace uses.
    page.click("[data-testid=preview]")
    page.get_by_text("手机", exact=True).click()
    phone = page.locator("[data-testid=preview-phone]")
    phone.wait_for()
    assert 360 <= phone.bounding_box()["width"] <= 380
    phone.get_by_text("同行人员").first.wait_for()
    page.screenshot(path=artifact("designer-preview-phone.png"), full_page=False)
    page.keyboard.press("Escape")

    # Publish.
    page.click("[data-testid=publish]")
    page.fill("[data-testid=publish-note]", "首个版本")
    page.get_by_role("button", name="发 布").click()
    page.wait_for_selector("text=已发布版本 v1")
    assert page.js_errors == []

    version = AppVersion.objects.get(app__key="trip", number=1)
    schema = version.form["schema"]
    # The display order is the UI schema's (PostgreSQL's jsonb does not keep key order).
    order = ["trip_dates", "destination", "expense_type", "budget", "companions"]
    assert version.form["ui_schema"]["order"] == order and set(schema["properties"]) == set(order)
    assert schema["properties"]["trip_dates"]["x-type"] == "date_range"
    assert schema["properties"]["budget"]["x-type"] == "money"
    assert schema["properties"]["budget"]["x-label"] == {"zh": "预算", "en": "Budget"}
    # A one-rule group is stored as the bare rule (src/lib/conditions/query.ts).
    assert schema["properties"]["budget"]["x-required-if"] == {"==": [{"var": "form.expense_type"}, "air"]}
    assert schema["properties"]["expense_type"]["x-dictionary"] == "expense_type"
    columns = schema["properties"]["companions"]["items"]
    assert set(columns["properties"]) == {"name", "mobile"}
    assert columns["properties"]["name"]["x-label"] == {"zh": "姓名", "en": "Name"}
    assert columns["properties"]["mobile"]["x-type"] == "text"
    assert columns["required"] == ["name"]
    assert set(schema["required"]) == {"trip_dates", "destination", "expense_type"}
    assert version.note == "首个版本"

    # The same version through the API, as a client sees it.
    api = page.request.get(f"{live_server.url}/api/v1/apps/trip/versions/1/")
    assert api.ok and api.json()["form"]["schema"]["properties"]["budget"]["x-currency"] == "CNY"


def test_publish_shows_the_verifier_error_at_its_field(live_server, signed_in, artifact, designer_user):
    definitions.app_create(actor=designer_user, key="phones", name="手机号登记", name_en="Phone numbers")
    page = open_designer(signed_in, live_server, "phones", language="en")
    page.click("[data-testid=palette-text]")  # the keyboard/click way to add a field
    page.wait_for_selector("[data-testid=field-text_1]")
    set_labels(page, "手机号", "Mobile")
    # A pattern the browser accepts but the server refuses (catastrophic backtracking).
    page.fill("[data-testid=pattern-input]", "^(a+)+$")
    page.fill("[data-testid=pattern-sample]", "aaa")
    page.wait_for_selector("text=Matches")
    # The same pattern on a sample it backtracks on for ages: the tester gives up, the page lives.
    page.fill("[data-testid=pattern-sample]", "a" * 40 + "!")
    page.wait_for_selector("text=Too slow: this pattern can hang")
    wait_saved(page)
    page.click("[data-testid=publish]")
    page.get_by_role("button", name="Publish").last.click()
    page.wait_for_selector("text=Not published: fix the problems marked in red first")
    card = page.locator("[data-testid=field-mobile]")
    card.locator(".fd-issue-text").first.wait_for()
    assert "fd-has-issue" in card.get_attribute("class")
    assert page.locator("[data-testid=verify-issues]").is_visible()
    page.wait_for_timeout(500)  # let the dialog's closing animation finish before the screenshot
    page.screenshot(path=artifact("designer-publish-error.png"), full_page=False)
    assert not AppVersion.objects.filter(app__key="phones").exists()
    assert page.js_errors == []


def test_designer_at_phone_width_has_no_sideways_scroll(live_server, signed_in, artifact, designer_user):
    definitions.app_create(actor=designer_user, key="narrow", name="窄屏", name_en="Narrow")
    page = signed_in("zhou", width=375, height=740)
    page.goto(f"{live_server.url}/app/apps/narrow/form")
    page.wait_for_selector("[data-testid=canvas]")
    page.get_by_role("button", name="添加控件").click()
    page.locator(".ant-drawer [data-testid=palette-money]").click()
    page.wait_for_selector("[data-testid=field-money_1]")
    page.wait_for_timeout(500)  # the palette drawer closes after adding
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifact("designer-phone.png"), full_page=True)
    assert page.js_errors == []
