"""Automated nodes: service (connector call), delay and subprocess."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from runtime.flows.issues import Issue
from runtime.flows.node_types.base import NodeType, config_path, issue_for
from runtime.flows.spec import EdgeSpec, NodeSpec
from runtime.flows.timers import add_working_days

if TYPE_CHECKING:
    from runtime.flows.simulate import SimStep, Walk

_KEY = {"type": "string", "minLength": 1}
# Input mappings: parameter -> JSON-logic expression over the rule context, e.g.
# {"contract_no": {"var": "form.contract_no"}}.
_INPUT = {"type": "object", "additionalProperties": True}
# Output mappings: form field -> path in the result ("data.contract_no").
_OUTPUT = {"type": "object", "additionalProperties": _KEY}


class ServiceNode(NodeType):
    type = "service"
    label = {"zh": "服务调用", "en": "Service call"}
    config_schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["connector"],
        "properties": {
            "connector": _KEY,  # connector instance key (ERP, HR, legal system...)
            "operation": _KEY,
            "input": _INPUT,
            "output": _OUTPUT,
            # "fail": the instance stops in an error state an admin can retry; "continue": go on.
            "on_error": {"enum": ["fail", "continue"]},
        },
    }

    def waits_at(self, node: NodeSpec) -> bool:
        """A call that writes results back into the form changes the data."""
        return bool(node.config.get("output"))

    def rules(self, node: NodeSpec) -> Iterator[tuple[str, Any]]:
        """Yield the input expressions."""
        for key, rule in (node.config.get("input") or {}).items():
            yield config_path("input", key), rule

    def field_refs(self, node: NodeSpec) -> Iterator[tuple[str, str, tuple[str, ...] | None]]:
        """Yield the form fields the results are written to."""
        for key in node.config.get("output") or {}:
            yield config_path("output", key), key, None

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """Record the call that would be made (nothing is sent)."""
        step.status = "would_call"
        step.details = {
            "connector": node.config.get("connector"),
            "operation": node.config.get("operation"),
            "input": walk.evaluate_mapping(node, node.config.get("input") or {}, step, "input"),
            "output_fields": sorted(node.config.get("output") or {}),
        }
        return walk.spec.outgoing(node.id)


class DelayNode(NodeType):
    type = "delay"
    label = {"zh": "延时", "en": "Delay"}
    waits = True
    config_schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "maxProperties": 1,
        "properties": {
            "after_hours": {"type": "number"},
            "after_working_days": {"type": "number"},
            "until": _KEY,  # a date or datetime field of the form
        },
    }

    def check_config(self, node: NodeSpec) -> list[Issue]:
        """Waiting times must be positive."""
        return [
            issue_for("timer_not_positive", node, what=key, value=node.config[key], path=key)
            for key in ("after_hours", "after_working_days")
            if key in node.config and node.config[key] <= 0
        ]

    def field_refs(self, node: NodeSpec) -> Iterator[tuple[str, str, tuple[str, ...] | None]]:
        """Yield the date field waited for."""
        if node.config.get("until"):
            yield "until", node.config["until"], ("date", "datetime")

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """Record until when the flow would wait."""
        config = node.config
        step.status = "waiting"
        if "after_hours" in config:
            step.details = {"until": (walk.now + timedelta(hours=config["after_hours"])).isoformat()}
        elif "after_working_days" in config:
            due = add_working_days(walk.now, config["after_working_days"], walk.calendar)
            step.details = {"until": due.isoformat(), "calendar": "working_days"}
        else:
            step.details = {"until_field": config["until"], "until": walk.form_value(config["until"])}
        return walk.spec.outgoing(node.id)


class SubprocessNode(NodeType):
    type = "subprocess"
    label = {"zh": "子流程", "en": "Subprocess"}
    config_schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["app"],
        "properties": {
            "app": _KEY,  # key of the app whose published flow is started
            "input": _INPUT,  # child field -> JSON-logic over this flow's context
            "output": _OUTPUT,  # this form's field -> child field, copied back when the child ends
            "wait": {"type": "boolean"},  # default true: continue when the child instance ends
        },
    }

    def waits_at(self, node: NodeSpec) -> bool:
        """A waited-for child instance takes time and may copy data back."""
        return bool(node.config.get("wait", True))

    def rules(self, node: NodeSpec) -> Iterator[tuple[str, Any]]:
        """Yield the input expressions."""
        for key, rule in (node.config.get("input") or {}).items():
            yield config_path("input", key), rule

    def field_refs(self, node: NodeSpec) -> Iterator[tuple[str, str, tuple[str, ...] | None]]:
        """Yield the form fields the child's results are copied into."""
        for key in node.config.get("output") or {}:
            yield config_path("output", key), key, None

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """Record the child instance that would start (it is not simulated)."""
        wait = bool(node.config.get("wait", True))
        step.status = "waiting" if wait else "started"
        inputs: Mapping[str, Any] = node.config.get("input") or {}
        step.details = {
            "app": node.config.get("app"),
            "wait": wait,
            "input": walk.evaluate_mapping(node, inputs, step, "input"),
        }
        return walk.spec.outgoing(node.id)
