"""The flow-pattern runner (STYLE 16): a JSON flow, a command script and the expected trace.

Script steps: ``{"do": "approve", "actor": "u_zhang", "node": "a"}``; ``"do"`` may end in
``!code`` (the step must be refused with that error code) and ``return:<to>`` names the
return target; automated completions take their parameters from ``"extra"``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runtime.engine import (
    Approve,
    Command,
    DelayElapsed,
    Event,
    Reject,
    Retry,
    Return,
    ServiceCompleted,
    Submit,
    SubprocessCompleted,
)
from runtime.engine.errors import EngineError
from tests.unit.engine.conftest import Harness

PATTERNS = Path(__file__).parent / "patterns"
_KEYS = ("by", "outcome", "taken", "reason", "to", "code", "position")


def trace_line(event: Event) -> str:
    """Return one compact, readable line for an event."""
    data = event.data
    parts = [event.type]
    node = data.get("node_id") or (data.get("task") or {}).get("node_id")
    if node:
        parts.append(str(node))
    if "task" in data:
        parts.append(str(data["task"]["assignee"]))
    parts += [f"{k}={data[k]}" for k in _KEYS if data.get(k) not in (None, "", [])]
    if event.type == "split":
        parts.append("branches=" + ",".join(b["node_id"] for b in data["branches"]))
    return " ".join(parts)


def load_pattern(name: str) -> dict[str, Any]:
    """Return a pattern document."""
    return json.loads((PATTERNS / f"{name}.json").read_text(encoding="utf-8"))


def pattern_names() -> list[str]:
    """Return every pattern's name."""
    return sorted(p.stem for p in PATTERNS.glob("*.json"))


def _command(h: Harness, item: dict[str, Any]) -> Command:
    do = item["do"].split("!")[0]
    actor, node = item["actor"], item.get("node")
    extra = dict(item.get("extra") or {})
    if do in ("approve", "reject") or do.startswith("return"):
        task_id = item.get("task_id")
        if task_id is None:
            assert h.state is not None
            mine = [t for t in h.state.tasks if t.node_id == node and t.assignee == actor]
            pending = [t for t in mine if t.status == "pending"]
            task_id = (pending or mine)[-1].id
        if do == "approve":
            return Approve(actor=actor, task_id=task_id, **extra)
        if do == "reject":
            return Reject(actor=actor, task_id=task_id)
        return Return(actor=actor, task_id=task_id, to=do.split(":", 1)[1])
    if do == "retry":
        return Retry(actor=actor, node_id=node, **extra)
    assert h.state is not None
    token = next(t.id for t in h.state.tokens if t.node_id == node)
    cls = {"service_completed": ServiceCompleted, "delay_elapsed": DelayElapsed,
           "subprocess_completed": SubprocessCompleted}[do]
    return cls(actor=actor, node_id=node, token=token, **extra)


def run_pattern(doc: dict[str, Any]) -> Harness:
    """Submit and run a pattern's script; refused steps must raise their code and change nothing."""
    h = Harness(doc["flow"])
    h.do(Submit(actor=doc["initiator"], form_data=doc.get("data") or {}))
    for item in doc["script"]:
        command = _command(h, item)
        if "!" in item["do"]:
            before = (h.state, len(h.events))
            try:
                h.do(command)
            except EngineError as exc:
                assert exc.code == item["do"].split("!")[1], (item, exc.code)
            else:
                raise AssertionError(f"{item} was not refused")
            assert (h.state, len(h.events)) == before
        else:
            h.do(command)
    return h
