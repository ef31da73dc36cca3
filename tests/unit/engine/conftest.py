"""Helpers of the engine tests: a harness that runs commands and checks replay and JSON round trips."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from runtime.engine import (
    Command,
    EngineContext,
    Event,
    InstanceState,
    StepResult,
    effect_to_dict,
    replay,
    step,
)
from runtime.flows import FlowSpec, InMemoryOrg, load_flow
from tests.unit.flows.conftest import LEAVE_FIELDS, PURCHASE_FIELDS

FLOW_FIXTURES = Path(__file__).resolve().parents[1] / "flows" / "fixtures"
PATTERNS = Path(__file__).parent / "patterns"
NOW = datetime.fromisoformat("2025-09-22T10:00:00+08:00")  # a Monday without holidays nearby


def flow_fixture(name: str) -> dict[str, Any]:
    """Return a fresh copy of one of the flow tests' JSON fixtures."""
    return copy.deepcopy(json.loads((FLOW_FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


def demo_org() -> InMemoryOrg:
    """The flow tests' demo org (销售部 head 张三, finance 钱经理 + 赵会计, GM 王总, admin 吴管理员)."""
    return InMemoryOrg.from_dict(flow_fixture("org_demo"))


class Harness:
    """Runs commands against one instance, checking every step like persistence would."""

    def __init__(self, flow: FlowSpec | Mapping[str, Any], *, org: InMemoryOrg | None = None,
                 fields: Any = None, now: datetime = NOW, **ctx: Any) -> None:
        self.flow = flow if isinstance(flow, FlowSpec) else load_flow(flow)
        self.org = org or demo_org()
        self.fields = fields if fields is not None else {**PURCHASE_FIELDS, **LEAVE_FIELDS}
        self.now = now
        self.ctx_extra = ctx
        self.state: InstanceState | None = None
        self.events: list[Event] = []
        self.last: StepResult | None = None

    def context(self) -> EngineContext:
        """Return the context of the next step."""
        return EngineContext(org=self.org, now=self.now, form_fields=self.fields, flow_version="v1",
                             **self.ctx_extra)

    def do(self, command: Command) -> StepResult:
        """Run one command; check replay == state and JSON round trips of state and events."""
        result = step(self.flow, self.state, command, ctx=self.context())
        self.events.extend(result.events)
        self.state = result.state
        self.last = result
        self.check()
        return result

    def check(self) -> None:
        """Assert the persistence guarantees for the current state."""
        as_json = json.loads(json.dumps([e.to_dict() for e in self.events], ensure_ascii=False))
        assert replay(self.flow, as_json) == self.state
        assert replay(self.flow, self.events) == self.state
        assert self.state is not None
        assert InstanceState.from_dict(json.loads(json.dumps(self.state.to_dict()))) == self.state
        assert [e.seq for e in self.events] == list(range(1, len(self.events) + 1))
        assert self.last is not None
        json.dumps([effect_to_dict(e) for e in self.last.effects])

    # --- shortcuts ------------------------------------------------------------------

    def pending(self, node_id: str | None = None) -> list[Any]:
        """Return pending tasks (optionally at one node)."""
        assert self.state is not None
        return [t for t in self.state.pending_tasks() if node_id is None or t.node_id == node_id]

    def task_of(self, user: str, node_id: str | None = None) -> Any:
        """Return the one pending task of ``user``."""
        found = [t for t in self.pending(node_id) if t.assignee == user]
        assert len(found) == 1, (user, node_id, self.pending())
        return found[0]

    def types(self) -> list[str]:
        """Return the event types so far."""
        return [e.type for e in self.events]

    def event(self, type_: str) -> Event:
        """Return the last event of ``type_``."""
        return [e for e in self.events if e.type == type_][-1]

    def effects(self, type_: str) -> list[dict[str, Any]]:
        """Return the last step's effects of one type as dicts."""
        assert self.last is not None
        return [effect_to_dict(e) for e in self.last.effects if e.type == type_]


@pytest.fixture
def org() -> InMemoryOrg:
    """The demo org."""
    return demo_org()
