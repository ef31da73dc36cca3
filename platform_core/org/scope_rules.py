"""Custom data scopes: a small JSON-logic subset compiled to a ``Q`` over requests (``Instance``).

A role with ``data_scope = "custom"`` carries a rule such as "purchase requests over 5000"::

    {"and": [{"==": [{"var": "app"}, "purchase"]}, {">": [{"var": "data.amount"}, 5000]}]}

The rule is checked when the role is saved (:func:`check_scope_rule`) and compiled per viewer
(:func:`compile_scope_rule`) by ``runtime.instances.selectors.visible_q``. It is never evaluated
in Python and never becomes SQL text: every value reaches the database as a query parameter
through Django lookups or the two small expressions below, whose SQL is fixed.

Operators: ``and``, ``or`` (one or more conditions), ``!`` (one condition), ``==``, ``!=``,
``<``, ``<=``, ``>``, ``>=`` (one record variable against one value, either order; ``<`` and
``<=`` also take the three-argument "between" form ``[low, var, high]``), ``in`` (a record
variable in a list of values, or a value in a form-data list variable) and ``in_department``
(the initiator's department lies in the subtree of a department). Record variables: ``app``,
``status``, ``outcome``, ``urgent``, ``initiator``, ``initiator_department``, ``created_at``,
``data.<field>[.<key>...]``. Viewer variables, usable where a value is expected:
``user.id``, ``user.department``. Semantics and limits: docs/data-scopes.md.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from django.db.models import BooleanField, CharField, Expression, F, Func, Q
from django.db.models.fields.json import KeyTransform, compile_json_path
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from platform_core.errors import ValidationFailed, gettext_noop
from runtime.rules.checker import MAX_DEPTH, MAX_NODES, MAX_STRING_LENGTH
from runtime.rules.errors import INVALID_MESSAGES
from runtime.rules.values import MAX_SAFE_INTEGER

# Form field keys (runtime.forms.definition.KEY_RE); a path may step into nested objects.
_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
MAX_DATA_PATH_PARTS = 4
# A list literal of ``in`` becomes one SQL parameter per item; its items count as rule parts too.
MAX_LIST_ITEMS = 500

LOGICAL = ("and", "or", "!")
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
OPERATORS = (*LOGICAL, *COMPARISONS, "in", "in_department")
ORDERING = ("<", "<=", ">", ">=")

# Record variables: the Instance field each reads and the kind of value it is compared with.
RECORD_VARS: dict[str, tuple[str, str]] = {
    "app": ("app__key", "text"),
    "status": ("status", "status"),
    "outcome": ("outcome", "outcome"),
    "urgent": ("urgent", "bool"),
    "initiator": ("initiator_id", "id"),
    "initiator_department": ("initiator_department_id", "id"),
    "created_at": ("created_at", "datetime"),
}
VIEWER_VARS = ("user.id", "user.department")
# Variables whose values are ordered (the others only compare for equality).
ORDERED_KINDS = ("datetime", "data")

MESSAGES: dict[str, str] = {
    "required": gettext_noop("A custom data scope needs a rule; write one or choose another data scope."),
    "unexpected": gettext_noop(
        "Only the data scope “Custom rule” takes a rule; clear the rule or choose “Custom rule”."
    ),
    "not_condition": gettext_noop(
        "Expected a condition (an object with one operator such as “==” or “and”) at %(path)s."
    ),
    "unknown_operator": gettext_noop(
        "The operator “%(operator)s” at %(path)s cannot be used in a data scope; allowed: %(allowed)s."
    ),
    "unknown_variable": gettext_noop(
        "Unknown variable “%(variable)s” at %(path)s; a data scope can read: %(allowed)s."
    ),
    "bad_var": gettext_noop("“var” at %(path)s takes exactly one variable name (text), without a default."),
    "needs_variable": gettext_noop(
        "“%(operator)s” at %(path)s must compare one request variable (such as {\"var\": \"app\"}) with a value."
    ),
    "needs_value": gettext_noop("At %(path)s a fixed value or a “user.…” variable is required, not “%(found)s”."),
    "bad_value.text": gettext_noop("“%(variable)s” at %(path)s must be compared with text."),
    "bad_value.bool": gettext_noop("“%(variable)s” at %(path)s must be compared with true or false."),
    "bad_value.id": gettext_noop("“%(variable)s” at %(path)s must be compared with a whole number (an id) or null."),
    "bad_value.datetime": gettext_noop(
        "“%(variable)s” at %(path)s must be compared with a date or time such as 2025-10-01 or "
        "2025-10-01T09:00:00+08:00."
    ),
    "bad_value.data": gettext_noop(
        "“%(variable)s” at %(path)s must be compared with a number, text, true, false or null."
    ),
    "bad_value.ordered": gettext_noop("“%(variable)s” at %(path)s can only be ordered against a number or text."),
    "bad_value.choice": gettext_noop("“%(variable)s” at %(path)s must be one of: %(allowed)s."),
    "not_ordered": gettext_noop(
        "“%(operator)s” at %(path)s cannot compare “%(variable)s”; use “==”, “!=” or “in”."
    ),
    "needs_list": gettext_noop(
        "“in” at %(path)s needs a request variable and a list of values, or a value and a form list such as "
        "{\"var\": \"data.tags\"}."
    ),
    "list_too_long": gettext_noop("The list at %(path)s has more than %(limit)s values."),
    "bad_department": gettext_noop(
        "“in_department” at %(path)s takes {\"var\": \"initiator_department\"} and a department id or "
        "{\"var\": \"user.department\"}."
    ),
    "too_many_nodes": INVALID_MESSAGES["too_many_nodes"],
    "too_deep": INVALID_MESSAGES["too_deep"],
    "string_too_long": INVALID_MESSAGES["string_too_long"],
    "number_out_of_range": INVALID_MESSAGES["number_out_of_range"],
    "arity": INVALID_MESSAGES["arity"],
}


class ScopeRuleInvalid(ValidationFailed):
    """A custom data scope rule uses something outside the supported subset, or is over a limit."""

    code = "scope_rule_invalid"
    message = gettext_noop("The custom data scope rule is not valid.")


def scope_rule_error(reason: str, path: str = "$", **params: Any) -> ScopeRuleInvalid:
    """A ScopeRuleInvalid whose message and details name the problem (reason, path, operator, ...)."""
    all_params = {"path": path, **params}
    # "bad_value" has one message per expected kind: parameters are not translated, templates are.
    template = MESSAGES[f"{reason}.{params['expected']}" if reason == "bad_value" else reason]
    return ScopeRuleInvalid(
        template, params=all_params, details={"field": "data_scope_rule", "reason": reason, **all_params},
    )


# --- the two expressions Django has no portable lookup for ------------------------------------

class JsonTypeOf(Func):
    """The JSON type of ``data`` at a key path: ``number``, ``string``, ``boolean``, ``null``,
    ``array``, ``object`` or ``missing`` (SQLite's names are mapped to PostgreSQL's).

    Never SQL NULL: comparisons guarded by it are true or false, never unknown, so ``!`` and
    ``!=`` of a comparison are its exact complement.
    """

    output_field = CharField()

    def __init__(self, keys: tuple[str, ...]) -> None:
        super().__init__(F("data"))
        self.keys = keys

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # pragma: no cover
        raise NotImplementedError(f"custom data scopes do not support {connection.vendor}")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(CASE JSON_TYPE({sql}, %s) WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number' "
            f"WHEN 'text' THEN 'string' WHEN 'true' THEN 'boolean' WHEN 'false' THEN 'boolean' "
            f"ELSE COALESCE(JSON_TYPE({sql}, %s), 'missing') END)",
            (*params, compile_json_path(self.keys), *params, compile_json_path(self.keys)),
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"COALESCE(jsonb_typeof(({sql})::jsonb #> %s), 'missing')", (*params, list(self.keys))


class JsonArrayHas(Func):
    """True when the form-data list at a key path has an element equal to a JSON scalar."""

    output_field = BooleanField()

    def __init__(self, keys: tuple[str, ...], value: Any) -> None:
        super().__init__(F("data"))
        self.keys = keys
        self.value = value

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # pragma: no cover
        raise NotImplementedError(f"custom data scopes do not support {connection.vendor}")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        path = compile_json_path(self.keys)
        value = self.value
        if value is None:
            check, check_params = "qb_each.type = 'null'", ()
        elif isinstance(value, bool):
            check, check_params = "qb_each.type = %s", ("true" if value else "false",)
        elif isinstance(value, str):
            check, check_params = "qb_each.type = 'text' AND qb_each.value = %s", (value,)
        else:
            check, check_params = "qb_each.type IN ('integer', 'real') AND qb_each.value = %s", (value,)
        return (
            f"EXISTS (SELECT 1 FROM JSON_EACH({sql}, %s) AS qb_each "
            f"WHERE JSON_TYPE({sql}, %s) = 'array' AND {check})",
            (*params, path, *params, path, *check_params),
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"COALESCE(jsonb_typeof(({sql})::jsonb #> %s) = 'array' AND (({sql})::jsonb #> %s) @> %s::jsonb, "
            f"FALSE)",
            (*params, list(self.keys), *params, list(self.keys), json.dumps([self.value])),
        )


class DataLookup(Expression):
    """A Django lookup on ``data`` at a key path, built when the query resolves it.

    The lookup needs the resolved ``data`` column (so that values are prepared as JSON exactly as
    ``filter(data__k__gt=v)`` does) but keys are not spelled as ``data__k`` keyword arguments:
    a form key may itself contain ``__``.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, keys: tuple[str, ...], lookup: str, value: Any) -> None:
        super().__init__()
        self.keys = keys
        self.lookup = lookup
        self.value = value

    def resolve_expression(self, query: Any = None, allow_joins: bool = True, reuse: Any = None,
                           summarize: bool = False, for_save: bool = False) -> Any:
        lhs: Any = F("data").resolve_expression(query, allow_joins, reuse, summarize, for_save)
        for key in self.keys:
            lhs = KeyTransform(key, lhs)
        return lhs.get_lookup(self.lookup)(lhs, self.value).resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )


