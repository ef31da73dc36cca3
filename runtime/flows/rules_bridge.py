"""The few calls flows make into ``runtime.rules`` (the JSON-logic evaluator), in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime import rules
from runtime.workcalendar import WorkCalendar


def evaluate(rule: Any, data: Mapping[str, Any], calendar: WorkCalendar | None = None) -> Any:
    """Evaluate a JSON-logic rule against the flow rule context."""
    return rules.evaluate(rule, data, calendar=calendar)


def condition(rule: Any, data: Mapping[str, Any], calendar: WorkCalendar | None = None) -> bool:
    """Return a routing condition's truthiness with JavaScript semantics (as the browser sees it)."""
    return bool(rules.truthy(rules.evaluate(rule, data, calendar=calendar)))


def check(rule: Any) -> None:
    """Raise ``RuleInvalid`` when the rule is malformed or too large."""
    rules.check(rule)


def variables(rule: Any) -> set[str]:
    """Return the variable paths the rule reads (``"form.amount"``, ``"urgent"``)."""
    return set(rules.variables(rule))


def missing_form_values(rule: Any, data: Mapping[str, Any]) -> list[str]:
    """Return the form fields the rule reads that hold no value, as field keys (``"amount"``)."""
    missing = rules.missing_variables(rule, data)
    return sorted(path[len("form.") :] if str(path).startswith("form.") else str(path) for path in missing)
