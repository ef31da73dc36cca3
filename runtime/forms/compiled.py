"""Validators compiled once per form version: the fast path and its explainer.

The fast path is the JSON Schema subset our field types generate, compiled into
Python closures that only answer "valid or not". When it says "not valid",
jsonschema (the explainer) produces the errors, so error output is jsonschema's by
construction; tests check that both always agree on the verdict. Keywords outside
the subset fall back to jsonschema for that sub-schema, so the fast path never
has to guess.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from jsonschema._utils import equal, uniq

from runtime.forms import _rules
from runtime.forms.field_types.base import FieldType, pointer_join
from runtime.forms.field_types.computed import ComputedFieldType
from runtime.forms.formats import FORMAT_FUNCTIONS
from runtime.forms.patterns import bounded_search
from runtime.forms.registry import field_type_registry
from runtime.forms.schema_validation import detail, details_of, field_of, make_validator
from runtime.forms.spec import FieldInfo, FormSpec

Check = Callable[[Any], bool]
PLAIN_FIELD: Any = object()  # marks a field taken from the client as is
_INF = float("inf")

_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$comment",
        "title",
        "description",
        "default",
        "readOnly",
        "writeOnly",
        "examples",
        "deprecated",
    }
)
_SUPPORTED = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "enum",
        "const",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    }
)


def _is_number(v: Any) -> bool:
    t = type(v)
    if t is int or t is float:
        return True
    return not isinstance(v, bool) and isinstance(v, numbers.Number)


def _is_integer(v: Any) -> bool:
    t = type(v)
    if t is int:
        return True
    if t is float:
        return v.is_integer()
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or (isinstance(v, float) and v.is_integer())


_TYPE_TESTS: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


class SchemaCompiler:
    """Compiles the forms' JSON Schema subset into closures with jsonschema's verdicts."""

    def __init__(self, root_schema: Mapping[str, Any]) -> None:
        self._root = root_schema
        self._fallback_validator: Any = None

    def compile(self, schema: Any) -> Check:
        """Return a closure answering whether an instance is valid against ``schema``."""
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        unsupported = [
            k for k in schema if k not in _SUPPORTED and k not in _ANNOTATIONS and not k.startswith("x-")
        ]
        if unsupported:
            return self._fallback(schema)
        kind = schema.get("type")
        if kind == "string":
            return self._string(schema)
        if kind in ("number", "integer"):
            return self._number(schema, kind)
        if kind == "boolean":
            return self._simple(schema, "boolean")
        if kind == "null":
            return self._simple(schema, "null")
        if kind == "object":
            return self._object(schema)
        if kind == "array":
            return self._array(schema)
        return self._generic(schema)

    # -- fallbacks ---------------------------------------------------------------------
    def _fallback(self, schema: Mapping[str, Any]) -> Check:
        if self._fallback_validator is None:
            self._fallback_validator = make_validator(self._root)
        sub = self._fallback_validator.evolve(schema=schema)
        return sub.is_valid  # type: ignore[no-any-return]

    def _generic(self, schema: Mapping[str, Any]) -> Check:
        # No single type: every keyword checks only instances of the types it applies to.
        checks: list[Check] = []
        kind = schema.get("type")
        if kind is not None:
            tests = [_TYPE_TESTS[k] for k in ([kind] if isinstance(kind, str) else kind)]
            checks.append(lambda v: any(t(v) for t in tests))
        rest = {k: v for k, v in schema.items() if k not in ("type", "enum", "const")}
        for sub_kind, builder in (
            ("string", self._string),
            ("number", lambda s: self._number(s, "number")),
            ("object", self._object),
            ("array", self._array),
        ):
            typed = builder({**rest, "type": sub_kind})
            test = _TYPE_TESTS[sub_kind]
            checks.append(lambda v, test=test, typed=typed: not test(v) or typed(v))
        enum = self._enum_const(schema)
        if enum is not None:
            checks.append(enum)
        return lambda v: all(c(v) for c in checks)

    @staticmethod
    def _enum_const(schema: Mapping[str, Any]) -> Check | None:
        checks: list[Check] = []
        enum = schema.get("enum")
        if isinstance(enum, list):
            if all(isinstance(e, str) for e in enum):
                members = frozenset(enum)
                checks.append(
                    lambda v: v in members if isinstance(v, str) else any(equal(e, v) for e in enum)
                )
            else:
                checks.append(lambda v: any(equal(e, v) for e in enum))
        if "const" in schema:
            const = schema["const"]
            checks.append(lambda v: equal(v, const))
        if not checks:
            return None
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(c(v) for c in checks)

    # -- typed closures ----------------------------------------------------------------
    def _simple(self, schema: Mapping[str, Any], kind: str) -> Check:
        test = _TYPE_TESTS[kind]
        enum = self._enum_const(schema)
        if enum is None:
            return test
        return lambda v: test(v) and enum(v)

    def _string(self, schema: Mapping[str, Any]) -> Check:
        low = schema.get("minLength", 0)
        high = schema.get("maxLength")
        pattern = schema.get("pattern")
        fmt = FORMAT_FUNCTIONS.get(schema.get("format", ""))
        enum = self._enum_const(schema)
        typed = schema.get("type") == "string"
        if typed and pattern is None:
            # Specialised closures for what field types generate most (no per-call branching).
            hi = high if high is not None else _INF
            members = _str_members(schema)
            if fmt is None and enum is None:
                return lambda v: isinstance(v, str) and low <= len(v) <= hi
            if fmt is None and members is not None:
                return lambda v: isinstance(v, str) and low <= len(v) <= hi and v in members
            if fmt is not None and enum is None:
                return lambda v: isinstance(v, str) and low <= len(v) <= hi and fmt(v)

        def check(v: Any) -> bool:
            if not isinstance(v, str):
                return not typed and (enum is None or enum(v))
            n = len(v)
            if n < low or (high is not None and n > high):
                return False
            if fmt is not None and not fmt(v):
                return False
            if pattern is not None and not bounded_search(pattern, v):
                return False
            return enum is None or enum(v)

        return check

    def _number(self, schema: Mapping[str, Any], kind: str) -> Check:
        test = _TYPE_TESTS[kind]
        minimum, maximum = schema.get("minimum"), schema.get("maximum")
        ex_min, ex_max = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        multiple = schema.get("multipleOf")
        enum = self._enum_const(schema)
        typed = schema.get("type") in ("number", "integer")
        if kind == "number" and ex_min is None and ex_max is None and multiple is None and enum is None:
            lo = minimum if minimum is not None else -_INF
            hi = maximum if maximum is not None else _INF

            def number(v: Any) -> bool:
                t = type(v)
                if t is not int and t is not float and not _is_number(v):
                    return False
                # Written as jsonschema compares, so NaN passes bounds the same way.
                return not (v < lo) and not (v > hi)

            return number

        def check(v: Any) -> bool:
            if not test(v):
                if typed:
                    return False
                if not _is_number(v):
                    return enum is None or enum(v)
            if minimum is not None and v < minimum:
                return False
            if maximum is not None and v > maximum:
                return False
            if ex_min is not None and v <= ex_min:
                return False
            if ex_max is not None and v >= ex_max:
                return False
            if multiple is not None and _not_multiple(v, multiple):
                return False
            return enum is None or enum(v)

        return check

    def _object(self, schema: Mapping[str, Any]) -> Check:
        props = {key: self.compile(sub) for key, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        extra_check: Check | None = None if extra is True else self.compile(extra)
        enum = self._enum_const(schema)
        typed = schema.get("type") == "object"
        if typed and extra is False and enum is None:
            get = props.get

            def closed(v: Any) -> bool:
                if not isinstance(v, dict):
                    return False
                for key, value in v.items():
                    sub = get(key)
                    if sub is None or not sub(value):
                        return False
                for key in required:
                    if key not in v:
                        return False
                return True

            return closed

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return not typed and (enum is None or enum(v))
            for key, value in v.items():
                sub = props.get(key)
                if sub is None:
                    if extra_check is not None and not extra_check(value):
                        return False
                elif not sub(value):
                    return False
            for key in required:
                if key not in v:
                    return False
            return enum is None or enum(v)

        return check

    def _array(self, schema: Mapping[str, Any]) -> Check:
        low = schema.get("minItems", 0)
        high = schema.get("maxItems")
        items = schema.get("items")
        item_check = None if items is None or items is True else self.compile(items)
        unique = schema.get("uniqueItems") is True
        enum = self._enum_const(schema)
        typed = schema.get("type") == "array"

        def check(v: Any) -> bool:
            if not isinstance(v, list):
                return not typed and (enum is None or enum(v))
            n = len(v)
            if n < low or (high is not None and n > high):
                return False
            if item_check is not None:
                for item in v:
                    if not item_check(item):
                        return False
            if unique and n > 1:
                if all(type(item) is str for item in v):
                    if len(set(v)) != n:
                        return False
                elif not uniq(v):
                    return False
            return enum is None or enum(v)

        return check

    def compile_top(self, schema: Mapping[str, Any]) -> Callable[[Any, Collection[str]], bool]:
        """The form's object check, with required keys that may be waived per submission."""
        props = {key: self.compile(sub) for key, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        closed = schema.get("additionalProperties", True) is False
        if [k for k in schema if k not in _SUPPORTED and k not in _ANNOTATIONS and not k.startswith("x-")]:
            whole = self._fallback(schema)
            return lambda v, waived: whole(v)

        def check(v: Any, waived: Collection[str]) -> bool:
            if not isinstance(v, dict):
                return False
            for key, value in v.items():
                sub = props.get(key)
                if sub is None:
                    if closed:
                        return False
                elif not sub(value):
                    return False
            for key in required:
                if key not in v and key not in waived:
                    return False
            return True

        return check


def _str_members(schema: Mapping[str, Any]) -> frozenset[str] | None:
    enum = schema.get("enum")
    if "const" in schema or not isinstance(enum, list) or not all(isinstance(e, str) for e in enum):
        return None
    return frozenset(enum)


def _not_multiple(v: Any, multiple: Any) -> bool:
    # jsonschema's algorithm, so that float verdicts agree exactly (0.07 is no multiple of 0.01).
    if isinstance(multiple, float):
        quotient = v / multiple
        try:
            return int(quotient) != quotient
        except OverflowError:
            return (Fraction(v) / Fraction(multiple)).denominator != 1
    return bool(v % multiple)


@dataclass
class FieldPlan:
    """How a submission treats one field (top-level or column)."""

    info: FieldInfo
    ft: FieldType
    prop: Mapping[str, Any]
    key: str  # the name inside its object (column name for columns)
    computed: bool
    has_value: bool
    value_check: bool  # validate_value does something for this property
    quick: Callable[[Any], bool] | None = None  # True: validate_value would find nothing
    visible_if: Any = None  # compiled rules or None
    required_if: Any = None
    compute: Any = None
    columns: dict[str, FieldPlan] = field(default_factory=dict)
    dropped_columns: frozenset[str] = frozenset()  # columns never taken from the client (computed, display)


class CompiledForm:
    """Everything a submission needs, prepared once per form version."""

    def __init__(self, spec: FormSpec) -> None:
        self.spec = spec
        self.compiler = SchemaCompiler(spec.schema)
        self.fast_check = self.compiler.compile_top(spec.schema)
        self.property_checks = {
            key: self.compiler.compile(sub) for key, sub in spec.schema.get("properties", {}).items()
        }
        extra_keywords = set(spec.schema) - {"properties", "required", "additionalProperties"}
        # Per-field explanation relies on the form level being exactly what load_form makes.
        self.whole_document_only = spec.schema.get("additionalProperties") is not False or any(
            k in _SUPPORTED for k in extra_keywords if k != "type"
        )
        self._explainer: Any = None
        self._property_validators: dict[Any, Any] = {}
        self._arrays: dict[str, tuple[Any, Check]] = {}
        self.tables = frozenset(key for key, info in spec.fields.items() if info.type == "table")
        self.plans: dict[str, FieldPlan] = {}
        for path, info in spec.fields.items():
            plan = self._plan(info)
            self.plans[path] = plan
            if info.parent is not None:
                self.plans[info.parent].columns[info.name] = plan
        for plan in self.plans.values():
            plan.dropped_columns = frozenset(
                name for name, col in plan.columns.items() if col.computed or not col.has_value
            )
        self.top = {key: self.plans[key] for key in spec.order}
        # How a submitted top-level key is taken: None (never), PLAIN_FIELD, or the table's plan.
        self.take: dict[str, Any] = {
            key: None if plan.computed or not plan.has_value else (plan if plan.columns else PLAIN_FIELD)
            for key, plan in self.top.items()
        }
        self.evaluation = [self.plans[path] for path in spec.evaluation_order]
        self.required_if = [plan for plan in self.plans.values() if plan.required_if is not None]
        self.value_checks = [plan for plan in self.plans.values() if plan.value_check]
        self.top_value_checks = [plan for plan in self.value_checks if plan.info.parent is None]
        self.column_value_checks: dict[str, list[FieldPlan]] = {}
        for plan in self.value_checks:
            if plan.info.parent is not None:
                self.column_value_checks.setdefault(plan.info.parent, []).append(plan)
        self.position = {path: i for i, path in enumerate(spec.fields)}

    @staticmethod
    def _plan(info: FieldInfo) -> FieldPlan:
        ft = field_type_registry.get(info.type)
        return FieldPlan(
            info=info,
            ft=ft,
            prop=info.schema,
            key=info.name or info.key,
            computed=isinstance(ft, ComputedFieldType),
            has_value=ft.has_value,
            value_check=ft.needs_value_check(info.schema),
            quick=ft.quick_value_check(info.schema),
            visible_if=None if info.visible_if is None else _rules.compile_rule(info.visible_if),
            required_if=None if info.required_if is None else _rules.compile_rule(info.required_if),
            compute=None if info.compute is None else _rules.compile_rule(info.compute),
        )

    @property
    def explainer(self) -> Any:
        """The jsonschema validator of the form (built on first error)."""
        if self._explainer is None:
            self._explainer = make_validator(self.spec.schema)
        return self._explainer

    def explain(self, data: Any) -> list[dict[str, Any]]:
        """Return jsonschema's errors for ``data`` as submission details.

        Only the fields the fast path refuses are handed to jsonschema (each with its own
        cached validator); the form-level ``required`` and unknown keys are listed here.
        The result equals explaining the whole document (tests compare both).
        """
        if not isinstance(data, dict) or self.whole_document_only:
            return self.explain_document(data)
        out: list[dict[str, Any]] = []
        for key, value in data.items():
            check = self.property_checks.get(key)
            if check is None:
                out.append(detail(pointer_join("", key), field_of([key], self.tables), "unknown_field"))
            elif not check(value):
                out.extend(self._explain_property(key, value))
        for key in self.spec.schema.get("required", ()):
            if key not in data:
                out.append(detail(pointer_join("", key), key, "required"))
        return out

    def _explain_property(self, key: str, value: Any) -> list[dict[str, Any]]:
        schema = self.spec.schema["properties"][key]
        items = schema.get("items")
        if isinstance(value, list) and isinstance(items, Mapping):
            # Arrays (sub-tables above all): the array's own keywords, then only the failing items.
            outer, row_check = self._array_parts(key, schema, items)
            out = details_of(outer.iter_errors(value), self.tables, (key,))
            for index, item in enumerate(value):
                if not row_check(item):
                    out.extend(
                        details_of(
                            self._validator(("item", key), items).iter_errors(item), self.tables, (key, index)
                        )
                    )
            return out
        return details_of(self._validator(key, schema).iter_errors(value), self.tables, (key,))

    def _array_parts(
        self, key: str, schema: Mapping[str, Any], items: Mapping[str, Any]
    ) -> tuple[Any, Check]:
        parts = self._arrays.get(key)
        if parts is None:
            outer = make_validator({k: v for k, v in schema.items() if k != "items"})
            parts = (outer, self.compiler.compile(items))
            self._arrays[key] = parts
        return parts

    def _validator(self, key: Any, schema: Mapping[str, Any]) -> Any:
        validator = self._property_validators.get(key)
        if validator is None:
            validator = make_validator(schema)
            self._property_validators[key] = validator
        return validator

    def explain_document(self, data: Any) -> list[dict[str, Any]]:
        """Return jsonschema's errors for the whole document (reference for tests)."""
        return details_of(self.explainer.iter_errors(data), self.tables)


def compile_form(spec: FormSpec) -> CompiledForm:
    """Compile ``spec`` (use ``spec.compiled``, which caches the result on the spec)."""
    return CompiledForm(spec)
