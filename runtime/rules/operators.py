"""The operator table: names, arity, evaluation kind and value-level implementations.

Kinds decide how arguments reach an operator:

- ``value``: arguments are evaluated first, then ``func(*values)`` (pure).
- ``data``: like ``value`` but ``func(scope_data, *values)`` (``var``, ``missing``...).
- ``env``: like ``value`` but ``func(env, *values)``; env is ``[root_data, calendar, budget]``.
- ``lazy``: ``if``/``?:``/``and``/``or`` evaluate their arguments themselves.
- ``scoped``: ``map``/``filter``/``reduce``/``all``/``none``/``some`` run their second
  argument once per array element with that element as data.

The names are API: the browser implements the same table (docs/rules.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from runtime.rules import dates
from runtime.rules.errors import EvalFailure
from runtime.rules.values import (
    MAX_SAFE_INTEGER,
    arith_operand,
    check_length,
    finish_number,
    is_array,
    json_type,
    less,
    less_equal,
    loose_equal,
    strict_equal,
    to_integer,
    to_js_string,
    truthy,
)

# Work done by scoped operators (array elements visited) per evaluation.
MAX_WORK = 1_000_000

ENV_ROOT, ENV_CALENDAR, ENV_BUDGET = 0, 1, 2

_INDEX_RE = re.compile(r"(?:0|[1-9][0-9]*)\Z")


class _Absent:
    """Marks an optional argument that was not given (None is a real JSON value)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class OperatorSpec:
    """One operator: arity bounds (max None = unbounded), kind and implementation."""

    name: str
    min_args: int
    max_args: int | None
    kind: str
    func: Callable[..., Any] | None = None
    custom: bool = False

    def arity_text(self) -> str:
        """The allowed argument count as text for messages ("2", "2–3", "at least 1")."""
        if self.max_args is None:
            return f"at least {self.min_args}"
        if self.min_args == self.max_args:
            return str(self.min_args)
        return f"{self.min_args}–{self.max_args}"


# --- data access -------------------------------------------------------------------


def walk(data: Any, segments: list[str] | tuple[str, ...], default: Any) -> Any:
    """Descend ``data`` along path segments (object keys, array indexes) or return default."""
    for seg in segments:
        if isinstance(data, dict):
            if seg in data:
                data = data[seg]
            else:
                return default
        elif isinstance(data, (list, tuple)):
            # Only plain non-negative indexes: "-1" must not mean "last" (JavaScript has no such key).
            if _INDEX_RE.match(seg) and int(seg) < len(data):
                data = data[int(seg)]
            else:
                return default
        else:
            return default
    return data


def split_path(path: Any) -> list[str] | None:
    """Segments of a var path; None means "the whole data" (null or empty path)."""
    if path is None or path == "" or path is ABSENT:
        return None
    return (path if isinstance(path, str) else to_js_string(path)).split(".")


def op_var(data: Any, path: Any = None, default: Any = None) -> Any:
    """``var``: the value at a dotted path, ``default`` (or null) when absent."""
    segments = split_path(path)
    if segments is None:
        return data
    return walk(data, segments, default)


def is_missing(value: Any) -> bool:
    """JsonLogic's notion of missing (``missing``, ``missing_variables``): null or ""."""
    return value is None or (isinstance(value, str) and value == "")


def op_missing(data: Any, *keys: Any) -> list[Any]:
    """``missing``: the keys whose values are null or "" (one array argument also works)."""
    names = keys[0] if keys and is_array(keys[0]) else keys
    return [key for key in names if is_missing(op_var(data, key))]


def op_missing_some(data: Any, need: Any, keys: Any) -> list[Any]:
    """``missing_some``: [] when at least ``need`` keys are present, else the missing ones."""
    if not is_array(keys):
        raise EvalFailure("bad_argument", type=json_type(keys))
    missing = op_missing(data, keys)
    if less_equal(need, len(keys) - len(missing)):
        return []
    return missing


# --- comparison and logic ------------------------------------------------------------


def op_lt(a: Any, b: Any, c: Any = ABSENT) -> bool:
    """``<``; with three arguments, ``a < b < c``."""
    return less(a, b) and (c is ABSENT or less(b, c))


def op_le(a: Any, b: Any, c: Any = ABSENT) -> bool:
    """``<=``; with three arguments, ``a <= b <= c``."""
    return less_equal(a, b) and (c is ABSENT or less_equal(b, c))


def op_gt(a: Any, b: Any) -> bool:
    """``>``."""
    return less(b, a)


def op_ge(a: Any, b: Any) -> bool:
    """``>=``."""
    return less_equal(b, a)


# --- arithmetic ------------------------------------------------------------------------


def op_add(*values: Any) -> int | float:
    """``+``: sum; one argument casts numeric text to a number."""
    total: int | float = 0
    for v in values:
        total += arith_operand(v)
    return finish_number(total)


