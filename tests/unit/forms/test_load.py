"""load_form, FormSpec/FieldInfo, normalization, migrations, the cache and the registry."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from runtime.forms import (
    VALUE_KINDS,
    DictionaryIndex,
    ExportContext,
    FieldInfo,
    FormInvalid,
    FormSpecCache,
    definition,
    field_label,
    field_type_registry,
    load_form,
    migrate,
)
from runtime.forms.errors import FormSchemaVersionUnsupported
from tests.unit.forms.conftest import form_doc, one_field

EXPECTED_TYPES = [
    "text",
    "textarea",
    "number",
    "money",
    "date",
    "datetime",
    "date_range",
    "select",
    "multi_select",
    "radio",
    "checkbox",
    "user",
    "department",
    "attachment",
    "image",
    "signature",
    "table",
    "computed",
    "description",
]


def test_registry_holds_every_type() -> None:
    assert field_type_registry.types() == EXPECTED_TYPES
    for ft in field_type_registry:
        assert ft.value_kind in VALUE_KINDS
        assert ft.report_role in ("dimension", "measure", "none")
        assert ft.label.get("zh") and ft.label.get("en")
        assert isinstance(ft.excel_number_format, str)


def test_travel_fields(travel_spec: Any) -> None:
    fields = travel_spec.fields
    assert list(fields) == [
        "notice",
        "trip_dates",
        "destination",
        "expense_type",
        "budget",
        "days",
        "reason",
        "companions",
        "companions.name",
        "companions.department",
        "companions.phone",
        "companion_count",
        "itinerary",
    ]
    assert fields["trip_dates"].value_kind == "date_range" and fields["trip_dates"].required
    assert fields["budget"] == FieldInfo(
        key="budget",
        type="money",
        value_kind="number",
        label={"zh": "预算", "en": "Budget"},
        required=False,
        required_if={"==": [{"var": "form.expense_type"}, "air"]},
        name="budget",
        report_role="measure",
        pointer="/schema/properties/budget",
    )
    assert (
        fields["expense_type"].dictionary == "expense_type"
        and fields["expense_type"].report_role == "dimension"
    )
    assert (
        fields["days"].compute is not None
        and fields["days"].read_only
        and fields["days"].value_kind == "number"
    )
    assert fields["notice"].value_kind == "none" and fields["notice"].read_only
    assert fields["companions"].columns == ("companions.name", "companions.department", "companions.phone")
    assert fields["companions.name"].parent == "companions" and fields["companions.name"].required
    assert fields["companions.phone"].name == "phone" and not fields["companions.phone"].required
    assert fields["companions.department"].value_kind == "department"
    assert travel_spec.order[0] == "notice" and travel_spec.evaluation_order == ("days", "companion_count")
    assert field_label(fields["budget"], "en") == "Budget"
    assert travel_spec.get_field("budget") is fields["budget"]
    assert len(travel_spec.fingerprint) == 64


def test_spec_is_immutable(travel_spec: Any) -> None:
    with pytest.raises(AttributeError):
        travel_spec.order = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        travel_spec.fields["x"] = None  # type: ignore[index]


def test_normalized_schema() -> None:
    doc = form_doc(
        {
            "period": {"type": "object", "x-type": "date_range"},
            "kind": {"type": "string", "x-type": "select", "x-options": [{"code": "a", "label": "A"}]},
            "tags": {"type": "array", "x-type": "multi_select", "x-options": [{"code": "a", "label": "A"}]},
            "note": {"type": "string", "x-type": "text"},
        }
    )
    schema = load_form(doc).schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["period"]["required"] == ["start", "end"]
    assert schema["properties"]["kind"]["enum"] == ["a"]
    assert schema["properties"]["tags"]["items"] == {"type": "string", "enum": ["a"]}
    assert schema["properties"]["note"]["maxLength"] == 2000
    assert "enum" not in doc["schema"]["properties"]["kind"]  # the caller's document is not changed


def test_normalized_schema_loads_again(travel_spec: Any, travel_doc: dict) -> None:
    again = copy.deepcopy(travel_doc)
    again["schema"] = copy.deepcopy(dict(travel_spec.schema))
    assert load_form(again).schema == travel_spec.schema


def test_load_refuses_errors_with_issue_details(travel_doc: dict) -> None:
    travel_doc["schema"]["properties"]["budget"]["x-type"] = "rating"
    with pytest.raises(FormInvalid) as info:
        load_form(travel_doc)
    (detail,) = info.value.details
    assert detail["code"] == "field_type_unknown" and detail["field"] == "budget"
    assert detail["pointer"] == "/schema/properties/budget/x-type"
    assert info.value.code == "form_invalid"


def test_migration_hook(monkeypatch: pytest.MonkeyPatch, travel_doc: dict) -> None:
    def rename(doc: dict[str, Any]) -> dict[str, Any]:
        doc["ui_schema"]["order"] = [k for k in doc["ui_schema"]["order"] if k != "notice"]
        return doc

    monkeypatch.setattr(definition, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(definition._MIGRATIONS, 1, rename)
    migrated = migrate(travel_doc)
    assert migrated["schema_version"] == 2 and "notice" not in migrated["ui_schema"]["order"]
    assert travel_doc["schema_version"] == 1  # a copy was migrated
    with pytest.raises(FormSchemaVersionUnsupported):
        migrate({**travel_doc, "schema_version": 3})


def test_cache_compiles_once(travel_doc: dict) -> None:
    cache = FormSpecCache(maxsize=2)
    calls = []

    def loader() -> dict[str, Any]:
        calls.append(1)
        return travel_doc

    first = cache.get(("travel", 1), loader)
    assert cache.get(("travel", 1), loader) is first and len(calls) == 1
    assert first.compiled is first.compiled
    cache.get(("other", 1), one_field_doc())
    cache.get(("third", 1), one_field_doc())
    assert len(cache) == 2
    assert cache.get(("travel", 1), loader) is not first  # evicted, loaded again
    assert len(calls) == 2


def one_field_doc() -> dict[str, Any]:
    return form_doc({"f": {"type": "string", "x-type": "text"}})


# -- Excel export values ---------------------------------------------------------------


def _export(spec: Any, key: str, value: Any, **kw: Any) -> Any:
    info = spec.fields[key]
    return field_type_registry.get(info.type).to_export_value(value, ExportContext(field=info, **kw))


def test_export_values(travel_spec: Any, dictionary: dict) -> None:
    index = DictionaryIndex(dictionary)
    assert _export(travel_spec, "expense_type", "air", dictionary=index) == "机票"
    assert _export(travel_spec, "expense_type", "air", dictionary=index, language="en") == "Air ticket"
    assert _export(travel_spec, "budget", 3500.5) == Decimal("3500.50")
    assert (
        _export(travel_spec, "trip_dates", {"start": "2026-12-01", "end": "2026-12-03"})
        == "2026-12-01 ~ 2026-12-03"
    )
    assert _export(travel_spec, "days", 3) == 3
    assert _export(travel_spec, "companions", [{}, {}]) == 2
    assert _export(travel_spec, "companions.department", "d1", department_name=lambda i: "销售部") == "销售部"
    assert (
        _export(travel_spec, "itinerary", [{"file_id": "f", "name": "a.pdf"}, {"file_id": "g"}]) == "a.pdf、g"
    )
    assert _export(travel_spec, "notice", None) is None


def test_export_dates_and_choices() -> None:
    spec = load_form(
        form_doc(
            {
                "d": {"type": "string", "x-type": "date"},
                "t": {"type": "string", "x-type": "datetime"},
                "ok": {"type": "boolean", "x-type": "checkbox"},
                "tags": {
                    "type": "array",
                    "x-type": "multi_select",
                    "x-options": [
                        {"code": "a", "label": {"zh": "甲", "en": "A"}},
                        {"code": "b", "label": "乙"},
                    ],
                },
            }
        )
    )
    assert _export(spec, "d", "2026-12-01") == date(2026, 12, 1)
    cst = timezone(timedelta(hours=8))
    assert _export(spec, "t", "2026-12-01T02:00:00Z", timezone=cst) == datetime(2026, 12, 1, 10, 0)
    assert _export(spec, "ok", True) == "是" and _export(spec, "ok", False, language="en") == "No"
    assert _export(spec, "tags", ["a", "b", "gone"]) == "甲、乙、gone"


def test_excel_number_formats(travel_spec: Any) -> None:
    def fmt(key: str) -> str:
        info = travel_spec.fields[key]
        return field_type_registry.get(info.type).excel_number_format_for(info.schema)

    assert fmt("budget") == '"¥"#,##0.00'
    assert fmt("destination") == "@"
    assert fmt("days") == "General"
    spec = one_field({"type": "number", "x-type": "number", "x-precision": 1})
    assert field_type_registry.get("number").excel_number_format_for(spec.fields["f"].schema) == "#,##0.0"
