"""Fixtures of the definitions tests: designer/publisher personas, the seed's forms and flows, a dictionary."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOWS = ROOT / "unit" / "flows" / "fixtures"
FORMS = ROOT / "unit" / "forms" / "fixtures"
NOW = "2025-09-26T10:00:00+08:00"


def load(path: Path) -> dict[str, Any]:
    """A fresh copy of a JSON fixture."""
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))


def money(label: str, **extra: Any) -> dict[str, Any]:
    return {"type": "number", "x-type": "money", "x-label": {"zh": label}, "x-currency": "CNY", "minimum": 0} | extra


def form_doc(title: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """A form document with the given fields, in order."""
    return {
        "schema_version": 1,
        "schema": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "title": title,
            "x-label": {"zh": title},
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        },
        "ui_schema": {"order": list(properties)},
    }


def purchase_form() -> dict[str, Any]:
    """采购申请: amount, reason."""
    return form_doc(
        "采购申请",
        {
            "amount": money("金额", maximum=10_000_000),
            "reason": {"type": "string", "x-type": "textarea", "x-label": {"zh": "采购事由"}, "maxLength": 2000},
        },
        ["amount", "reason"],
    )


def leave_form() -> dict[str, Any]:
    """请假申请: leave type, period, computed days (both ends counted), reason."""
    return form_doc(
        "请假申请",
        {
            "leave_type": {
                "type": "string", "x-type": "select", "x-label": {"zh": "请假类型"},
                "x-options": [{"code": "annual", "label": {"zh": "年假"}}, {"code": "sick", "label": {"zh": "病假"}}],
            },
            "period": {"type": "object", "x-type": "date_range", "x-label": {"zh": "请假时间"}},
            "days": {
                "type": "integer", "x-type": "computed", "x-label": {"zh": "请假天数"},
                "x-compute": {"if": [
                    {"missing": ["form.period.start", "form.period.end"]}, None,
                    {"days_between": [{"var": "form.period.start"}, {"var": "form.period.end"}]},
                ]},
            },
            "reason": {"type": "string", "x-type": "textarea", "x-label": {"zh": "事由"}},
        },
        ["leave_type", "period"],
    )


def purchase_flow() -> dict[str, Any]:
    """The seed's purchase flow (roles general_manager and finance exist in the personas)."""
    return load(FLOWS / "purchase.json")


def leave_flow() -> dict[str, Any]:
    """The seed's leave flow (role hr)."""
    return load(FLOWS / "leave.json")


def travel_form() -> dict[str, Any]:
    """The seed's travel form, bound to dictionary entry expense_type."""
    return load(FORMS / "travel_form.json")


@pytest.fixture
def designer(org: Any, people: Any) -> Any:
    """Holds apps.design (not apps.publish)."""
    org.role("app_designer", permissions=["apps.design"])
    return org.user("designer", department=people.company, roles=["app_designer"], display_name="设计员")


@pytest.fixture
def publisher(org: Any, people: Any) -> Any:
    """Holds apps.design and apps.publish."""
    org.role("app_publisher", permissions=["apps.design", "apps.publish"])
    return org.user("publisher", department=people.company, roles=["app_publisher"], display_name="发布员")


@pytest.fixture
def dictionary_admin(org: Any, people: Any) -> Any:
    """Holds apps.design and dictionary.manage."""
    org.role("dict_admin", permissions=["apps.design", "apps.publish", "dictionary.manage"])
    return org.user("dict_admin", department=people.company, roles=["dict_admin"], display_name="字典管理员")


@pytest.fixture
def sales_clerk(org: Any, people: Any) -> Any:
    """刘洋, a member of 销售部 itself (its head is 张伟)."""
    return org.user("sales_clerk", department=people.sales, roles=["employee"], display_name="刘洋")


class RealDictionary:
    """Test helpers over platform_core.dictionary (its seed has expense_type, leave_type, customer_level...)."""

    def snapshot(self, keys: Any = None) -> dict[str, Any]:
        from platform_core.dictionary.selectors import dictionary_snapshot

        return dictionary_snapshot(keys)

    def codes(self, entry: str) -> list[str]:
        return [o["code"] for o in self.snapshot([entry])[entry]["options"]]

    def _option(self, entry: str, code: str) -> Any:
        from platform_core.dictionary.selectors import entry_get, option_get

        return option_get(entry_get(entry), code)

    def set_label(self, entry: str, code: str, label: dict[str, str]) -> None:
        from platform_core.dictionary.services import option_update

        option_update(actor=None, system=True, option=self._option(entry, code), label=label["zh"],
                      label_en=label.get("en", ""))

    def disable(self, entry: str, code: str) -> None:
        from platform_core.dictionary.services import option_disable

        option_disable(actor=None, system=True, option=self._option(entry, code))

    def remove_code(self, entry: str, code: str) -> None:
        from platform_core.dictionary.services import option_delete

        option_delete(actor=None, system=True, option=self._option(entry, code))

    def remove_entry(self, entry: str) -> None:
        from platform_core.dictionary.selectors import entry_get
        from platform_core.dictionary.services import entry_delete

        entry_delete(actor=None, system=True, entry=entry_get(entry))


@pytest.fixture
def dictionary(db: Any) -> RealDictionary:
    """The real data dictionary (seeded by its migrations)."""
    from runtime.definitions import dictionaries

    if not dictionaries.available():
        pytest.skip("platform_core.dictionary offers no snapshot selector")
    return RealDictionary()


@pytest.fixture
def make_app(designer: Any) -> Any:
    """``make_app(key, form, flow, actor=designer)``: an app whose draft holds these documents."""
    from runtime.definitions import services

    def make(key: str, form: dict[str, Any] | None = None, flow: dict[str, Any] | None = None,
             actor: Any = None, **fields: Any) -> Any:
        actor = actor or designer
        app = services.app_create(actor=actor, key=key, name=fields.pop("name", key), **fields)
        if form is not None or flow is not None:
            services.draft_save(actor=actor, app=app, expected_revision=1, form=form, flow=flow)
        app.refresh_from_db()
        return app

    return make
