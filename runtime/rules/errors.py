"""Errors of the rule evaluator (pure Python, no Django imports).

Messages are English gettext msgids with ``%(name)s`` parameters; they name the
operator, the JSON path in the rule and JSON type names, never the values being
evaluated (form data may hold personal data).
"""

from __future__ import annotations

from typing import Any

from platform_core.errors import PlatformError, gettext_noop


class RuleInvalid(PlatformError):
    """The rule itself is malformed: unknown operator, wrong arity, over a limit, not JSON."""

    code = "rule_invalid"
    message = gettext_noop("The rule is not valid.")


class RuleEvaluationError(PlatformError):
    """A valid rule could not be evaluated against the given data."""

    code = "rule_evaluation_error"
    message = gettext_noop("The rule could not be evaluated.")


class RuleMissingData(RuleEvaluationError):
    """A condition reads form values that are missing and has no default for them."""

    code = "rule_missing_data"
    message = gettext_noop("The condition needs values that are missing: %(variables)s.")


# Message templates of RuleInvalid by ``details["reason"]``.
INVALID_MESSAGES: dict[str, str] = {
    "unknown_operator": gettext_noop("Unknown operator “%(operator)s” at %(path)s."),
    "arity": gettext_noop("“%(operator)s” at %(path)s takes %(expected)s argument(s), not %(count)s."),
    "not_json": gettext_noop("The rule holds a value that is not JSON (%(type)s) at %(path)s."),
    "not_operator_object": gettext_noop(
        "An object in a rule must have exactly one key, the operator name (at %(path)s)."
    ),
    "too_many_nodes": gettext_noop("The rule is too large: it has more than %(limit)s parts."),
    "too_deep": gettext_noop("The rule is nested more than %(limit)s levels deep (at %(path)s)."),
    "string_too_long": gettext_noop("A text in the rule is longer than %(limit)s characters (at %(path)s)."),
    "number_out_of_range": gettext_noop("A number in the rule is too large or not finite (at %(path)s)."),
    "bad_var_path": gettext_noop("The variable name at %(path)s must be text or a whole number."),
    "bad_unit": gettext_noop("“%(operator)s” at %(path)s needs the unit “days” or “hours”."),
    "bad_column": gettext_noop("The column name of “%(operator)s” at %(path)s must be text."),
    "bad_initial": gettext_noop(
        "The initial value of “reduce” at %(path)s must be a plain value, not a rule."
    ),
}

# Message templates of RuleEvaluationError by ``details["reason"]``.
EVALUATION_MESSAGES: dict[str, str] = {
    "division_by_zero": gettext_noop("Division by zero in “%(operator)s” at %(path)s."),
    "not_a_number": gettext_noop("“%(operator)s” at %(path)s needs numbers but got %(type)s."),
    "not_an_integer": gettext_noop("“%(operator)s” at %(path)s needs a whole number but got %(type)s."),
    "number_out_of_range": gettext_noop("The result of “%(operator)s” at %(path)s is out of range."),
    "invalid_date": gettext_noop(
        "“%(operator)s” at %(path)s needs a date such as 2025-10-01 but got %(type)s."
    ),
    "date_order": gettext_noop("“%(operator)s” at %(path)s: the end date is before the start date."),
    "bad_argument": gettext_noop("“%(operator)s” at %(path)s cannot use a value of type %(type)s."),
    "bad_unit": gettext_noop("“%(operator)s” at %(path)s needs the unit “days” or “hours”."),
    "too_expensive": gettext_noop("The rule does too much work at %(path)s; simplify the rule or the data."),
    "result_too_large": gettext_noop("The result of “%(operator)s” at %(path)s is too large."),
    "internal": gettext_noop("The rule failed at %(path)s (%(exception)s)."),
}


class EvalFailure(Exception):
    """Raised by operator implementations; the node that called them adds the path."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def invalid(reason: str, path: str, **params: Any) -> RuleInvalid:
    """Build a RuleInvalid for ``reason`` at ``path`` (details carry reason, path and params)."""
    all_params = {"path": path, **params}
    return RuleInvalid(INVALID_MESSAGES[reason], params=all_params, details={"reason": reason, **all_params})


def evaluation_error(reason: str, operator: str, path: str, **params: Any) -> RuleEvaluationError:
    """Build a RuleEvaluationError for ``reason`` raised by ``operator`` at ``path``."""
    all_params = {"path": path, "operator": operator, **params}
    return RuleEvaluationError(
        EVALUATION_MESSAGES[reason], params=all_params, details={"reason": reason, **all_params}
    )


def convert_exception(exc: BaseException, operator: str, path: str) -> RuleEvaluationError:
    """Turn an operator failure or an unexpected Python exception into a RuleEvaluationError."""
    if isinstance(exc, EvalFailure):
        return evaluation_error(exc.reason, operator, path, **exc.params)
    # Only the exception's type name: its message may quote data (personal data).
    return evaluation_error("internal", operator, path, exception=type(exc).__name__)
