"""The one place the forms package reaches ``runtime.rules`` (JSON-logic).

Imported lazily so that loading a form without rules never needs the evaluator, and
so that the two packages can be developed side by side.
"""

from __future__ import annotations

from typing import Any

from platform_core.errors import PlatformError


def _rules() -> Any:
    from runtime import rules

    return rules


def check_rule(rule: Any) -> str | None:
    """Return None when ``rule`` is valid, else the evaluator's (English) explanation."""
    try:
        _rules().check(rule)
    except PlatformError as exc:
        return exc.formatted()
    return None


def rule_variables(rule: Any) -> set[str]:
    """Return the var paths ``rule`` reads (``"form.amount"``, ``"row.price"``, ...)."""
    return set(_rules().variables(rule))


def evaluate_rule(rule: Any, context: Any) -> Any:
    """Evaluate ``rule`` over ``context``; raises PlatformError (RuleEvaluationError/RuleInvalid)."""
    return _rules().evaluate(rule, context)


def compile_rule(rule: Any) -> Any:
    """Return a callable ``run(context)`` for ``rule``, compiled once by the evaluator."""
    rules = _rules()
    compiler = getattr(rules, "compile_rule", None)
    if compiler is not None:
        return compiler(rule)
    return lambda context: rules.evaluate(rule, context)


def truthy(value: Any) -> bool:
    """JSON-logic truthiness (``[]`` and ``""`` are false), as the browser sees it."""
    return bool(_rules().truthy(value))
