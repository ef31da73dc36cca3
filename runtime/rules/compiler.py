"""Compile a checked rule into nested Python closures.

Each rule node becomes a closure ``node(data, env=None)``; ``env`` is ``[root_data,
calendar, budget]`` when the rule needs it (scoped or calendar/clock operators) and unused
otherwise, so the root closure of such a rule is itself the compiled rule (one Python call
per evaluation less).
Hot shapes (``var`` with a fixed path, comparisons, ``in`` a fixed list, ``and``/``or``/
``if``) get specialised closures whose fast branch handles plain numbers/text and whose
slow branch calls the same value functions as the reference interpreter, so the two
agree by construction and the tests check it.

Errors: every closure catches what its own operator raises and converts it into a
RuleEvaluationError naming that node's path (``try`` costs nothing on Python 3.11+ when
nothing is raised); errors from child nodes pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.rules.checker import argument_list
from runtime.rules.errors import RuleEvaluationError, convert_exception, evaluation_error
from runtime.rules.operators import OPERATORS, op_add, op_in, op_le, op_lt, split_path, walk
from runtime.rules.values import (
    MAX_SAFE_INTEGER,
    is_array,
    less,
    less_equal,
    loose_equal,
    strict_equal,
    truthy,
)

Node = Callable[[Any, Any], Any]

_MISS: Any = object()
_PRIMITIVE_TYPES = (type(None), bool, int, float, str)


def fresh(value: Any) -> Any:
    """A copy of a constant array so callers can never mutate the compiled rule."""
    if isinstance(value, (list, tuple)):
        return [fresh(v) for v in value]
    return value


class Compiled:
    """A compiled node plus what the compiler knows statically (constant value)."""

    __slots__ = ("const", "fn", "value")

    def __init__(self, fn: Node, const: bool = False, value: Any = None) -> None:
        self.fn = fn
        self.const = const
        self.value = value


def constant(value: Any) -> Compiled:
    """A node that returns ``value`` (a fresh copy when it is an array)."""
    if isinstance(value, (list, tuple)):
        if all(type(v) in _PRIMITIVE_TYPES for v in value):
            items = tuple(value)

            def flat(d: Any, e: Any = None) -> Any:
                return list(items)

            return Compiled(flat, True, list(items))

        snapshot = fresh(value)

        def nested(d: Any, e: Any = None) -> Any:
            return fresh(snapshot)

        return Compiled(nested, True, fresh(snapshot))

    def node(d: Any, e: Any = None) -> Any:
        return value

    return Compiled(node, True, value)


def _is_truthy(v: Any) -> bool:
    return v is True or (v is not False and truthy(v))


class Compiler:
    """Compiles one checked rule; records whether the closures need ``env``."""

    def __init__(self) -> None:
        self.needs_env = False

    def compile(self, node: Any, path: str) -> Compiled:
        """Compile any rule value at ``path``."""
        if isinstance(node, dict):
            ((op, raw),) = node.items()
            return self.operator(op, raw, path)
        if isinstance(node, (list, tuple)):
            items = [self.compile(v, f"{path}[{i}]") for i, v in enumerate(node)]
            if all(c.const for c in items):
                return constant([c.value for c in items])
            fns = [c.fn for c in items]

            def array(d: Any, e: Any = None) -> Any:
                return [f(d, e) for f in fns]

            return Compiled(array)
        return constant(node)

    def operator(self, op: str, raw: Any, path: str) -> Compiled:
        spec = OPERATORS[op]
        args, paths = argument_list(op, raw, path)
        if spec.kind == "lazy":
            return self.lazy(op, args, paths)
        if spec.kind == "scoped":
            self.needs_env = True
            return self.scoped(op, args, paths, path)
        compiled = [self.compile(a, p) for a, p in zip(args, paths, strict=True)]
        func = spec.func
        assert func is not None
        if op == "var":
            fast = _var_fast(compiled, path)
            if fast is not None:
                return fast
        if spec.kind == "value":
            if all(c.const for c in compiled):
                folded = _fold(func, compiled)
                if folded is not None:
                    return folded
            special = _value_fast(op, compiled, path)
            if special is not None:
                return Compiled(special)
            return Compiled(_value_node(op, func, [c.fn for c in compiled], path))
        if spec.kind == "env":
            self.needs_env = True
        return Compiled(_context_node(op, spec.kind, func, [c.fn for c in compiled], path))

    # --- if / ?: / and / or ----------------------------------------------------------------

    def lazy(self, op: str, args: list[Any], paths: list[str]) -> Compiled:
        parts = [self.compile(a, p) for a, p in zip(args, paths, strict=True)]
        fns = [c.fn for c in parts]
        if op in ("and", "or"):
            if len(parts) == 1:
                return parts[0]
            return Compiled(_and_node(fns) if op == "and" else _or_node(fns))
        if not parts:
            return constant(None)
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            cond, then = fns

            def if2(d: Any, e: Any = None) -> Any:
                v = cond(d, e)
                if v is True or (v is not False and truthy(v)):
                    return then(d, e)
                return None

            return Compiled(if2)
        if len(parts) == 3:
            cond, then, other = fns

            def if3(d: Any, e: Any = None) -> Any:
                v = cond(d, e)
                if v is True or (v is not False and truthy(v)):
                    return then(d, e)
                return other(d, e)

            return Compiled(if3)
        pairs = [(fns[i], fns[i + 1]) for i in range(0, len(fns) - 1, 2)]
        last = fns[-1] if len(fns) % 2 else None

        def if_n(d: Any, e: Any = None) -> Any:
            for cond_fn, then_fn in pairs:
                if _is_truthy(cond_fn(d, e)):
                    return then_fn(d, e)
            return last(d, e) if last is not None else None

        return Compiled(if_n)

    # --- map / filter / reduce / all / none / some ------------------------------------------

    def scoped(self, op: str, args: list[Any], paths: list[str], path: str) -> Compiled:
        src = self.compile(args[0], paths[0]).fn
        body = self.compile(args[1], paths[1]).fn

        def charge(e: list[Any], n: int) -> None:
            # One budget for the whole evaluation: nested loops multiply.
            e[2] -= n
            if e[2] < 0:
                raise evaluation_error("too_expensive", op, path)

        if op == "map":

            def map_node(d: Any, e: Any = None) -> Any:
                arr = src(d, e)
                if not is_array(arr):
                    return []
                charge(e, len(arr))
                return [body(x, e) for x in arr]

            return Compiled(map_node)
        if op == "filter":

            def filter_node(d: Any, e: Any = None) -> Any:
                arr = src(d, e)
                if not is_array(arr):
                    return []
                charge(e, len(arr))
                return [x for x in arr if _is_truthy(body(x, e))]

            return Compiled(filter_node)
        if op == "reduce":
            # Snapshot: the cached closure must not see later changes to the caller's rule object.
            initial = fresh(args[2]) if len(args) > 2 else None

            def reduce_node(d: Any, e: Any = None) -> Any:
                arr = src(d, e)
                acc = fresh(initial)
                if not is_array(arr):
                    return acc
                charge(e, len(arr))
                for x in arr:
                    acc = body({"current": x, "accumulator": acc}, e)
                return acc

            return Compiled(reduce_node)
        if op == "all":

            def all_node(d: Any, e: Any = None) -> Any:
                arr = src(d, e)
                if not is_array(arr) or not arr:
                    return False  # "all" of nothing is false in JsonLogic
                charge(e, len(arr))
                for x in arr:
                    if not _is_truthy(body(x, e)):
                        return False
                return True

            return Compiled(all_node)
        if op == "none":

            def none_node(d: Any, e: Any = None) -> Any:
                arr = src(d, e)
                if not is_array(arr) or not arr:
                    return True
                charge(e, len(arr))
                for x in arr:
                    if _is_truthy(body(x, e)):
                        return False
                return True

            return Compiled(none_node)

        def some_node(d: Any, e: Any = None) -> Any:
            arr = src(d, e)
            if not is_array(arr) or not arr:
                return False
            charge(e, len(arr))
            for x in arr:
                if _is_truthy(body(x, e)):
                    return True
            return False

        return Compiled(some_node)


# --- generic closures ------------------------------------------------------------------------


def _value_node(name: str, func: Callable[..., Any], fns: list[Node], path: str) -> Node:
    n = len(fns)
    if n == 1:
        (f0,) = fns

        def node1(d: Any, e: Any = None) -> Any:
            try:
                return func(f0(d, e))
            except RuleEvaluationError:
                raise
            except Exception as exc:
                raise convert_exception(exc, name, path) from None

        return node1
    if n == 2:
        f0, f1 = fns

        def node2(d: Any, e: Any = None) -> Any:
            try:
                return func(f0(d, e), f1(d, e))
            except RuleEvaluationError:
                raise
            except Exception as exc:
                raise convert_exception(exc, name, path) from None

        return node2

    def node_n(d: Any, e: Any = None) -> Any:
        try:
            return func(*[f(d, e) for f in fns])
        except RuleEvaluationError:
            raise
        except Exception as exc:
            raise convert_exception(exc, name, path) from None

    return node_n


def _context_node(name: str, kind: str, func: Callable[..., Any], fns: list[Node], path: str) -> Node:
    """``data`` operators get the scope data first, ``env`` operators the env."""
    if kind == "data":

        def data_node(d: Any, e: Any = None) -> Any:
            try:
                return func(d, *[f(d, e) for f in fns])
            except RuleEvaluationError:
                raise
            except Exception as exc:
                raise convert_exception(exc, name, path) from None

        return data_node

    def env_node(d: Any, e: Any = None) -> Any:
        try:
            return func(e, *[f(d, e) for f in fns])
        except RuleEvaluationError:
            raise
        except Exception as exc:
            raise convert_exception(exc, name, path) from None

    return env_node


def _fold(func: Callable[..., Any], compiled: list[Compiled]) -> Compiled | None:
    """Evaluate a pure operator over constants once; errors stay for evaluation time."""
    try:
        result = func(*[fresh(c.value) for c in compiled])
    except Exception:
        return None  # raised again, with its path, when the rule is evaluated
    if type(result) in _PRIMITIVE_TYPES:
        return constant(result)
    return None


def _and_node(fns: list[Node]) -> Node:
    if len(fns) == 2:
        f0, f1 = fns

        def and2(d: Any, e: Any = None) -> Any:
            v = f0(d, e)
            if v is True or (v is not False and truthy(v)):
                return f1(d, e)
            return v

        return and2

    def and_n(d: Any, e: Any = None) -> Any:
        v = None
        for f in fns:
            v = f(d, e)
            if not (v is True or (v is not False and truthy(v))):
                return v
        return v

    return and_n


def _or_node(fns: list[Node]) -> Node:
    if len(fns) == 2:
        f0, f1 = fns

        def or2(d: Any, e: Any = None) -> Any:
            v = f0(d, e)
            if v is True or (v is not False and truthy(v)):
                return v
            return f1(d, e)

        return or2

    def or_n(d: Any, e: Any = None) -> Any:
        v = None
        for f in fns:
            v = f(d, e)
            if v is True or (v is not False and truthy(v)):
                return v
        return v

    return or_n


# --- specialised closures ----------------------------------------------------------------------


def _var_fast(compiled: list[Compiled], path: str) -> Compiled | None:
    """``var`` with a literal path (and literal default): walk plain dicts inline."""
    if not all(c.const for c in compiled):
        return None
    var_path = compiled[0].value if compiled else None
    default = compiled[1].value if len(compiled) > 1 else None
    if isinstance(default, (list, tuple)):
        return None  # needs a fresh copy per evaluation: leave it to the generic node
    segments = split_path(var_path)
    if segments is None:

        def whole(d: Any, e: Any = None) -> Any:
            return d

        return Compiled(whole)
    segs = tuple(segments)

    def slow(d: Any) -> Any:
        # Lists, other mappings, missing or scalar intermediates: the general walk.
        try:
            return walk(d, segs, default)
        except Exception as exc:  # e.g. a mapping type from a Python caller that fails
            raise convert_exception(exc, "var", path) from None

    if len(segs) == 1:
        (k0,) = segs

        def var1(d: Any, e: Any = None) -> Any:
            if type(d) is dict:
                v = d.get(k0, _MISS)
                return default if v is _MISS else v
            return slow(d)

        return Compiled(var1)
    if len(segs) == 2:
        k0, k1 = segs

        def var2(d: Any, e: Any = None) -> Any:
            if type(d) is dict:
                v = d.get(k0, _MISS)
                if type(v) is dict:
                    v = v.get(k1, _MISS)
                    return default if v is _MISS else v
            return slow(d)

        return Compiled(var2)

    def var_n(d: Any, e: Any = None) -> Any:
        v = d
        for k in segs:
            if type(v) is not dict:
                return slow(d)
            v = v.get(k, _MISS)
            if v is _MISS:
                return default
        return v

    return Compiled(var_n)


def _value_fast(op: str, compiled: list[Compiled], path: str) -> Node | None:
    """Specialised closures for the hottest operators; None when no special case applies."""
    if len(compiled) == 3 and op in ("<", "<="):
        return _between(op, compiled, path)
    if len(compiled) != 2:
        return None
    a, b = compiled
    f0, f1 = a.fn, b.fn
    if op in (">", "<", ">=", "<="):
        return _comparison(op, a, b, path)
    if op in ("==", "!=", "===", "!=="):
        slow = loose_equal if op in ("==", "!=") else strict_equal
        negate = op in ("!=", "!==")

        def eq(d: Any, e: Any = None) -> Any:
            x = f0(d, e)
            y = f1(d, e)
            tx = type(x)
            try:
                if tx is type(y) and (tx is str or tx is int or tx is float):
                    return (x != y) if negate else (x == y)
                r = slow(x, y)
                return (not r) if negate else r
            except Exception as exc:
                raise convert_exception(exc, op, path) from None

        return eq
    if op == "in" and b.const and is_array(b.value) and all(type(v) is str for v in b.value):
        members = frozenset(b.value)
        haystack = tuple(b.value)

        def in_strings(d: Any, e: Any = None) -> Any:
            x = f0(d, e)
            if type(x) is str:
                return x in members
            try:
                return op_in(x, haystack)
            except Exception as exc:
                raise convert_exception(exc, op, path) from None

        return in_strings
    if op == "+":

        def add2(d: Any, e: Any = None) -> Any:
            x = f0(d, e)
            y = f1(d, e)
            if type(x) is int and type(y) is int:
                r = x + y
                if -MAX_SAFE_INTEGER <= r <= MAX_SAFE_INTEGER:
                    return r
            try:
                return op_add(x, y)
            except Exception as exc:
                raise convert_exception(exc, op, path) from None

        return add2
    return None


def _between(op: str, compiled: list[Compiled], path: str) -> Node | None:
    """``{"<=": [1, x, 3]}`` with number bounds: one chained comparison on the fast branch."""
    low, mid, high = compiled
    numbers = (int, float)
    if not (low.const and high.const and type(low.value) in numbers and type(high.value) in numbers):
        return None
    lo, hi, f1 = low.value, high.value, mid.fn
    slow = op_lt if op == "<" else op_le
    if op == "<":

        def between_open(d: Any, e: Any = None) -> Any:
            x = f1(d, e)
            tx = type(x)
            if tx is int or tx is float:
                return lo < x < hi
            return _slow_between(slow, lo, x, hi, op, path)

        return between_open

    def between_closed(d: Any, e: Any = None) -> Any:
        x = f1(d, e)
        tx = type(x)
        if tx is int or tx is float:
            return lo <= x <= hi
        return _slow_between(slow, lo, x, hi, op, path)

    return between_closed


def _slow_between(slow: Callable[..., bool], lo: Any, x: Any, hi: Any, op: str, path: str) -> bool:
    try:
        return slow(lo, x, hi)
    except Exception as exc:
        raise convert_exception(exc, op, path) from None


def _comparison(op: str, a: Compiled, b: Compiled, path: str) -> Node:
    # a > b is b < a: one slow function per strictness keeps the semantics in values.py.
    strict = op in ("<", ">")
    slow = less if strict else less_equal
    swap = op in (">", ">=")
    f0, f1 = a.fn, b.fn
    if b.const and type(b.value) in (int, float):
        c = b.value
        if op == ">":

            def gt_const(d: Any, e: Any = None) -> Any:
                x = f0(d, e)
                tx = type(x)
                if tx is int or tx is float:
                    return x > c
                return _slow_compare(slow, c, x, op, path)

            return gt_const
        if op == ">=":

            def ge_const(d: Any, e: Any = None) -> Any:
                x = f0(d, e)
                tx = type(x)
                if tx is int or tx is float:
                    return x >= c
                return _slow_compare(slow, c, x, op, path)

            return ge_const
        if op == "<":

            def lt_const(d: Any, e: Any = None) -> Any:
                x = f0(d, e)
                tx = type(x)
                if tx is int or tx is float:
                    return x < c
                return _slow_compare(slow, x, c, op, path)

            return lt_const

        def le_const(d: Any, e: Any = None) -> Any:
            x = f0(d, e)
            tx = type(x)
            if tx is int or tx is float:
                return x <= c
            return _slow_compare(slow, x, c, op, path)

        return le_const

    def compare(d: Any, e: Any = None) -> Any:
        x = f0(d, e)
        y = f1(d, e)
        if swap:
            x, y = y, x
        tx, ty = type(x), type(y)
        if (tx is int or tx is float) and (ty is int or ty is float):
            return x < y if strict else x <= y
        return _slow_compare(slow, x, y, op, path)

    return compare


def _slow_compare(slow: Callable[[Any, Any], bool], x: Any, y: Any, op: str, path: str) -> bool:
    try:
        return slow(x, y)
    except Exception as exc:
        raise convert_exception(exc, op, path) from None


def compile_checked(rule: Any) -> tuple[Node, bool]:
    """Compile a rule that already passed check(); returns (root closure, needs_env)."""
    compiler = Compiler()
    root = compiler.compile(rule, "$")
    return root.fn, compiler.needs_env


__all__ = ["Compiled", "Compiler", "Node", "compile_checked", "constant", "fresh"]
