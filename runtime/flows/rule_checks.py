"""Static checks of the JSON-logic rules inside a flow (pure Python).

Syntax and size limits come from ``runtime.rules.check``. On top of that this module
knows what the flow context holds (``form.*``, ``initiator.*``, ``urgent``, ``now``)
and what kind of value each form field holds, so it can say "amount is a number and
you compare it with the text '5000'" before anyone runs the flow.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from platform_core.errors import PlatformError
from runtime.flows import rules_bridge
from runtime.flows.issues import Issue, make_issue
from runtime.flows.registries import node_type_registry
from runtime.flows.spec import FlowSpec, NodeSpec
from runtime.forms.dictionary import DictionaryIndex
from runtime.forms.spec import FieldInfo

CONTEXT_ROOTS = ("form", "initiator", "urgent", "now")
INITIATOR_KEYS = ("id", "name", "department_id", "department", "roles", "positions")
COMPARISONS = ("==", "===", "!=", "!==", ">", ">=", "<", "<=")
EQUALITY = ("==", "===", "!=", "!==")
# Operators whose later arguments run once per array item with their own "var" scope.
SCOPED = ("map", "filter", "reduce", "all", "some", "none")
_ORDERABLE_LITERALS = {"number": ("number",), "date": ("string",), "datetime": ("string",)}


class RuleSite:
    """Where a rule lives: an edge condition or a rule inside a node config."""

    def __init__(
        self, rule: Any, *, edge_id: str | None = None, node_id: str | None = None, where: str
    ) -> None:
        self.rule = rule
        self.edge_id = edge_id
        self.node_id = node_id
        self.where = where

    def issue(self, code: str, **params: Any) -> Issue:
        """Build an issue located at this site."""
        return make_issue(code, node_id=self.node_id, edge_id=self.edge_id, where=self.where, **params)


def rule_sites(spec: FlowSpec) -> Iterator[RuleSite]:
    """Yield every rule of the flow: edge conditions, then rules inside node configs."""
    for edge in spec.edges:
        if edge.condition is not None:
            yield RuleSite(
                edge.condition, edge_id=edge.id, node_id=edge.source, where=f"connection “{edge.id}”"
            )
    for node in spec.nodes:
        if config_ok(node):
            for path, rule in node_type_registry.get(node.type).rules(node):
                yield RuleSite(rule, node_id=node.id, where=f"node “{node.label}” ({path})")


def config_ok(node: NodeSpec) -> bool:
    """Return True when the node's type is known and its config has the right shape."""
    return node.type in node_type_registry and node_type_registry.get(node.type).config_ok(node)


def rule_syntax_issues(spec: FlowSpec) -> list[Issue]:
    """Return an issue for every rule that is malformed or over the size limits."""
    issues = []
    for site in rule_sites(spec):
        try:
            rules_bridge.check(site.rule)
        except PlatformError as exc:  # RuleInvalid: names the path inside the rule
            issues.append(
                site.issue(
                    "rule_invalid",
                    detail=exc.formatted(),
                    rule_error=dict(exc.details) if isinstance(exc.details, Mapping) else {},
                )
            )
    return issues


# ---------------------------------------------------------------- variables and fields


def var_path(node: Any) -> str | None:
    """Return the path of a ``{"var": ...}`` node, or None when ``node`` is not a var."""
    if not isinstance(node, Mapping) or len(node) != 1 or "var" not in node:
        return None
    arg = node["var"]
    if isinstance(arg, list):
        arg = arg[0] if arg else ""
    return str(arg) if isinstance(arg, (str, int)) and not isinstance(arg, bool) else None


def field_for_path(path: str, fields: Mapping[str, FieldInfo]) -> tuple[FieldInfo | None, str | None]:
    """Return the field a ``form.*`` path reads and the kind of value it yields there."""
    parts = [p for p in path.split(".")[1:] if not p.isdigit()]  # row indexes: items.0.price
    for n in range(len(parts), 0, -1):
        info = fields.get(".".join(parts[:n]))
        if info is None:
            continue
        rest = parts[n:]
        if not rest:
            return info, info.value_kind
        if info.value_kind == "date_range" and rest in (["start"], ["end"]):
            return info, "date"
        return None, None
    return None, None


