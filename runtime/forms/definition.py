"""Loading and checking form documents: ``load_form``, ``check_form`` and migrations.

One analysis serves both: ``check_form`` returns every issue (the designer shows
them on the canvas), ``load_form`` refuses a document with errors and otherwise
returns the immutable :class:`FormSpec` with the normalized validation schema.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable, Collection, Mapping
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from runtime.forms import _rules, limits
from runtime.forms.errors import ERROR, WARNING, FormInvalid, FormIssue, FormSchemaVersionUnsupported
from runtime.forms.field_types.base import FieldType, localized, make_issue, pointer_join
from runtime.forms.field_types.choice import option_codes
from runtime.forms.field_types.table import TableFieldType
from runtime.forms.registry import field_type_registry
from runtime.forms.schema_validation import make_validator
from runtime.forms.spec import FieldInfo, FormSpec

SCHEMA_VERSION = 1
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_FORM_KEYWORDS = frozenset(
    {
        "$schema",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "title",
        "description",
        "$comment",
        "x-label",
    }
)
_RULE_KEYWORDS = ("x-visible-if", "x-required-if", "x-compute")
# ui_schema.title_field: a short value that names the request in titles (e.g. 任务名称).
TITLE_FIELD_KINDS = ("string", "number", "date")
# Rule roots other than the form itself (the context convention shared with flows).
_CONTEXT_ROOTS = frozenset({"initiator", "urgent", "now"})
_STRUCTURED = {"date_range": {"start", "end"}, "signature": {"file_id", "signer", "signed_at"}}

Migration = Callable[[dict[str, Any]], dict[str, Any]]
_MIGRATIONS: dict[int, Migration] = {}


def register_migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register the function that upgrades a document from ``from_version`` to the next version."""

    def decorator(func: Migration) -> Migration:
        _MIGRATIONS[from_version] = func
        return func

    return decorator


