"""Organisation fields: user and department (ids; ``x-multiple`` for several)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from runtime.forms import limits
from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import ExportContext, FieldType

_ID_SCHEMA = {"type": "string", "minLength": 1, "maxLength": limits.ID_MAX_LENGTH}


class _OrgFieldType(FieldType):
    """A user or department id, or a list of distinct ids with ``x-multiple``."""

    report_role = "dimension"
    excel_number_format = "@"
    keywords = frozenset({"x-multiple", "x-scope", "minItems", "maxItems", "items"})
    max_items_cap = 200

    def is_multi(self, prop: Mapping[str, Any]) -> bool:
        """Whether several ids may be chosen."""
        return prop.get("x-multiple") is True

    def allowed_keywords(self, prop: Mapping[str, Any]) -> frozenset[str]:
        """Item counts only for several ids."""
        allowed = super().allowed_keywords(prop)
        return allowed if self.is_multi(prop) else allowed - {"minItems", "maxItems", "items"}

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """An id string, or an array of distinct id strings."""
        if self.is_multi(prop):
            return {"type": "array", "items": dict(_ID_SCHEMA), "uniqueItems": True}
        return dict(_ID_SCHEMA)

    def json_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """No item cap for a single id."""
        schema = super().json_schema(prop)
        if not self.is_multi(prop):
            schema.pop("maxItems", None)
        return schema

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """``x-multiple`` is a boolean; ``x-scope`` (picker limit) is a known scope."""
        issues = []
        if "x-multiple" in prop and not isinstance(prop["x-multiple"], bool):
            issues.append(self._invalid(path, pointer, "x-multiple", "use true or false"))
        if "x-scope" in prop and prop["x-scope"] not in ("all", "own_department", "department_subtree"):
            issues.append(
                self._invalid(path, pointer, "x-scope", "use all, own_department or department_subtree")
            )
        return issues

    def value_kind_for(self, prop: Mapping[str, Any]) -> str:
        """One id has the type's kind; several are an array."""
        return "array" if self.is_multi(prop) else self.value_kind

    def _name(self, ctx: ExportContext) -> Callable[[str], str] | None:
        return ctx.user_name

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Display names (ids when no resolver is given), joined by "、"."""
        name = self._name(ctx) or (lambda ident: ident)
        if isinstance(value, list):
            return "、".join(name(ident) for ident in value)
        return name(value) if isinstance(value, str) else None


class UserFieldType(_OrgFieldType):
    """A user of the organisation (existence is checked by the caller's services)."""

    type = "user"
    value_kind = "user"
    label = {"zh": "人员", "en": "Member"}

    def default_ui(self) -> dict[str, Any]:
        """A member picker."""
        return {"widget": "user-picker"}


class DepartmentFieldType(_OrgFieldType):
    """A department of the organisation."""

    type = "department"
    value_kind = "department"
    label = {"zh": "部门", "en": "Department"}

    def default_ui(self) -> dict[str, Any]:
        """A department picker."""
        return {"widget": "department-picker"}

    def _name(self, ctx: ExportContext) -> Callable[[str], str] | None:
        return ctx.department_name
