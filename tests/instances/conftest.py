"""Fixtures of the instance tests: the seed's purchase app published through the definitions services."""

from __future__ import annotations

from typing import Any

import pytest

from tests.definitions.conftest import form_doc, money, purchase_flow


def purchase_form() -> dict[str, Any]:
    """采购申请: amount, reason, and an internal note finance must not see."""
    return form_doc(
        "采购申请",
        {
            "amount": money("金额", maximum=10_000_000),
            "reason": {"type": "string", "x-type": "textarea", "x-label": {"zh": "采购事由"}, "maxLength": 2000},
            "internal_note": {"type": "string", "x-type": "text", "x-label": {"zh": "内部备注"}},
        },
        ["amount", "reason"],
    )


def purchase_flow_with_rights() -> dict[str, Any]:
    """The seed's purchase flow; finance does not see the internal note; the head may edit the reason."""
    flow = purchase_flow()
    for node in flow["nodes"]:
        if node["id"] == "finance":
            node["config"]["fields"] = {"amount": "read_only", "internal_note": "hidden"}
        if node["id"] == "head":
            node["config"]["fields"] = {"amount": "read_only", "reason": "editable"}
    return flow


@pytest.fixture
def publisher(org: Any, people: Any) -> Any:
    org.role("app_publisher", permissions=["apps.design", "apps.publish"])
    return org.user("publisher", department=people.company, roles=["app_publisher"], display_name="发布员")


@pytest.fixture
def purchase_app(publisher: Any) -> Any:
    """The purchase app, published as version 1."""
    from runtime.definitions import services

    app = services.app_create(actor=publisher, key="purchase", name="采购申请")
    services.draft_save(actor=publisher, app=app, expected_revision=1, form=purchase_form(),
                        flow=purchase_flow_with_rights())
    services.app_publish(actor=publisher, app=app)
    app.refresh_from_db()
    return app


@pytest.fixture
def submit(purchase_app: Any) -> Any:
    """``submit(user, amount, **kw)``: a purchase request through the service."""
    from runtime.instances import services

    def run(user: Any, amount: float = 3000, **kwargs: Any) -> Any:
        data = {"amount": amount, "reason": "办公电脑", **kwargs.pop("extra", {})}
        return services.instance_submit(actor=user, app_key="purchase", data=data, **kwargs).instance

    return run


def pending(instance: Any, user: Any | None = None) -> list[Any]:
    """The instance's pending Task rows (of ``user`` when given)."""
    from runtime.instances.models import Task

    qs = Task.objects.filter(instance=instance, status="pending").order_by("id")
    if user is not None:
        qs = qs.filter(assignee=user)
    return list(qs)