def op_sub(a: Any, b: Any = ABSENT) -> int | float:
    """``-``: difference, or negation with one argument."""
    if b is ABSENT:
        return finish_number(-arith_operand(a))
    return finish_number(arith_operand(a) - arith_operand(b))


def op_mul(*values: Any) -> int | float:
    """``*``: product."""
    product: int | float = 1
    for v in values:
        product *= arith_operand(v)
        # Keep integers within double range as JavaScript does, so that a long
        # product cannot grow a huge Python int.
        product = finish_number(product)
    return product


def op_div(a: Any, b: Any) -> int | float:
    """``/``: quotient; division by zero is an error (JavaScript would give Infinity/NaN)."""
    x, y = arith_operand(a), arith_operand(b)
    if y == 0:
        raise EvalFailure("division_by_zero")
    try:
        return finish_number(x / y)
    except OverflowError:
        raise EvalFailure("number_out_of_range") from None


def op_mod(a: Any, b: Any) -> int | float:
    """``%``: remainder with the sign of the dividend (JavaScript), zero divisor is an error."""
    x, y = arith_operand(a), arith_operand(b)
    if y == 0:
        raise EvalFailure("division_by_zero")
    if type(x) is int and type(y) is int:
        r = abs(x) % abs(y)
        return -r if x < 0 else r
    return finish_number(math.fmod(x, y))


def op_min(*values: Any) -> int | float | None:
    """``min``: smallest number; null when there are no arguments."""
    if not values:
        return None
    return finish_number(min(arith_operand(v) for v in values))


def op_max(*values: Any) -> int | float | None:
    """``max``: largest number; null when there are no arguments."""
    if not values:
        return None
    return finish_number(max(arith_operand(v) for v in values))


# --- arrays and text -------------------------------------------------------------------


def op_merge(*values: Any) -> list[Any]:
    """``merge``: arrays flattened one level, other values appended."""
    out: list[Any] = []
    for v in values:
        if is_array(v):
            out.extend(v)
        else:
            out.append(v)
        check_length(len(out))
    return out


def op_in(needle: Any, haystack: Any) -> bool:
    """``in``: substring of text, or element (strict equality) of an array; else false."""
    if isinstance(haystack, str):
        if needle is None:
            # JavaScript would look for the text "null"; a missing value is never found.
            return False
        return to_js_string(needle) in haystack
    if is_array(haystack):
        return any(strict_equal(needle, item) for item in haystack)
    return False


def op_cat(*values: Any) -> str:
    """``cat``: values joined as text (null as empty text, 1.0 as "1", true as "true")."""
    parts = ["" if v is None else to_js_string(v) for v in values]
    check_length(sum(len(p) for p in parts))
    return "".join(parts)


def op_substr(source: Any, start: Any, length: Any = ABSENT) -> str:
    """``substr``: characters from ``start`` (negative counts from the end), up to ``length``.

    A negative length drops that many characters from the end; null text is empty.
    """
    text = "" if source is None else to_js_string(source)
    size = len(text)
    first = to_integer(start)
    if first < 0:
        first = max(size + first, 0)
    rest = text[min(first, size) :]
    if length is ABSENT:
        return rest
    count = to_integer(length)
    if count < 0:
        return rest[: max(len(rest) + count, 0)]
    return rest[:count]


def op_length(value: Any) -> int:
    """``length``: characters of text or elements of an array; null has length 0."""
    if value is None:
        return 0
    if isinstance(value, str) or is_array(value):
        return len(value)
    raise EvalFailure("bad_argument", type=json_type(value))


def op_contains(haystack: Any, needle: Any) -> bool:
    """``contains``: text contains text, or array contains an element (strict equality)."""
    if isinstance(haystack, str):
        return isinstance(needle, str) and needle in haystack
    if is_array(haystack):
        return any(strict_equal(needle, item) for item in haystack)
    return False


def op_starts_with(text: Any, prefix: Any) -> bool:
    """``starts_with``: text begins with prefix; false unless both are text."""
    return isinstance(text, str) and isinstance(prefix, str) and text.startswith(prefix)


def op_count(value: Any) -> int:
    """``count``: number of elements (rows of a sub-table); null counts 0."""
    if value is None:
        return 0
    if is_array(value):
        return len(value)
    raise EvalFailure("bad_argument", type=json_type(value))


def op_sum(rows: Any, column: Any = ABSENT) -> int | float:
    """``sum``: total of numbers, or of one column of a sub-table; blank cells are skipped."""
    if rows is None:
        return 0
    if not is_array(rows):
        raise EvalFailure("bad_argument", type=json_type(rows))
    segments: list[str] | None = None
    if column is not ABSENT:
        if not isinstance(column, str):
            raise EvalFailure("bad_argument", type=json_type(column))
        segments = split_path(column)
    total: int | float = 0
    for row in rows:
        value = row if segments is None else walk(row, segments, None)
        if is_missing(value):
            continue  # an empty cell adds nothing, as in a spreadsheet
        total += arith_operand(value)
    return finish_number(total)


