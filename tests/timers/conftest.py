"""Fixtures of the timer tests: a one-step approval app whose timers each test chooses."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.instances.conftest import purchase_form

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """An aware Beijing time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def approval_flow(timers: list[dict[str, Any]], *, delay: dict[str, Any] | None = None) -> dict[str, Any]:
    """start -> head (the initiator's department head, with ``timers``) [-> wait] -> end."""
    nodes = [
        {"id": "start", "type": "start", "name": {"zh": "发起"}},
        {"id": "head", "type": "approval", "name": {"zh": "部门负责人", "en": "Department head"},
         "config": {"mode": "single", "assignees": [{"rule": "dept_head", "levels": 1}], "timers": timers}},
        {"id": "end", "type": "end", "name": {"zh": "结束"}},
    ]
    edges = [{"id": "e1", "source": "start", "target": "head"}, {"id": "e2", "source": "head", "target": "end"}]
    if delay is not None:
        nodes.insert(2, {"id": "wait", "type": "delay", "name": {"zh": "等待"}, "config": delay})
        edges = [{"id": "e1", "source": "start", "target": "head"}, {"id": "e2", "source": "head", "target": "wait"},
                 {"id": "e3", "source": "wait", "target": "end"}]
    return {"schema_version": 1, "nodes": nodes, "edges": edges, "layout": {}}


@pytest.fixture
def make_app(org: Any, people: Any) -> Any:
    """``make_app(key, timers, delay=None)``: a published one-step approval app."""
    from runtime.definitions import services

    org.role("app_publisher", permissions=["apps.design", "apps.publish"])
    publisher = org.user("publisher", department=people.company, roles=["app_publisher"], display_name="发布员")

    def make(key: str, timers: list[dict[str, Any]], delay: dict[str, Any] | None = None) -> Any:
        app = services.app_create(actor=publisher, key=key, name=f"审批{key}")
        services.draft_save(actor=publisher, app=app, expected_revision=1, form=purchase_form(),
                            flow=approval_flow(timers, delay=delay))
        services.app_publish(actor=publisher, app=app)
        return app

    return make


@pytest.fixture
def submit_at() -> Any:
    """``submit_at(user, app_key, when)``: submit a request with the clock frozen at ``when``."""
    import time_machine

    from runtime.instances import services

    def run(user: Any, app_key: str, when: datetime, amount: float = 3000) -> Any:
        with time_machine.travel(when, tick=False):
            return services.instance_submit(actor=user, app_key=app_key,
                                            data={"amount": amount, "reason": "办公电脑"}).instance

    return run


@pytest.fixture
def fire_at() -> Any:
    """``fire_at(when)``: run the timer worker once with the clock frozen at ``when``."""
    import time_machine

    from runtime.timers.services import timers_fire

    def run(when: datetime, limit: int = 500) -> Any:
        with time_machine.travel(when, tick=False):
            return timers_fire(limit=limit)

    return run
