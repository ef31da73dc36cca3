"""Value semantics shared by the compiler and the reference interpreter.

These follow JavaScript (json-logic-js runs the same rules in the browser) except
where docs/rules.md records a deliberate decision: a missing value (``null``) and
blank text are never silently numbers, comparisons involving them are false, and
arithmetic that JavaScript would turn into ``NaN``/``Infinity`` is an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from runtime.rules.errors import EvalFailure

# JavaScript numbers are IEEE doubles: integers beyond this lose precision there,
# so results beyond it are carried as floats here too.
MAX_SAFE_INTEGER = 2**53 - 1

# Results of cat/merge bigger than this are refused (a rule must not exhaust memory).
MAX_RESULT_LENGTH = 1_000_000

NAN = float("nan")

# ECMAScript WhiteSpace + LineTerminator; Python's str.strip() would also strip
# \x1c-\x1f and \x85, which JavaScript's Number() does not.
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_INT_RE = re.compile(r"[+-]?[0-9]{1,15}\Z")
_RADIX_RE = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)\Z")
_RADIX = {"x": 16, "o": 8, "b": 2}
_PRIMITIVES = (str, bool, int, float, Decimal)


def json_type(value: Any) -> str:
    """Return the JSON type name of ``value`` (used in messages instead of the value)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "unsupported"


def is_array(value: Any) -> bool:
    """Return whether ``value`` is a JSON array (tuples are accepted from Python callers)."""
    return isinstance(value, (list, tuple))


def truthy(value: Any) -> bool:
    """JsonLogic truthiness: JavaScript's, except that an empty array is falsy."""
    if value is True:
        return True
    if value is False or value is None:
        return False
    if isinstance(value, str):
        return value != ""
    if isinstance(value, (list, tuple)):
        return len(value) > 0
    if isinstance(value, (int, float)):
        # NaN is falsy in JavaScript; `value == value` is false only for NaN.
        return value == value and value != 0
    if isinstance(value, Decimal):
        # Comparing a signalling NaN raises, so test for NaN first.
        return not value.is_nan() and value != 0
    # Objects ({} included) are truthy in JavaScript, unlike Python's bool({}).
    return True


def string_to_number(text: str) -> int | float:
    """JavaScript's Number(text), except that blank text is NaN rather than 0."""
    s = text.strip(_JS_WHITESPACE)
    if not s:
        return NAN
    if _INT_RE.match(s):
        return int(s)
    if _DECIMAL_RE.match(s):
        return _normal(float(s))
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    if _RADIX_RE.match(s):
        return _normal(int(s[2:], _RADIX[s[1].lower()]))
    return NAN


def _normal(x: int | float) -> int | float:
    """Integral values within the safe range as int, everything else as float."""
    if type(x) is float:
        if x.is_integer() and -MAX_SAFE_INTEGER <= x <= MAX_SAFE_INTEGER:
            return int(x)
        return x
    if -MAX_SAFE_INTEGER <= x <= MAX_SAFE_INTEGER:
        return x
    return float(x)


