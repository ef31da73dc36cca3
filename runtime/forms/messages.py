"""Message templates of form issues and submission errors, keyed by their stable code.

Templates are gettext msgids (English) with ``%(name)s`` parameters; the API translates
them for the request's language. Codes are API contract and tested.
"""

from __future__ import annotations

from platform_core.errors import gettext_noop as _

# Errors of a submitted value (details of SubmissionInvalid).
VALUE_MESSAGES: dict[str, str] = {
    "required": _("This field is required."),
    "invalid_type": _("Enter a value of the right kind (%(expected)s)."),
    "min_value": _("Ensure this value is greater than or equal to %(limit)s."),
    "max_value": _("Ensure this value is less than or equal to %(limit)s."),
    "min_value_exclusive": _("Ensure this value is greater than %(limit)s."),
    "max_value_exclusive": _("Ensure this value is less than %(limit)s."),
    "min_length": _("Ensure this value has at least %(limit)s characters."),
    "max_length": _("Ensure this value has at most %(limit)s characters."),
    "invalid_format": _("Enter a value in the required format."),
    "invalid_date": _("Enter a valid date (YYYY-MM-DD)."),
    "invalid_datetime": _("Enter a valid date and time."),
    "invalid_email": _("Enter a valid e-mail address."),
    "invalid_choice": _("Select a valid choice."),
    "choice_disabled": _("The option “%(code)s” is no longer available; choose another one."),
    "min_items": _("Choose or add at least %(limit)s items."),
    "max_items": _("Choose or add at most %(limit)s items."),
    "min_rows": _("Add at least %(limit)s rows."),
    "max_rows": _("Add at most %(limit)s rows."),
    "duplicate_items": _("Each item may appear only once."),
    "unknown_field": _("This field is not part of the form."),
    "invalid_number": _("Enter a valid number."),
    "invalid_precision": _("Enter a number with at most %(places)s decimal places."),
    "date_range_order": _("The end date must not be before the start date."),
    "date_range_too_long": _("The range may span at most %(limit)s days."),
    "file_type_not_allowed": _("Files of this type are not allowed (allowed: %(accept)s)."),
    "file_too_large": _("The file is larger than the allowed %(limit)s bytes."),
    "exif_missing": _("The photo must carry the time and place it was taken."),
    "signature_signer_mismatch": _("Only the signer themselves may sign."),
    "read_only": _("This field is read-only here and cannot be changed."),
    "compute_failed": _("This value could not be computed; check the fields it is computed from."),
    "invalid": _("Enter a valid value."),
}

# Issues of a form definition (FormIssue.code).
ISSUE_MESSAGES: dict[str, str] = {
    "document_invalid": _(
        "The form document must be an object with “schema_version”, “schema” and “ui_schema”."
    ),
    "schema_version_unsupported": _("Unsupported form schema_version %(version)s."),
    "schema_invalid": _("The form schema is not valid JSON Schema: %(reason)s."),
    "schema_not_object": _("The form schema must describe an object with properties."),
    "form_too_large": _("The form is too large (%(size)s characters; at most %(limit)s)."),
    "too_many_fields": _("The form has %(count)s fields; at most %(limit)s are allowed."),
    "too_many_columns": _("The sub-table has %(count)s columns; at most %(limit)s are allowed."),
    "nesting_too_deep": _("A sub-table cannot contain a field of type “%(type)s”."),
    "key_invalid": _(
        "The field key “%(key)s” must start with a letter or underscore and contain only letters, "
        "digits and underscores (at most %(limit)s characters)."
    ),
    "key_duplicate": _("The key “%(key)s” appears more than once."),
    "field_type_missing": _("The field “%(key)s” has no field type (x-type)."),
    "field_type_unknown": _("The field “%(key)s” has an unknown field type “%(type)s”."),
    "keyword_not_allowed": _("“%(keyword)s” cannot be used on a field of type “%(type)s”."),
    "keyword_missing": _("A field of type “%(type)s” needs “%(keyword)s”."),
    "keyword_invalid": _("“%(keyword)s” has an invalid value: %(reason)s."),
    "label_missing": _("The field “%(key)s” has no Chinese label (x-label.zh)."),
    "options_missing": _("Choose a dictionary entry or enter options for “%(key)s”."),
    "options_conflict": _("“%(key)s” has both a dictionary entry and inline options; keep one."),
    "option_duplicate": _("The option code “%(code)s” appears more than once."),
    "dictionary_unknown": _("The dictionary entry “%(dictionary)s” does not exist."),
    "required_unknown_field": _("“required” names “%(key)s”, which is not a field of the form."),
    "required_without_value": _("“%(key)s” holds no value and cannot be required."),
    "computed_required": _("The computed field “%(key)s” cannot be required; it is filled in automatically."),
    "min_items_not_required": _(
        "“%(key)s” has a minimum of %(limit)s but is not required: an empty value is accepted."
    ),
    "default_invalid": _("The default value of “%(key)s” is not valid: %(reason)s."),
    "rule_invalid": _("The rule in “%(keyword)s” is not valid: %(reason)s."),
    "rule_unknown_field": _(
        "The rule in “%(keyword)s” reads “%(variable)s”, which is not a field of the form."
    ),
    "rule_field_without_value": _("The rule in “%(keyword)s” reads “%(variable)s”, which holds no value."),
    "rule_unknown_variable": _(
        "The rule in “%(keyword)s” reads “%(variable)s”, which is not available here."
    ),
    "dependency_cycle": _("These fields depend on each other in a cycle: %(cycle)s."),
    "pattern_invalid": _("The pattern is not a valid regular expression: %(reason)s."),
    "pattern_too_long": _("The pattern is %(length)s characters long; at most %(limit)s are allowed."),
    "pattern_unsafe": _(
        "The pattern can take extremely long on some inputs (%(reason)s); simplify it, e.g. avoid "
        "repeating a group that itself repeats."
    ),
    "pattern_not_portable": _("The pattern uses “%(construct)s”, which browsers do not understand."),
    "ui_unknown_field": _("The layout names “%(key)s”, which is not a field of the form."),
    "ui_field_not_placed": _("The field “%(key)s” is not placed in the layout."),
    "ui_title_field_kind": _("The title field “%(key)s” holds %(kind)s values; use a text, number or date field."),
}
