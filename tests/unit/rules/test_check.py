"""check(): the error table (reason and JSON path) and the size limits."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from runtime.rules import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_STRING_LENGTH,
    RuleInvalid,
    check,
    compile_rule,
    evaluate,
    variables,
)

ERROR_TABLE: list[tuple[str, Any, str, str]] = [
    ("unknown operator at the top", {"foo": [1]}, "unknown_operator", "$"),
    (
        "unknown operator deep inside",
        {"and": [1, {">": [{"bar": 1}, 1]}]},
        "unknown_operator",
        "$.and[1].>[0]",
    ),
    ("qubit's method is not an operator", {"method": ["abc", "upper"]}, "unknown_operator", "$"),
    ("log is not an operator", {"log": "x"}, "unknown_operator", "$"),
    ("== needs two", {"==": [1]}, "arity", "$"),
    ("and needs one", {"and": []}, "arity", "$"),
    ("! takes one", {"!": [1, 2]}, "arity", "$"),
    ("?: takes three", {"?:": [1, 2]}, "arity", "$"),
    ("> takes two", {">": [1, 2, 3]}, "arity", "$"),
    ("/ takes two", {"or": [{"/": [1]}]}, "arity", "$.or[0]"),
    ("var takes at most two", {"var": ["a", 1, 2]}, "arity", "$"),
    ("today takes none", {"today": [1]}, "arity", "$"),
    ("date_add takes three", {"date_add": ["2025-01-01", 1]}, "arity", "$"),
    ("map takes two", {"map": [[1]]}, "arity", "$"),
    ("a set is not JSON", {"if": [{"var": "x"}, {"+": [1, {1, 2}]}]}, "not_json", "$.if[1].+[1]"),
    ("a datetime is not JSON", {"==": [{"var": "d"}, datetime.date(2025, 1, 1)]}, "not_json", "$.==[1]"),
    ("bytes are not JSON", {"cat": [b"x"]}, "not_json", "$.cat[0]"),
    ("an integer key is not JSON", {1: 2}, "not_json", "$"),
    ("an object with two keys", {"a": 1, "b": 2}, "not_operator_object", "$"),
    ("an empty object", {"and": [{}]}, "not_operator_object", "$.and[0]"),
    ("NaN", {"var": float("nan")}, "number_out_of_range", "$.var"),
    ("infinity", {"+": [1, float("inf")]}, "number_out_of_range", "$.+[1]"),
    ("an integer beyond 2^53", {"+": [2**53]}, "number_out_of_range", "$.+[0]"),
    ("an over-long text", {"cat": ["x" * (MAX_STRING_LENGTH + 1)]}, "string_too_long", "$.cat[0]"),
    ("a boolean var path", {"var": True}, "bad_var_path", "$.var"),
    ("a float var path", {"var": [1.5]}, "bad_var_path", "$.var[0]"),
    ("an unknown date unit", {"date_add": ["2025-01-01", 1, "weeks"]}, "bad_unit", "$.date_add[2]"),
    ("a numeric sum column", {"sum": [{"var": "x"}, 3]}, "bad_column", "$.sum[1]"),
    (
        "a rule as reduce's initial value",
        {"reduce": [[1], {"var": "current"}, {"var": "x"}]},
        "bad_initial",
        "$.reduce[2]",
    ),
]


CASES = [t[1:] for t in ERROR_TABLE]
CASE_IDS = [t[0] for t in ERROR_TABLE]


@pytest.mark.parametrize(("rule", "reason", "path"), CASES, ids=CASE_IDS)
def test_check_names_reason_and_path(rule: Any, reason: str, path: str) -> None:
    with pytest.raises(RuleInvalid) as info:
        check(rule)
    assert info.value.code == "rule_invalid"
    assert info.value.details["reason"] == reason
    assert info.value.details["path"] == path
    assert path in str(info.value)  # the message names the place too


@pytest.mark.parametrize(("rule", "reason", "path"), CASES, ids=CASE_IDS)
def test_evaluate_and_compile_refuse_invalid_rules(rule: Any, reason: str, path: str) -> None:
    for call in (lambda: evaluate(rule, {}), lambda: compile_rule(rule), lambda: variables(rule)):
        with pytest.raises(RuleInvalid) as info:
            call()
        assert info.value.details["reason"] == reason


def test_unknown_operator_message_names_it() -> None:
    with pytest.raises(RuleInvalid) as info:
        check({"and": [{"bogus_op": 1}]})
    assert "bogus_op" in str(info.value)
    assert info.value.details["operator"] == "bogus_op"


def test_arity_details_say_what_is_expected() -> None:
    with pytest.raises(RuleInvalid) as info:
        check({"substr": ["abc"]})
    assert info.value.details["expected"] == "2–3"
    assert info.value.details["count"] == 1


def _nested(depth: int) -> Any:
    rule: Any = {"var": "x"}
    for _ in range(depth - 1):
        rule = {"!": [rule]}
    return rule


def test_nesting_depth_limit() -> None:
    check(_nested(MAX_DEPTH))
    with pytest.raises(RuleInvalid) as info:
        check(_nested(MAX_DEPTH + 1))
    assert info.value.details["reason"] == "too_deep"
    assert info.value.details["path"].startswith("$.![0]")


def test_node_limit() -> None:
    # {"+": [...]} is one node plus one per element.
    check({"+": [1] * (MAX_NODES - 1)})
    with pytest.raises(RuleInvalid) as info:
        check({"+": [1] * MAX_NODES})
    assert info.value.details["reason"] == "too_many_nodes"
    assert info.value.details["limit"] == MAX_NODES


def test_string_length_limit_is_inclusive() -> None:
    check({"cat": ["x" * MAX_STRING_LENGTH]})


def test_circular_rule_is_refused_not_crashed() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(RuleInvalid) as info:
        evaluate(loop, {})
    assert info.value.details["reason"] == "too_deep"


def test_literals_and_tuples_are_valid_rules() -> None:
    for rule in (None, True, 0, -1.5, "text", [], [1, "a"], ({"var": "a"}, 2), {"var": ("a", 1)}):
        check(rule)
    assert evaluate({"var": ("a", 1)}, {}) == 1


def test_dynamic_parts_are_left_to_evaluation() -> None:
    # The unit and the var path are computed: check() cannot judge them, evaluation does.
    check({"date_add": ["2025-01-01", 1, {"var": "unit"}]})
    check({"var": {"cat": ["form.", {"var": "field"}]}})