def variable_issues(site: RuleSite, fields: Mapping[str, FieldInfo]) -> list[Issue]:
    """Return issues for variables outside the flow context and form fields that do not exist."""
    issues = []
    try:
        paths = rules_bridge.variables(site.rule)
    except PlatformError:
        return []  # already reported as rule_invalid
    for path in sorted(paths):
        root, _, rest = path.partition(".")
        if root == "form" and rest:
            info, _kind = field_for_path(path, fields)
            if info is None:
                issues.append(site.issue("rule_unknown_field", field=rest))
        elif root == "initiator" and rest and rest.split(".")[0] not in INITIATOR_KEYS:
            issues.append(site.issue("rule_unknown_variable", var=path))
        elif root not in CONTEXT_ROOTS:
            issues.append(site.issue("rule_unknown_variable", var=path))
    return issues


# ---------------------------------------------------------------- type compatibility


def _literal_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _is_iso(value: str, kind: str) -> bool:
    try:
        if kind == "date":
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def literal_fits(kind: str, value: Any) -> bool:
    """Return True when a literal may be compared with a field value of ``kind``."""
    literal = _literal_kind(value)
    if literal == "null":
        return True  # "== null" asks whether the field is empty
    if kind == "number":
        return literal == "number"
    if kind in ("string", "user", "department"):
        return literal == "string"
    if kind == "boolean":
        return literal == "boolean"
    if kind in ("date", "datetime"):
        return literal == "string" and (_is_iso(value, "date") or _is_iso(value, "datetime"))
    return False  # arrays, tables, files, ranges and description blocks have no literal to compare with


class TypeChecker:
    """Walks one rule and reports comparisons of fields with incompatible literals or codes."""

    def __init__(
        self,
        site: RuleSite,
        fields: Mapping[str, FieldInfo],
        dictionary: DictionaryIndex | Mapping[str, Any] | None,
    ) -> None:
        self.site = site
        self.fields = fields
        self.dictionary = dictionary
        self.issues: list[Issue] = []

    def run(self) -> list[Issue]:
        """Return the issues of the whole rule."""
        self.walk(self.site.rule)
        return self.issues

    def walk(self, node: Any) -> None:
        """Visit ``node`` and its outer-scope children."""
        if isinstance(node, list):
            for item in node:
                self.walk(item)
            return
        if not isinstance(node, Mapping) or len(node) != 1:
            return
        op, args = next(iter(node.items()))
        if op == "var":
            return
        args_list = args if isinstance(args, list) else [args]
        if op in SCOPED:
            # Only the array argument (and reduce's initial value) read the outer context.
            self.walk(args_list[:1])
            if op == "reduce" and len(args_list) > 2:
                self.walk(args_list[2])
            return
        if op in COMPARISONS:
            self.comparison(op, args_list)
        elif op == "in" and len(args_list) == 2:
            self.membership(args_list[0], args_list[1])
        for arg in args_list:
            self.walk(arg)

    def field_of(self, node: Any) -> tuple[FieldInfo, str] | None:
        """Return the form field a var node reads and its value kind."""
        path = var_path(node)
        if path is None or not path.startswith("form."):
            return None
        info, kind = field_for_path(path, self.fields)
        return (info, kind) if info is not None and kind is not None else None

    def comparison(self, op: str, args: list[Any]) -> None:
        """Check every literal of a comparison against every field in it."""
        read = [f for f in (self.field_of(a) for a in args) if f is not None]
        literals = [a for a in args if not isinstance(a, (Mapping, list))]
        for info, kind in read:
            for literal in literals:
                self.check_literal(info, kind, literal, codes=op in EQUALITY)
        if len(read) == 2 and not _kinds_compatible(read[0][1], read[1][1]):
            (a, ka), (b, kb) = read
            self.issues.append(
                self.site.issue(
                    "rule_type_mismatch", field=a.key, kind=ka, value=f"field “{b.key}”", value_kind=kb
                )
            )

    def membership(self, needle: Any, haystack: Any) -> None:
        """Check ``in``: a field against a list of literals, or a literal code against a multi-select."""
        needle_field = self.field_of(needle)
        if needle_field is not None and isinstance(haystack, list):
            for literal in haystack:
                self.check_literal(*needle_field, literal, codes=True)
            return
        hay_field = self.field_of(haystack)
        if hay_field is not None and not isinstance(needle, (Mapping, list)):
            info, kind = hay_field
            if kind == "array":
                self.check_code(info, needle)
            elif kind == "string" and not isinstance(needle, str):
                self.mismatch(info, kind, needle)

    def check_literal(self, info: FieldInfo, kind: str, literal: Any, *, codes: bool) -> None:
        """Report a literal that cannot be compared with the field, or an unknown code."""
        if not literal_fits(kind, literal):
            self.mismatch(info, kind, literal)
        elif codes and isinstance(literal, str):
            self.check_code(info, literal)

    def mismatch(self, info: FieldInfo, kind: str, literal: Any) -> None:
        """Record a type mismatch."""
        self.issues.append(
            self.site.issue(
                "rule_type_mismatch",
                field=info.key,
                kind=kind,
                value=repr(literal),
                value_kind=_literal_kind(literal),
            )
        )

    def check_code(self, info: FieldInfo, literal: Any) -> None:
        """Report a code that the field's dictionary entry or inline options do not have."""
        if not isinstance(literal, str):
            return
        codes = dictionary_codes(self.dictionary, info.dictionary) if info.dictionary else None
        if codes is not None:
            if literal not in codes:
                self.issues.append(
                    self.site.issue(
                        "rule_unknown_dictionary_code",
                        field=info.key,
                        value=literal,
                        dictionary=info.dictionary,
                    )
                )
        elif info.options and literal not in info.options:
            self.issues.append(self.site.issue("rule_unknown_option", field=info.key, value=literal))


