"""What a rule reads: variable paths for the verifier and for missing-data checks.

Reads are found statically (every branch counts, taken or not), which is what the
verifier wants ("conditions refer to fields that exist") and what a gateway wants
before routing ("never route on a value that is not there").

Inside ``map``/``filter``/``all``/``none``/``some``/``reduce`` over a fixed ``var``,
element-relative variables are reported under the array's path, so
``{"some": [{"var": "form.items"}, {">": [{"var": "price"}, 100]}]}`` reads
``form.items`` and ``form.items.price`` (sub-table columns are keyed the same way in
form specs). ``sum`` with a column reads ``<array>.<column>`` likewise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.rules.checker import argument_list
from runtime.rules.values import to_js_string

_SCOPED = frozenset({"map", "filter", "all", "none", "some", "reduce"})


@dataclass(frozen=True)
class Read:
    """One variable read by a rule."""

    path: str  # dotted path from the top-level data ("form.amount", "form.items.price")
    has_default: bool  # var with a default value: a missing value is anticipated
    top_level: bool  # read from the top-level data (not per element of an array)
    tested: bool  # named by missing/missing_some, i.e. the rule checks it is present


@dataclass(frozen=True)
class Analysis:
    """All reads of a rule and whether it has var paths computed at evaluation time."""

    reads: tuple[Read, ...]
    dynamic: bool

    def paths(self) -> set[str]:
        """Every statically known path the rule reads."""
        return {r.path for r in self.reads}

    def required(self) -> tuple[str, ...]:
        """Top-level paths read without a default and not tested by missing/missing_some."""
        seen: dict[str, None] = {}
        for r in self.reads:
            if r.top_level and not r.has_default and not r.tested:
                seen.setdefault(r.path)
        return tuple(seen)


class _Scope:
    """Where ``var`` paths are resolved: the top level, an element of a known array, or unknown."""

    def __init__(self, prefix: str | None, top: bool, reduce: bool = False) -> None:
        self.prefix = prefix  # None: unknown (array computed by an expression)
        self.top = top
        self.reduce = reduce

    def resolve(self, path: str) -> str | None:
        if self.top:
            return path
        if self.prefix is None:
            return None
        if self.reduce:
            # Inside reduce the data is {"current": element, "accumulator": ...}.
            head, _, rest = path.partition(".")
            if head != "current":
                return None
            path = rest
        if not path:
            return None  # the element itself: the array path is already recorded
        return f"{self.prefix}.{path}"


TOP = _Scope("", top=True)


def _static_path(value: Any) -> str | None:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return to_js_string(value)
    return None


def analyse(rule: Any) -> Analysis:
    """Collect the reads of a checked rule."""
    walker = _Walker()
    walker.visit(rule, TOP)
    return Analysis(tuple(walker.reads), walker.dynamic)


class _Walker:
    def __init__(self) -> None:
        self.reads: list[Read] = []
        self.dynamic = False

    def add(self, scope: _Scope, path: str, *, has_default: bool, tested: bool = False) -> None:
        if not path and scope.top:
            return  # {"var": ""}: the whole context, not a field
        resolved = scope.resolve(path)
        if resolved:
            self.reads.append(Read(resolved, has_default, scope.top, tested))

    def visit(self, node: Any, scope: _Scope) -> None:
        if isinstance(node, (list, tuple)):
            for item in node:
                self.visit(item, scope)
            return
        if not isinstance(node, dict):
            return
        ((op, raw),) = node.items()
        args, _ = argument_list(op, raw, "$")
        if op == "var":
            self.visit_var(args, scope)
        elif op in ("missing", "missing_some"):
            names = args[1] if op == "missing_some" else args
            if op == "missing" and names and isinstance(names[0], (list, tuple)):
                names = names[0]
            for name in names if isinstance(names, (list, tuple)) else [names]:
                path = _static_path(name)
                if path is not None and not isinstance(name, dict):
                    self.add(scope, path, has_default=False, tested=True)
                else:
                    self.visit(name, scope)
            if op == "missing_some":
                self.visit(args[0], scope)
        elif op in _SCOPED:
            self.visit(args[0], scope)
            inner = _Scope(self.array_path(args[0], scope), top=False, reduce=op == "reduce")
            self.visit(args[1], inner)
        elif op == "sum" and len(args) == 2:
            self.visit(args[0], scope)
            base = self.array_path(args[0], scope)
            if base is not None and isinstance(args[1], str) and args[1]:
                self.reads.append(Read(f"{base}.{args[1]}", False, False, False))
            self.visit(args[1], scope)
        else:
            for arg in args:
                self.visit(arg, scope)

    def visit_var(self, args: list[Any], scope: _Scope) -> None:
        path_arg = args[0] if args else None
        has_default = len(args) > 1
        if isinstance(path_arg, dict):
            self.dynamic = True  # the path is computed at evaluation time
            self.visit(path_arg, scope)
        else:
            path = _static_path(path_arg)
            if path is not None:
                self.add(scope, path, has_default=has_default)
        if has_default:
            self.visit(args[1], scope)

    def array_path(self, node: Any, scope: _Scope) -> str | None:
        """The full path of an array given as a literal-path var without default, else None."""
        if not (isinstance(node, dict) and len(node) == 1 and "var" in node):
            return None
        args, _ = argument_list("var", node["var"], "$")
        if not args or isinstance(args[0], dict):
            return None
        path = _static_path(args[0])
        if path is None:
            return None
        if not path:
            return scope.prefix if not scope.top else None
        return scope.resolve(path)
