"""Public API behaviour beyond the vectors: analysis, conditions, cache, errors, limits."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import runtime.rules as rules
from runtime.rules import (
    RuleEvaluationError,
    RuleInvalid,
    RuleMissingData,
    compile_rule,
    evaluate,
    evaluate_condition,
    missing_variables,
    rule_analysis,
    variables,
)
from runtime.rules import dates as rule_dates
from runtime.workcalendar import WorkCalendar

AMOUNT = {">": [{"var": "form.amount"}, 5000]}
REPO = Path(__file__).resolve().parents[3]


# --- variables / missing_variables ----------------------------------------------------------------


def test_variables_of_the_seed_rules() -> None:
    assert variables(AMOUNT) == {"form.amount"}
    assert variables({"var": "urgent"}) == {"urgent"}
    assert variables({"in": [{"var": "form.customer_level"}, ["A", "B"]]}) == {"form.customer_level"}
    leave = {"days_between": [{"var": "form.start"}, {"var": "form.end"}]}
    assert variables({"<=": [leave, 3]}) == {"form.start", "form.end"}


def test_variables_report_sub_table_columns_under_the_table() -> None:
    rule = {
        "and": [
            {"some": [{"var": "form.items"}, {">": [{"var": "price"}, 100]}]},
            {">": [{"sum": [{"var": "form.items"}, "qty"]}, 0]},
            {"reduce": [{"var": "form.items"}, {"+": [{"var": "accumulator"}, {"var": "current.tax"}]}, 0]},
        ]
    }
    assert variables(rule) == {"form.items", "form.items.price", "form.items.qty", "form.items.tax"}


def test_variables_include_missing_names_defaults_and_skip_the_whole_context() -> None:
    rule = {"if": [{"missing": ["form.a", "form.b"]}, {"var": ""}, {"var": ["form.c", {"var": "form.d"}]}]}
    assert variables(rule) == {"form.a", "form.b", "form.c", "form.d"}


def test_dynamic_var_paths_are_flagged() -> None:
    analysis = rule_analysis({"var": {"cat": ["form.", {"var": "field"}]}})
    assert analysis.dynamic
    assert analysis.paths() == {"field"}
    assert not rule_analysis(AMOUNT).dynamic


def test_missing_variables() -> None:
    assert missing_variables(AMOUNT, {"form": {"amount": 1}}) == set()
    assert missing_variables(AMOUNT, {"form": {}}) == {"form.amount"}
    assert missing_variables(AMOUNT, {}) == {"form.amount"}
    assert missing_variables(AMOUNT, {"form": {"amount": None}}) == {"form.amount"}
    assert missing_variables(AMOUNT, {"form": {"amount": ""}}) == {"form.amount"}
    assert missing_variables(AMOUNT, {"form": {"amount": 0}}) == set()
    assert missing_variables({"var": "urgent"}, {"urgent": False}) == set()


def test_missing_variables_respect_defaults_guards_and_element_scope() -> None:
    assert missing_variables({">": [{"var": ["form.amount", 0]}, 5000]}, {}) == set()
    guarded = {"if": [{"missing": ["form.amount"]}, False, True]}
    assert missing_variables(guarded, {}) == set()
    rows = {"some": [{"var": "form.items"}, {">": [{"var": "price"}, 1]}]}
    assert missing_variables(rows, {"form": {"items": [{}]}}) == set()
    assert missing_variables(rows, {"form": {}}) == {"form.items"}


# --- evaluate_condition: routing never runs on missing values -------------------------------------


def test_condition_refuses_to_route_on_missing_values() -> None:
    with pytest.raises(RuleMissingData) as info:
        evaluate_condition(AMOUNT, {"form": {}})
    err = info.value
    assert isinstance(err, RuleEvaluationError)
    assert err.code == "rule_missing_data"
    assert err.details["variables"] == ["form.amount"]
    assert "form.amount" in str(err)


def test_condition_returns_jsonlogic_truthiness() -> None:
    assert evaluate_condition(AMOUNT, {"form": {"amount": 6000}}) is True
    assert evaluate_condition(AMOUNT, {"form": {"amount": 10}}) is False
    assert evaluate_condition({"var": "form.tags"}, {"form": {"tags": []}}) is False
    assert evaluate_condition({"var": ["urgent", False]}, {}) is False


# --- compile_rule and the cache -------------------------------------------------------------------


def test_compiled_rules_are_cached_by_canonical_json() -> None:
    first = compile_rule({"and": [{"var": "a"}, {">": [{"var": "b"}, 1]}]})
    second = compile_rule({"and": [{"var": "a"}, {">": [{"var": "b"}, 1]}]})
    assert first is second
    assert compile_rule({">": [{"var": "b"}, 1.0]}) is not compile_rule({">": [{"var": "b"}, 1]})


def test_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "CACHE_SIZE", 5)
    for i in range(20):
        compile_rule({"+": [i, 1]})
    assert rules.cache_size() <= 5
    rules.clear_cache()
    assert rules.cache_size() == 0


def test_results_never_alias_the_rule() -> None:
    rule = {"merge": [[1, [2]], 3]}
    first = evaluate(rule, {})
    first[1].append("mutated")
    first.append("mutated")
    assert evaluate(rule, {}) == [1, [2], 3]
    literal = [[1], 2]
    out = evaluate(literal, {})
    out[0].append(9)
    assert evaluate(literal, {}) == [[1], 2]
    reduce_rule = {"reduce": [{"var": "x"}, 1, [0]]}
    evaluate(reduce_rule, {}).append(5)
    assert evaluate(reduce_rule, {}) == [0]


def test_compiled_rules_do_not_see_later_changes_to_the_rule_object() -> None:
    initial: list[Any] = [0]
    rule = {"reduce": [{"var": "x"}, {"var": "accumulator"}, initial]}
    compiled = compile_rule(rule)
    initial.append("changed")
    assert compiled({}) == [0]
    assert evaluate(rule, {}) == [0, "changed"]  # a different rule now, compiled afresh


def test_compiled_rule_takes_a_calendar() -> None:
    rule = {"working_days_between": ["2025-09-29", "2025-09-30"]}
    assert compile_rule(rule)({}) == 2
    company = WorkCalendar(extra_holidays=["2025-09-29"])
    assert compile_rule(rule)({}, company) == 1
    assert evaluate(rule, {}, calendar=company) == 1


def test_concurrent_evaluation_with_cache_churn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "CACHE_SIZE", 8)
    failures: list[str] = []

    def work(offset: int) -> None:
        for i in range(300):
            n = (i + offset) % 40
            if evaluate({"+": [{"var": "x"}, n]}, {"x": 1}) != n + 1:
                failures.append(f"{offset}:{i}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []


# --- errors: paths, no data in messages, nothing but rule errors ----------------------------------


def test_evaluation_errors_name_the_path_and_operator() -> None:
    rule = {"and": [True, {">": [{"/": [{"var": "a"}, 0]}, 1]}]}
    with pytest.raises(RuleEvaluationError) as info:
        evaluate(rule, {"a": 1})
    assert info.value.code == "rule_evaluation_error"
    assert info.value.details == {"reason": "division_by_zero", "path": "$.and[1].>[0]", "operator": "/"}
    assert "$.and[1].>[0]" in str(info.value)


def test_error_messages_do_not_quote_data() -> None:
    secret = "身份证110101199003071234"
    for rule in (
        {"+": [{"var": "id"}, 1]},
        {"date_add": [{"var": "id"}, 1, "days"]},
        {"length": {"var": "n"}},
    ):
        with pytest.raises(RuleEvaluationError) as info:
            evaluate(rule, {"id": secret, "n": 110101199003071234 % 10**15})
        text = str(info.value) + repr(info.value.details)
        assert "110101" not in text


class _BrokenMapping(dict):  # type: ignore[type-arg]
    def __contains__(self, key: object) -> bool:
        raise RuntimeError("secret value 4242")


def test_unexpected_python_errors_become_rule_errors_at_their_node() -> None:
    with pytest.raises(RuleEvaluationError) as info:
        evaluate({"!": {"var": "a.b"}}, {"a": _BrokenMapping()})
    assert info.value.details["reason"] == "internal"
    assert info.value.details["path"] == "$.!"
    assert info.value.details["exception"] == "RuntimeError"
    assert "4242" not in str(info.value)


def test_deeply_nested_data_is_a_rule_error_not_a_crash() -> None:
    deep: Any = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(RuleEvaluationError):
        evaluate({"==": [{"var": "a"}, {"var": "b"}]}, {"a": deep, "b": deep})


def test_work_budget_stops_runaway_loops() -> None:
    inner = list(range(1000))
    data = {"a": [{"b": inner} for _ in range(1001)]}
    rule = {"map": [{"var": "a"}, {"map": [{"var": "b"}, 1]}]}
    with pytest.raises(RuleEvaluationError) as info:
        evaluate(rule, data)
    assert info.value.details["reason"] == "too_expensive"
    assert info.value.details["path"] == "$.map[1]"


def test_result_size_limits() -> None:
    big = "x" * 600_000
    with pytest.raises(RuleEvaluationError) as info:
        evaluate({"cat": [{"var": "s"}, {"var": "s"}]}, {"s": big})
    assert info.value.details["reason"] == "result_too_large"
    doubling = {"reduce": [{"var": "n"}, {"merge": [{"var": "accumulator"}, {"var": "accumulator"}]}, [1]]}
    with pytest.raises(RuleEvaluationError):
        evaluate(doubling, {"n": list(range(30))})
    squaring = {"reduce": [{"var": "n"}, {"*": [{"var": "accumulator"}, {"var": "accumulator"}]}, 2]}
    with pytest.raises(RuleEvaluationError) as info:
        evaluate(squaring, {"n": list(range(30))})
    assert info.value.details["reason"] == "number_out_of_range"


def test_calendar_spans_are_bounded() -> None:
    with pytest.raises(RuleEvaluationError):
        evaluate({"add_working_days": ["2025-01-01", 100000]}, {})
    with pytest.raises(RuleEvaluationError):
        evaluate({"working_days_between": ["0001-01-01", "9999-12-31"]}, {})
    with pytest.raises(RuleEvaluationError):
        evaluate({"date_add": ["9999-12-31", 1, "days"]}, {})


# --- values from Python callers -------------------------------------------------------------------


def test_decimal_and_tuple_values_from_python_callers() -> None:
    assert evaluate(AMOUNT, {"form": {"amount": Decimal("6000.50")}}) is True
    assert evaluate({"+": [{"var": "a"}, 1]}, {"a": Decimal("0.5")}) == 1.5
    assert evaluate({"==": [{"var": "a"}, 1.5]}, {"a": Decimal("1.5")}) is True
    assert evaluate({"count": {"var": "t"}}, {"t": (1, 2, 3)}) == 3
    assert evaluate({"date_add": [{"var": "d"}, 1, "days"]}, {"d": datetime(2025, 10, 1, 9, 0)}) == (
        "2025-10-02T09:00:00"
    )


# --- the clock ------------------------------------------------------------------------------------


def test_today_and_now_fall_back_to_the_clock_in_china_time(monkeypatch: pytest.MonkeyPatch) -> None:
    fixed = datetime(2025, 10, 8, 17, 0, tzinfo=rule_dates.CHINA_TZ)
    monkeypatch.setattr(rule_dates, "clock", lambda: fixed)
    assert evaluate({"today": []}, {}) == "2025-10-08"
    assert evaluate({"now": []}, {"form": {}}) == "2025-10-08T17:00:00+08:00"
    assert evaluate({"today": []}, {"now": "2026-01-01T00:00:00+08:00"}) == "2026-01-01"


# --- purity ---------------------------------------------------------------------------------------


def test_rules_and_calendar_do_not_import_django() -> None:
    code = (
        "import sys, runtime.rules, runtime.rules.interpreter, runtime.workcalendar; "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_invalid_rule_is_not_an_evaluation_error() -> None:
    with pytest.raises(RuleInvalid):
        evaluate({"nope": 1}, {})
    assert not issubclass(RuleInvalid, RuleEvaluationError)