# --- the compiler -------------------------------------------------------------------------------

_NOTHING = Q(pk__in=[])  # Django drops it from an OR and empties an AND without a query


class _Compiler:
    """One pass over a rule: checks it (raising ScopeRuleInvalid) and builds the Q."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.nodes = 0

    # structure

    def count(self, node: Any, path: str, depth: int) -> None:
        """Count every JSON value of the rule and bound its depth and literals (as runtime.rules does)."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise scope_rule_error("too_many_nodes", "$", limit=MAX_NODES)
        if depth > MAX_DEPTH:
            raise scope_rule_error("too_deep", path, limit=MAX_DEPTH)
        if isinstance(node, str) and len(node) > MAX_STRING_LENGTH:
            raise scope_rule_error("string_too_long", path, limit=MAX_STRING_LENGTH)
        if isinstance(node, int) and not isinstance(node, bool) and abs(node) > MAX_SAFE_INTEGER:
            raise scope_rule_error("number_out_of_range", path)
        if isinstance(node, float) and not math.isfinite(node):
            raise scope_rule_error("number_out_of_range", path)

    def operator(self, node: Any, path: str) -> tuple[str, list[Any], list[str]]:
        if not isinstance(node, dict) or len(node) != 1:
            raise scope_rule_error("not_condition", path)
        ((op, raw),) = node.items()
        if not isinstance(op, str) or op not in OPERATORS:
            raise scope_rule_error("unknown_operator", path, operator=str(op)[:100], allowed=", ".join(OPERATORS))
        if isinstance(raw, list):
            return op, list(raw), [f"{path}.{op}[{i}]" for i in range(len(raw))]
        return op, [raw], [f"{path}.{op}"]

    def arity(self, op: str, args: list[Any], path: str, low: int, high: int | None, text: str) -> None:
        if len(args) < low or (high is not None and len(args) > high):
            raise scope_rule_error("arity", path, operator=op, expected=text, count=len(args))

    def condition(self, node: Any, path: str, depth: int) -> Q:
        self.count(node, path, depth)
        op, args, paths = self.operator(node, path)
        if op in ("and", "or"):
            self.arity(op, args, path, 1, None, "1+")
            parts = [self.condition(arg, p, depth + 1) for arg, p in zip(args, paths, strict=True)]
            result = parts[0]
            for part in parts[1:]:
                result = (result & part) if op == "and" else (result | part)
            return result
        if op == "!":
            self.arity(op, args, path, 1, 1, "1")
            return ~self.condition(args[0], paths[0], depth + 1)
        for arg, p in zip(args, paths, strict=True):
            self.count(arg, p, depth + 1)
        if op in COMPARISONS:
            return self.comparison(op, args, paths, path)
        if op == "in":
            return self.membership(args, paths, path, depth)
        return self.in_department(args, paths, path)

    # operands

    def variable(self, node: Any, path: str) -> str | None:
        """The variable name of a ``{"var": ...}`` operand, or None when the operand is a literal."""
        if not isinstance(node, dict):
            return None
        if len(node) != 1 or "var" not in node:
            found = next(iter(node), "") if len(node) == 1 else "{}"
            raise scope_rule_error("needs_value", path, found=str(found)[:100])
        raw = node["var"]
        if isinstance(raw, list):
            if len(raw) != 1:
                raise scope_rule_error("bad_var", path)
            raw = raw[0]
        if not isinstance(raw, str):
            raise scope_rule_error("bad_var", path)
        if raw in RECORD_VARS or raw in VIEWER_VARS:
            return raw
        if raw.startswith("data."):
            keys = raw.split(".")[1:]
            if 0 < len(keys) <= MAX_DATA_PATH_PARTS and all(_KEY_RE.fullmatch(k) for k in keys):
                return raw
        raise scope_rule_error(
            "unknown_variable", path, variable=raw[:100],
            allowed=", ".join([*RECORD_VARS, "data.<field>", *VIEWER_VARS]),
        )

    def viewer_value(self, name: str) -> Any:
        if self.user is None:  # checking only: any id stands in for the viewer's
            return 0
        if name == "user.id":
            return self.user.pk
        return self.user.department_id

    def split(self, op: str, args: list[Any], paths: list[str], path: str) -> tuple[str, Any, str, bool, bool]:
        """(record variable, value, value path, flipped, value is the viewer's) of a two-sided comparison."""
        names = [self.variable(arg, p) for arg, p in zip(args, paths, strict=True)]
        record = [i for i, n in enumerate(names) if n is not None and n not in VIEWER_VARS]
        if len(record) != 1:
            raise scope_rule_error("needs_variable", path, operator=op)
        i = record[0]
        j = 1 - i
        value = self.viewer_value(names[j]) if names[j] is not None else args[j]
        return names[i], value, paths[j], i == 1, names[j] is not None

    def literal(self, variable: str, value: Any, path: str, *, ordered: bool = False) -> Any:
        """``value`` checked (and converted) for comparison with ``variable``."""
        kind = "data" if variable.startswith("data.") else RECORD_VARS[variable][1]
        ok = True
        if isinstance(value, (dict, list)):
            ok = False
        elif kind == "data":
            if ordered:
                ok = isinstance(value, (int, float, str)) and not isinstance(value, bool)
                kind = "ordered"
        elif kind == "text":
            ok = isinstance(value, str)
        elif kind == "bool":
            ok = isinstance(value, bool)
        elif kind == "id":
            ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
        elif kind in ("status", "outcome"):
            allowed = _choices(kind)
            if value not in allowed:
                raise scope_rule_error("bad_value", path, variable=variable, expected="choice",
                                       allowed=", ".join(f'"{v}"' for v in allowed))
        elif kind == "datetime":
            parsed = _parse_datetime(value)
            if parsed is None:
                ok = False
            value = parsed
        if not ok:
            raise scope_rule_error("bad_value", path, variable=variable, expected=kind)
        return value

    # operators

    def comparison(self, op: str, args: list[Any], paths: list[str], path: str) -> Q:
        if op in ("<", "<=") and len(args) == 3:
            low = self.comparison(op, args[:2], paths[:2], path)
            high = self.comparison(op, args[1:], paths[1:], path)
            return low & high
        self.arity(op, args, path, 2, 3 if op in ("<", "<=") else 2, "2–3" if op in ("<", "<=") else "2")
        variable, value, value_path, flipped, from_viewer = self.split(op, args, paths, path)
        if flipped and op in ORDERING:
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        if op in ORDERING:
            kind = "data" if variable.startswith("data.") else RECORD_VARS[variable][1]
            if kind not in ORDERED_KINDS:
                raise scope_rule_error("not_ordered", path, operator=op, variable=variable)
        if value is None and from_viewer:
            return _NOTHING  # a viewer without a department matches nothing through it
        value = self.literal(variable, value, value_path, ordered=op in ORDERING)
        if op == "!=":
            return ~self.equals(variable, value)
        if op == "==":
            return self.equals(variable, value)
        lookup = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}[op]
        if variable.startswith("data."):
            keys = _keys(variable)
            typed = In(JsonTypeOf(keys), ["string" if isinstance(value, str) else "number"])
            return Q(DataLookup(keys, lookup, value)) & Q(typed)
        return Q(**{f"{RECORD_VARS[variable][0]}__{lookup}": value})

    def equals(self, variable: str, value: Any) -> Q:
        if variable.startswith("data."):
            keys = _keys(variable)
            if value is None:
                return Q(In(JsonTypeOf(keys), ["null", "missing"]))
            # The type guard keeps the comparison two-valued when the key is absent (SQL NULL).
            kind = "boolean" if isinstance(value, bool) else "string" if isinstance(value, str) else "number"
            return Q(In(JsonTypeOf(keys), [kind])) & Q(DataLookup(keys, "exact", value))
        field = RECORD_VARS[variable][0]
        if value is None:
            return Q(**{f"{field}__isnull": True})
        return Q(**{field: value})

    def membership(self, args: list[Any], paths: list[str], path: str, depth: int) -> Q:
        self.arity("in", args, path, 2, 2, "2")
        first, second = (self.variable(arg, p) for arg, p in zip(args, paths, strict=True))
        if first is not None and first not in VIEWER_VARS and isinstance(args[1], list):
            # A request variable in a list of values.
            if len(args[1]) > MAX_LIST_ITEMS:
                raise scope_rule_error("list_too_long", paths[1], limit=MAX_LIST_ITEMS)
            values = []
            for i, item in enumerate(args[1]):
                item_path = f"{paths[1]}[{i}]"
                self.count(item, item_path, depth + 2)
                values.append(self.literal(first, item, item_path))
            if first.startswith("data."):
                q = _NOTHING
                for value in values:
                    q |= self.equals(first, value)
                return q
            field = RECORD_VARS[first][0]
            q = Q(**{f"{field}__in": [v for v in values if v is not None]}) if values else _NOTHING
            if None in values:
                q |= Q(**{f"{field}__isnull": True})
            return q
        if second is not None and second.startswith("data.") and (first is None or first in VIEWER_VARS):
            # A value in a form-data list (multi-select, list of user ids).
            if first is not None:
                value = self.viewer_value(first)
                if value is None:
                    return _NOTHING
            else:
                value = args[0]
                if isinstance(value, (dict, list)):
                    raise scope_rule_error("needs_value", paths[0], found=type(value).__name__)
            return Q(JsonArrayHas(_keys(second), value))
        raise scope_rule_error("needs_list", path)

    def in_department(self, args: list[Any], paths: list[str], path: str) -> Q:
        self.arity("in_department", args, path, 2, 2, "2")
        if self.variable(args[0], paths[0]) != "initiator_department":
            raise scope_rule_error("bad_department", path)
        second = self.variable(args[1], paths[1])
        if second == "user.department":
            dept = self.viewer_value(second)
            if dept is None:
                return _NOTHING
        elif second is None and isinstance(args[1], int) and not isinstance(args[1], bool) and args[1] > 0:
            dept = args[1]
        else:
            raise scope_rule_error("bad_department", paths[1])
        # Paths are materialised ("/1/4/9/"): a department is in X's subtree when X's id is on its path.
        return Q(initiator_department__path__contains=f"/{int(dept)}/")


