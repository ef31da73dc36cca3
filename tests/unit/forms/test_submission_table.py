"""One table of submission cases: each field type with valid and invalid values.

Each row is a one-field form (property, required?), the submitted value, and the
expected ``{(pointer, code)}`` of the SubmissionInvalid details (empty: accepted).
The autouse fixture also checks every fast-path verdict against jsonschema.
"""

from __future__ import annotations

from typing import Any

import pytest

from runtime.forms import SubmissionInvalid, validate_submission
from tests.unit.forms.conftest import one_field

ABSENT = object()
OPTS = [
    {"code": "a", "label": {"zh": "甲", "en": "A"}},
    {"code": "b", "label": {"zh": "乙", "en": "B"}},
    {"code": "old", "label": {"zh": "旧", "en": "Old"}, "enabled": False},
]
FILE = {"file_id": "f1", "name": "a.pdf", "size": 10, "content_type": "application/pdf"}
PHOTO = {
    "file_id": "p1",
    "name": "site.jpg",
    "content_type": "image/jpeg",
    "taken_at": "2026-11-28T09:30:00+08:00",
    "location": {"lat": 31.23, "lng": 121.47, "address": "上海市浦东新区"},
}
SIGNATURE = {"file_id": "s1", "signer": "u1", "signed_at": "2026-11-28T10:00:00+08:00"}
DICTIONARY = {
    "expense_type": {
        "options": [
            {"code": "air", "enabled": True, "label": {"zh": "机票"}},
            {"code": "taxi", "enabled": False, "label": {"zh": "出租车"}},
        ]
    }
}

TEXT = {"type": "string", "x-type": "text", "maxLength": 5}
NUMBER = {"type": "number", "x-type": "number", "minimum": 0, "maximum": 10, "x-precision": 1}
MONEY = {"type": "number", "x-type": "money", "x-currency": "CNY", "minimum": 0}
RANGE = {"type": "object", "x-type": "date_range"}
TABLE = {
    "type": "array",
    "x-type": "table",
    "minItems": 1,
    "maxItems": 2,
    "items": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "x-type": "text", "maxLength": 10},
            "qty": {"type": "number", "x-type": "number", "minimum": 1},
            "price": {"type": "number", "x-type": "money", "x-currency": "CNY"},
            "kind": {"type": "string", "x-type": "select", "x-options": OPTS},
        },
        "required": ["name"],
    },
}

