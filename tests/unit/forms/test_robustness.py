"""check_form and validate_submission never crash on arbitrary input; no Django import."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.forms import FormInvalid, SubmissionInvalid, check_form, load_form, validate_submission
from tests.unit.forms.conftest import read_fixture
from tests.unit.forms.test_fast_path import json_values

TRAVEL = read_fixture("travel_form.json")
PROPERTY_KEYS = [
    "type",
    "x-type",
    "x-label",
    "maxLength",
    "minLength",
    "pattern",
    "format",
    "x-options",
    "x-dictionary",
    "items",
    "properties",
    "required",
    "x-visible-if",
    "x-required-if",
    "x-compute",
    "minimum",
    "default",
    "x-currency",
    "x-precision",
    "enum",
    "minItems",
    "maxItems",
    "x-max-days",
    "x-accept",
    "additionalProperties",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(list(TRAVEL["schema"]["properties"])),
    changes=st.dictionaries(st.sampled_from(PROPERTY_KEYS), json_values, max_size=3),
    ui=json_values,
)
def test_check_form_never_crashes(field: str, changes: dict[str, Any], ui: Any) -> None:
    doc = copy.deepcopy(TRAVEL)
    doc["schema"]["properties"][field].update(changes)
    if isinstance(ui, dict):
        doc["ui_schema"] = ui
    issues = check_form(doc)
    try:
        spec = load_form(doc)
    except FormInvalid:
        assert any(i.severity == "error" for i in issues)
        return
    assert all(i.severity == "warning" for i in issues)
    try:
        validate_submission(spec, {"destination": "x", "budget": 1})
    except SubmissionInvalid:
        pass


@settings(max_examples=200, deadline=None)
@given(document=json_values)
def test_check_form_on_garbage(document: Any) -> None:
    issues = check_form(document)
    assert issues and issues[0].severity == "error"


def test_no_django_import() -> None:
    root = Path(__file__).resolve().parents[3]
    code = (
        "import sys, runtime.forms as f, json;"
        "spec = f.load_form(json.load(open('tests/unit/forms/fixtures/travel_form.json')));"
        "f.validate_submission(spec, {'trip_dates': {'start': '2026-01-01', 'end': '2026-01-02'},"
        " 'destination': 'x', 'expense_type': 'train'});"
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0


RIGHTS = st.dictionaries(
    st.sampled_from(
        ["budget", "destination", "companions.phone", "companions", "days", "expense_type", "ghost"]
    ),
    st.sampled_from(["editable", "read_only", "hidden"]),
    max_size=3,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), rights=RIGHTS, with_previous=st.booleans())
def test_validate_submission_never_crashes(
    data: st.DataObject, rights: dict[str, str], with_previous: bool
) -> None:
    from tests.unit.forms.test_fast_path import FORMS, _mutated

    dictionary = read_fixture("dictionary_snapshot.json")
    for spec, base in FORMS.values():
        submitted = _mutated(data.draw, base, spec)
        previous = _mutated(data.draw, base, spec) if with_previous else None
        before = copy.deepcopy(submitted)
        try:
            cleaned = validate_submission(
                spec, submitted, dictionary=dictionary, field_rights=rights, previous=previous, actor="u1"
            )
        except SubmissionInvalid as exc:
            assert exc.details and all(
                {"pointer", "field", "code", "message", "params"} <= set(d) for d in exc.details
            )
        else:
            assert set(cleaned) <= set(spec.schema["properties"])
        assert submitted == before  # the input is never modified
