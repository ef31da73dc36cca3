"""Choice fields: select, radio, multi-select and checkbox (a boolean or several codes).

Options come either from a data-dictionary entry (``x-dictionary``; checked against the
pinned snapshot when a submission is validated) or inline (``x-options``; the loader
derives ``enum`` from them). A disabled option is refused for new values but kept when
it was already the stored value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.forms import limits
from runtime.forms.dictionary import option_label
from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import (
    ExportContext,
    FieldType,
    ValueContext,
    ValueIssue,
    make_issue,
    pointer_join,
    value_issue,
)

_CHOICE_KEYWORDS = frozenset({"x-options", "x-dictionary", "enum"})
_MULTI_KEYWORDS = _CHOICE_KEYWORDS | {"items", "minItems", "maxItems"}


def option_codes(prop: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the inline option codes of ``prop`` (empty for dictionary-bound fields)."""
    options = prop.get("x-options")
    if not isinstance(options, list):
        return ()
    return tuple(
        opt["code"] for opt in options if isinstance(opt, Mapping) and isinstance(opt.get("code"), str)
    )


class ChoiceMixin(FieldType):
    """Shared checks of fields whose values are option codes."""

    multiple = False
    report_role = "dimension"
    excel_number_format = "@"

    def uses_options(self, prop: Mapping[str, Any]) -> bool:
        """Whether this property takes options (a boolean checkbox does not)."""
        return True

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """Exactly one option source; inline options well-formed and unique."""
        if not self.uses_options(prop):
            return []
        issues: list[FormIssue] = []
        has_dict, has_options = "x-dictionary" in prop, "x-options" in prop
        if has_dict and has_options:
            issues.append(make_issue("options_conflict", {"key": path}, field=path, pointer=pointer))
        elif not has_dict and not has_options:
            issues.append(make_issue("options_missing", {"key": path}, field=path, pointer=pointer))
        if has_dict and not (isinstance(prop["x-dictionary"], str) and prop["x-dictionary"]):
            issues.append(self._invalid(path, pointer, "x-dictionary", "use the key of a dictionary entry"))
        if has_options:
            issues.extend(self._check_options(prop["x-options"], path, pointer))
        codes = list(option_codes(prop))
        if "enum" in prop and prop["enum"] != codes:
            issues.append(self._invalid(path, pointer, "enum", "it is derived from x-options; remove it"))
        items = prop.get("items")
        if self.multiple and items is not None:
            expected = {"type": "string", "enum": codes} if codes else {"type": "string"}
            if items != expected:
                issues.append(
                    self._invalid(
                        path, pointer, "items", 'it is derived; remove it or use {"type": "string"}'
                    )
                )
        return issues

    def _check_options(self, options: Any, path: str, pointer: str) -> list[FormIssue]:
        where = pointer_join(pointer, "x-options")
        if not isinstance(options, list) or not options:
            return [self._invalid(path, pointer, "x-options", "use a non-empty list of options")]
        if len(options) > limits.MAX_OPTIONS:
            return [self._invalid(path, pointer, "x-options", f"at most {limits.MAX_OPTIONS} options")]
        issues: list[FormIssue] = []
        seen: set[str] = set()
        for index, opt in enumerate(options):
            code = opt.get("code") if isinstance(opt, Mapping) else None
            if not isinstance(code, str) or not code or len(code) > limits.ID_MAX_LENGTH:
                issues.append(
                    make_issue(
                        "keyword_invalid",
                        {
                            "keyword": "x-options",
                            "reason": f"option {index + 1} needs a code of 1 to 64 characters",
                        },
                        field=path,
                        pointer=pointer_join(where, index),
                    )
                )
                continue
            if code in seen:
                issues.append(
                    make_issue(
                        "option_duplicate", {"code": code}, field=path, pointer=pointer_join(where, index)
                    )
                )
            seen.add(code)
            label = opt.get("label")
            enabled = opt.get("enabled", True)
            if (
                not isinstance(label, (str, Mapping))
                or not isinstance(enabled, bool)
                or set(opt)
                - {
                    "code",
                    "label",
                    "enabled",
                    "color",
                }
            ):
                issues.append(
                    make_issue(
                        "keyword_invalid",
                        {"keyword": "x-options", "reason": 'use {"code", "label": {"zh", "en"}, "enabled"}'},
                        field=path,
                        pointer=pointer_join(where, index),
                    )
                )
        return issues

    def complete_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Derive ``enum`` (or ``items.enum``) from inline options."""
        if not self.uses_options(schema):
            return schema
        codes = list(option_codes(schema))
        if self.multiple:
            schema["items"] = {"type": "string", "enum": codes} if codes else {"type": "string"}
        elif codes:
            schema["enum"] = codes
        return schema

    def _options(
        self, prop: Mapping[str, Any], ctx_dictionary: Any
    ) -> Mapping[str, Mapping[str, Any]] | None:
        key = prop.get("x-dictionary")
        if isinstance(key, str):
            return None if ctx_dictionary is None else (ctx_dictionary.entry(key) or {})
        options = prop.get("x-options")
        return {opt["code"]: opt for opt in options or () if isinstance(opt, Mapping) and "code" in opt}

    def needs_value_check(self, prop: Mapping[str, Any]) -> bool:
        """Dictionary codes, or inline options of which some are disabled."""
        if not self.uses_options(prop):
            return False
        options = prop.get("x-options") or ()
        return "x-dictionary" in prop or any(
            isinstance(o, Mapping) and o.get("enabled") is False for o in options
        )

    def validate_value(self, value: Any, ctx: ValueContext) -> list[ValueIssue]:
        """Codes exist in the pinned dictionary and are enabled (or were already stored)."""
        if not self.uses_options(ctx.prop):
            return []
        options = self._options(ctx.prop, ctx.dictionary)
        if options is None:
            return []  # no dictionary snapshot given: the caller chose not to check codes
        codes = value if self.multiple else [value]
        previous: set[Any] = set()
        for old in ctx.previous_values:
            if isinstance(old, list):
                previous.update(code for code in old if isinstance(code, str))
            elif isinstance(old, str):
                previous.add(old)
        issues = []
        for index, code in enumerate(codes):
            where = f"/{index}" if self.multiple else ""
            opt = options.get(code)
            if opt is None:
                issues.append(value_issue("invalid_choice", where, code=code))
            elif opt.get("enabled", True) is False and code not in previous:
                issues.append(value_issue("choice_disabled", where, code=code))
        return issues

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Option labels in the export language (codes when unknown), joined by "、"."""
        if value is None:
            return None
        prop = ctx.field.schema
        key = prop.get("x-dictionary")
        inline = {opt["code"]: opt for opt in prop.get("x-options") or () if isinstance(opt, Mapping)}

        def label(code: str) -> str:
            if isinstance(key, str):
                return ctx.dictionary.label(key, code, ctx.language) if ctx.dictionary else code
            return option_label(inline[code], ctx.language) if code in inline else code

        if isinstance(value, list):
            return "、".join(label(code) for code in value)
        return label(value) if isinstance(value, str) else value


