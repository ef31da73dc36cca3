"""Generated rules and data: compiled == reference interpreter; nothing but rule errors escape."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.rules import OPERATORS, RuleEvaluationError, RuleInvalid, check, compile_rule, evaluate
from runtime.rules import dates as rule_dates
from runtime.rules.interpreter import interpret
from tests.unit.rules.helpers import outcome, same_outcome

FIXED_NOW = datetime.datetime(2025, 10, 9, 10, 30, tzinfo=rule_dates.CHINA_TZ)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PATHS = ["a", "b", "a.b", "a.0", "b.1", "c", "", "now", "a.b.c", "x.-1", "0", "current", "accumulator", "p.v"]
TEXTS = [
    "",
    "a",
    "abc",
    "1",
    " 2 ",
    "1e3",
    "0x10",
    "-0",
    "1.",
    ".5",
    "2025-10-01",
    "2025-10-09T09:00:00+08:00",
    "2025-10-11",
    "days",
    "hours",
    "采购",
    "null",
    "0",
    "Infinity",
    "true",
]
KEYS = ["a", "b", "c", "0", "1", "p", "v", "now", "current"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-20, 20),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from(TEXTS),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=16,
)
contexts = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"a": json_values, "b": json_values},
        optional={
            "c": json_values,
            "now": st.sampled_from(["2025-10-09T10:30:00+08:00", "2025-10-01", "bad", None]),
        },
    ),
)

OPERATOR_NAMES = sorted(OPERATORS)


def _operator(op: str, children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    spec = OPERATORS[op]
    hi = spec.max_args if spec.max_args is not None else spec.min_args + 3
    if op == "var":
        path = st.sampled_from(PATHS)
        return st.one_of(
            path.map(lambda p: {"var": p}),
            st.tuples(path, children).map(lambda t: {"var": list(t)}),
            children.map(lambda c: {"var": [c]}),
        )
    if op == "date_add":
        unit = st.sampled_from(["days", "hours"]) | children
        return st.tuples(children, children, unit).map(lambda t: {"date_add": list(t)})
    if op == "sum":
        return st.one_of(
            children.map(lambda c: {"sum": [c]}),
            st.tuples(children, st.sampled_from(["a", "v", "p.v"])).map(lambda t: {"sum": list(t)}),
        )
    if op == "reduce":
        initial = st.one_of(st.none(), st.integers(-3, 3), st.just(""), st.just([0]))
        return st.one_of(
            st.tuples(children, children).map(lambda t: {"reduce": list(t)}),
            st.tuples(children, children, initial).map(lambda t: {"reduce": list(t)}),
        )
    args = st.lists(children, min_size=spec.min_args, max_size=hi).map(lambda a: {op: a})
    if spec.min_args <= 1 <= hi:
        return args | children.map(lambda c: {op: c})  # the non-array form
    return args


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(OPERATOR_NAMES).flatmap(lambda op: _operator(op, children)),
        st.lists(children, max_size=3),
    )


rules = st.recursive(
    scalars | st.sampled_from(PATHS).map(lambda p: {"var": p}),
    _extend,
    max_leaves=14,
)


@SETTINGS
@given(rule=rules, data=contexts)
def test_compiled_equals_reference_interpreter(rule: Any, data: Any) -> None:
    with mock.patch.object(rule_dates, "clock", lambda: FIXED_NOW):
        compiled = outcome(lambda: compile_rule(rule)(data))
        reference = outcome(lambda: interpret(rule, data))
    assert same_outcome(compiled, reference), f"compiled {compiled!r} vs reference {reference!r}"


@SETTINGS
@given(rule=rules, data=contexts)
def test_results_are_json(rule: Any, data: Any) -> None:
    """No NaN, Infinity or Python-only value escapes a rule over JSON data."""
    with mock.patch.object(rule_dates, "clock", lambda: FIXED_NOW):
        try:
            result = evaluate(rule, data)
        except (RuleInvalid, RuleEvaluationError):
            return
    json.dumps(result, allow_nan=False)


odd_scalars = st.one_of(
    scalars,
    st.floats(),  # NaN and infinities
    st.integers(),  # beyond 2^53
    st.text(max_size=5),
    st.binary(max_size=3),
    st.decimals(allow_nan=True),
    st.just(datetime.date(2025, 10, 1)),
    st.just(object()),
    st.just({1, 2}),
)
garbage = st.recursive(
    odd_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.sampled_from(OPERATOR_NAMES) | st.text(max_size=3), inner, max_size=2),
        st.dictionaries(st.integers(0, 3), inner, max_size=1),
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=garbage | rules, data=garbage | contexts)
def test_evaluate_raises_only_rule_errors(rule: Any, data: Any) -> None:
    try:
        check(rule)
    except RuleInvalid:
        pass
    try:
        evaluate(rule, data)
    except (RuleInvalid, RuleEvaluationError) as exc:
        assert exc.code in {"rule_invalid", "rule_evaluation_error"}
        assert isinstance(exc.details, dict) and exc.details["path"].startswith("$")


@SETTINGS
@given(data=contexts, n=st.integers(-50, 50), s=st.sampled_from(TEXTS))
def test_comparisons_mirror_each_other_for_any_value(data: Any, n: int, s: str) -> None:
    def ev(op: str, a: Any, b: Any) -> Any:
        return evaluate({op: [{"var": "a"}, {"var": "b"}]}, {"a": a, "b": b})

    for a, b in ((n, s), (s, n), (data, n), (n, data), (data, s)):
        assert ev("<", a, b) == ev(">", b, a)
        assert ev("<=", a, b) == ev(">=", b, a)
        assert ev("==", a, b) == ev("==", b, a)
        assert ev("!=", a, b) is not ev("==", a, b)
    assert ev("===", Decimal(n), n) is True
