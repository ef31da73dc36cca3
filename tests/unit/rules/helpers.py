"""Shared helpers of the rule tests: the vectors, JSON equality, qubit with our operators."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import json_logic

from runtime.rules import RuleEvaluationError, RuleInvalid
from runtime.rules import dates as rule_dates
from runtime.rules.operators import OPERATORS
from runtime.workcalendar import DEFAULT_CALENDAR

VECTORS_PATH = Path(__file__).resolve().parents[2] / "vectors" / "rules.json"


def load_vectors() -> list[dict[str, Any]]:
    """The shared vectors (the browser runs the same file)."""
    with VECTORS_PATH.open(encoding="utf-8") as f:
        vectors: list[dict[str, Any]] = json.load(f)
    return vectors


def json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: 2 == 2.0, but true is not 1 and types must match otherwise."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    """("ok", value) or ("error", code, reason, path) for one evaluation."""
    try:
        return ("ok", fn())
    except (RuleEvaluationError, RuleInvalid) as exc:
        details = exc.details or {}
        return ("error", (exc.code, details.get("reason"), details.get("path")))


def same_outcome(a: tuple[str, Any], b: tuple[str, Any]) -> bool:
    """Both errors with the same code/reason/path, or both values JSON-equal."""
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return bool(a[1] == b[1])
    return json_equal(a[1], b[1])


def _qubit_operations() -> dict[str, Callable[..., Any]]:
    """Our platform operators for qubit's add_operation (it passes evaluated values only)."""
    ops: dict[str, Callable[..., Any]] = {}
    for name in ("date_add", "days_between", "length", "contains", "starts_with", "count", "sum"):
        func = OPERATORS[name].func
        assert func is not None
        ops[name] = func
    ops["working_days_between"] = lambda a, b: rule_dates.working_days_between(DEFAULT_CALENDAR, a, b)
    ops["add_working_days"] = lambda a, n: rule_dates.add_working_days(DEFAULT_CALENDAR, a, n)
    # today/now read the context, which qubit operations cannot see: left out on purpose.
    return ops


@contextmanager
def qubit_with_platform_operators() -> Iterator[Callable[[Any, Any], Any]]:
    """json_logic.jsonLogic extended with the platform operators (as DESIGN.md plans)."""
    ops = _qubit_operations()
    for name, func in ops.items():
        json_logic.add_operation(name, func)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield json_logic.jsonLogic
    finally:
        for name in ops:
            json_logic.rm_operation(name)
