"""Read helpers over engine state: what a person may see at a node, and the inbox view of tasks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from runtime.engine.model import InstanceState, Task
from runtime.flows.settings import field_rights
from runtime.flows.spec import FlowSpec
from runtime.forms import filter_for_read
from runtime.forms.spec import FieldInfo, FormSpec


@dataclass(frozen=True)
class _Fields:
    # filter_for_read only reads ``.fields``; a bare FieldInfo mapping is wrapped in this
    # instead of building a whole FormSpec.
    fields: Mapping[str, FieldInfo]


def visible_data(
    flow: FlowSpec, node_id: str, data: Mapping[str, Any], fields: Mapping[str, FieldInfo] | FormSpec | None
) -> dict[str, Any]:
    """Return the form data without the fields (and columns) hidden at ``node_id``."""
    rights = field_rights(flow.node(node_id)) if flow.has_node(node_id) else {}
    if isinstance(fields, FormSpec):
        return filter_for_read(fields, data, rights)
    return filter_for_read(_Fields(fields or {}), data, rights)  # type: ignore[arg-type]


def tasks_for(state: InstanceState, user_id: str) -> list[Task]:
    """Return the pending tasks of ``user_id`` (their 待办 on this instance)."""
    return [t for t in state.pending_tasks() if t.assignee == user_id]
