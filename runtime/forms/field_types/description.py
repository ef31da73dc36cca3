"""The description block: text shown on the form that holds no value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import ExportContext, FieldType


class DescriptionFieldType(FieldType):
    """Display-only text (``x-content`` in zh/en); submitted values for it are dropped."""

    type = "description"
    value_kind = "none"
    label = {"zh": "说明文字", "en": "Description"}
    has_value = False
    column_allowed = False
    keywords = frozenset({"x-content"})
    accepts_required_if = False
    accepts_default = False

    def default_keywords(self) -> dict[str, Any]:
        """A placeholder text."""
        return {"x-content": {"zh": "请在此输入说明", "en": "Write the explanation here"}}

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """``x-content`` is text in zh/en."""
        content = prop.get("x-content")
        if "x-content" in prop and not isinstance(content, (str, Mapping)):
            return [self._invalid(path, pointer, "x-content", 'use {"zh": "…", "en": "…"}')]
        return []

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Nothing to export."""
        return None
