"""The data-dictionary manager in a real browser against the built UI and a live server.

A dictionary admin (王芳) creates 费用类型 (expense_type) with 机票/火车/酒店, reorders
them with the buttons and by dragging, disables one, renames a label in place, and is
refused — in words, with a way out — when deleting a code a published form names. A tree
entry gets sub-options; the page works in English at phone width; a user without
``dictionary.manage`` sees a friendly forbidden page.
"""

from __future__ import annotations

from typing import Any

import pytest

from platform_core.dictionary import services as dictionary
from platform_core.dictionary.models import DictionaryEntry, DictionaryOption

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dict_admin(org: Any) -> Any:
    org.role("dictadmin", permissions=["dictionary.manage"], data_scope="all")
    return org.user("wang", display_name="王芳", roles=["dictadmin"])


def codes_in_order(key: str, parent: str | None = None) -> list[str]:
    rows = DictionaryOption.objects.filter(entry__key=key, parent__code=parent) if parent else (
        DictionaryOption.objects.filter(entry__key=key, parent__isnull=True)
    )
    return list(rows.order_by("order").values_list("code", flat=True))


def table_codes(page: Any) -> list[str]:
    return page.eval_on_selector_all("[data-testid^=code-]", "nodes => nodes.map(n => n.textContent)")


def open_dictionary(signed_in: Any, live_server: Any, username: str = "wang", path: str = "", **kwargs: Any) -> Any:
    page = signed_in(username, **kwargs)
    page.goto(f"{live_server.url}/app/dictionary{path}")
    page.wait_for_selector("[data-testid=dictionary-page], [data-testid=dictionary-forbidden]")
    return page


def add_option(page: Any, code: str, zh: str, en: str) -> None:
    page.click("[data-testid=option-new]")
    page.fill("#option-label", zh)
    page.fill("#option-label-en", en)
    page.fill("#option-code", code)
    page.click("[data-testid=option-form-ok]")
    page.wait_for_selector(f"[data-testid=option-{code}]")
    page.wait_for_selector("[data-testid=option-form]", state="detached")


def drag(page: Any, source: str, target: str) -> None:
    """Drag with real mouse moves (dnd-kit starts after 5 px and follows the pointer)."""
    box = page.locator(source).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 10, steps=4)
    goal = page.locator(target).bounding_box()
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=12)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2 - 2, steps=2)
    page.mouse.up()


def wait_codes(page: Any, expected: list[str]) -> None:
    page.wait_for_function(
        "expected => JSON.stringify([...document.querySelectorAll('[data-testid^=code-]')].map(n => n.textContent))"
        " === JSON.stringify(expected)",
        arg=expected,
    )


def no_horizontal_overflow(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.evaluate("() => window.innerWidth")
    assert width <= viewport, f"the page is {width}px wide in a {viewport}px viewport"


def publish_travel_app(org: Any, people: Any) -> None:
    """A published app whose form binds expense_type and names "air" in a rule (budget required for air)."""
    from runtime.definitions import services as definitions
    from tests.definitions.conftest import travel_form

    org.role("app_publisher", permissions=["apps.design", "apps.publish"])
    publisher = org.user("publisher", department=people.company, roles=["app_publisher"], display_name="发布员")
    app = definitions.app_create(actor=publisher, key="trip", name="差旅申请", name_en="Travel request")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=travel_form())
    app.refresh_from_db()
    definitions.app_publish(actor=publisher, app=app)


def close_in_use(page: Any) -> None:
    """Close the "in use" dialog once it has finished opening (a click during antd's opening
    animation can land before the button is live on a loaded machine)."""
    button = page.locator(".ant-modal-confirm:visible [data-testid=in-use-close]")
    button.wait_for()
    page.wait_for_timeout(400)
    button.click()


