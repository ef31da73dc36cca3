"""The shared vectors: our evaluator, the reference interpreter and json-logic-qubit."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from runtime.rules import OPERATORS, check, compile_rule, evaluate
from runtime.rules.interpreter import interpret
from tests.unit.rules.helpers import (
    json_equal,
    load_vectors,
    outcome,
    qubit_with_platform_operators,
    same_outcome,
)

VECTORS = load_vectors()
IDS = [v["name"] for v in VECTORS]
ERROR_CODES = {"rule_evaluation_error", "rule_invalid"}


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_evaluate_gives_the_expected_result(vector: dict[str, Any]) -> None:
    got = outcome(lambda: evaluate(vector["rule"], vector["data"]))
    if "error" in vector:
        assert got[0] == "error", f"expected {vector['error']}, got {got[1]!r}"
        assert got[1][0] == vector["error"]
    else:
        assert got[0] == "ok", f"unexpected error {got[1]}"
        assert json_equal(got[1], vector["expected"]), f"got {got[1]!r}"


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_compiled_rule_matches_the_reference_interpreter(vector: dict[str, Any]) -> None:
    compiled = outcome(lambda: compile_rule(vector["rule"])(vector["data"]))
    reference = outcome(lambda: interpret(vector["rule"], vector["data"]))
    assert same_outcome(compiled, reference), f"compiled {compiled!r} vs reference {reference!r}"


@pytest.mark.parametrize("vector", VECTORS, ids=IDS)
def test_qubit_agrees_unless_marked_differs(vector: dict[str, Any]) -> None:
    """Unmarked vectors agree with json_logic.jsonLogic; marked ones really differ (or raise there)."""
    with qubit_with_platform_operators() as json_logic_apply:
        try:
            value = json_logic_apply(copy.deepcopy(vector["rule"]), copy.deepcopy(vector["data"]))
            raised = False
        except Exception:
            value, raised = None, True
    if "error" in vector:
        agrees = raised
    else:
        agrees = not raised and json_equal(value, vector["expected"])
    if vector.get("qubit") == "differs":
        assert not agrees, f"marked 'differs' but qubit agrees ({value!r}); remove the mark"
    else:
        assert agrees, f"qubit gives {'an exception' if raised else repr(value)}; mark it or fix us"


def test_vectors_file_is_well_formed() -> None:
    names = [v["name"] for v in VECTORS]
    assert len(VECTORS) >= 150
    assert len(names) == len(set(names)), "vector names must be unique"
    for v in VECTORS:
        assert {"name", "rule", "data"} <= v.keys(), v["name"]
        assert ("expected" in v) != ("error" in v), v["name"]
        if "error" in v:
            assert v["error"] in ERROR_CODES, v["name"]
        assert v.get("qubit") in (None, "differs"), v["name"]
        if v.get("qubit") == "differs":
            assert v.get("note"), f"{v['name']}: a 'differs' mark needs a note"
        check(v["rule"])  # every vector rule is valid


def _operators_in(rule: Any, found: set[str]) -> None:
    if isinstance(rule, dict):
        for op, args in rule.items():
            found.add(op)
            _operators_in(args, found)
    elif isinstance(rule, list):
        for item in rule:
            _operators_in(item, found)


def test_vectors_cover_every_operator() -> None:
    found: set[str] = set()
    for v in VECTORS:
        _operators_in(v["rule"], found)
    assert set(OPERATORS) - found == set()


@pytest.mark.parametrize(
    ("rule", "data", "expected"),
    [
        ({"<": [{"var": "amount"}, 5000]}, {}, False),
        ({">": ["abc", 1]}, {}, False),
        ({"/": [1, 0]}, {}, "rule_evaluation_error"),
        ({"%": [1, 0]}, {}, "rule_evaluation_error"),
    ],
)
def test_the_measured_divergences_are_in_the_vectors(rule: Any, data: Any, expected: Any) -> None:
    matching = [v for v in VECTORS if v["rule"] == rule and v["data"] == data]
    assert matching, f"no vector for {rule}"
    assert matching[0].get("expected", matching[0].get("error")) == expected
