"""The one JSON-logic rule evaluator of the platform (pure Python, no Django imports).

Forms (visibility, required-if, computed values) and flows (edge conditions, dynamic
assignees) evaluate rules here; the browser runs the same rules with json-logic-js plus
our operator overrides, and both pass ``tests/vectors/rules.json``. Semantics, operators
and limits are documented in ``docs/rules.md``.

Rules see one context: ``{"form": {...}, "initiator": {...}, "urgent": bool,
"now": "ISO datetime", "row": {...}}`` (``row`` inside a sub-table row).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any, Protocol, cast

from runtime import workcalendar
from runtime.rules.analysis import Analysis, Read, analyse
from runtime.rules.checker import MAX_DEPTH, MAX_NODES, MAX_STRING_LENGTH
from runtime.rules.checker import check as _check
from runtime.rules.compiler import Node, compile_checked
from runtime.rules.errors import (
    RuleEvaluationError,
    RuleInvalid,
    RuleMissingData,
    convert_exception,
    invalid,
)
from runtime.rules.operators import (
    CUSTOM_OPERATORS,
    MAX_WORK,
    OPERATORS,
    STANDARD_OPERATORS,
    is_missing,
    op_var,
)
from runtime.rules.values import truthy
from runtime.workcalendar import WorkCalendar

CACHE_SIZE = 2048


class CompiledRule(Protocol):
    """A compiled rule: call it with the context data (and optionally a work calendar)."""

    def __call__(self, data: Any, calendar: WorkCalendar | None = None) -> Any: ...


class _Entry:
    __slots__ = ("analysis", "required", "run")

    def __init__(self, run: CompiledRule, analysis: Analysis) -> None:
        self.run = run
        self.analysis = analysis
        self.required = analysis.required()


_cache: OrderedDict[str, _Entry] = OrderedDict()
_lock = threading.Lock()


# Built once: json.dumps(**options) would build a new encoder per call (~30% slower).
_canonical = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode


def _key(rule: Any) -> str | None:
    """Canonical JSON of a rule (the cache key), or None when it is not serialisable."""
    try:
        return _canonical(rule)
    except (TypeError, ValueError, RecursionError):
        return None


def _runner(node: Node, needs_env: bool) -> CompiledRule:
    if not needs_env:
        # node(data, calendar) ignores its second argument when no node reads env, and every
        # node converts its own failures: the root closure is the compiled rule.
        return cast(CompiledRule, node)

    # The env list is created per call only for rules that use it (loops, calendar, clock).
    def run_env(data: Any, calendar: WorkCalendar | None = None) -> Any:
        try:
            return node(data, [data, calendar or workcalendar.DEFAULT_CALENDAR, MAX_WORK])
        except RuleEvaluationError:
            raise
        except Exception as exc:  # last resort; nodes convert their own failures
            raise convert_exception(exc, "", "$") from None

    return run_env


def _entry(rule: Any) -> _Entry:
    key = _key(rule)
    if key is not None:
        with _lock:
            entry = _cache.get(key)
            if entry is not None:
                _cache.move_to_end(key)
                return entry
    try:
        _check(rule)
        if key is None:
            raise invalid("not_json", "$", type=type(rule).__name__)
        node, needs_env = compile_checked(rule)
        entry = _Entry(_runner(node, needs_env), analyse(rule))
    except RuleInvalid:
        raise
    except Exception as exc:  # a rule object so odd that checking it failed
        raise invalid("not_json", "$", type=type(exc).__name__) from None
    with _lock:
        _cache[key] = entry
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return entry


def check(rule: Any) -> None:
    """Raise RuleInvalid (details: reason, path) unless ``rule`` is valid and within limits."""
    try:
        _check(rule)
    except RuleInvalid:
        raise
    except Exception as exc:
        raise invalid("not_json", "$", type=type(exc).__name__) from None


def compile_rule(rule: Any) -> CompiledRule:
    """Check and compile ``rule`` once (LRU-cached by canonical JSON); call the result with data."""
    return _entry(rule).run


def evaluate(rule: Any, data: Any, *, calendar: WorkCalendar | None = None) -> Any:
    """Evaluate ``rule`` over ``data``; raises only RuleInvalid or RuleEvaluationError."""
    return _entry(rule).run(data, calendar)


def evaluate_condition(rule: Any, data: Any, *, calendar: WorkCalendar | None = None) -> bool:
    """A rule's truthiness for routing; RuleMissingData when it reads missing values without a default."""
    entry = _entry(rule)
    missing = [path for path in entry.required if is_missing(op_var(data, path))]
    if missing:
        raise RuleMissingData(
            params={"variables": ", ".join(missing)},
            details={"reason": "missing_data", "path": "$", "variables": missing},
        )
    return truthy(entry.run(data, calendar))


def variables(rule: Any) -> set[str]:
    """The variable paths a rule reads (element reads as ``array.column``); RuleInvalid if invalid."""
    return _entry(rule).analysis.paths()


def missing_variables(rule: Any, data: Any) -> set[str]:
    """Top-level paths the rule reads without a default whose value is null, "" or absent."""
    return {path for path in _entry(rule).required if is_missing(op_var(data, path))}


def rule_analysis(rule: Any) -> Analysis:
    """Every read of a rule with its flags (default, top level, tested) and dynamic-path marker."""
    return _entry(rule).analysis


def clear_cache() -> None:
    """Forget all compiled rules (tests, or after changing operator code at run time)."""
    with _lock:
        _cache.clear()


def cache_size() -> int:
    """How many compiled rules are cached."""
    return len(_cache)


__all__ = [
    "CACHE_SIZE",
    "CUSTOM_OPERATORS",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_STRING_LENGTH",
    "MAX_WORK",
    "OPERATORS",
    "STANDARD_OPERATORS",
    "Analysis",
    "CompiledRule",
    "Read",
    "RuleEvaluationError",
    "RuleInvalid",
    "RuleMissingData",
    "cache_size",
    "check",
    "clear_cache",
    "compile_rule",
    "evaluate",
    "evaluate_condition",
    "missing_variables",
    "rule_analysis",
    "truthy",
    "variables",
]
