"""check_form: one table of broken documents and the issue codes they must produce."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from runtime.forms import FormInvalid, check_form, load_form, palette
from runtime.forms.errors import ERROR, WARNING
from tests.unit.forms.conftest import form_doc, read_fixture

TEXT = {"type": "string", "x-type": "text", "maxLength": 20, "x-label": {"zh": "文本", "en": "Text"}}


def travel() -> dict[str, Any]:
    return read_fixture("travel_form.json")


def props(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["schema"]["properties"]


def edit(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """A copy of the travel form changed by ``change``."""
    doc = travel()
    change(doc)
    return doc


def column(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return props(doc)["companions"]["items"]["properties"][name]


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        target = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _props(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: props(doc).update(copy.deepcopy(fields))


P = ["schema", "properties"]

CASES: list[tuple[str, Any, str, str | None, str | None]] = [
    # id, document (or change of the travel form), expected code, severity, field
    ("not an object", ["x"], "document_invalid", ERROR, None),
    ("no schema", {"schema_version": 1}, "document_invalid", ERROR, None),
    ("no schema_version", {"schema": {"type": "object", "properties": {}}}, "document_invalid", ERROR, None),
    ("future version", _set(["schema_version"], 99), "schema_version_unsupported", ERROR, None),
    ("schema not an object", _set(["schema", "type"], "array"), "schema_not_object", ERROR, None),
    ("form keyword", _set(["schema", "allOf"], [{}]), "keyword_not_allowed", ERROR, None),
    ("open form", _set(["schema", "additionalProperties"], True), "keyword_invalid", ERROR, None),
    (
        "other dialect",
        _set(["schema", "$schema"], "http://json-schema.org/draft-07/schema#"),
        "keyword_invalid",
        ERROR,
        None,
    ),
    ("too large", _set([*P, "notice", "x-content"], {"zh": "长" * 600_000}), "form_too_large", ERROR, None),
    (
        "too many fields",
        lambda d: props(d).update({f"t{i}": dict(TEXT) for i in range(200)}),
        "too_many_fields",
        ERROR,
        None,
    ),
    (
        "too many columns",
        lambda d: props(d)["companions"]["items"]["properties"].update(
            {f"c{i}": dict(TEXT) for i in range(50)}
        ),
        "too_many_columns",
        ERROR,
        "companions",
    ),
    (
        "table in table",
        lambda d: column(d, "name").update({"x-type": "table"}),
        "nesting_too_deep",
        ERROR,
        "companions.name",
    ),
    ("chinese key", _props(预算二={**TEXT}), "key_invalid", ERROR, "预算二"),
    ("key with a dot", _props(**{"a.b": TEXT}), "key_invalid", ERROR, "a.b"),
    ("key starting with a digit", _props(**{"1st": TEXT}), "key_invalid", ERROR, "1st"),
    (
        "column key",
        lambda d: props(d)["companions"]["items"]["properties"].update({"my-col": TEXT}),
        "key_invalid",
        ERROR,
        "companions.my-col",
    ),
    ("keys differing by case", _props(Destination=TEXT), "key_duplicate", WARNING, "Destination"),
    (
        "required twice",
        _set(["schema", "required"], ["trip_dates", "trip_dates"]),
        "key_duplicate",
        ERROR,
        "trip_dates",
    ),
    ("no x-type", lambda d: props(d)["reason"].pop("x-type"), "field_type_missing", ERROR, "reason"),
    ("unknown x-type", _set([*P, "reason", "x-type"], "rating"), "field_type_unknown", ERROR, "reason"),
    (
        "number keyword on text",
        _set([*P, "destination", "minimum"], 1),
        "keyword_not_allowed",
        ERROR,
        "destination",
    ),
    ("$ref", _set([*P, "destination", "$ref"], "#/x"), "keyword_not_allowed", ERROR, "destination"),
    ("oneOf", _set([*P, "budget", "oneOf"], [{}]), "keyword_not_allowed", ERROR, "budget"),
    (
        "enum on dictionary select",
        _set([*P, "expense_type", "enum"], ["air"]),
        "keyword_invalid",
        ERROR,
        "expense_type",
    ),
    (
        "required-if on computed",
        _set([*P, "days", "x-required-if"], True),
        "keyword_not_allowed",
        ERROR,
        "days",
    ),
    (
        "money without currency",
        lambda d: props(d)["budget"].pop("x-currency"),
        "keyword_missing",
        ERROR,
        "budget",
    ),
    ("computed without rule", lambda d: props(d)["days"].pop("x-compute"), "keyword_missing", ERROR, "days"),
    (
        "table without items",
        lambda d: props(d)["companions"].pop("items"),
        "keyword_missing",
        ERROR,
        "companions",
    ),
    (
        "text typed as number",
        _set([*P, "destination", "type"], "number"),
        "keyword_invalid",
        ERROR,
        "destination",
    ),
    (
        "negative maxLength",
        _set([*P, "destination", "maxLength"], -1),
        "keyword_invalid",
        ERROR,
        "destination",
    ),
    (
        "maxLength above cap",
        _set([*P, "destination", "maxLength"], 5000),
        "keyword_invalid",
        ERROR,
        "destination",
    ),
    (
        "minLength above maxLength",
        _set([*P, "destination", "minLength"], 500),
        "keyword_invalid",
        ERROR,
        "destination",
    ),
    ("precision 9", _set([*P, "days", "x-precision"], 9), "keyword_invalid", ERROR, "days"),
    ("bad currency", _set([*P, "budget", "x-currency"], "rmb"), "keyword_invalid", ERROR, "budget"),
    ("unknown format", _set([*P, "destination", "format"], "regex"), "keyword_invalid", ERROR, "destination"),
    ("rows cap", _set([*P, "companions", "maxItems"], 100_000), "keyword_invalid", ERROR, "companions"),
    (
        "open rows",
        _set([*P, "companions", "items", "additionalProperties"], True),
        "keyword_invalid",
        ERROR,
        "companions",
    ),
    (
        "pattern with long input",
        lambda d: column(d, "phone").update({"maxLength": 1000}),
        "keyword_invalid",
        ERROR,
        "companions.phone",
    ),
    ("no zh label", lambda d: props(d)["reason"].pop("x-label"), "label_missing", WARNING, "reason"),
    (
        "select without options",
        lambda d: props(d)["expense_type"].pop("x-dictionary"),
        "options_missing",
        ERROR,
        "expense_type",
    ),
    (
        "select with both",
        _set([*P, "expense_type", "x-options"], [{"code": "a", "label": "A"}]),
        "options_conflict",
        ERROR,
        "expense_type",
    ),
    (
        "duplicate option",
        _props(
            kind={
                "type": "string",
                "x-type": "radio",
                "x-label": {"zh": "类"},
                "x-options": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}],
            }
        ),
        "option_duplicate",
        ERROR,
        "kind",
    ),
    (
        "dictionary unknown",
        _set([*P, "expense_type", "x-dictionary"], "fee_kind"),
        "dictionary_unknown",
        ERROR,
        "expense_type",
    ),
    (
        "required unknown",
        _set(["schema", "required"], ["trip_dates", "ghost"]),
        "required_unknown_field",
        ERROR,
        None,
    ),
    (
        "required description",
        _set(["schema", "required"], ["notice"]),
        "required_without_value",
        ERROR,
        "notice",
    ),
    ("required computed", _set(["schema", "required"], ["days"]), "computed_required", ERROR, "days"),
    (
        "min rows not required",
        _set([*P, "companions", "minItems"], 1),
        "min_items_not_required",
        WARNING,
        "companions",
    ),
    ("bad default", _set([*P, "destination", "default"], 5), "default_invalid", ERROR, "destination"),
    (
        "rule with unknown operator",
        _set([*P, "budget", "x-required-if"], {"nope": [1]}),
        "rule_invalid",
        ERROR,
        "budget",
    ),
    (
        "rule reads missing field",
        _set([*P, "budget", "x-required-if"], {"var": "form.ghost"}),
        "rule_unknown_field",
        ERROR,
        "budget",
    ),
    (
        "rule reads inside a scalar",
        _set([*P, "budget", "x-required-if"], {"var": "form.destination.city"}),
        "rule_unknown_field",
        ERROR,
        "budget",
    ),
    (
        "rule reads a range part that does not exist",
        _set([*P, "budget", "x-visible-if"], {"var": "form.trip_dates.middle"}),
        "rule_unknown_field",
        ERROR,
        "budget",
    ),
    (
        "rule reads a missing column",
        _set([*P, "budget", "x-visible-if"], {"sum": [{"var": "form.companions"}, "age"]}),
        "rule_unknown_field",
        ERROR,
        "budget",
    ),
    (
        "rule reads a description",
        _set([*P, "budget", "x-visible-if"], {"var": "form.notice"}),
        "rule_field_without_value",
        ERROR,
        "budget",
    ),
    (
        "rule reads unknown root",
        _set([*P, "budget", "x-visible-if"], {"var": "session.user"}),
        "rule_unknown_variable",
        ERROR,
        "budget",
    ),
    (
        "row outside a table",
        _set([*P, "budget", "x-visible-if"], {"var": "row.name"}),
        "rule_unknown_variable",
        ERROR,
        "budget",
    ),
    (
        "visibility cycle",
        lambda d: (
            props(d)["budget"].update({"x-visible-if": {"var": "form.reason"}}),
            props(d)["reason"].update({"x-visible-if": {"var": "form.budget"}}),
        ),
        "dependency_cycle",
        ERROR,
        "budget",
    ),
    (
        "computed reads itself",
        _set([*P, "days", "x-compute"], {"+": [{"var": "form.days"}, 1]}),
        "dependency_cycle",
        ERROR,
        "days",
    ),
    (
        "column sums its own table",
        lambda d: props(d)["companions"]["items"]["properties"].update(
            {
                "share": {
                    "type": "number",
                    "x-type": "computed",
                    "x-label": {"zh": "份额"},
                    "x-compute": {"sum": [{"var": "form.companions"}, "share"]},
                }
            }
        ),
        "dependency_cycle",
        ERROR,
        "companions",
    ),
    (
        "unsafe pattern",
        lambda d: column(d, "phone").update({"pattern": "^(\\d+)+$"}),
        "pattern_unsafe",
        ERROR,
        "companions.phone",
    ),
    (
        "long pattern",
        lambda d: column(d, "phone").update({"pattern": "a" * 201}),
        "pattern_too_long",
        ERROR,
        "companions.phone",
    ),
    (
        "broken pattern",
        lambda d: column(d, "phone").update({"pattern": "(abc"}),
        "pattern_invalid",
        ERROR,
        "companions.phone",
    ),
    (
        "python-only pattern",
        lambda d: column(d, "phone").update({"pattern": "(?P<n>\\d+)"}),
        "pattern_not_portable",
        ERROR,
        "companions.phone",
    ),
    (
        "backreference",
        lambda d: column(d, "phone").update({"pattern": "(\\d)\\1"}),
        "pattern_unsafe",
        ERROR,
        "companions.phone",
    ),
    (
        "layout names a ghost",
        lambda d: d["ui_schema"]["order"].append("ghost"),
        "ui_unknown_field",
        WARNING,
        None,
    ),
    (
        "layout misses a field",
        lambda d: d["ui_schema"]["order"].remove("reason"),
        "ui_field_not_placed",
        WARNING,
        "reason",
    ),
    (
        "title from a ghost",
        lambda d: d["ui_schema"].update({"title_field": "ghost"}),
        "ui_unknown_field",
        WARNING,
        None,
    ),
    (
        "title from a table",
        lambda d: d["ui_schema"].update({"title_field": "companions"}),
        "ui_title_field_kind",
        WARNING,
        "companions",
    ),
]


def _document(spec: Any) -> Any:
    return edit(spec) if callable(spec) else spec


@pytest.mark.parametrize(
    ("document", "code", "severity", "field"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_issue(document: Any, code: str, severity: str, field: str | None) -> None:
    doc = _document(document)
    issues = check_form(doc, dictionaries={"expense_type", "customer_level"})
    matching = [i for i in issues if i.code == code]
    assert matching, f"no {code} in {[(i.code, i.field) for i in issues]}"
    issue = matching[0]
    assert issue.severity == severity
    if field is not None:
        assert issue.field == field
    assert issue.message and "%(" not in issue.formatted()  # every parameter is supplied
    assert issue.pointer == "" or issue.pointer.startswith("/")
    if severity == ERROR and code != "dictionary_unknown":  # load_form knows no dictionary
        with pytest.raises(FormInvalid) as info:
            load_form(doc)
        assert code in {d["code"] for d in info.value.details}


def test_travel_form_has_no_issues() -> None:
    assert check_form(travel(), dictionaries={"expense_type"}) == []


def test_pointers_point_into_the_document() -> None:
    doc = edit(_set([*P, "budget", "x-currency"], "rmb"))
    (issue,) = [i for i in check_form(doc) if i.code == "keyword_invalid"]
    assert issue.pointer == "/schema/properties/budget/x-currency"
    doc = edit(lambda d: column(d, "phone").update({"pattern": "(a+)+"}))
    (issue,) = [i for i in check_form(doc) if i.code == "pattern_unsafe"]
    assert issue.pointer == "/schema/properties/companions/items/properties/phone/pattern"


def test_cycle_names_the_ring() -> None:
    doc = edit(_set([*P, "days", "x-compute"], {"+": [{"var": "form.days"}, 1]}))
    (issue,) = [i for i in check_form(doc) if i.code == "dependency_cycle"]
    assert issue.params == {"cycle": "days → days"}


def test_required_if_may_refer_both_ways() -> None:
    # "fill both or neither": required-if changes no data, so it is no cycle.
    doc = edit(
        lambda d: (
            props(d)["budget"].update({"x-required-if": {"!!": [{"var": "form.reason"}]}}),
            props(d)["reason"].update({"x-required-if": {"!!": [{"var": "form.budget"}]}}),
        )
    )
    assert [i for i in check_form(doc) if i.severity == ERROR] == []


def test_duplicate_keys_in_json_text() -> None:
    text = json.dumps(travel(), ensure_ascii=False)
    text = text.replace('"reason": {', '"reason": {"title": "x", ', 1)
    issues = check_form(text)
    assert [i.code for i in issues if i.code == "key_duplicate"] == ["key_duplicate"]
    assert check_form("{not json")[0].code == "document_invalid"


def test_dictionary_check_only_when_given() -> None:
    doc = edit(_set([*P, "expense_type", "x-dictionary"], "fee_kind"))
    assert "dictionary_unknown" not in {i.code for i in check_form(doc)}


@pytest.mark.parametrize("entry", palette(), ids=lambda e: str(e["type"]))
def test_palette_defaults_are_valid_fields(entry: dict[str, Any]) -> None:
    doc = form_doc({"f": entry["schema"]}, f=None)
    doc["ui_schema"] = {"fields": {"f": entry["ui"]}}
    assert check_form(doc) == []
    spec = load_form(doc)
    assert spec.fields["f"].type == entry["type"]