CASES: list[tuple[str, dict[str, Any], bool, Any, set[tuple[str, str]]]] = [
    # id, property, required, value, expected errors
    ("text ok", TEXT, True, "abc", set()),
    ("text too long", TEXT, False, "abcdef", {("/f", "max_length")}),
    ("text wrong type", TEXT, False, 12, {("/f", "invalid_type")}),
    ("text empty required", TEXT, True, "", {("/f", "required")}),
    ("text absent required", TEXT, True, ABSENT, {("/f", "required")}),
    ("text null optional", TEXT, False, None, set()),
    ("text min length", {**TEXT, "minLength": 2}, False, "a", {("/f", "min_length")}),
    ("text pattern ok", {**TEXT, "pattern": "^\\d{3}$", "maxLength": 3}, False, "123", set()),
    (
        "text pattern bad",
        {**TEXT, "pattern": "^\\d{3}$", "maxLength": 3},
        False,
        "12a",
        {("/f", "invalid_format")},
    ),
    ("email ok", {**TEXT, "format": "email", "maxLength": 50}, False, "wang@example.cn", set()),
    ("email bad", {**TEXT, "format": "email", "maxLength": 50}, False, "wang", {("/f", "invalid_email")}),
    ("textarea ok", {"type": "string", "x-type": "textarea"}, False, "第一行\n第二行", set()),
    ("textarea cap", {"type": "string", "x-type": "textarea"}, False, "x" * 20001, {("/f", "max_length")}),
    ("number ok", NUMBER, True, 5, set()),
    ("number decimal ok", NUMBER, False, 5.5, set()),
    ("number precision", NUMBER, False, 5.25, {("/f", "invalid_precision")}),
    ("number below min", NUMBER, False, -1, {("/f", "min_value")}),
    ("number above max", NUMBER, False, 11, {("/f", "max_value")}),
    ("number string", NUMBER, False, "5", {("/f", "invalid_type")}),
    ("number bool", NUMBER, False, True, {("/f", "invalid_type")}),
    (
        "number exclusive",
        {"type": "number", "x-type": "number", "exclusiveMinimum": 0},
        False,
        0,
        {("/f", "min_value_exclusive")},
    ),
    ("number huge", {"type": "number", "x-type": "number"}, False, 1e16, {("/f", "invalid_number")}),
    ("money ok", MONEY, True, 12.34, set()),
    ("money 0.07 (float multipleOf trap)", MONEY, False, 0.07, set()),
    ("money int", MONEY, False, 100, set()),
    ("money 3 decimals", MONEY, False, 12.345, {("/f", "invalid_precision")}),
    ("money negative", MONEY, False, -1, {("/f", "min_value")}),
    ("date ok", {"type": "string", "x-type": "date"}, False, "2028-02-29", set()),
    ("date not a day", {"type": "string", "x-type": "date"}, False, "2026-02-30", {("/f", "invalid_date")}),
    ("date slashes", {"type": "string", "x-type": "date"}, False, "2026/02/28", {("/f", "invalid_date")}),
    ("date number", {"type": "string", "x-type": "date"}, False, 20260228, {("/f", "invalid_type")}),
    ("datetime ok", {"type": "string", "x-type": "datetime"}, False, "2026-11-28T10:00:00+08:00", set()),
    ("datetime zulu", {"type": "string", "x-type": "datetime"}, False, "2026-11-28T02:00:00Z", set()),
    (
        "datetime no zone",
        {"type": "string", "x-type": "datetime"},
        False,
        "2026-11-28T10:00:00",
        {("/f", "invalid_datetime")},
    ),
    ("range ok", RANGE, True, {"start": "2026-12-01", "end": "2026-12-03"}, set()),
    ("range one day", RANGE, False, {"start": "2026-12-01", "end": "2026-12-01"}, set()),
    (
        "range reversed",
        RANGE,
        False,
        {"start": "2026-12-05", "end": "2026-12-03"},
        {("/f/end", "date_range_order")},
    ),
    ("range missing end", RANGE, False, {"start": "2026-12-05"}, {("/f/end", "required")}),
    (
        "range extra key",
        RANGE,
        False,
        {"start": "2026-12-01", "end": "2026-12-02", "x": 1},
        {("/f/x", "unknown_field")},
    ),
    (
        "range bad date",
        RANGE,
        False,
        {"start": "2026-13-01", "end": "2026-12-02"},
        {("/f/start", "invalid_date")},
    ),
    (
        "range too long",
        {**RANGE, "x-max-days": 3},
        False,
        {"start": "2026-12-01", "end": "2026-12-04"},
        {("/f/end", "date_range_too_long")},
    ),
    (
        "range max days ok",
        {**RANGE, "x-max-days": 3},
        False,
        {"start": "2026-12-01", "end": "2026-12-03"},
        set(),
    ),
    ("select ok", {"type": "string", "x-type": "select", "x-options": OPTS}, True, "a", set()),
    (
        "select unknown",
        {"type": "string", "x-type": "select", "x-options": OPTS},
        False,
        "z",
        {("/f", "invalid_choice")},
    ),
    (
        "select disabled",
        {"type": "string", "x-type": "select", "x-options": OPTS},
        False,
        "old",
        {("/f", "choice_disabled")},
    ),
    (
        "select dictionary ok",
        {"type": "string", "x-type": "select", "x-dictionary": "expense_type"},
        False,
        "air",
        set(),
    ),
    (
        "select dictionary disabled",
        {"type": "string", "x-type": "select", "x-dictionary": "expense_type"},
        False,
        "taxi",
        {("/f", "choice_disabled")},
    ),
    (
        "select dictionary unknown",
        {"type": "string", "x-type": "select", "x-dictionary": "expense_type"},
        False,
        "ship",
        {("/f", "invalid_choice")},
    ),
    (
        "select entry missing from snapshot",
        {"type": "string", "x-type": "select", "x-dictionary": "nope"},
        False,
        "a",
        {("/f", "invalid_choice")},
    ),
    ("radio ok", {"type": "string", "x-type": "radio", "x-options": OPTS}, False, "b", set()),
    (
        "radio unknown",
        {"type": "string", "x-type": "radio", "x-options": OPTS},
        False,
        "c",
        {("/f", "invalid_choice")},
    ),
    ("multi ok", {"type": "array", "x-type": "multi_select", "x-options": OPTS}, False, ["a", "b"], set()),
    (
        "multi duplicate",
        {"type": "array", "x-type": "multi_select", "x-options": OPTS},
        False,
        ["a", "a"],
        {("/f", "duplicate_items")},
    ),
    (
        "multi unknown",
        {"type": "array", "x-type": "multi_select", "x-options": OPTS},
        False,
        ["a", "z"],
        {("/f/1", "invalid_choice")},
    ),
    (
        "multi disabled",
        {"type": "array", "x-type": "multi_select", "x-options": OPTS},
        False,
        ["old"],
        {("/f/0", "choice_disabled")},
    ),
    (
        "multi too many",
        {"type": "array", "x-type": "multi_select", "x-options": OPTS, "maxItems": 1},
        False,
        ["a", "b"],
        {("/f", "max_items")},
    ),
    (
        "multi too few",
        {"type": "array", "x-type": "multi_select", "x-options": OPTS, "minItems": 2},
        True,
        ["a"],
        {("/f", "min_items")},
    ),
    (
        "multi empty required",
        {"type": "array", "x-type": "multi_select", "x-options": OPTS},
        True,
        [],
        {("/f", "required")},
    ),
    (
        "multi dictionary",
        {"type": "array", "x-type": "multi_select", "x-dictionary": "expense_type"},
        False,
        ["air", "taxi"],
        {("/f/1", "choice_disabled")},
    ),
    ("checkbox true", {"type": "boolean", "x-type": "checkbox"}, True, True, set()),
    ("checkbox false is a value", {"type": "boolean", "x-type": "checkbox"}, True, False, set()),
    ("checkbox text", {"type": "boolean", "x-type": "checkbox"}, False, "yes", {("/f", "invalid_type")}),
    ("checkbox multi ok", {"type": "array", "x-type": "checkbox", "x-options": OPTS}, False, ["a"], set()),
    (
        "checkbox multi unknown",
        {"type": "array", "x-type": "checkbox", "x-options": OPTS},
        False,
        ["q"],
        {("/f/0", "invalid_choice")},
    ),
    ("user ok", {"type": "string", "x-type": "user"}, True, "u-1001", set()),
    ("user number", {"type": "string", "x-type": "user"}, False, 1001, {("/f", "invalid_type")}),
    ("user id too long", {"type": "string", "x-type": "user"}, False, "u" * 65, {("/f", "max_length")}),
    ("users ok", {"type": "array", "x-type": "user", "x-multiple": True}, False, ["u1", "u2"], set()),
    (
        "users duplicate",
        {"type": "array", "x-type": "user", "x-multiple": True},
        False,
        ["u1", "u1"],
        {("/f", "duplicate_items")},
    ),
    ("department ok", {"type": "string", "x-type": "department"}, False, "dept-1", set()),
    (
        "department object",
        {"type": "string", "x-type": "department"},
        False,
        {"id": 1},
        {("/f", "invalid_type")},
    ),
    ("attachment ok", {"type": "array", "x-type": "attachment"}, False, [FILE], set()),
    (
        "attachment type refused",
        {"type": "array", "x-type": "attachment", "x-accept": [".pdf"]},
        False,
        [{**FILE, "name": "run.exe", "content_type": "application/x-msdownload"}],
        {("/f/0", "file_type_not_allowed")},
    ),
    (
        "attachment mime wildcard",
        {"type": "array", "x-type": "attachment", "x-accept": ["image/*"]},
        False,
        [{**FILE, "name": "a.png", "content_type": "image/png"}],
        set(),
    ),
    (
        "attachment too large",
        {"type": "array", "x-type": "attachment", "x-max-size": 5},
        False,
        [FILE],
        {("/f/0", "file_too_large")},
    ),
    (
        "attachment no id",
        {"type": "array", "x-type": "attachment"},
        False,
        [{"name": "a.pdf"}],
        {("/f/0/file_id", "required")},
    ),
    (
        "attachment extra key",
        {"type": "array", "x-type": "attachment"},
        False,
        [{**FILE, "path": "/etc"}],
        {("/f/0/path", "unknown_field")},
    ),
    (
        "attachment too many",
        {"type": "array", "x-type": "attachment", "maxItems": 1},
        False,
        [FILE, FILE],
        {("/f", "max_items")},
    ),
    ("image ok", {"type": "array", "x-type": "image"}, False, [PHOTO], set()),
    ("image without exif", {"type": "array", "x-type": "image"}, False, [{"file_id": "p2"}], set()),
    (
        "image exif required",
        {"type": "array", "x-type": "image", "x-require-exif": True},
        False,
        [{"file_id": "p2"}],
        {("/f/0", "exif_missing")},
    ),
    (
        "image bad latitude",
        {"type": "array", "x-type": "image"},
        False,
        [{**PHOTO, "location": {"lat": 100, "lng": 1}}],
        {("/f/0/location/lat", "max_value")},
    ),
    (
        "image bad time",
        {"type": "array", "x-type": "image"},
        False,
        [{**PHOTO, "taken_at": "yesterday"}],
        {("/f/0/taken_at", "invalid_datetime")},
    ),
    ("signature ok", {"type": "object", "x-type": "signature"}, True, SIGNATURE, set()),
    (
        "signature no signer",
        {"type": "object", "x-type": "signature"},
        False,
        {"file_id": "s1", "signed_at": "2026-11-28T10:00:00Z"},
        {("/f/signer", "required")},
    ),
    ("table ok", TABLE, True, [{"name": "笔", "qty": 2, "price": 1.5, "kind": "a"}], set()),
    ("table empty required", TABLE, True, [], {("/f", "required")}),
    ("table too many rows", TABLE, False, [{"name": "a"}] * 3, {("/f", "max_rows")}),
    ("table row missing column", TABLE, False, [{"qty": 1}], {("/f/0/name", "required")}),
    (
        "table column type",
        TABLE,
        False,
        [{"name": "a"}, {"name": "b", "qty": "2"}],
        {("/f/1/qty", "invalid_type")},
    ),
    ("table column min", TABLE, False, [{"name": "a", "qty": 0}], {("/f/0/qty", "min_value")}),
    (
        "table column money",
        TABLE,
        False,
        [{"name": "a", "price": 0.001}],
        {("/f/0/price", "invalid_precision")},
    ),
    ("table column choice", TABLE, False, [{"name": "a", "kind": "old"}], {("/f/0/kind", "choice_disabled")}),
    ("table unknown column", TABLE, False, [{"name": "a", "zzz": 1}], {("/f/0/zzz", "unknown_field")}),
    ("table row not object", TABLE, False, ["a"], {("/f/0", "invalid_type")}),
    ("table not array", TABLE, False, {"name": "a"}, {("/f", "invalid_type")}),
]