def test_create_an_entry_with_options_reorder_disable_rename_and_the_in_use_guard(
    live_server, signed_in, artifact, dict_admin, org, people
):
    DictionaryEntry.objects.filter(key="expense_type").delete()  # the migration's seed, if still there
    page = open_dictionary(signed_in, live_server)
    page.wait_for_selector("[data-testid=entry-list]")

    # New entry: the key follows the English name; the server's rule is checked in the form.
    page.click("[data-testid=entry-new]")
    page.fill("#entry-name", "费用类型")
    page.fill("#entry-name-en", "Expense type")
    assert page.input_value("#entry-key") == "expense_type"
    page.fill("#entry-key", "Expense-Type")
    page.click("[data-testid=entry-form-ok]")
    page.wait_for_selector("text=标识须以小写字母开头")
    page.fill("#entry-key", "expense_type")
    page.fill("#entry-description", "差旅和报销表单的费用类别")
    page.wait_for_timeout(300)
    page.screenshot(path=artifact("dictionary-1280-new-entry.png"))
    page.click("[data-testid=entry-form-ok]")
    page.wait_for_url(f"{live_server.url}/app/dictionary/expense_type")
    page.wait_for_selector("[data-testid=entry-title]:has-text('费用类型')")
    assert page.inner_text("[data-testid=entry-key]").strip() == "expense_type"
    entry = DictionaryEntry.objects.get(key="expense_type")
    assert (entry.name, entry.name_en, entry.kind) == ("费用类型", "Expense type", "flat")
    page.wait_for_selector("[data-testid=entry-expense_type][aria-current=page]")
    page.wait_for_selector("[data-testid=usage-total]:has-text('还没有表单使用')")

    # Edit the names and description (the key is fixed once created).
    page.click("[data-testid=entry-edit]")
    assert page.locator("#entry-key").count() == 0
    page.fill("#entry-name-en", "Expense category")
    page.click("[data-testid=entry-form-ok]")
    page.wait_for_selector("text=Expense category")
    assert DictionaryEntry.objects.get(key="expense_type").name_en == "Expense category"

    # Options with both labels; a taken or malformed code is refused in the form.
    add_option(page, "air", "机票", "Air ticket")
    add_option(page, "train", "火车", "Train")
    add_option(page, "hotel", "酒店", "Hotel")
    page.click("[data-testid=option-new]")
    page.fill("#option-label", "飞机")
    page.fill("#option-code", "air")
    page.click("[data-testid=option-form-ok]")
    page.wait_for_selector("text=编码“air”已在此字典中使用")
    page.fill("#option-code", "机票")
    page.wait_for_selector("text=编码只能包含字母、数字")
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid=option-form]", state="detached")
    assert codes_in_order("expense_type") == ["air", "train", "hotel"]
    assert DictionaryOption.objects.get(entry__key="expense_type", code="air").label_en == "Air ticket"
    page.wait_for_selector("[data-testid=entry-expense_type]:has-text('3 个选项')")

    # Reorder with the keyboard-accessible buttons, then by dragging the handle.
    page.get_by_role("button", name="上移“酒店”").click()
    wait_codes(page, ["air", "hotel", "train"])
    page.wait_for_timeout(300)
    assert codes_in_order("expense_type") == ["air", "hotel", "train"]
    assert page.is_disabled("[data-testid=move-up-air]")
    drag(page, "[data-testid=option-train] .qb-dict-handle", "[data-testid=option-air]")
    wait_codes(page, ["train", "air", "hotel"])
    page.wait_for_timeout(300)
    assert codes_in_order("expense_type") == ["train", "air", "hotel"]
    # Dragging works from the keyboard too: Space picks up, arrows move, Space drops.
    page.focus("[data-testid=option-hotel] .qb-dict-handle")
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    page.keyboard.press("ArrowUp")
    page.wait_for_timeout(300)
    page.keyboard.press("Space")
    wait_codes(page, ["train", "hotel", "air"])
    page.wait_for_timeout(300)
    assert codes_in_order("expense_type") == ["train", "hotel", "air"]

    # Disable 火车; rename 酒店 in place (Enter saves, Esc cancels).
    page.click("[data-testid=enabled-train]")
    page.wait_for_selector("[data-testid=option-train].qb-dict-row-off")
    assert DictionaryOption.objects.get(entry__key="expense_type", code="train").enabled is False
    page.click("[data-testid=label-hotel]")
    page.fill("[data-testid=label-hotel-input]", "住宿")
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-testid=label-hotel]:has-text('酒店')")
    page.click("[data-testid=label-hotel]")
    page.fill("[data-testid=label-hotel-input]", "酒店住宿")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=label-hotel]:has-text('酒店住宿')")
    assert DictionaryOption.objects.get(entry__key="expense_type", code="hotel").label == "酒店住宿"
    page.click("[data-testid=label-en-hotel]")
    page.fill("[data-testid=label-en-hotel-input]", "Hotel stay")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=label-en-hotel]:has-text('Hotel stay')")
    page.mouse.move(0, 0)
    page.wait_for_timeout(600)  # let the toasts settle for the screenshot
    page.screenshot(path=artifact("dictionary-1280-options.png"), full_page=True)

    # A published form names "air" in a rule: deleting it is refused with what uses it.
    publish_travel_app(org, people)
    page.reload()
    page.wait_for_selector("[data-testid=usage-total]:has-text('被 2 处使用')")
    assert "表单（草稿和已发布版本）" in page.inner_text("[data-testid=usage-panel]")
    # Which app: a link to it, with its draft and the published version.
    apps = page.inner_text("[data-testid=usage-apps]")
    assert "涉及 1 个应用" in apps and "草稿" in apps and "v1" in apps and "expense_type" in apps
    page.click("[data-testid=delete-air]")
    page.wait_for_selector(".ant-modal-confirm-title:has-text('正在使用，不能删除')")
    notice = page.inner_text("[data-testid=in-use-notice]")
    assert "有 2 处引用了这个编码" in notice and "建议改为停用" in notice
    page.screenshot(path=artifact("dictionary-1280-in-use.png"))
    close_in_use(page)
    page.wait_for_selector("[data-testid=in-use-notice]", state="detached")
    assert DictionaryOption.objects.filter(entry__key="expense_type", code="air").exists()

    # The entry itself is in use too; a code nobody names can be deleted after confirming.
    page.click("[data-testid=entry-delete]")
    page.wait_for_selector(".ant-modal-confirm-title:has-text('“费用类型”正在使用，不能删除')")
    close_in_use(page)
    page.wait_for_selector("[data-testid=in-use-notice]", state="detached")
    page.click("[data-testid=delete-hotel]")
    page.wait_for_selector(".ant-modal-confirm-title:has-text('删除选项“酒店住宿”（hotel）？')")
    page.click("[data-testid=confirm-delete]")
    page.wait_for_selector("[data-testid=option-hotel]", state="detached")
    assert codes_in_order("expense_type") == ["train", "air"]
    assert page.js_errors == []