def to_number(value: Any) -> int | float:
    """JavaScript ToNumber for comparisons; null, blank text, arrays and objects give NaN."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, Decimal):
        return _normal(float(value))
    return NAN


def arith_operand(value: Any) -> int | float:
    """A number for arithmetic: numbers and numeric text; anything else is an error."""
    t = type(value)
    if t is int or t is float:
        if t is float and not math.isfinite(value):
            raise EvalFailure("not_a_number", type="number")
        return value
    if isinstance(value, bool) or value is None:
        # true + 1 or null + 1 would be 2 / NaN in JavaScript: refused here.
        raise EvalFailure("not_a_number", type=json_type(value))
    if isinstance(value, str):
        n = string_to_number(value)
        if n != n or n in (math.inf, -math.inf):
            raise EvalFailure("not_a_number", type="string")
        return n
    if isinstance(value, int):
        return int(value)
    if isinstance(value, (float, Decimal)):
        f = float(value)
        if not math.isfinite(f):
            raise EvalFailure("not_a_number", type="number")
        return _normal(f)
    raise EvalFailure("not_a_number", type=json_type(value))


def finish_number(x: int | float) -> int | float:
    """Normalise an arithmetic result; NaN and infinities (not JSON) are errors."""
    if type(x) is float and not math.isfinite(x):
        raise EvalFailure("number_out_of_range")
    try:
        return _normal(x)
    except OverflowError:
        raise EvalFailure("number_out_of_range") from None


def to_integer(value: Any) -> int:
    """JavaScript ToIntegerOrInfinity over our ToNumber (NaN becomes 0), clamped to int."""
    n = to_number(value)
    if n != n:
        return 0
    if n in (math.inf, -math.inf):
        return MAX_SAFE_INTEGER if n > 0 else -MAX_SAFE_INTEGER
    return int(n)


def number_to_string(x: int | float) -> str:
    """Format a number as JavaScript's String(number) does (1.0 → "1", 1e21 → "1e+21")."""
    if type(x) is int and -(10**21) < x < 10**21:
        return str(x)
    x = float(x)
    if x != x:
        return "NaN"
    if x in (math.inf, -math.inf):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest round-tripping digits, as ECMAScript requires.
    t = Decimal(repr(abs(x))).as_tuple()
    digits = "".join(str(d) for d in t.digits).rstrip("0") or "0"
    exponent = int(t.exponent) + (len(t.digits) - len(digits))
    k = len(digits)
    n = exponent + k  # value = 0.digits × 10**n
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return sign + mantissa + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def to_js_string(value: Any) -> str:
    """JavaScript String(value) for JSON values (arrays joined with commas)."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_to_string(value)
    if isinstance(value, Decimal):
        return number_to_string(_normal(float(value)))
    if isinstance(value, (list, tuple)):
        return join_strings(value, ",")
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def join_strings(values: Iterable[Any], separator: str) -> str:
    """Array.prototype.join: null elements become empty text."""
    return separator.join("" if v is None else to_js_string(v) for v in values)


def _plain_number(value: Any) -> int | float | None:
    """The numeric value of a non-boolean number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return _normal(float(value))
    return None


def strict_equal(a: Any, b: Any) -> bool:
    """``===``: same JSON type and value; arrays and objects compare deeply."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    na, nb = _plain_number(a), _plain_number(b)
    if na is not None or nb is not None:
        return na is not None and nb is not None and na == nb
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if is_array(a) and is_array(b):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(strict_equal(a[k], b[k]) for k in a)
    return False


def loose_equal(a: Any, b: Any) -> bool:
    """``==``: JavaScript abstract equality for primitives, deep equality for containers."""
    if a is None or b is None:
        return a is None and b is None
    a_container = isinstance(a, (list, tuple, dict))
    b_container = isinstance(b, (list, tuple, dict))
    if a_container or b_container:
        return a_container and b_container and strict_equal(a, b)
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, _PRIMITIVES) and isinstance(b, _PRIMITIVES):
        # Booleans and text are compared as numbers, as in JavaScript ("1" == 1, true == 1).
        return to_number(a) == to_number(b)
    return False


def less(a: Any, b: Any) -> bool:
    """``a < b``: false with null, arrays or objects; text with text compares as text."""
    if a is None or b is None:
        return False
    if isinstance(a, str) and isinstance(b, str):
        return a < b
    if isinstance(a, (list, tuple, dict)) or isinstance(b, (list, tuple, dict)):
        return False
    return to_number(a) < to_number(b)


def less_equal(a: Any, b: Any) -> bool:
    """``a <= b`` with the same rules as :func:`less` (NaN makes it false)."""
    if a is None or b is None:
        return False
    if isinstance(a, str) and isinstance(b, str):
        return a <= b
    if isinstance(a, (list, tuple, dict)) or isinstance(b, (list, tuple, dict)):
        return False
    return to_number(a) <= to_number(b)


def check_length(size: int) -> None:
    """Refuse results (text or arrays) beyond MAX_RESULT_LENGTH."""
    if size > MAX_RESULT_LENGTH:
        raise EvalFailure("result_too_large")
