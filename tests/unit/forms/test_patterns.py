"""Admin patterns: refusing catastrophic shapes, bounding input, safe jsonschema usage."""

from __future__ import annotations

import time

import pytest

from runtime.forms import SubmissionInvalid, is_pattern_safe, limits, pattern_problems, validate_submission
from runtime.forms.formats import FORMAT_CHECKER
from runtime.forms.patterns import bounded_search
from runtime.forms.schema_validation import make_validator
from tests.unit.forms.conftest import one_field

REFUSED = [
    ("(a+)+", "pattern_unsafe"),
    ("(a*)*b", "pattern_unsafe"),
    ("^(\\w+\\s?)+$", "pattern_unsafe"),
    ("((ab)+)+", "pattern_unsafe"),
    ("(.*)*", "pattern_unsafe"),
    ("(a|a)*", "pattern_unsafe"),
    ("(a|ab)*c", "pattern_unsafe"),
    ("^(?:a{2}|a{3})+$", "pattern_unsafe"),
    ("(\\d)\\1", "pattern_unsafe"),
    ("(?P<x>a)(?P=x)", "pattern_not_portable"),
    ("\\d+\\d+$", "pattern_unsafe"),  # cubic under search
    ("^\\d+\\d+\\d+$", "pattern_unsafe"),  # cubic even anchored
    ("\\w+\\s*\\w+", "pattern_unsafe"),
    (".*a.*b", "pattern_unsafe"),
    ("a{1,5000}", "pattern_unsafe"),
    ("x" * 201, "pattern_too_long"),
    ("(unclosed", "pattern_invalid"),
    ("(?i)abc", "pattern_not_portable"),
    ("\\Aabc\\Z", "pattern_not_portable"),
    ("a++", "pattern_not_portable"),
]

ACCEPTED = [
    "^1[3-9]\\d{9}$",  # mainland mobile number
    "^\\d{17}[\\dXx]$",  # resident ID number
    "^[A-Z]{2}-\\d{4}$",
    "^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$",
    "[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+",
    "^(?:\\d{1,3}\\.){3}\\d{1,3}$",
    "^([a-z]+,)*[a-z]+$",
    "^\\d+(\\.\\d{1,2})?$",
    "^[0-9]+\\.?[0-9]*$",
    "^(\\w+\\s)+$",
    "^[\\u4e00-\\u9fa5]{2,10}$",
    "^(?=.*\\d)[A-Za-z\\d]{8,20}$",
    "^\\d+\\d+$",  # quadratic when anchored: fine on bounded input
    "(\\d|\\w)+x",  # re turns the alternation into one character class
    "^.*@.*$",
    "合同-\\d{6}",
]

ADVERSARIAL = [
    "a" * limits.PATTERN_INPUT_LIMIT,
    "a" * (limits.PATTERN_INPUT_LIMIT - 1) + "!",
    "1" * (limits.PATTERN_INPUT_LIMIT - 1) + "x",
    "a," * (limits.PATTERN_INPUT_LIMIT // 2 - 1) + "!",
    "a " * (limits.PATTERN_INPUT_LIMIT // 2 - 1) + "!",
    "a@" + "a." * (limits.PATTERN_INPUT_LIMIT // 2 - 2) + "!",
    "1." * (limits.PATTERN_INPUT_LIMIT // 2 - 1) + "x",
]


@pytest.mark.parametrize(("pattern", "code"), REFUSED, ids=[r[0][:30] for r in REFUSED])
def test_refused(pattern: str, code: str) -> None:
    assert code in {c for c, _ in pattern_problems(pattern)}
    assert not is_pattern_safe(pattern)


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_accepted_and_fast_on_adversarial_input(pattern: str) -> None:
    assert pattern_problems(pattern) == []
    worst = 0.0
    for text in ADVERSARIAL:
        start = time.perf_counter()
        bounded_search(pattern, text)
        worst = max(worst, time.perf_counter() - start)
    assert worst < 0.1, f"{pattern!r} took {worst:.3f}s"


def test_refused_shape_really_is_slow() -> None:
    # The premise of the analysis: a nested quantifier backtracks exponentially in re.
    import re

    start = time.perf_counter()
    re.search("^(\\w+\\s?)+$", "a" * 21 + "!")
    assert time.perf_counter() - start > 0.01


def test_pattern_never_runs_on_long_input() -> None:
    assert not bounded_search("a", "a" * (limits.PATTERN_INPUT_LIMIT + 1))
    validator = make_validator({"type": "string", "pattern": "a"})
    assert not validator.is_valid("a" * (limits.PATTERN_INPUT_LIMIT + 1))
    assert validator.is_valid("a" * limits.PATTERN_INPUT_LIMIT)


def test_text_with_pattern_is_length_bounded() -> None:
    spec = one_field({"type": "string", "x-type": "text", "pattern": "^a+$"})
    assert spec.schema["properties"]["f"]["maxLength"] == limits.PATTERN_INPUT_LIMIT
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission(spec, {"f": "a" * 600})
    assert {d["code"] for d in info.value.details} == {"max_length", "invalid_format"}


def test_format_checker_is_ours() -> None:
    # jsonschema's "regex" format would compile user input; ours does not know it.
    assert set(FORMAT_CHECKER.checkers) == {"date", "date-time", "email"}
    assert make_validator({"type": "string", "format": "regex"}).is_valid("(a+)+")