# --- dates (env-level wrappers read the root data and the calendar) ---------------------


def op_today(env: list[Any]) -> str:
    """``today``: the date of the context's ``now`` (else the clock, UTC+8)."""
    return dates.today(env[ENV_ROOT])


def op_now(env: list[Any]) -> str:
    """``now``: the context's ``now`` (else the clock, UTC+8), canonical ISO text."""
    return dates.now(env[ENV_ROOT])


def op_working_days_between(env: list[Any], start: Any, end: Any) -> int:
    """``working_days_between``: working days from start to end, both included."""
    return dates.working_days_between(env[ENV_CALENDAR], start, end)


def op_add_working_days(env: list[Any], value: Any, amount: Any) -> str:
    """``add_working_days``: the n-th working day after (or before) a date."""
    return dates.add_working_days(env[ENV_CALENDAR], value, amount)


def _spec(
    name: str, lo: int, hi: int | None, kind: str, func: Any = None, custom: bool = False
) -> OperatorSpec:
    return OperatorSpec(name, lo, hi, kind, func, custom)


_SPECS = [
    # data access
    _spec("var", 0, 2, "data", op_var),
    _spec("missing", 0, None, "data", op_missing),
    _spec("missing_some", 2, 2, "data", op_missing_some),
    # logic
    _spec("if", 0, None, "lazy"),
    _spec("?:", 3, 3, "lazy"),
    _spec("and", 1, None, "lazy"),
    _spec("or", 1, None, "lazy"),
    _spec("!", 1, 1, "value", lambda a: not truthy(a)),
    _spec("!!", 1, 1, "value", truthy),
    _spec("==", 2, 2, "value", loose_equal),
    _spec("!=", 2, 2, "value", lambda a, b: not loose_equal(a, b)),
    _spec("===", 2, 2, "value", strict_equal),
    _spec("!==", 2, 2, "value", lambda a, b: not strict_equal(a, b)),
    # numeric comparison
    _spec("<", 2, 3, "value", op_lt),
    _spec("<=", 2, 3, "value", op_le),
    _spec(">", 2, 2, "value", op_gt),
    _spec(">=", 2, 2, "value", op_ge),
    # arithmetic
    _spec("+", 0, None, "value", op_add),
    _spec("-", 1, 2, "value", op_sub),
    _spec("*", 1, None, "value", op_mul),
    _spec("/", 2, 2, "value", op_div),
    _spec("%", 2, 2, "value", op_mod),
    _spec("min", 0, None, "value", op_min),
    _spec("max", 0, None, "value", op_max),
    # arrays
    _spec("map", 2, 2, "scoped"),
    _spec("filter", 2, 2, "scoped"),
    _spec("reduce", 2, 3, "scoped"),
    _spec("all", 2, 2, "scoped"),
    _spec("none", 2, 2, "scoped"),
    _spec("some", 2, 2, "scoped"),
    _spec("merge", 0, None, "value", op_merge),
    _spec("in", 2, 2, "value", op_in),
    # text
    _spec("cat", 0, None, "value", op_cat),
    _spec("substr", 2, 3, "value", op_substr),
    # platform operators (names are API: the browser implements the same)
    _spec("date_add", 3, 3, "value", dates.date_add, True),
    _spec("days_between", 2, 2, "value", dates.days_between, True),
    _spec("working_days_between", 2, 2, "env", op_working_days_between, True),
    _spec("add_working_days", 2, 2, "env", op_add_working_days, True),
    _spec("today", 0, 0, "env", op_today, True),
    _spec("now", 0, 0, "env", op_now, True),
    _spec("length", 1, 1, "value", op_length, True),
    _spec("contains", 2, 2, "value", op_contains, True),
    _spec("starts_with", 2, 2, "value", op_starts_with, True),
    _spec("count", 1, 1, "value", op_count, True),
    _spec("sum", 1, 2, "value", op_sum, True),
]

OPERATORS: dict[str, OperatorSpec] = {s.name: s for s in _SPECS}
STANDARD_OPERATORS: frozenset[str] = frozenset(s.name for s in _SPECS if not s.custom)
CUSTOM_OPERATORS: frozenset[str] = frozenset(s.name for s in _SPECS if s.custom)

__all__ = [
    "ABSENT",
    "CUSTOM_OPERATORS",
    "ENV_BUDGET",
    "ENV_CALENDAR",
    "ENV_ROOT",
    "MAX_SAFE_INTEGER",
    "MAX_WORK",
    "OPERATORS",
    "STANDARD_OPERATORS",
    "OperatorSpec",
]
