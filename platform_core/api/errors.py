"""Every API error becomes ``{"error": {"code", "message", "details"}}``.

Domain errors (PlatformError) map to a status by class; DRF's own exceptions keep
their status with a stable code; anything unexpected is logged and answered with
a 500 of the same shape — never an HTML page or a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

from platform_core import errors as domain

logger = logging.getLogger("qiaoban.api")

# Most specific first: the first matching class decides the status.
STATUS_BY_ERROR: list[tuple[type[domain.PlatformError], int]] = [
    (domain.NotFound, 404),
    (domain.PermissionDenied, 403),
    (domain.Conflict, 409),
    (domain.ValidationFailed, 400),
]

DRF_CODES: dict[type[drf.APIException], str] = {
    drf.NotAuthenticated: "not_authenticated",
    drf.AuthenticationFailed: "authentication_failed",
    drf.PermissionDenied: "permission_denied",
    drf.NotFound: "not_found",
    drf.MethodNotAllowed: "method_not_allowed",
    drf.NotAcceptable: "not_acceptable",
    drf.UnsupportedMediaType: "unsupported_media_type",
    drf.Throttled: "throttled",
    drf.ParseError: "parse_error",
    drf.ValidationError: "validation_failed",
}


def status_for(exc: domain.PlatformError) -> int:
    """The HTTP status of a domain error (400 unless a more specific class says otherwise)."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return 400


def error_body(code: str, message: Any, details: Any = None) -> dict[str, Any]:
    """The one error shape."""
    return {"error": {"code": code, "message": str(message), "details": details}}


# Same msgid as the per-view body limits of the definitions API (one translation).
TOO_LARGE = _("The request is too large (at most %(limit)s bytes are accepted).")


def too_large_body(limit: int | None) -> dict[str, Any]:
    """The 413 body: ``request_too_large`` with the limit in bytes."""
    return error_body("request_too_large", TOO_LARGE % {"limit": limit}, {"limit_bytes": limit})


def request_too_large_response(limit: int | None = None) -> JsonResponse:
    """413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (outside DRF: the middleware, handler400)."""
    if limit is None:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return JsonResponse(too_large_body(limit), status=413, json_dumps_params={"ensure_ascii": False})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF exception handler producing the platform's error shape for every exception."""
    if isinstance(exc, domain.PlatformError):
        set_rollback()
        body = exc.as_dict(translate=gettext)
        return Response({"error": body}, status=status_for(exc))
    if isinstance(exc, RequestDataTooBig):
        # Django's body-size check, met while a parser or authentication read the body.
        set_rollback()
        return Response(too_large_body(settings.DATA_UPLOAD_MAX_MEMORY_SIZE), status=413)
    if isinstance(exc, SuspiciousOperation):
        # What Django answers with 400 outside DRF (too many fields, bad multipart, ...).
        set_rollback()
        logging.getLogger(f"django.security.{exc.__class__.__name__}").warning("%s", exc)
        return Response(error_body("bad_request", _("Bad request.")), status=400)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()
    if isinstance(exc, drf.APIException):
        set_rollback()
        code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), "error")
        headers: dict[str, str] = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        if isinstance(exc, drf.ValidationError):
            body = error_body(code, _("The data is not valid."), exc.detail)
        else:
            body = error_body(code, exc.detail if isinstance(exc.detail, str) else _("Request failed."))
        return Response(body, status=exc.status_code, headers=headers)
    set_rollback()
    logger.exception("Unhandled error in API view %s", context.get("view").__class__.__name__)
    return Response(error_body("server_error", _("An unexpected error occurred. It has been logged.")), status=500)


def _json(request: HttpRequest, status: int, code: str, message: Any) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status, json_dumps_params={"ensure_ascii": False})


def handler404(request: HttpRequest, exception: Exception | None = None) -> Any:
    """404 outside DRF views: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return _json(request, 404, "not_found", _("Not found."))
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)  # type: ignore[arg-type]


def handler500(request: HttpRequest) -> Any:
    """500 outside DRF views: JSON under /api/, a plain page elsewhere."""
    if request.path.startswith("/api/"):
        return _json(request, 500, "server_error", _("An unexpected error occurred. It has been logged."))
    from django.views.defaults import server_error

    return server_error(request)


def handler403(request: HttpRequest, exception: Exception | None = None) -> Any:
    """403 outside DRF views (e.g. CSRF failures): JSON under /api/."""
    if request.path.startswith("/api/"):
        return _json(request, 403, "permission_denied", _("You do not have permission to do this."))
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)  # type: ignore[arg-type]


def handler400(request: HttpRequest, exception: Exception | None = None) -> Any:
    """400 outside DRF views: JSON under /api/ (413 for a body over the upload limit)."""
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            return request_too_large_response()
        return _json(request, 400, "bad_request", _("Bad request."))
    from django.views.defaults import bad_request

    return bad_request(request, exception)  # type: ignore[arg-type]


def csrf_failure(request: HttpRequest, reason: str = "") -> Any:
    """CSRF failures: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return _json(request, 403, "csrf_failed", _("The security token is missing or expired; reload the page."))
    from django.views.csrf import csrf_failure as default

    return default(request, reason)
