"""jsonschema, made safe for admin-written form schemas, and its errors as submission details.

The validator class is Draft 2020-12 with two changes: ``format`` uses the forms'
own checker (``formats.FORMAT_CHECKER``) and ``pattern`` runs the cached compiled
pattern only on strings up to ``PATTERN_INPUT_LIMIT`` characters (longer strings
fail the pattern). Patterns reaching here passed ``patterns.pattern_problems``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from runtime.forms.field_types.base import pointer_join
from runtime.forms.formats import FORMAT_CHECKER
from runtime.forms.messages import VALUE_MESSAGES
from runtime.forms.patterns import bounded_search


def _pattern(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not bounded_search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


FormSchemaValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


def make_validator(schema: Mapping[str, Any]) -> Any:
    """Return a reusable validator of ``schema`` with the forms' formats and bounded patterns."""
    return FormSchemaValidator(schema, format_checker=FORMAT_CHECKER)


_FORMAT_CODES = {"date": "invalid_date", "date-time": "invalid_datetime", "email": "invalid_email"}
_SIMPLE_CODES = {
    "minimum": ("min_value", "limit"),
    "maximum": ("max_value", "limit"),
    "exclusiveMinimum": ("min_value_exclusive", "limit"),
    "exclusiveMaximum": ("max_value_exclusive", "limit"),
    "minLength": ("min_length", "limit"),
    "maxLength": ("max_length", "limit"),
    "pattern": ("invalid_format", None),
    "enum": ("invalid_choice", None),
    "const": ("invalid_choice", None),
    "uniqueItems": ("duplicate_items", None),
    "multipleOf": ("invalid", None),
}


def detail(pointer: str, field: str | None, code: str, **params: Any) -> dict[str, Any]:
    """Build one submission error detail (the shape documented in docs/forms.md)."""
    return {
        "pointer": pointer,
        "field": field,
        "code": code,
        "message": VALUE_MESSAGES[code],
        "params": params,
    }


def field_of(path: list[str | int], tables: frozenset[str]) -> str | None:
    """Return the dotted field of a data path: ``["items", 0, "price"]`` -> ``"items.price"``."""
    if not path:
        return None
    head = str(path[0])
    if head in tables and len(path) >= 3 and isinstance(path[1], int):
        return f"{head}.{path[2]}"
    return head


def error_details(
    error: ValidationError, tables: frozenset[str], prefix: tuple[str | int, ...] = ()
) -> list[dict[str, Any]]:
    """Turn one jsonschema error into submission details (``required`` and extras: one per key)."""
    path = [*prefix, *error.absolute_path]
    pointer = pointer_join("", *path)
    keyword = error.validator
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        # jsonschema yields one error per missing key but names it only in the message.
        missing = [key for key in error.validator_value if key not in instance]
        key = next((k for k in missing if repr(k) in error.message), missing[0] if missing else "")
        child = path + [key]
        return [detail(pointer_join("", *child), field_of(child, tables), "required")]
    if keyword == "additionalProperties":
        properties = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extras = sorted(key for key in error.instance if key not in properties)
        return [
            detail(pointer_join("", *path, key), field_of(path + [key], tables), "unknown_field")
            for key in extras
        ]
    field = field_of(path, tables)
    if keyword == "type":
        expected = error.validator_value
        return [
            detail(
                pointer,
                field,
                "invalid_type",
                expected=expected if isinstance(expected, str) else "/".join(expected),
            )
        ]
    if keyword == "format":
        return [detail(pointer, field, _FORMAT_CODES.get(error.validator_value, "invalid_format"))]
    if keyword in ("minItems", "maxItems"):
        is_table = len(path) == 1 and str(path[0]) in tables
        code = ("min_" if keyword == "minItems" else "max_") + ("rows" if is_table else "items")
        return [detail(pointer, field, code, limit=error.validator_value)]
    code, param = _SIMPLE_CODES.get(str(keyword), ("invalid", None))
    return [detail(pointer, field, code, **({param: error.validator_value} if param else {}))]


def details_of(
    errors: Iterator[ValidationError], tables: frozenset[str], prefix: tuple[str | int, ...] = ()
) -> list[dict[str, Any]]:
    """Convert every error (each required/unknown key once); ``prefix`` is the path of the instance."""
    seen: set[tuple[str, str]] = set()
    out = []
    for error in errors:
        for item in error_details(error, tables, prefix):
            key = (item["pointer"], item["code"])
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out
