"""The reference interpreter: a plain recursive walk over the rule, no compilation.

It is the executable statement of the semantics. The compiled closures must give the
same results and the same errors (code, reason, path); the tests check it on every
vector and on generated rules. It is slow on purpose: no fast paths, no folding.
"""

from __future__ import annotations

from typing import Any

from runtime import workcalendar
from runtime.rules.checker import argument_list, check
from runtime.rules.errors import RuleEvaluationError, convert_exception, evaluation_error
from runtime.rules.operators import ENV_BUDGET, MAX_WORK, OPERATORS
from runtime.rules.values import is_array, truthy
from runtime.workcalendar import WorkCalendar


def interpret(rule: Any, data: Any, *, calendar: WorkCalendar | None = None) -> Any:
    """Check and evaluate ``rule`` over ``data`` by walking it (reference semantics)."""
    check(rule)
    env = [data, calendar or workcalendar.DEFAULT_CALENDAR, MAX_WORK]
    try:
        return _eval(rule, data, env, "$")
    except RuleEvaluationError:
        raise
    except Exception as exc:
        raise convert_exception(exc, "", "$") from None


def _eval(node: Any, data: Any, env: list[Any], path: str) -> Any:
    if is_array(node):
        return [_eval(item, data, env, f"{path}[{i}]") for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    ((op, raw),) = node.items()
    args, paths = argument_list(op, raw, path)
    spec = OPERATORS[op]

    if op in ("if", "?:"):
        i = 0
        while i < len(args) - 1:
            if truthy(_eval(args[i], data, env, paths[i])):
                return _eval(args[i + 1], data, env, paths[i + 1])
            i += 2
        if len(args) % 2:
            return _eval(args[-1], data, env, paths[-1])
        return None
    if op in ("and", "or"):
        value = None
        for arg, arg_path in zip(args, paths, strict=True):
            value = _eval(arg, data, env, arg_path)
            if truthy(value) == (op == "or"):
                return value
        return value
    if spec.kind == "scoped":
        return _scoped(op, args, paths, data, env, path)

    values = [_eval(arg, data, env, arg_path) for arg, arg_path in zip(args, paths, strict=True)]
    func = spec.func
    assert func is not None
    try:
        if spec.kind == "data":
            return func(data, *values)
        if spec.kind == "env":
            return func(env, *values)
        return func(*values)
    except RuleEvaluationError:
        raise
    except Exception as exc:
        raise convert_exception(exc, op, path) from None


def _scoped(op: str, args: list[Any], paths: list[str], data: Any, env: list[Any], path: str) -> Any:
    items = _eval(args[0], data, env, paths[0])
    logic, logic_path = args[1], paths[1]
    if op == "reduce":
        # The initial value is used as written (check() guarantees it holds no rule).
        acc = _copy(args[2]) if len(args) > 2 else None
        if not is_array(items):
            return acc
        _charge(env, len(items), op, path)
        for item in items:
            acc = _eval(logic, {"current": item, "accumulator": acc}, env, logic_path)
        return acc
    if not is_array(items):
        return {"map": [], "filter": [], "all": False, "none": True, "some": False}[op]
    if not items and op in ("all", "none", "some"):
        return op == "none"
    _charge(env, len(items), op, path)
    if op == "map":
        return [_eval(logic, item, env, logic_path) for item in items]
    if op == "filter":
        return [item for item in items if truthy(_eval(logic, item, env, logic_path))]
    for item in items:
        hit = truthy(_eval(logic, item, env, logic_path))
        if op == "all" and not hit:
            return False
        if op == "none" and hit:
            return False
        if op == "some" and hit:
            return True
    return op != "some"


def _charge(env: list[Any], n: int, op: str, path: str) -> None:
    env[ENV_BUDGET] -= n
    if env[ENV_BUDGET] < 0:
        raise evaluation_error("too_expensive", op, path)


def _copy(value: Any) -> Any:
    if is_array(value):
        return [_copy(v) for v in value]
    return value
