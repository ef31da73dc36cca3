"""Sub-table columns keep their order through storage that sorts keys (PostgreSQL jsonb)."""

import copy

from runtime.forms import check_form, load_form

FORM = {
    "schema_version": 1,
    "schema": {
        "type": "object",
        "properties": {
            "companions": {
                "x-type": "table", "type": "array", "x-label": {"zh": "同行人员"},
                "x-column-order": ["name", "phone", "dept"],
                "items": {"type": "object", "properties": {
                    # Stored with keys sorted, as jsonb returns them.
                    "dept": {"x-type": "department", "type": "string", "x-label": {"zh": "部门"}},
                    "name": {"x-type": "text", "type": "string", "x-label": {"zh": "姓名"}},
                    "phone": {"x-type": "text", "type": "string", "x-label": {"zh": "手机号"}},
                }, "required": ["name"]},
            },
        },
    },
    "ui_schema": {"order": ["companions"]},
}


def test_the_declared_order_wins_over_key_order():
    spec = load_form(copy.deepcopy(FORM))
    assert spec.fields["companions"].columns == ("companions.name", "companions.phone", "companions.dept")
    assert list(spec.fields) == ["companions", "companions.name", "companions.phone", "companions.dept"]


def test_without_a_declared_order_the_key_order_is_used():
    form = copy.deepcopy(FORM)
    del form["schema"]["properties"]["companions"]["x-column-order"]
    assert load_form(form).fields["companions"].columns == ("companions.dept", "companions.name", "companions.phone")


def test_an_order_that_does_not_list_every_column_once_is_refused():
    for order in (["name", "phone"], ["name", "phone", "dept", "dept"], ["name", "phone", "ghost"], "name"):
        form = copy.deepcopy(FORM)
        form["schema"]["properties"]["companions"]["x-column-order"] = order
        issues = [issue for issue in check_form(form) if issue.severity == "error"]
        assert [(issue.code, issue.params.get("keyword")) for issue in issues] == [
            ("keyword_invalid", "x-column-order")], order
