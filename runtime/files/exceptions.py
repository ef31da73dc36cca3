"""Errors of uploaded files (codes are API contract; domain code never mentions HTTP)."""

from __future__ import annotations

from platform_core.errors import NotFound, ValidationFailed, gettext_noop


class StoredFileDoesNotExist(NotFound):
    """Also raised for files the user may not download (no hint that they exist)."""

    code = "file_not_found"
    message = gettext_noop("File not found.")


class FileMissing(ValidationFailed):
    code = "file_required"
    message = gettext_noop("Choose a file to upload (multipart field “file”).")


class FileTooLarge(ValidationFailed):
    """The API answers 413 (runtime/files/api/views.py)."""

    code = "file_too_large"
    message = gettext_noop("The file is too large (at most %(limit)s bytes are accepted).")


class FileTypeNotAllowed(ValidationFailed):
    code = "file_type_not_allowed"
    message = gettext_noop(
        "This kind of file cannot be uploaded here (allowed: %(allowed)s). Save it as one of those and try again."
    )


class FileEmpty(ValidationFailed):
    code = "file_empty"
    message = gettext_noop("The file is empty.")