def test_a_tree_entry_with_sub_options(live_server, signed_in, artifact, dict_admin):
    page = open_dictionary(signed_in, live_server)
    page.click("[data-testid=entry-new]")
    page.fill("#entry-name", "办公地点")
    page.fill("#entry-name-en", "Office location")
    assert page.input_value("#entry-key") == "office_location"
    page.get_by_text("树形", exact=True).click()
    page.click("[data-testid=entry-form-ok]")
    page.wait_for_url(f"{live_server.url}/app/dictionary/office_location")
    assert DictionaryEntry.objects.get(key="office_location").kind == "tree"

    add_option(page, "east", "华东", "East China")
    add_option(page, "south", "华南", "South China")
    page.click("[data-testid=add-child-east]")
    page.fill("#option-label", "上海")
    page.fill("#option-label-en", "Shanghai")
    assert page.input_value("#option-code") == "shanghai"  # suggested from the English label
    assert "华东" in page.inner_text("[data-testid=option-form] .ant-select")  # the parent chosen in advance
    page.click("[data-testid=option-form-ok]")
    page.wait_for_selector("[data-testid=option-shanghai]")
    page.click("[data-testid=add-child-east]")
    page.fill("#option-label", "杭州")
    page.fill("#option-label-en", "Hangzhou")
    page.click("[data-testid=option-form-ok]")
    page.wait_for_selector("[data-testid=option-hangzhou]")
    wait_codes(page, ["east", "shanghai", "hangzhou", "south"])
    assert codes_in_order("office_location", "east") == ["shanghai", "hangzhou"]

    # Reorder within the level; a parent with sub-options cannot be deleted.
    page.click("[data-testid=move-up-hangzhou]")
    wait_codes(page, ["east", "hangzhou", "shanghai", "south"])
    page.wait_for_timeout(300)
    assert codes_in_order("office_location", "east") == ["hangzhou", "shanghai"]
    assert page.is_disabled("[data-testid=move-up-hangzhou]")
    page.click("[data-testid=delete-east]")
    page.wait_for_selector(".ant-modal-confirm-title:has-text('“华东”还有下级选项')")
    page.click(".ant-modal-confirm-btns button")
    # Disabling a parent marks its children.
    page.click("[data-testid=enabled-east]")
    page.wait_for_selector("[data-testid=option-shanghai] :text('随上级停用')")
    page.get_by_role("button", name="收起“华东”").click()
    wait_codes(page, ["east", "south"])
    page.get_by_role("button", name="展开“华东”").click()
    wait_codes(page, ["east", "hangzhou", "shanghai", "south"])
    page.mouse.move(0, 0)
    page.wait_for_timeout(600)
    page.screenshot(path=artifact("dictionary-1280-tree.png"), full_page=True)

    # The same entry at phone width: list and detail are separate views.
    phone = open_dictionary(signed_in, live_server, width=375, height=760)
    phone.wait_for_selector("[data-testid=entry-office_location]")
    assert phone.locator("[data-testid=entry-detail]").count() == 0
    no_horizontal_overflow(phone)
    phone.screenshot(path=artifact("dictionary-375-list.png"), full_page=True)
    phone.click("[data-testid=entry-office_location]")
    phone.wait_for_selector("[data-testid=option-cards] [data-testid=option-shanghai]")
    assert phone.locator("[data-testid=entry-list]").count() == 0
    no_horizontal_overflow(phone)
    phone.screenshot(path=artifact("dictionary-375-tree.png"), full_page=True)
    phone.click("[data-testid=entry-back]")
    phone.wait_for_selector("[data-testid=entry-list]")
    assert page.js_errors == [] and phone.js_errors == []


