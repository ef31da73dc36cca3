"""Checking a form + flow pair the way publishing does, as plain issue dicts.

Issues are stored untranslated (``message`` is the English gettext msgid, ``params`` its
parameters) so a version's warnings can be shown later in each reader's language;
:func:`localize` fills in the translated text for the current language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from platform_core.errors import PlatformError
from runtime.flows import OrgDirectory, verify
from runtime.forms import check_form, load_form
from runtime.forms.errors import ERROR
from runtime.forms.spec import FieldInfo

# Flow issues about form fields are noise while the form itself cannot be loaded (every
# field would look unknown); the form's own errors say what to fix first.
_FIELD_DEPENDENT = frozenset(
    {
        "rule_unknown_field",
        "rule_type_mismatch",
        "rule_unknown_dictionary_code",
        "rule_unknown_option",
        "field_right_unknown_field",
        "required_field_not_editable_at_start",
        "assignee_field_unknown",
        "assignee_field_wrong_kind",
        "mapping_field_unknown",
        "delay_field_wrong_kind",
    }
)


def form_fields(form: Any) -> Mapping[str, FieldInfo] | None:
    """The loaded form's fields, or None when the form has errors."""
    try:
        return load_form(form).fields
    except PlatformError:  # FormInvalid, or a schema version this server cannot read
        return None


def verify_documents(
    form: Any, flow: Any, *, org: OrgDirectory | None, dictionary: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """Every issue of the form and of the flow against it; errors first. ``dictionary`` None: not checked."""
    issues: list[dict[str, Any]] = []
    for issue in check_form(form, dictionaries=set(dictionary) if dictionary is not None else None):
        issues.append(
            {
                "source": "form",
                "code": issue.code,
                "severity": issue.severity,
                "message": issue.message,
                "params": _plain(issue.params),
                "node_id": None,
                "edge_id": None,
                "field": issue.field,
                "pointer": issue.pointer,
            }
        )
    fields = form_fields(form) if not any(i["severity"] == ERROR for i in issues) else None
    for flow_issue in verify(flow, fields or {}, org=org, dictionary=dictionary):
        if fields is None and flow_issue.code in _FIELD_DEPENDENT:
            continue
        data = flow_issue.as_dict()
        data.pop("text", None)
        issues.append({"source": "flow", **data, "pointer": None})
    return sorted(issues, key=lambda i: 0 if i["severity"] == ERROR else 1)


def has_errors(issues: list[dict[str, Any]]) -> bool:
    """True when any issue refuses publishing."""
    return any(i["severity"] == ERROR for i in issues)


def localize(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of stored issues with ``message`` translated and formatted for the current language."""
    return [dict(issue, message=format_message(issue.get("message") or "", issue.get("params"))) for issue in issues]


def format_message(template: str, params: Any) -> str:
    """Translate a msgid and fill in its parameters (the template alone when they do not fit)."""
    text = gettext(template) if template else ""
    if not params:
        return text
    if isinstance(params, Mapping) and params.get("detail_message"):
        # An error quoted inside the issue (the simulator's): translated with it, not left in English.
        params = dict(params, detail=format_message(str(params["detail_message"]), params.get("detail_params")))
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