def dictionary_codes(dictionary: Any, entry: str) -> set[str] | None:
    """Return the codes of a dictionary entry, or None when the entry (or the dictionary) is not given.

    Accepts the forms' :class:`DictionaryIndex`, a snapshot ``{entry: {"options": [{"code"}]}}``
    or a plain ``{entry: [codes]}``. Disabled codes count as known: old records still hold them.
    """
    if dictionary is None:
        return None
    if isinstance(dictionary, DictionaryIndex):
        index = dictionary.entry(entry)
        return set(index) if index is not None else None
    raw = dictionary.get(entry) if isinstance(dictionary, Mapping) else None
    if raw is None:
        return None
    if isinstance(raw, Mapping):
        index = DictionaryIndex({entry: raw}).entry(entry) or {}
        return set(index)
    return {code for code in raw if isinstance(code, str)}


def _kinds_compatible(a: str, b: str) -> bool:
    dates = ("date", "datetime")
    texts = ("string", "user", "department")
    return a == b or (a in dates and b in dates) or (a in texts and b in texts)


def type_issues(
    site: RuleSite, fields: Mapping[str, FieldInfo], dictionary: DictionaryIndex | Mapping[str, Any] | None
) -> list[Issue]:
    """Return type and code issues of one rule."""
    return TypeChecker(site, fields, dictionary).run()


# ---------------------------------------------------------------- exhaustiveness

Interval = tuple[float, bool, float, bool]  # (low, low included, high, high included)
_INF = math.inf


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _normalise(intervals: list[Interval]) -> list[Interval]:
    """Sort and merge intervals; drop empty ones."""
    items = [i for i in intervals if i[0] < i[2] or (i[0] == i[2] and i[1] and i[3])]
    items.sort(key=lambda i: (i[0], not i[1]))
    merged: list[Interval] = []
    for lo, lo_in, hi, hi_in in items:
        if merged:
            plo, plo_in, phi, phi_in = merged[-1]
            touches = lo < phi or (lo == phi and (lo_in or phi_in))
            if touches:
                if hi > phi or (hi == phi and hi_in and not phi_in):
                    merged[-1] = (plo, plo_in, hi, hi_in)
                continue
        merged.append((lo, lo_in, hi, hi_in))
    return merged


