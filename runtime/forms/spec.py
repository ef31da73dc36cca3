"""What other parts of the platform know of a form's fields (pure Python).

The verifier, the simulator, the engine and reports read a form through
:class:`FieldInfo` records keyed by dotted path (``"amount"``; sub-table columns
as ``"items.price"``), never by poking into the JSON Schema themselves.
:class:`FormSpec` is the loaded, immutable form definition that holds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from runtime.forms.compiled import CompiledForm

# The kinds of value a rule may compare a field with. A field type maps onto one.
VALUE_KINDS = (
    "string",  # text, textarea, radio/select codes
    "number",  # number, money, computed numbers
    "boolean",  # checkbox (single)
    "date",  # ISO date string "2026-11-28"
    "datetime",  # ISO datetime string
    "date_range",  # {"start": date, "end": date}
    "array",  # multi-select codes, attachments, images
    "table",  # sub-table: array of row objects
    "user",  # user id (string)
    "department",  # department id (string)
    "file",  # attachment / image / signature references
    "none",  # description block: holds no value
)


@dataclass(frozen=True)
class FieldInfo:
    """One field of a form as seen by rules, flows and reports."""

    key: str  # dotted path: "amount", "items.price"
    type: str  # field-type registry key: "money", "select", "table", ...
    value_kind: str  # one of VALUE_KINDS
    label: dict[str, str] = field(default_factory=dict)  # {"zh": ..., "en": ...}
    required: bool = False  # always required (x-required-if is separate)
    required_if: Any = None  # JSON-logic rule or None
    visible_if: Any = None  # JSON-logic rule or None
    compute: Any = None  # JSON-logic rule or None (computed fields)
    dictionary: str | None = None  # data-dictionary entry key bound by x-dictionary
    options: tuple[str, ...] = ()  # inline option codes (select/radio/multi-select)
    parent: str | None = None  # sub-table key for a column, else None
    # Added by the forms package (all optional so older callers keep working):
    name: str = ""  # last path segment: "price" for "items.price"
    columns: tuple[str, ...] = ()  # a table's column keys (dotted), in order
    read_only: bool = False  # the value is server-made (computed) or display only
    report_role: str = "none"  # "dimension" | "measure" | "none"
    pointer: str = ""  # JSON pointer of the field's property in the form document
    schema: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)  # normalized fragment


@dataclass(frozen=True, eq=False)
class FormSpec:
    """A loaded form definition: immutable, compiled lazily once, shared by all submissions."""

    schema_version: int
    schema: Mapping[str, Any]  # normalized JSON Schema 2020-12 used for validation (do not mutate)
    ui_schema: Mapping[str, Any]
    fields: Mapping[str, FieldInfo]  # by dotted path, top-level fields in order, columns after their table
    order: tuple[str, ...]  # top-level field keys in display order
    evaluation_order: tuple[str, ...]  # fields with x-visible-if/x-compute, dependencies first
    fingerprint: str  # sha256 of the canonical (migrated) document
    document: Mapping[str, Any] = field(repr=False, default_factory=dict)  # the migrated document

    def get_field(self, key: str) -> FieldInfo:
        """Return the field at dotted path ``key`` (KeyError if absent)."""
        return self.fields[key]

    @property
    def title_field(self) -> str | None:
        """The top-level field whose value names requests (``ui_schema.title_field``), if any."""
        key = self.ui_schema.get("title_field")
        info = self.fields.get(key) if isinstance(key, str) else None
        return key if info is not None and info.parent is None else None

    def top_level_fields(self) -> list[FieldInfo]:
        """Return the top-level fields in display order."""
        return [self.fields[key] for key in self.order]

    @cached_property
    def compiled(self) -> CompiledForm:
        """The validators of this form, compiled on first use and kept with the spec."""
        from runtime.forms.compiled import compile_form

        return compile_form(self)