@pytest.mark.parametrize(
    ("prop", "required", "value", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_submission_case(
    prop: dict[str, Any], required: bool, value: Any, expected: set[tuple[str, str]]
) -> None:
    spec = one_field(prop, required=required)
    data = {} if value is ABSENT else {"f": value}
    try:
        cleaned = validate_submission(spec, data, dictionary=DICTIONARY)
    except SubmissionInvalid as exc:
        got = {(d["pointer"], d["code"]) for d in exc.details}
        assert got == expected
        for d in exc.details:
            assert d["field"] is None or d["field"] == "f" or d["field"].startswith("f.")
            assert d["message"] and isinstance(d["params"], dict)
        assert exc.code == "submission_invalid"
    else:
        assert expected == set(), f"accepted, expected {expected}"
        if value is not ABSENT and value not in (None, "", []):
            assert cleaned["f"] == value


def test_error_detail_shape() -> None:
    spec = one_field(NUMBER)
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission(spec, {"f": 11})
    assert info.value.details == [
        {
            "pointer": "/f",
            "field": "f",
            "code": "max_value",
            "message": "Ensure this value is less than or equal to %(limit)s.",
            "params": {"limit": 10},
        }
    ]
    assert info.value.as_dict()["code"] == "submission_invalid"


def test_column_errors_name_the_column_field() -> None:
    spec = one_field(TABLE)
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission(spec, {"f": [{"name": "a", "qty": 0}]})
    assert info.value.details[0]["field"] == "f.qty"
