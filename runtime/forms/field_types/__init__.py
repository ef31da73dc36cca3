"""The built-in field types (one class each; registered in ``runtime.forms.registry``)."""

from __future__ import annotations

from runtime.forms.field_types.base import FieldType
from runtime.forms.field_types.choice import (
    CheckboxFieldType,
    MultiSelectFieldType,
    RadioFieldType,
    SelectFieldType,
)
from runtime.forms.field_types.computed import ComputedFieldType
from runtime.forms.field_types.dates import DateFieldType, DateRangeFieldType, DateTimeFieldType
from runtime.forms.field_types.description import DescriptionFieldType
from runtime.forms.field_types.files import AttachmentFieldType, ImageFieldType, SignatureFieldType
from runtime.forms.field_types.number import MoneyFieldType, NumberFieldType
from runtime.forms.field_types.org import DepartmentFieldType, UserFieldType
from runtime.forms.field_types.table import TableFieldType
from runtime.forms.field_types.text import TextareaFieldType, TextFieldType

BUILTIN_FIELD_TYPES: tuple[type[FieldType], ...] = (
    TextFieldType,
    TextareaFieldType,
    NumberFieldType,
    MoneyFieldType,
    DateFieldType,
    DateTimeFieldType,
    DateRangeFieldType,
    SelectFieldType,
    MultiSelectFieldType,
    RadioFieldType,
    CheckboxFieldType,
    UserFieldType,
    DepartmentFieldType,
    AttachmentFieldType,
    ImageFieldType,
    SignatureFieldType,
    TableFieldType,
    ComputedFieldType,
    DescriptionFieldType,
)

__all__ = ["BUILTIN_FIELD_TYPES", "FieldType"]
