"""Data-dictionary errors (domain code never mentions HTTP).

Validation errors name the field they concern in ``details["field"]`` (plus their
parameters), so a client can show the translated message next to that field.
"""

from __future__ import annotations

from typing import Any

from platform_core.errors import NotFound, ValidationFailed, gettext_noop


class DictionaryEntryDoesNotExist(NotFound):
    code = "dictionary_entry_not_found"
    message = gettext_noop("Dictionary entry “%(key)s” not found.")


class DictionaryOptionDoesNotExist(NotFound):
    code = "dictionary_option_not_found"
    message = gettext_noop("Option “%(code)s” not found in dictionary entry “%(key)s”.")


class DictionaryValidationFailed(ValidationFailed):
    """A refused value; ``field`` names the input it concerns."""

    field: str = ""

    def __init__(
        self, message: str | None = None, *, field: str | None = None, params: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        field = field or self.field
        super().__init__(message, params=params, details={"field": field, **(params or {}), **(details or {})})


class DictionaryKeyInvalid(DictionaryValidationFailed):
    code = "dictionary_key_invalid"
    field = "key"
    message = gettext_noop(
        "The key must start with a lower-case letter and use only a-z, 0-9 and _ (at most 64 characters)."
    )


class DictionaryKeyTaken(DictionaryValidationFailed):
    code = "dictionary_key_taken"
    field = "key"
    message = gettext_noop("A dictionary entry with the key “%(key)s” already exists.")


class DictionaryKeyImmutable(DictionaryValidationFailed):
    code = "dictionary_key_immutable"
    field = "key"
    message = gettext_noop(
        "The key of a dictionary entry cannot be changed: forms and reports refer to it. Create a new entry instead."
    )


class DictionaryKindInvalid(DictionaryValidationFailed):
    code = "dictionary_kind_invalid"
    field = "kind"
    message = gettext_noop("Unknown kind “%(kind)s”: use “flat” or “tree”.")

    HAS_PARENTS = gettext_noop(
        "Some options of this entry have a parent; move them to the top level before making the entry a flat list."
    )


class DictionaryTextInvalid(DictionaryValidationFailed):
    code = "dictionary_text_invalid"
    message = gettext_noop("This text is not valid.")

    NOT_TEXT = gettext_noop("This must be text.")
    REQUIRED = gettext_noop("This text is required.")
    TOO_LONG = gettext_noop("This text is too long (at most %(max)s characters).")


class DictionaryCodeInvalid(DictionaryValidationFailed):
    code = "dictionary_code_invalid"
    field = "code"
    message = gettext_noop(
        "The code must use only letters, digits, _, - and . and start with a letter, digit or _ "
        "(at most 64 characters)."
    )


class DictionaryCodeReserved(DictionaryValidationFailed):
    code = "dictionary_code_reserved"
    field = "code"
    message = gettext_noop("The code “%(code)s” is reserved; choose another code.")


class DictionaryCodeTaken(DictionaryValidationFailed):
    code = "dictionary_code_taken"
    field = "code"
    message = gettext_noop("The code “%(code)s” is already used in this dictionary entry.")


class DictionaryCodeImmutable(DictionaryValidationFailed):
    code = "dictionary_code_immutable"
    field = "code"
    message = gettext_noop(
        "The code of an option cannot be changed: stored records refer to it. Change the label instead, "
        "or add a new option and disable this one."
    )


class DictionaryOrderInvalid(DictionaryValidationFailed):
    code = "dictionary_order_invalid"
    field = "order"
    message = gettext_noop("The order must be a whole number of 0 or more.")


class DictionaryExtraInvalid(DictionaryValidationFailed):
    code = "dictionary_extra_invalid"
    field = "extra"
    message = gettext_noop("Extra data must be a JSON object of at most %(max)s characters.")


class DictionaryParentNotAllowed(DictionaryValidationFailed):
    code = "dictionary_parent_not_allowed"
    field = "parent"
    message = gettext_noop("Options of a flat dictionary entry have no parent; make the entry a tree first.")


class DictionaryParentInvalid(DictionaryValidationFailed):
    code = "dictionary_parent_invalid"
    field = "parent"
    message = gettext_noop("The parent option “%(parent)s” is not in this dictionary entry.")


class DictionaryParentCycle(DictionaryValidationFailed):
    code = "dictionary_parent_cycle"
    field = "parent"
    message = gettext_noop(
        "Option “%(code)s” cannot be placed under “%(parent)s”: that is the option itself or one of its sub-options."
    )


class DictionaryOptionHasChildren(DictionaryValidationFailed):
    code = "dictionary_option_has_children"
    field = "code"
    message = gettext_noop("Option “%(code)s” has sub-options; delete them or move them elsewhere first.")


class DictionaryTooManyOptions(DictionaryValidationFailed):
    code = "dictionary_too_many_options"
    field = "code"
    message = gettext_noop("A dictionary entry holds at most %(max)s options.")


class DictionaryReorderInvalid(DictionaryValidationFailed):
    code = "dictionary_reorder_invalid"
    field = "codes"
    message = gettext_noop(
        "To reorder, list every option under the same parent exactly once "
        "(missing: %(missing)s; unknown or from another level: %(unknown)s; repeated: %(repeated)s)."
    )


class DictionaryInUse(DictionaryValidationFailed):
    code = "dictionary_in_use"
    message = gettext_noop("This dictionary data is in use.")

    ENTRY = gettext_noop(
        "Dictionary entry “%(key)s” is used in %(count)s place(s) and cannot be deleted; disable it instead."
    )
    OPTION = gettext_noop(
        "Option “%(code)s” of “%(key)s” is used in %(count)s place(s) and cannot be deleted; disable it instead."
    )
