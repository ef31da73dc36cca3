"""Preparing simulator input from a form, and dressing its output for people.

Flow conditions often read computed fields (leave days from a date range), so sample
data is first run through ``validate_submission``; when the sample is not a valid
submission (an admin asking "who approves 6,000 yuan?" does not fill every required
field), the computed fields are still worked out leniently and the submission errors
are reported next to the result instead of refusing the simulation.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from platform_core.errors import PlatformError
from runtime.definitions.verification import format_message, localize
from runtime.flows import OrgDirectory
from runtime.flows.assignee_rules import rule_context
from runtime.forms import FormSpec, SubmissionInvalid, field_type_registry, validate_submission
from runtime.forms.field_types.base import MISSING
from runtime.rules import evaluate, truthy

_MISSING = object()


def prepare_data(
    spec: FormSpec | None,
    data: Mapping[str, Any],
    *,
    org: OrgDirectory,
    initiator_id: str,
    urgent: bool,
    now: str | None,
    dictionary: Mapping[str, Any] | None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return ``(data with computed values, submission errors)``; errors are localized dicts."""
    if spec is None:
        return dict(data), []
    context = rule_context({}, org, initiator_id, urgent=urgent, now=now)
    context.pop("form", None)
    try:
        return validate_submission(spec, dict(data), context=context, dictionary=dictionary), []
    except SubmissionInvalid as exc:
        errors = [
            dict(item, message=format_message(item.get("message") or "", item.get("params")))
            for item in (exc.details or [])
        ]
        return lenient_compute(spec, data, context), errors


def lenient_compute(spec: FormSpec, data: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
    """Apply visibility and computed fields in dependency order without validating anything else."""
    form = copy.deepcopy(dict(data))
    for key, info in spec.fields.items():
        if info.compute is not None and info.parent is None:
            form.pop(key, None)  # never the client's value
    for path in spec.evaluation_order:
        info = spec.fields[path]
        if info.parent is None:
            _derive(info, form, {**context, "form": form})
            continue
        rows = form.get(info.parent)
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict):
                _derive(info, row, {**context, "form": form, "row": row})
    return form


def _derive(info: Any, target: dict[str, Any], ctx: dict[str, Any]) -> None:
    name = info.name or info.key
    if info.visible_if is not None:
        try:
            visible = truthy(evaluate(info.visible_if, ctx))
        except PlatformError:
            visible = True
        if not visible:
            target.pop(name, None)
            return
    if info.compute is None:
        return
    try:
        value: Any = evaluate(info.compute, ctx)
        coerce = getattr(field_type_registry.get(info.type), "coerce_result", None)
        if coerce is not None:
            value, _ok = coerce(value, info.schema)
    except PlatformError:
        value = _MISSING
    if value is None or value is _MISSING or value is MISSING:
        target.pop(name, None)
    else:
        target[name] = value


def dress_result(result: dict[str, Any], org: OrgDirectory) -> dict[str, Any]:
    """Add people's names next to ids and translate blocking issues (for the current language)."""
    for step in result.get("steps") or []:
        approvers = step.get("approvers")
        if approvers:
            approvers["people"] = [_person(org, user_id) for user_id in approvers.get("users") or []]
        if step.get("auto_approved"):
            step["auto_approved_people"] = [
                dict(_person(org, user_id), reason=reason) for user_id, reason in step["auto_approved"].items()
            ]
    result["blocking"] = localize(result.get("blocking") or [])
    return result


def _person(org: OrgDirectory, user_id: str) -> dict[str, Any]:
    user = org.user(user_id)
    return {"id": user_id, "name": user.name if user else user_id, "active": bool(user and user.active)}
