"""Fixtures of the flow tests: the seed's flows, a demo org and form fields (no database)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from runtime.flows import InMemoryOrg
from runtime.forms.spec import FieldInfo

FIXTURES = Path(__file__).parent / "fixtures"
NOW = "2025-09-26T10:00:00+08:00"  # a Friday; the Sunday after is an adjusted working day (调休)


def load_fixture(name: str) -> dict[str, Any]:
    """Return a fresh copy of a JSON fixture."""
    return copy.deepcopy(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


def field(key: str, type_: str, kind: str, **extra: Any) -> FieldInfo:
    """Build a FieldInfo with a Chinese label."""
    return FieldInfo(key=key, type=type_, value_kind=kind, label={"zh": key}, **extra)


PURCHASE_FIELDS: dict[str, FieldInfo] = {
    f.key: f
    for f in (
        field("amount", "money", "number", required=True),
        field("reason", "textarea", "string", required=True),
        field("category", "select", "string", dictionary="expense_type"),
        field("level", "radio", "string", options=("A", "B", "C")),
        field("approver", "user", "user"),
        field("dept", "department", "department"),
        field("need_by", "date", "date"),
        field("note", "description", "none"),
        field("contract_no", "text", "string"),
        field("items", "table", "table"),
        field("items.price", "money", "number", parent="items"),
        field("period", "date_range", "date_range"),
    )
}

LEAVE_FIELDS: dict[str, FieldInfo] = {
    f.key: f
    for f in (
        field("days", "number", "number", required=True),
        field("leave_type", "select", "string", dictionary="leave_type", required=True),
        field("start_date", "date", "date", required=True),
        field("reason", "textarea", "string"),
    )
}

DICTIONARY = {"expense_type": ["travel", "office", "meal"], "leave_type": ["annual", "sick", "personal"]}


@pytest.fixture
def demo_org() -> InMemoryOrg:
    """销售部 (head 张三) under 营销中心 (head 李总监) under 总公司 (王总); finance, HR, vacant 研发部."""
    return InMemoryOrg.from_dict(load_fixture("org_demo"))


@pytest.fixture
def purchase() -> dict[str, Any]:
    """The seed's purchase flow: head → finance (会签) → amount > 5000 → GM (urgent may skip) → end."""
    return load_fixture("purchase")


@pytest.fixture
def leave() -> dict[str, Any]:
    """The seed's leave flow: head; > 3 days also HR."""
    return load_fixture("leave")


@pytest.fixture
def purchase_director() -> dict[str, Any]:
    """The seed's variant: amount > 5000 → director (head two levels up)."""
    return load_fixture("purchase_director")
