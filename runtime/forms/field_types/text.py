"""Text fields: single-line text and multi-line textarea."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.forms import limits
from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import FieldType, make_issue, pointer_join
from runtime.forms.patterns import pattern_problems


class TextFieldType(FieldType):
    """Single-line text; may carry a length range, an e-mail format or an admin pattern."""

    type = "text"
    value_kind = "string"
    label = {"zh": "单行文本", "en": "Text"}
    excel_number_format = "@"
    keywords = frozenset({"minLength", "maxLength", "pattern", "format"})
    formats = frozenset({"email"})
    max_length_cap = limits.TEXT_MAX_LENGTH

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """Text is a JSON string."""
        return {"type": "string"}

    def default_keywords(self) -> dict[str, Any]:
        """New text fields hold up to 200 characters."""
        return {"maxLength": 200}

    def default_ui(self) -> dict[str, Any]:
        """A placeholder in both languages."""
        return {"placeholder": {"zh": "请输入", "en": "Enter text"}}

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """Admin patterns must be safe regular expressions."""
        if "pattern" not in prop:
            return []
        pattern = prop["pattern"]
        if not isinstance(pattern, str):
            return [self._invalid(path, pointer, "pattern", "use a text")]
        issues = [
            make_issue(code, params, field=path, pointer=pointer_join(pointer, "pattern"))
            for code, params in pattern_problems(pattern)
        ]
        max_length = prop.get("maxLength")
        if isinstance(max_length, int) and max_length > limits.PATTERN_INPUT_LIMIT:
            # Patterns only ever run on bounded input (see runtime/forms/patterns.py).
            reason = f"at most {limits.PATTERN_INPUT_LIMIT} when a pattern is set"
            issues.append(self._invalid(path, pointer, "maxLength", reason))
        return issues

    def complete_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A pattern bounds the length (when no smaller maxLength is given)."""
        bound = limits.PATTERN_INPUT_LIMIT
        if "pattern" in schema and schema.get("maxLength", limits.TEXT_MAX_LENGTH) > bound:
            schema["maxLength"] = bound
        return schema


class TextareaFieldType(TextFieldType):
    """Multi-line text (no pattern: patterns on long texts are slow and rarely meant)."""

    type = "textarea"
    label = {"zh": "多行文本", "en": "Paragraph"}
    keywords = frozenset({"minLength", "maxLength"})
    formats = frozenset()
    max_length_cap = limits.TEXTAREA_MAX_LENGTH

    def default_keywords(self) -> dict[str, Any]:
        """New paragraphs hold up to 2000 characters."""
        return {"maxLength": 2000}

    def default_ui(self) -> dict[str, Any]:
        """Four visible rows."""
        return {"placeholder": {"zh": "请输入", "en": "Enter text"}, "rows": 4}
