"""The base of field types: what a type declares and the checks every type shares."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from platform_core.registry import Registered
from runtime.forms import limits
from runtime.forms.errors import ERROR, WARNING, FormIssue
from runtime.forms.messages import ISSUE_MESSAGES, VALUE_MESSAGES

if TYPE_CHECKING:
    from runtime.forms.dictionary import DictionaryIndex
    from runtime.forms.spec import FieldInfo


class _Missing:
    """Marks an absent value (distinct from JSON null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

# Keywords every field may carry (annotations and layout-independent texts).
COMMON_KEYWORDS = frozenset(
    {"x-type", "title", "description", "$comment", "x-label", "x-help", "x-visible-if"}
)
RULE_KEYWORDS = ("x-visible-if", "x-required-if", "x-compute")
# Numeric keywords and the kind of number they take.
_COUNT_KEYWORDS = ("minLength", "maxLength", "minItems", "maxItems")
_BOUND_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def pointer_join(pointer: str, *parts: str | int) -> str:
    """Append JSON-pointer segments (escaping ``~`` and ``/``) to ``pointer``."""
    for part in parts:
        pointer += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return pointer


def make_issue(
    code: str,
    params: Mapping[str, Any] | None = None,
    *,
    field: str | None = None,
    pointer: str = "",
    severity: str = ERROR,
) -> FormIssue:
    """Build a :class:`FormIssue` with the catalogued message of ``code``."""
    return FormIssue(
        code=code,
        message=ISSUE_MESSAGES[code],
        params=dict(params or {}),
        severity=severity,
        field=field,
        pointer=pointer,
    )


@dataclass(frozen=True)
class ValueIssue:
    """A problem of one submitted value, relative to the field's own pointer."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    pointer: str = ""  # suffix below the field: "/end" for a date range's end

    @property
    def message(self) -> str:
        """The gettext template of the code."""
        return VALUE_MESSAGES[self.code]


def value_issue(code: str, pointer: str = "", /, **params: Any) -> ValueIssue:
    """Build a :class:`ValueIssue` (shorthand used by the field types)."""
    return ValueIssue(code=code, params=params, pointer=pointer)


@dataclass(frozen=True)
class ValueContext:
    """What ``validate_value`` may look at beside the value."""

    prop: Mapping[str, Any]  # the field's normalized schema fragment
    dictionary: DictionaryIndex | None = None  # pinned snapshot; None skips dictionary checks
    previous_values: tuple[Any, ...] = ()  # earlier values of this field (one per earlier row for columns)
    actor: str | None = None  # the user submitting, when known
    data: Mapping[str, Any] = field(default_factory=dict)  # the whole cleaned submission


@dataclass(frozen=True)
class ExportContext:
    """What ``to_export_value`` may look at beside the value."""

    field: FieldInfo
    language: str = "zh"
    dictionary: DictionaryIndex | None = None
    user_name: Callable[[str], str] | None = None  # id -> display name
    department_name: Callable[[str], str] | None = None
    timezone: tzinfo | None = None  # Excel has no time zones: datetimes are shown in this one


def is_number(value: Any) -> bool:
    """Return whether ``value`` is a JSON number (bools are not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def localized(text: Any, language: str) -> str:
    """Return a ``{"zh", "en"}`` text in ``language`` (falls back to zh, en, then str)."""
    if isinstance(text, Mapping):
        for lang in (language, "zh", "en"):
            value = text.get(lang)
            if isinstance(value, str) and value:
                return value
        return ""
    return "" if text is None else str(text)


class FieldType(Registered):
    """One kind of form field; subclasses are registered in ``runtime.forms.registry``."""

    type: str = ""
    value_kind: str = "string"  # one of spec.VALUE_KINDS
    label: Mapping[str, str] = {}  # palette name {"zh", "en"}
    report_role: str = "none"  # "dimension" | "measure" | "none"
    excel_number_format: str = "General"
    has_value: bool = True  # False for display-only blocks
    column_allowed: bool = True  # may be a sub-table column
    keywords: frozenset[str] = frozenset()  # type-specific keywords beyond COMMON_KEYWORDS and fixed ones
    required_keywords: tuple[str, ...] = ()
    formats: frozenset[str] = frozenset()  # allowed values of "format" (when "format" is a keyword)
    max_length_cap: int | None = None  # cap and default of maxLength
    max_items_cap: int | None = None  # cap and default of maxItems
    accepts_required_if: bool = True
    accepts_default: bool = True

    # -- definition side ---------------------------------------------------------------
    def default_property(self) -> dict[str, Any]:
        """Return the palette's default ``{"schema": fragment, "ui": ui defaults}`` for a new field."""
        schema: dict[str, Any] = {"x-type": self.type, "title": self.label.get("zh", self.type)}
        schema.update(copy.deepcopy(self.fixed_schema({})))
        schema["x-label"] = dict(self.label)
        schema.update(self.default_keywords())
        return {"schema": schema, "ui": self.default_ui()}

    def default_keywords(self) -> dict[str, Any]:
        """Keywords a new field of this type starts with (beyond the fixed ones)."""
        return {}

    def default_ui(self) -> dict[str, Any]:
        """UI-schema defaults of a new field (placeholder, widget)."""
        return {}

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """Keywords whose values this type decides (e.g. ``{"type": "string", "format": "date"}``)."""
        return {}

    def value_kind_for(self, prop: Mapping[str, Any]) -> str:
        """Return the value kind of a field with property ``prop``."""
        return self.value_kind

    def report_role_for(self, prop: Mapping[str, Any]) -> str:
        """Return the report role of a field with property ``prop``."""
        return self.report_role

    def excel_number_format_for(self, prop: Mapping[str, Any]) -> str:
        """Return the Excel number format of a field with property ``prop``."""
        return self.excel_number_format

    def allowed_keywords(self, prop: Mapping[str, Any]) -> frozenset[str]:
        """Return the keywords a property of this type may carry."""
        allowed = set(COMMON_KEYWORDS) | set(self.keywords) | set(self.fixed_schema(prop))
        if self.has_value and self.accepts_required_if:
            allowed.add("x-required-if")
        if self.has_value and self.accepts_default:
            allowed.add("default")
        return frozenset(allowed)

    def check_property(self, prop: Mapping[str, Any], path: str, pointer: str = "") -> list[FormIssue]:
        """Return the issues of property ``prop`` of the field at dotted ``path``."""
        issues: list[FormIssue] = []
        allowed = self.allowed_keywords(prop)
        for keyword in prop:
            if keyword not in allowed:
                issues.append(
                    make_issue(
                        "keyword_not_allowed",
                        {"keyword": keyword, "type": self.type},
                        field=path,
                        pointer=pointer_join(pointer, keyword),
                    )
                )
        for keyword in self.required_keywords:
            if keyword not in prop:
                issues.append(
                    make_issue(
                        "keyword_missing",
                        {"keyword": keyword, "type": self.type},
                        field=path,
                        pointer=pointer,
                    )
                )
        for keyword, expected in self.fixed_schema(prop).items():
            if keyword in prop and prop[keyword] != expected:
                issues.append(
                    self._invalid(path, pointer, keyword, f"this field type requires {_short(expected)}")
                )
        issues.extend(self._check_common(prop, path, pointer))
        issues.extend(self.check_extra(prop, path, pointer))
        return issues

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """Type-specific checks of ``prop`` (override in subclasses)."""
        return []

    def json_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """Return the normalized JSON Schema fragment this field validates with."""
        schema = dict(prop)
        schema.update(copy.deepcopy(self.fixed_schema(prop)))
        if self.max_length_cap is not None and "maxLength" not in schema:
            schema["maxLength"] = self.max_length_cap
        if self.max_items_cap is not None and "maxItems" not in schema:
            schema["maxItems"] = self.max_items_cap
        return self.complete_schema(schema)

    def complete_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Add keywords derived from extensions (e.g. ``enum`` from ``x-options``)."""
        return schema

    # -- value side --------------------------------------------------------------------
    def needs_value_check(self, prop: Mapping[str, Any]) -> bool:
        """Whether ``validate_value`` can find anything for this property (skipped otherwise)."""
        return type(self).validate_value is not FieldType.validate_value

    def quick_value_check(self, prop: Mapping[str, Any]) -> Callable[[Any], bool] | None:
        """An optional fast predicate: True means ``validate_value`` would find nothing (any value)."""
        return None

    def validate_value(self, value: Any, ctx: ValueContext) -> list[ValueIssue]:
        """Checks JSON Schema cannot do; called only for values that passed the schema."""
        return []

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Return the value as an Excel cell value (str, number, date, datetime or None)."""
        if value is None or value is MISSING:
            return None
        return value if isinstance(value, (str, int, float)) else str(value)

    # -- helpers -----------------------------------------------------------------------
    def _invalid(self, path: str, pointer: str, keyword: str, reason: str) -> FormIssue:
        return make_issue(
            "keyword_invalid",
            {"keyword": keyword, "reason": reason},
            field=path,
            pointer=pointer_join(pointer, keyword),
        )

    def _check_common(self, prop: Mapping[str, Any], path: str, pointer: str) -> Iterable[FormIssue]:
        label = prop.get("x-label")
        if label is not None and not (
            isinstance(label, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in label.items())
        ):
            yield self._invalid(path, pointer, "x-label", 'use {"zh": "…", "en": "…"}')
        elif not (isinstance(label, Mapping) and label.get("zh")):
            yield make_issue("label_missing", {"key": path}, field=path, pointer=pointer, severity=WARNING)
        for keyword in ("title", "description", "$comment"):
            if keyword in prop and not isinstance(prop[keyword], str):
                yield self._invalid(path, pointer, keyword, "use a text")
        if "x-help" in prop and not isinstance(prop["x-help"], (str, Mapping)):
            yield self._invalid(path, pointer, "x-help", 'use {"zh": "…", "en": "…"}')
        for keyword in _COUNT_KEYWORDS:
            if keyword in prop:
                value = prop[keyword]
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    yield self._invalid(path, pointer, keyword, "use a whole number of 0 or more")
                    continue
                cap = self.max_length_cap if keyword.endswith("Length") else self.max_items_cap
                if cap is not None and value > cap:
                    yield self._invalid(path, pointer, keyword, f"at most {cap}")
        for low, high in (("minLength", "maxLength"), ("minItems", "maxItems"), ("minimum", "maximum")):
            lo, hi = prop.get(low), prop.get(high)
            if is_number(lo) and is_number(hi) and lo > hi:
                yield self._invalid(path, pointer, low, f"greater than {high}")
        for keyword in _BOUND_KEYWORDS:
            if keyword in prop:
                value = prop[keyword]
                if not is_number(value) or not math.isfinite(value) or abs(value) > limits.MAX_NUMBER:
                    yield self._invalid(path, pointer, keyword, "use a number")
        fmt = prop.get("format")
        if (
            "format" in prop
            and "format" in self.keywords
            and not (isinstance(fmt, str) and fmt in self.formats)
        ):
            yield self._invalid(
                path, pointer, "format", "use one of {}".format(", ".join(sorted(self.formats)))
            )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
