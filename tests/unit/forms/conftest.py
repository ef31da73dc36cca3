"""Fixtures of the forms tests: the travel form, its dictionary and one-field form builders."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runtime.forms import FormSpec, load_form
from runtime.forms import submission as submission_module

FIXTURES = Path(__file__).parent / "fixtures"


def read_fixture(name: str) -> Any:
    """Return a JSON fixture of this folder."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def form_doc(properties: dict[str, Any], required: list[str] | None = None, **ui: Any) -> dict[str, Any]:
    """Wrap properties into a form document (labels added where missing)."""
    props = copy.deepcopy(properties)
    for key, prop in props.items():
        prop.setdefault("x-label", {"zh": key, "en": key})
    return {
        "schema_version": 1,
        "schema": {"type": "object", "properties": props, "required": required or []},
        "ui_schema": ui,
    }


def one_field(prop: dict[str, Any], *, required: bool = False, key: str = "f") -> FormSpec:
    """Load a form with one field ``key``."""
    return load_form(form_doc({key: prop}, [key] if required else []))


@pytest.fixture(autouse=True)
def verify_fast_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every submission in these tests also checks the fast path against jsonschema."""
    monkeypatch.setattr(submission_module, "VERIFY_FAST_PATH", True)
    yield


@pytest.fixture
def travel_doc() -> dict[str, Any]:
    return read_fixture("travel_form.json")


@pytest.fixture
def travel_spec(travel_doc: dict[str, Any]) -> FormSpec:
    return load_form(travel_doc)


@pytest.fixture
def dictionary() -> dict[str, Any]:
    return read_fixture("dictionary_snapshot.json")


@pytest.fixture
def travel_data() -> dict[str, Any]:
    """A valid travel request."""
    return {
        "trip_dates": {"start": "2026-12-01", "end": "2026-12-03"},
        "destination": "上海",
        "expense_type": "air",
        "budget": 3500.5,
        "reason": "客户拜访",
        "companions": [
            {"name": "张三", "department": "dept-sales", "phone": "13800138000"},
            {"name": "李四"},
        ],
    }
