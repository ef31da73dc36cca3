"""Typed views of node configs: one place that knows the config keys and their defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from runtime.flows.spec import NodeSpec

FIELD_RIGHTS = ("editable", "read_only", "hidden")
ON_EMPTY_CHOICES = ("admin", "skip", "error")
DEFAULT_ON_EMPTY = "admin"
DEFAULT_MODE = "single"
# Nodes whose people get tasks; cc recipients get a copy but no task.
TASK_NODE_TYPES = ("approval", "handle")
PEOPLE_NODE_TYPES = ("approval", "handle", "cc")


@dataclass(frozen=True)
class TimerSpec:
    """One timer of a task node (remind, escalate, auto_transfer or timeout)."""

    kind: str
    after_hours: float | None = None
    after_working_days: float | None = None
    repeat_hours: float | None = None
    max: int | None = None
    to: str | None = None
    action: str | None = None

    @classmethod
    def from_config(cls, data: Mapping[str, Any]) -> TimerSpec:
        """Build a timer from its config object."""
        return cls(
            kind=str(data.get("kind", "")),
            after_hours=data.get("after_hours"),
            after_working_days=data.get("after_working_days"),
            repeat_hours=data.get("repeat_hours"),
            max=data.get("max"),
            to=data.get("to"),
            action=data.get("action"),
        )


@dataclass(frozen=True)
class DeadlineSpec:
    """A task's due time read from a form field (任务截止时间), with an optional reminder before it."""

    field: str
    remind_before_hours: float | None = None
    start_field: str | None = None  # the planned start, for timelines only

    @classmethod
    def from_config(cls, data: Any) -> DeadlineSpec | None:
        """Build the deadline from its config object (None when the node has none)."""
        if not isinstance(data, Mapping) or not data.get("field"):
            return None
        start = data.get("start_field")
        return cls(field=str(data["field"]), remind_before_hours=data.get("remind_before_hours"),
                   start_field=str(start) if start else None)


@dataclass(frozen=True)
class TaskSettings:
    """The people-related settings of an approval, handle or cc node, defaults applied."""

    mode: str
    threshold: float | None
    assignees: tuple[Mapping[str, Any], ...]
    on_empty: str
    admin: str | None
    dedupe_consecutive: bool
    dedupe_initiator: bool
    skippable_when_urgent: bool
    field_rights: Mapping[str, str]
    timers: tuple[TimerSpec, ...]
    deadline: DeadlineSpec | None = None

    @classmethod
    def from_node(cls, node: NodeSpec) -> TaskSettings:
        """Read the settings of ``node``; cc nodes read ``recipients`` and never fall back."""
        config = node.config
        is_cc = node.type == "cc"
        dedupe = config.get("dedupe") or {}
        return cls(
            mode=str(config.get("mode", DEFAULT_MODE)),
            threshold=config.get("threshold"),
            assignees=tuple(config.get("recipients" if is_cc else "assignees") or ()),
            # A cc with nobody to copy simply copies nobody: it must not block the flow.
            on_empty="skip" if is_cc else str(config.get("on_empty", DEFAULT_ON_EMPTY)),
            admin=config.get("admin"),
            dedupe_consecutive=bool(dedupe.get("consecutive", False)),
            dedupe_initiator=bool(dedupe.get("initiator", False)),
            skippable_when_urgent=bool(config.get("skippable_when_urgent", False)),
            field_rights=dict(config.get("fields") or {}),
            timers=tuple(
                TimerSpec.from_config(t) for t in config.get("timers") or () if isinstance(t, Mapping)
            ),
            deadline=None if is_cc else DeadlineSpec.from_config(config.get("deadline")),
        )


def field_rights(node: NodeSpec) -> Mapping[str, str]:
    """Return the node's per-field rights (fields not listed are editable at start, read-only later)."""
    rights = node.config.get("fields") or {}
    return rights if isinstance(rights, Mapping) else {}
