"""Forms: JSON Schema 2020-12 + x- extensions, field types, checking and submission validation.

Pure Python (no Django). The format is documented in ``docs/forms.md``.
"""

from __future__ import annotations

from runtime.forms.cache import FormSpecCache, form_spec_cache
from runtime.forms.definition import (
    SCHEMA_VERSION,
    check_form,
    field_label,
    load_form,
    migrate,
    parse_form_json,
    register_migration,
)
from runtime.forms.dictionary import DictionaryIndex
from runtime.forms.errors import FormInvalid, FormIssue, SubmissionInvalid
from runtime.forms.field_types.base import ExportContext, FieldType, ValueContext, ValueIssue
from runtime.forms.patterns import is_pattern_safe, pattern_problems
from runtime.forms.registry import field_type_registry, palette
from runtime.forms.spec import VALUE_KINDS, FieldInfo, FormSpec
from runtime.forms.submission import filter_for_read, validate_submission

__all__ = [
    "SCHEMA_VERSION",
    "VALUE_KINDS",
    "DictionaryIndex",
    "ExportContext",
    "FieldInfo",
    "FieldType",
    "FormInvalid",
    "FormIssue",
    "FormSpec",
    "FormSpecCache",
    "SubmissionInvalid",
    "ValueContext",
    "ValueIssue",
    "check_form",
    "field_label",
    "field_type_registry",
    "filter_for_read",
    "form_spec_cache",
    "is_pattern_safe",
    "load_form",
    "migrate",
    "palette",
    "parse_form_json",
    "pattern_problems",
    "register_migration",
    "validate_submission",
]