def migrate(document: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``document`` upgraded to ``SCHEMA_VERSION`` (raises for newer versions)."""
    doc = copy.deepcopy(dict(document))
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormInvalid(details=[make_issue("document_invalid", pointer="/schema_version").as_dict()])
    if version > SCHEMA_VERSION:
        raise FormSchemaVersionUnsupported(params={"version": version})
    while version < SCHEMA_VERSION:
        doc = _MIGRATIONS[version](doc)
        version += 1
        doc["schema_version"] = version
    return doc


def parse_form_json(text: str) -> tuple[Any, list[FormIssue]]:
    """Parse a form document from JSON text, reporting keys that appear twice in one object."""
    issues: list[FormIssue] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                issues.append(make_issue("key_duplicate", {"key": key}))
            result[key] = value
        return result

    try:
        document = json.loads(text, object_pairs_hook=pairs)
    except ValueError as exc:
        return None, [make_issue("document_invalid", {"reason": str(exc)})]
    return document, issues


def check_form(
    document: Mapping[str, Any] | str,
    *,
    dictionaries: Collection[str] | None = None,
) -> list[FormIssue]:
    """Return every issue of a form document (errors and warnings); empty means publishable.

    ``document`` may be JSON text (then keys repeated in one object are reported);
    ``dictionaries`` are the available data-dictionary entry keys (None: not checked).
    """
    issues: list[FormIssue] = []
    if isinstance(document, str):
        parsed, issues = parse_form_json(document)
        if parsed is None:
            return issues
        document = parsed
    analysis = _Analysis(document, dictionaries=dictionaries)
    return issues + analysis.issues


def load_form(document: Mapping[str, Any]) -> FormSpec:
    """Migrate, check and load a form document; raises FormInvalid (details: issues) on errors."""
    analysis = _Analysis(document)
    errors = [issue for issue in analysis.issues if issue.severity == ERROR]
    if errors:
        raise FormInvalid(details=[issue.as_dict() for issue in errors])
    return analysis.spec()


class _Analysis:
    """Walks a document once, collecting issues, field infos and the normalized schema."""

    def __init__(self, document: Any, *, dictionaries: Collection[str] | None = None) -> None:
        self.issues: list[FormIssue] = []
        self.fields: dict[str, FieldInfo] = {}
        self.types: dict[str, FieldType] = {}
        self.props: dict[str, Mapping[str, Any]] = {}
        self.schema: dict[str, Any] = {}
        self.order: tuple[str, ...] = ()
        self.evaluation_order: tuple[str, ...] = ()
        self.document: dict[str, Any] = {}
        self.dictionaries = dictionaries
        self.ok = self._run(document)

    # -- issues ------------------------------------------------------------------------
    def add(self, code: str, params: Mapping[str, Any] | None = None, **kw: Any) -> None:
        self.issues.append(make_issue(code, params, **kw))

    # -- the walk ----------------------------------------------------------------------
    def _run(self, document: Any) -> bool:
        if not isinstance(document, Mapping) or not isinstance(document.get("schema"), Mapping):
            self.add("document_invalid")
            return False
        try:
            size = len(json.dumps(document, ensure_ascii=False))
        except (TypeError, ValueError):
            self.add("document_invalid")
            return False
        if size > limits.MAX_DOCUMENT_CHARS:
            self.add("form_too_large", {"size": size, "limit": limits.MAX_DOCUMENT_CHARS})
            return False
        try:
            self.document = migrate(document)
        except FormSchemaVersionUnsupported:
            self.add(
                "schema_version_unsupported",
                {"version": document.get("schema_version")},
                pointer="/schema_version",
            )
            return False
        except FormInvalid:
            self.add("document_invalid", pointer="/schema_version")
            return False
        ui = self.document.get("ui_schema", {})
        if not isinstance(ui, Mapping):
            self.add("document_invalid", pointer="/ui_schema")
            ui = {}
        schema = self.document["schema"]
        if not self._check_form_keywords(schema):
            return False
        properties = schema["properties"]
        normalized: dict[str, Any] = {}
        for key, prop in properties.items():
            normalized_prop = self._field(key, prop, pointer_join("/schema/properties", key), parent=None)
            if normalized_prop is not None:
                normalized[key] = normalized_prop
        # Columns were analysed before their table; list each table first, then its columns.
        ordered: dict[str, FieldInfo] = {}
        for path, info in self.fields.items():
            if info.parent is None:
                ordered[path] = info
                ordered.update((column, self.fields[column]) for column in info.columns)
        self.fields = ordered
        count = len(self.fields)
        if count > limits.MAX_FIELDS:
            self.add(
                "too_many_fields", {"count": count, "limit": limits.MAX_FIELDS}, pointer="/schema/properties"
            )
        required = self._required(schema.get("required", []), "/schema/required", parent=None)
        self._case_duplicates(list(properties), "/schema/properties")
        self.schema = {k: copy.deepcopy(v) for k, v in schema.items() if k not in ("properties", "required")}
        self.schema.setdefault("$schema", JSON_SCHEMA_DIALECT)
        self.schema["type"] = "object"
        self.schema["properties"] = normalized
        self.schema["required"] = required
        self.schema["additionalProperties"] = False
        self._finish_fields(required)
        self._check_defaults()
        self._check_rules()
        self._check_ui(ui)
        if not any(issue.severity == ERROR for issue in self.issues):
            self._check_meta_schema()
        return True

    def _check_form_keywords(self, schema: Mapping[str, Any]) -> bool:
        for keyword in schema:
            if keyword not in _FORM_KEYWORDS:
                self.add(
                    "keyword_not_allowed",
                    {"keyword": keyword, "type": "form"},
                    pointer=pointer_join("/schema", keyword),
                )
        if "$schema" in schema and schema["$schema"] != JSON_SCHEMA_DIALECT:
            self.add(
                "keyword_invalid",
                {"keyword": "$schema", "reason": "use " + JSON_SCHEMA_DIALECT},
                pointer="/schema/$schema",
            )
        if schema.get("additionalProperties", False) is not False:
            self.add(
                "keyword_invalid",
                {"keyword": "additionalProperties", "reason": "use false"},
                pointer="/schema/additionalProperties",
            )
        if schema.get("type", "object") != "object" or not isinstance(schema.get("properties"), Mapping):
            self.add("schema_not_object", pointer="/schema")
            return False
        return True

    def _field(self, key: Any, prop: Any, pointer: str, parent: str | None) -> dict[str, Any] | None:
        path = key if parent is None else f"{parent}.{key}"
        if not isinstance(key, str) or not KEY_RE.fullmatch(key) or len(key) > limits.MAX_KEY_LENGTH:
            self.add("key_invalid", {"key": key, "limit": limits.MAX_KEY_LENGTH}, field=path, pointer=pointer)
            return None
        if not isinstance(prop, Mapping):
            self.add(
                "keyword_invalid",
                {"keyword": key, "reason": "describe the field with an object"},
                field=path,
                pointer=pointer,
            )
            return None
        type_name = prop.get("x-type")
        if type_name is None:
            self.add("field_type_missing", {"key": path}, field=path, pointer=pointer)
            return None
        if not isinstance(type_name, str) or type_name not in field_type_registry:
            self.add(
                "field_type_unknown",
                {"key": path, "type": str(type_name)},
                field=path,
                pointer=pointer_join(pointer, "x-type"),
            )
            return None
        ft = field_type_registry.get(type_name)
        if parent is not None and not ft.column_allowed:
            self.add(
                "nesting_too_deep", {"type": type_name}, field=path, pointer=pointer_join(pointer, "x-type")
            )
            return None
        property_issues = ft.check_property(prop, path, pointer)
        self.issues.extend(property_issues)
        self.types[path] = ft
        self.props[path] = prop
        # Columns first so that a table's FieldInfo can list them.
        columns: dict[str, Any] = {}
        if isinstance(ft, TableFieldType):
            items = prop.get("items")
            col_props = items.get("properties") if isinstance(items, Mapping) else None
            if isinstance(col_props, Mapping):
                items_pointer = pointer_join(pointer, "items")
                for col_key in TableFieldType.column_order(prop, list(col_props)):
                    col_prop = col_props[col_key]
                    col_schema = self._field(
                        col_key, col_prop, pointer_join(items_pointer, "properties", col_key), path
                    )
                    if col_schema is not None:
                        columns[col_key] = col_schema
                self._case_duplicates(list(col_props), pointer_join(items_pointer, "properties"))
                raw_required = items.get("required", []) if isinstance(items, Mapping) else []
                col_required = self._required(
                    raw_required, pointer_join(items_pointer, "required"), parent=path
                )
            else:
                col_required = []
            # A property with errors may not normalize; it is refused anyway (issues above).
            schema = _safe(lambda: ft.json_schema_with_columns(prop, columns), None) or copy.deepcopy(
                dict(prop)
            )
            if isinstance(schema.get("items"), dict):
                schema["items"]["required"] = col_required
        else:
            schema = _safe(lambda: ft.json_schema(prop), None) or copy.deepcopy(dict(prop))
        self._info(path, key, ft, schema, pointer, parent, tuple(f"{path}.{c}" for c in columns))
        if self.dictionaries is not None and isinstance(prop.get("x-dictionary"), str):
            if prop["x-dictionary"] not in self.dictionaries:
                self.add(
                    "dictionary_unknown",
                    {"dictionary": prop["x-dictionary"]},
                    field=path,
                    pointer=pointer_join(pointer, "x-dictionary"),
                )
        return schema

    def _info(
        self,
        path: str,
        name: str,
        ft: FieldType,
        schema: Mapping[str, Any],
        pointer: str,
        parent: str | None,
        columns: tuple[str, ...],
    ) -> None:
        label = schema.get("x-label")
        if not isinstance(label, Mapping) or not label:
            title = schema.get("title")
            label = {"zh": title} if isinstance(title, str) else {}
        dictionary = schema.get("x-dictionary")
        self.fields[path] = FieldInfo(
            key=path,
            type=ft.type,
            value_kind=_safe(lambda: ft.value_kind_for(schema), ft.value_kind),
            label={k: v for k, v in label.items() if isinstance(v, str)},
            required=False,  # set by _finish_fields once "required" is read
            required_if=schema.get("x-required-if"),
            visible_if=schema.get("x-visible-if"),
            compute=schema.get("x-compute"),
            dictionary=dictionary if isinstance(dictionary, str) else None,
            options=_safe(lambda: option_codes(schema), ()),
            parent=parent,
            name=name,
            columns=columns,
            read_only=ft.type == "computed" or not ft.has_value,
            report_role=_safe(lambda: ft.report_role_for(schema), ft.report_role),
            pointer=pointer,
            schema=MappingProxyType(schema),
        )

    def _required(self, required: Any, pointer: str, parent: str | None) -> list[str]:
        if not isinstance(required, list):
            self.add(
                "keyword_invalid",
                {"keyword": "required", "reason": "use a list of field keys"},
                pointer=pointer,
            )
            return []
        out: list[str] = []
        for index, key in enumerate(required):
            where = pointer_join(pointer, index)
            path = key if parent is None else f"{parent}.{key}"
            if not isinstance(key, str) or path not in self.types:
                if not (isinstance(key, str) and path in self.fields):
                    self.add("required_unknown_field", {"key": str(key)}, field=parent, pointer=where)
                continue
            if key in out:
                self.add("key_duplicate", {"key": key}, field=path, pointer=where)
                continue
            ft = self.types[path]
            if not ft.has_value:
                self.add("required_without_value", {"key": path}, field=path, pointer=where)
                continue
            if ft.type == "computed":
                self.add("computed_required", {"key": path}, field=path, pointer=where)
                continue
            out.append(key)
        return out

    def _case_duplicates(self, keys: list[Any], pointer: str) -> None:
        seen: dict[str, str] = {}
        for key in keys:
            if not isinstance(key, str):
                continue
            folded = key.casefold()
            if folded in seen:
                self.add(
                    "key_duplicate",
                    {"key": key},
                    field=key,
                    pointer=pointer_join(pointer, key),
                    severity=WARNING,
                )
            seen[folded] = key

    def _finish_fields(self, required: list[str]) -> None:
        required_paths = set(required)
        for path, info in self.fields.items():
            if info.type == "table":
                items = self.fields[path].schema.get("items")
                if isinstance(items, Mapping):
                    required_paths.update(f"{path}.{key}" for key in items.get("required", []))
        for path, info in list(self.fields.items()):
            if path in required_paths:
                self.fields[path] = _replace(info, required=True)
            info = self.fields[path]
            schema = info.schema
            limit = schema.get("minItems")
            if (
                isinstance(limit, int)
                and limit > 0
                and not info.required
                and info.required_if is None
                and info.type
                in ("table", "multi_select", "checkbox", "attachment", "image", "user", "department")
            ):
                self.add(
                    "min_items_not_required",
                    {"key": path, "limit": limit},
                    field=path,
                    pointer=pointer_join(info.pointer, "minItems"),
                    severity=WARNING,
                )

    def _check_defaults(self) -> None:
        for path, info in self.fields.items():
            if "default" not in info.schema:
                continue
            schema = {k: v for k, v in info.schema.items() if not k.startswith("x-") and k != "default"}
            try:
                errors = list(make_validator(schema).iter_errors(info.schema["default"]))
            except Exception as exc:  # noqa: BLE001 - a broken fragment is reported elsewhere
                errors = [exc]
            if errors:
                reason = getattr(errors[0], "message", str(errors[0]))[:200]
                self.add(
                    "default_invalid",
                    {"key": path, "reason": reason},
                    field=path,
                    pointer=pointer_join(info.pointer, "default"),
                )

    # -- rules -------------------------------------------------------------------------
    def _check_rules(self) -> None:
        graph: dict[str, set[str]] = {path: set() for path in self.fields}
        for path, info in self.fields.items():
            if info.type == "table":
                # A table's value includes its derived columns.
                graph[path].update(c for c in info.columns if self._derived(c))
            for keyword in _RULE_KEYWORDS:
                rule = self.props[path].get(keyword) if path in self.props else None
                if keyword not in self.props.get(path, {}):
                    continue
                where = pointer_join(info.pointer, keyword)
                reason = _rules.check_rule(rule)
                if reason is not None:
                    self.add(
                        "rule_invalid", {"keyword": keyword, "reason": reason}, field=path, pointer=where
                    )
                    continue
                for variable in sorted(_rules.rule_variables(rule)):
                    targets = self._resolve(variable, info, keyword, where)
                    if keyword != "x-required-if":
                        # Required-if changes no data, so it cannot take part in a cycle.
                        graph[path].update(targets)
        self._cycles(graph)

    def _derived(self, path: str) -> bool:
        info = self.fields[path]
        return info.compute is not None or info.visible_if is not None

    def _resolve(self, variable: str, info: FieldInfo, keyword: str, where: str) -> set[str]:
        segments = variable.split(".")
        root = segments[0]
        params = {"keyword": keyword, "variable": variable}
        if root in _CONTEXT_ROOTS:
            return set()
        if root == "row":
            if info.parent is None or len(segments) < 2:
                self.add("rule_unknown_variable", params, field=info.key, pointer=where)
                return set()
            target = f"{info.parent}.{segments[1]}"
            return self._target(target, segments[2:], params, info, where)
        if root != "form" or len(segments) < 2:
            self.add("rule_unknown_variable", params, field=info.key, pointer=where)
            return set()
        top = segments[1]
        if top not in self.fields or self.fields[top].parent is not None:
            self.add("rule_unknown_field", params, field=info.key, pointer=where)
            return set()
        rest = segments[2:]
        if self.fields[top].type == "table" and rest:
            if rest[0].isdigit():
                rest = rest[1:]
            if not rest:
                return {top}
            return {top} | self._target(f"{top}.{rest[0]}", rest[1:], params, info, where)
        return self._target(top, rest, params, info, where)

    def _target(
        self, target: str, rest: list[str], params: dict[str, Any], info: FieldInfo, where: str
    ) -> set[str]:
        field = self.fields.get(target)
        if field is None:
            self.add("rule_unknown_field", params, field=info.key, pointer=where)
            return set()
        if field.value_kind == "none":
            self.add("rule_field_without_value", params, field=info.key, pointer=where)
            return set()
        if rest:
            allowed = _STRUCTURED.get(field.type)
            scalar = field.value_kind in (
                "string",
                "number",
                "boolean",
                "date",
                "datetime",
                "user",
                "department",
            )
            if (allowed is not None and (rest[0] not in allowed or len(rest) > 1)) or (
                allowed is None and scalar
            ):
                self.add("rule_unknown_field", params, field=info.key, pointer=where)
                return set()
        return {target}

    def _cycles(self, graph: dict[str, set[str]]) -> None:
        # Iterative DFS; each cycle is reported once, starting at its first field in form order.
        position = {path: i for i, path in enumerate(self.fields)}
        state: dict[str, int] = {}
        reported: set[frozenset[str]] = set()
        order: list[str] = []
        for start in self.fields:
            if start in state:
                continue
            stack: list[tuple[str, list[str]]] = [(start, sorted(graph[start], key=position.__getitem__))]
            trail = [start]
            state[start] = 1
            while stack:
                node, todo = stack[-1]
                if todo:
                    nxt = todo.pop(0)
                    if state.get(nxt) == 1:
                        cycle = trail[trail.index(nxt) :]
                        members = frozenset(cycle)
                        if members not in reported:
                            reported.add(members)
                            first = min(cycle, key=position.__getitem__)
                            k = cycle.index(first)
                            ring = cycle[k:] + cycle[:k] + [first]
                            info = self.fields[first]
                            self.add(
                                "dependency_cycle",
                                {"cycle": " → ".join(ring)},
                                field=first,
                                pointer=info.pointer,
                            )
                    elif nxt not in state:
                        state[nxt] = 1
                        trail.append(nxt)
                        stack.append((nxt, sorted(graph[nxt], key=position.__getitem__)))
                else:
                    state[node] = 2
                    order.append(node)  # post-order: dependencies first
                    stack.pop()
                    trail.pop()
        self.evaluation_order = tuple(path for path in order if self._derived(path))

    # -- layout ------------------------------------------------------------------------
    def _check_ui(self, ui: Mapping[str, Any]) -> None:
        top = [path for path, info in self.fields.items() if info.parent is None]
        order = ui.get("order")
        placed: list[str] = []
        if isinstance(order, list):
            for index, key in enumerate(order):
                where = pointer_join("/ui_schema/order", index)
                if key not in top:
                    self.add("ui_unknown_field", {"key": str(key)}, pointer=where, severity=WARNING)
                elif key in placed:
                    self.add("key_duplicate", {"key": key}, field=key, pointer=where, severity=WARNING)
                else:
                    placed.append(key)
            for key in top:
                if key not in placed:
                    self.add(
                        "ui_field_not_placed",
                        {"key": key},
                        field=key,
                        pointer="/ui_schema/order",
                        severity=WARNING,
                    )
        self.order = tuple(placed + [key for key in top if key not in placed])
        title = ui.get("title_field")
        if title is not None:
            info = self.fields.get(title) if isinstance(title, str) else None
            if info is None or info.parent is not None:
                self.add("ui_unknown_field", {"key": str(title)}, pointer="/ui_schema/title_field", severity=WARNING)
            elif info.value_kind not in TITLE_FIELD_KINDS:
                self.add("ui_title_field_kind", {"key": title, "kind": info.value_kind}, field=title,
                         pointer="/ui_schema/title_field", severity=WARNING)
        sections = ui.get("sections", [])
        in_sections: set[str] = set()
        for s_index, section in enumerate(sections if isinstance(sections, list) else []):
            keys = section.get("fields", []) if isinstance(section, Mapping) else []
            for f_index, key in enumerate(keys if isinstance(keys, list) else []):
                where = pointer_join("/ui_schema/sections", s_index, "fields", f_index)
                if key not in top:
                    self.add("ui_unknown_field", {"key": str(key)}, pointer=where, severity=WARNING)
                elif key in in_sections:
                    self.add("key_duplicate", {"key": key}, field=key, pointer=where, severity=WARNING)
                in_sections.add(key)
        widgets = ui.get("fields", {})
        for key in widgets if isinstance(widgets, Mapping) else {}:
            if key not in self.fields:
                self.add(
                    "ui_unknown_field",
                    {"key": str(key)},
                    pointer=pointer_join("/ui_schema/fields", key),
                    severity=WARNING,
                )

    def _check_meta_schema(self) -> None:
        try:
            Draft202012Validator.check_schema(self.schema)
        except SchemaError as exc:
            pointer = pointer_join("/schema", *exc.absolute_path)
            self.add("schema_invalid", {"reason": exc.message[:200]}, pointer=pointer)

    # -- result ------------------------------------------------------------------------
    def spec(self) -> FormSpec:
        """Return the FormSpec of an analysed document without errors."""
        canonical = json.dumps(self.document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return FormSpec(
            schema_version=SCHEMA_VERSION,
            schema=self.schema,
            ui_schema=MappingProxyType(dict(self.document.get("ui_schema") or {})),
            fields=MappingProxyType(dict(self.fields)),
            order=self.order,
            evaluation_order=self.evaluation_order,
            fingerprint=hashlib.sha256(canonical.encode()).hexdigest(),
            document=MappingProxyType(self.document),
        )


def _safe(compute: Callable[[], Any], default: Any) -> Any:
    # A property with errors (reported already) may hold values of any JSON type.
    try:
        return compute()
    except (TypeError, ValueError, AttributeError, KeyError):
        return default


def _replace(info: FieldInfo, **changes: Any) -> FieldInfo:
    from dataclasses import replace

    return replace(info, **changes)


def field_label(info: FieldInfo, language: str = "zh") -> str:
    """Return a field's label in ``language`` (falls back to zh, en, then the key)."""
    return localized(info.label, language) or info.key
