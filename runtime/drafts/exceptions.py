"""Errors of request drafts (codes are API contract; domain code never mentions HTTP)."""

from platform_core.errors import NotFound, ValidationFailed, gettext_noop


class RequestDraftInvalid(ValidationFailed):
    code = "request_draft_invalid"
    message = gettext_noop("A draft's form data must be a JSON object.")

    PICKS = gettext_noop("A draft's chosen approvers must map node ids to lists of user ids.")
    NOT_JSON = gettext_noop("The draft contains values that are not JSON.")
    TOO_LARGE = gettext_noop("The draft is too large (%(size)s bytes; at most %(limit)s bytes are allowed).")


class RequestDraftDoesNotExist(NotFound):
    code = "request_draft_not_found"
    message = gettext_noop("You have no saved draft of this app.")