def test_english_ui_at_phone_width(live_server, signed_in, artifact, dict_admin):
    DictionaryEntry.objects.filter(key="expense_type").delete()
    entry = dictionary.entry_create(actor=None, system=True, key="expense_type", name="费用类型",
                                    name_en="Expense type")
    for code, zh, en in (("air", "机票", "Air ticket"), ("train", "火车", "Train"), ("hotel", "酒店", "Hotel")):
        dictionary.option_create(actor=None, system=True, entry=entry, code=code, label=zh, label_en=en)
    page = open_dictionary(signed_in, live_server, path="/expense_type", width=375, height=760, language="en")
    page.wait_for_selector("[data-testid=entry-title]:has-text('Expense type')")
    page.wait_for_selector("text=No form uses this entry yet.")
    page.wait_for_selector("[data-testid=option-cards] [data-testid=option-air]")
    assert page.locator("[data-testid=entry-list]").count() == 0  # the detail alone on a phone
    no_horizontal_overflow(page)
    page.get_by_role("button", name="Move “Hotel” up").click()
    wait_codes(page, ["air", "hotel", "train"])
    page.wait_for_timeout(300)
    assert codes_in_order("expense_type") == ["air", "hotel", "train"]
    page.click("[data-testid=enabled-train]")
    page.wait_for_selector("[data-testid=option-train].qb-dict-option-off")
    page.wait_for_timeout(600)
    page.screenshot(path=artifact("dictionary-375-en-detail.png"), full_page=True)
    page.click("[data-testid=option-new]")
    page.wait_for_selector("[data-testid=option-form]")
    page.fill("#option-label", "餐饮")
    page.fill("#option-label-en", "Meals")
    assert page.input_value("#option-code") == "meals"
    page.wait_for_timeout(400)
    no_horizontal_overflow(page)
    page.screenshot(path=artifact("dictionary-375-en-add-option.png"))
    page.click("[data-testid=option-form-ok]")
    page.wait_for_selector("[data-testid=option-cards] [data-testid=option-meals]")
    assert DictionaryOption.objects.get(entry__key="expense_type", code="meals").label_en == "Meals"
    page.click("[data-testid=entry-back]")
    page.wait_for_selector("[data-testid=entry-expense_type]:has-text('4 options')")
    assert page.js_errors == []


def test_without_dictionary_manage_a_friendly_forbidden_page(live_server, signed_in, artifact, org):
    org.role("employee", permissions=[])
    org.user("li", display_name="李雷", roles=["employee"])
    page = open_dictionary(signed_in, live_server, username="li")
    page.wait_for_selector("[data-testid=dictionary-forbidden]")
    assert "没有管理数据字典的权限" in page.inner_text("[data-testid=dictionary-forbidden]")
    page.screenshot(path=artifact("dictionary-1280-forbidden.png"))
    page.click("text=返回工作台")
    page.wait_for_url(lambda url: url.rstrip("/").endswith("/app"))
    assert page.js_errors == []
