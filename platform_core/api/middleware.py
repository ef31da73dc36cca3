"""Refuse API request bodies over the upload limit with 413 before anything reads them.

Django checks ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only where it reads the body itself
(``request.body``, form and multipart parsing), and raises ``RequestDataTooBig`` there;
DRF's JSON parser reads the stream directly and never checks. So the declared length is
checked here, once, for every ``/api/`` request, and the answer is the API's error shape.
``errors.exception_handler`` and ``errors.handler400`` map a ``RequestDataTooBig`` raised
anyway (the middleware missing, a body read elsewhere) to the same 413.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from platform_core.api.errors import request_too_large_response

UPLOAD_PATH = "/api/v1/files/"


def declared_length(request: HttpRequest) -> int:
    """The body size the client declares (0 when absent or unreadable)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    """413 ``request_too_large`` for an ``/api/`` body longer than ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read per request, so that a changed setting (override_settings in tests) applies at once.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.path == UPLOAD_PATH:
            # File uploads (runtime/files) have their own, larger limit; the view answers
            # 413 file_too_large for a file over it, this check anything far beyond.
            limit = max(limit, settings.QIAOBAN_FILE_MAX_SIZE + settings.FILE_UPLOAD_ENVELOPE)
        if limit is not None and request.path.startswith("/api/") and declared_length(request) > limit:
            return request_too_large_response(limit)
        return self.get_response(request)