def _complement(intervals: list[Interval]) -> list[Interval]:
    result: list[Interval] = []
    cursor, cursor_in = -_INF, False
    for lo, lo_in, hi, hi_in in _normalise(intervals):
        result.append((cursor, cursor_in, lo, not lo_in))
        cursor, cursor_in = hi, not hi_in
    result.append((cursor, cursor_in, _INF, False))
    return _normalise(result)


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    return _complement(_complement(a) + _complement(b))


def _is_everything(intervals: list[Interval]) -> bool:
    merged = _normalise(intervals)
    return len(merged) == 1 and merged[0][0] == -_INF and merged[0][2] == _INF


def numeric_cover(rule: Any) -> tuple[str, list[Interval]] | None:
    """Return ``(var path, intervals)`` when ``rule`` constrains one variable to numeric intervals."""
    if not isinstance(rule, Mapping) or len(rule) != 1:
        return None
    op, args = next(iter(rule.items()))
    args = args if isinstance(args, list) else [args]
    if op in ("and", "or") and args:
        parts = [numeric_cover(a) for a in args]
        covers = [p for p in parts if p is not None]
        if len(covers) != len(parts) or len({var for var, _ in covers}) != 1:
            return None
        var, acc = covers[0]
        for _, intervals in covers[1:]:
            acc = _intersect(acc, intervals) if op == "and" else _normalise(acc + intervals)
        return var, acc
    if op == "!" and len(args) == 1:
        inner = numeric_cover(args[0])
        return (inner[0], _complement(inner[1])) if inner else None
    if op in ("<", "<=") and len(args) == 3:  # between: a < x < b
        lo, var, hi = _number(args[0]), var_path(args[1]), _number(args[2])
        if lo is None or hi is None or var is None:
            return None
        closed = op == "<="
        return var, _normalise([(lo, closed, hi, closed)])
    if len(args) != 2 or op not in COMPARISONS:
        return None
    left, right = args
    if var_path(left) is not None and _number(right) is not None:
        var, value, flipped = var_path(left), _number(right), False
    elif var_path(right) is not None and _number(left) is not None:
        var, value, flipped = var_path(right), _number(left), True
    else:
        return None
    assert var is not None and value is not None
    if op in ("==", "==="):
        return var, [(value, True, value, True)]
    if op in ("!=", "!=="):
        return var, _complement([(value, True, value, True)])
    greater = op in (">", ">=")
    if flipped:
        greater = not greater
    inclusive = op.endswith("=")
    return var, [(value, inclusive, _INF, False)] if greater else [(-_INF, False, value, inclusive)]


def _boolean_cover(rule: Any) -> tuple[str, set[bool]] | None:
    if not isinstance(rule, Mapping) or len(rule) != 1:
        return None
    op, args = next(iter(rule.items()))
    args = args if isinstance(args, list) else [args]
    if op in ("!", "!!") and len(args) == 1:
        var = var_path(args[0])
        return (var, {op == "!!"}) if var is not None else None
    if op in ("==", "===") and len(args) == 2:
        for a, b in (args, args[::-1]):
            var = var_path(a)
            if var is not None and isinstance(b, bool):
                return var, {b}
    return None


def conditions_exhaustive(conditions: list[Any]) -> bool:
    """Return True when the conditions provably cover every value (a default is then optional).

    Recognised: numeric ranges on one variable whose union is the whole line (x > 5000 /
    x <= 5000; x < 1 / 1 <= x <= 3 / x > 3), true/false on one variable, and a condition
    next to its own negation. A missing value is not "covered": the simulator and the
    engine stop with a clear message instead.
    """
    for i, a in enumerate(conditions):
        for b in conditions[i + 1 :]:
            if a == {"!": b} or b == {"!": a} or a == {"!": [b]} or b == {"!": [a]}:
                return True
    numeric: dict[str, list[Interval]] = {}
    booleans: dict[str, set[bool]] = {}
    for condition in conditions:
        cover = numeric_cover(condition)
        if cover is not None:
            numeric.setdefault(cover[0], []).extend(cover[1])
        flag = _boolean_cover(condition)
        if flag is not None:
            booleans.setdefault(flag[0], set()).update(flag[1])
    return any(_is_everything(v) for v in numeric.values()) or any(
        v == {True, False} for v in booleans.values()
    )