def _keys(variable: str) -> tuple[str, ...]:
    return tuple(variable.split(".")[1:])


def _choices(kind: str) -> list[str]:
    from runtime.instances.models import InstanceStatus, Outcome

    return list(InstanceStatus.values if kind == "status" else Outcome.values)


def _parse_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is None:
                return None
            parsed = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def check_scope_rule(rule: Any) -> None:
    """Raise ScopeRuleInvalid (details: reason, path, ...) unless ``rule`` is a valid, bounded scope rule."""
    compile_scope_rule(rule, user=None)


def compile_scope_rule(rule: Any, *, user: Any) -> Q:
    """The ``Q`` over ``Instance`` of the requests ``rule`` lets ``user`` see (``user=None``: check only)."""
    if rule is None or rule == {} or rule == []:
        raise scope_rule_error("required")
    try:
        return _Compiler(user).condition(rule, "$", 0)
    except ScopeRuleInvalid:
        raise
    except RecursionError:
        raise scope_rule_error("too_deep", "$", limit=MAX_DEPTH) from None


__all__ = [
    "MAX_LIST_ITEMS",
    "OPERATORS",
    "RECORD_VARS",
    "VIEWER_VARS",
    "DataLookup",
    "JsonArrayHas",
    "JsonTypeOf",
    "ScopeRuleInvalid",
    "check_scope_rule",
    "compile_scope_rule",
    "scope_rule_error",
]
