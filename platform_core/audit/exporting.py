"""Exporting the audit log to CSV and Excel, safe to open in a spreadsheet.

Anything a user typed (a record's title, a user agent, a changed value) ends up in the
cells; text that a spreadsheet would read as a formula (CSV/formula injection) is
neutralised: in CSV it gets a leading apostrophe, in xlsx it is written as a text cell
(never a formula) with Excel's quote prefix, so editing the cell keeps it text too.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from platform_core.audit.models import AuditEvent
from platform_core.errors import ValidationFailed, gettext_noop

EXPORT_MAX_ROWS = 50_000
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}

# Characters that make a spreadsheet start a formula (OWASP's list), plus their full-width
# forms, which some East Asian Excel builds also accept.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _field_label(name: str) -> Any:
    return AuditEvent._meta.get_field(name).verbose_name


# (header, value of an event); headers are lazy: translated when the file is written,
# in the request's language.
COLUMNS: list[tuple[Any, Any]] = [
    (_("sequence"), lambda e: e.seq),
    (_field_label("at"), lambda e: timezone.localtime(e.at).replace(tzinfo=None, microsecond=0)),
    (_field_label("actor_label"), lambda e: e.actor_label),
    (_("actor id"), lambda e: e.actor_id),
    (_field_label("action"), lambda e: e.action),
    (_field_label("target_type"), lambda e: e.target_type),
    (_field_label("target_id"), lambda e: e.target_id),
    (_field_label("target_label"), lambda e: e.target_label),
    (_("before"), lambda e: _json(e.before)),
    (_("after"), lambda e: _json(e.after)),
    (_("IP address"), lambda e: e.ip or ""),
    (_("user agent"), lambda e: e.user_agent),
    (_("hash"), lambda e: e.hash),
]


class ExportTooLarge(ValidationFailed):
    code = "export_too_large"
    message = gettext_noop("More than %(limit)s events match; narrow the filters (for example the dates).")


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    return text.startswith(FORMULA_PREFIXES)


def csv_cell(value: Any) -> Any:
    """A CSV cell: numbers as they are, formula-like text behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if is_formula_like(text) else text


def _rows(events: Iterable[AuditEvent]) -> Iterable[list[Any]]:
    for event in events:
        yield [getter(event) for _label, getter in COLUMNS]


def checked(queryset: Any) -> Any:
    """The queryset, or ExportTooLarge when it holds more than EXPORT_MAX_ROWS events."""
    count = queryset.count()
    if count > EXPORT_MAX_ROWS:
        raise ExportTooLarge(params={"limit": EXPORT_MAX_ROWS}, details={"limit": EXPORT_MAX_ROWS, "count": count})
    return queryset


def to_csv(events: Iterable[AuditEvent]) -> bytes:
    """UTF-8 with a BOM (so Excel reads the Chinese right), CRLF line ends, a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(str(label)) for label, _getter in COLUMNS])
    for row in _rows(events):
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(events: Iterable[AuditEvent], *, title: str) -> bytes:
    """One sheet, a bold header row, every text cell a string (never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header = []
    for label, _getter in COLUMNS:
        cell = _text_cell(sheet, str(label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(events):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, (int, float)):
        return value
    return _text_cell(sheet, str(value))


def _text_cell(sheet: Any, text: str) -> WriteOnlyCell:
    # Control characters are illegal in the XML of a sheet; drop them rather than fail.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl turns text starting with "=" into a formula; force a string cell instead, and
    # set Excel's quote prefix so the text stays text when someone edits the cell.
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell
