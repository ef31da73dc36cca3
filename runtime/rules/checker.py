"""Static validation of rules: operators, arity, JSON-ness and size limits.

Paths name the place in the rule JSON: ``$`` is the rule, ``.op`` an operator's
argument (``$.var`` when the argument is not in an array), ``[i]`` the i-th element of
an argument array, e.g. ``$.and[1].>[0]``.
"""

from __future__ import annotations

import math
from typing import Any

from runtime.rules.errors import RuleInvalid, invalid
from runtime.rules.operators import MAX_SAFE_INTEGER, OPERATORS

# Limits keep rules readable and evaluation cheap; the verifier reports them at publish time.
MAX_NODES = 2000
MAX_DEPTH = 32
MAX_STRING_LENGTH = 1000


def argument_list(op: str, raw: Any, path: str) -> tuple[list[Any], list[str]]:
    """An operator's arguments as a list with their paths (a lone argument is wrapped)."""
    if isinstance(raw, (list, tuple)):
        base = f"{path}.{op}"
        return list(raw), [f"{base}[{i}]" for i in range(len(raw))]
    return [raw], [f"{path}.{op}"]


def check(rule: Any) -> None:
    """Raise RuleInvalid (naming the JSON path) unless ``rule`` is a valid, bounded rule."""
    _Checker().visit(rule, "$", 0)


class _Checker:
    def __init__(self) -> None:
        self.nodes = 0

    def visit(self, node: Any, path: str, depth: int) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise invalid("too_many_nodes", "$", limit=MAX_NODES)
        t = type(node)
        if node is None or t is bool:
            return
        if t is int:
            if abs(node) > MAX_SAFE_INTEGER:
                # The browser holds numbers as doubles; larger integers would differ there.
                raise invalid("number_out_of_range", path)
            return
        if t is float:
            if not math.isfinite(node):
                raise invalid("number_out_of_range", path)
            return
        if t is str:
            if len(node) > MAX_STRING_LENGTH:
                raise invalid("string_too_long", path, limit=MAX_STRING_LENGTH)
            return
        if t is list or t is tuple:
            if depth >= MAX_DEPTH:
                raise invalid("too_deep", path, limit=MAX_DEPTH)
            for i, item in enumerate(node):
                self.visit(item, f"{path}[{i}]", depth + 1)
            return
        if t is dict:
            self.visit_operator(node, path, depth)
            return
        raise invalid("not_json", path, type=t.__name__)

    def visit_operator(self, node: dict[Any, Any], path: str, depth: int) -> None:
        if len(node) != 1:
            raise invalid("not_operator_object", path)
        ((op, raw),) = node.items()
        if type(op) is not str:
            raise invalid("not_json", path, type=f"{type(op).__name__} key")
        spec = OPERATORS.get(op)
        if spec is None:
            raise invalid("unknown_operator", path, operator=op[:100])
        if depth >= MAX_DEPTH:
            raise invalid("too_deep", path, limit=MAX_DEPTH)
        args, paths = argument_list(op, raw, path)
        count = len(args)
        if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
            raise invalid("arity", path, operator=op, expected=spec.arity_text(), count=count)
        for item, item_path in zip(args, paths, strict=True):
            self.visit(item, item_path, depth + 1)
        # After the arguments were visited, so that they are known to be bounded JSON.
        self.static_arguments(op, args, paths)

    def static_arguments(self, op: str, args: list[Any], paths: list[str]) -> None:
        """Checks of literal arguments that would otherwise only fail at evaluation."""
        if op == "var" and args:
            p = args[0]
            if not (p is None or type(p) is str or type(p) is int or type(p) is dict):
                raise invalid("bad_var_path", paths[0])
        elif op == "date_add":
            unit = args[2]
            if type(unit) is not dict and unit not in ("days", "hours"):
                raise invalid("bad_unit", paths[2], operator=op)
        elif op == "sum" and len(args) == 2:
            column = args[1]
            if type(column) is not dict and type(column) is not str:
                raise invalid("bad_column", paths[1], operator=op)
        elif op == "reduce" and len(args) == 3 and _contains_rule(args[2]):
            # JsonLogic (json-logic-js, qubit) uses the initial value as written, unevaluated.
            raise invalid("bad_initial", paths[2])


def _contains_rule(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_rule(v) for v in value)
    return False


__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_STRING_LENGTH", "RuleInvalid", "argument_list", "check"]