class SelectFieldType(ChoiceMixin):
    """One option from a drop-down."""

    type = "select"
    value_kind = "string"
    label = {"zh": "下拉选择", "en": "Select"}
    keywords = _CHOICE_KEYWORDS

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """A code string."""
        return {"type": "string"}

    def default_keywords(self) -> dict[str, Any]:
        """Two placeholder options."""
        return {
            "x-options": [
                {"code": "option1", "label": {"zh": "选项1", "en": "Option 1"}},
                {"code": "option2", "label": {"zh": "选项2", "en": "Option 2"}},
            ]
        }

    def default_ui(self) -> dict[str, Any]:
        """A placeholder in both languages."""
        return {"placeholder": {"zh": "请选择", "en": "Select"}}


class RadioFieldType(SelectFieldType):
    """One option shown as radio buttons."""

    type = "radio"
    label = {"zh": "单选", "en": "Radio"}

    def default_ui(self) -> dict[str, Any]:
        """Buttons in a row."""
        return {"direction": "horizontal"}


class MultiSelectFieldType(ChoiceMixin):
    """Several distinct options."""

    type = "multi_select"
    value_kind = "array"
    multiple = True
    label = {"zh": "多选", "en": "Multi-select"}
    keywords = _MULTI_KEYWORDS
    max_items_cap = limits.MAX_OPTIONS

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """An array of distinct code strings."""
        return {"type": "array", "uniqueItems": True}

    default_keywords = SelectFieldType.default_keywords

    def default_ui(self) -> dict[str, Any]:
        """A placeholder in both languages."""
        return {"placeholder": {"zh": "请选择", "en": "Select"}}


class CheckboxFieldType(ChoiceMixin):
    """A single tick box (``"type": "boolean"``) or several boxes (``"type": "array"`` of codes)."""

    type = "checkbox"
    value_kind = "boolean"
    label = {"zh": "复选框", "en": "Checkbox"}
    keywords = _MULTI_KEYWORDS | {"type"}
    max_items_cap = limits.MAX_OPTIONS

    def is_multi(self, prop: Mapping[str, Any]) -> bool:
        """Several boxes when the property is an array."""
        return prop.get("type") == "array"

    def uses_options(self, prop: Mapping[str, Any]) -> bool:
        """Only several boxes take options."""
        return self.is_multi(prop)

    @property
    def multiple(self) -> bool:  # type: ignore[override]
        # Only consulted for multi checkboxes (uses_options guards every use).
        return True

    def allowed_keywords(self, prop: Mapping[str, Any]) -> frozenset[str]:
        """A single box takes no options."""
        allowed = super().allowed_keywords(prop)
        return allowed if self.is_multi(prop) else allowed - _MULTI_KEYWORDS

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """A boolean, or an array of distinct codes."""
        return {"type": "array", "uniqueItems": True} if self.is_multi(prop) else {"type": "boolean"}

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """``type`` is boolean or array."""
        if prop.get("type", "boolean") not in ("boolean", "array"):
            return [self._invalid(path, pointer, "type", 'use "boolean" (one box) or "array" (several)')]
        return super().check_extra(prop, path, pointer)

    def json_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """No item cap for a single box."""
        schema = super().json_schema(prop)
        if not self.is_multi(prop):
            schema.pop("maxItems", None)
        return schema

    def value_kind_for(self, prop: Mapping[str, Any]) -> str:
        """``boolean`` for one box, ``array`` for several."""
        return "array" if self.is_multi(prop) else "boolean"

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """是/否 (Yes/No) for one box, labels for several."""
        if isinstance(value, bool):
            return ("是" if value else "否") if ctx.language == "zh" else ("Yes" if value else "No")
        return super().to_export_value(value, ctx)
