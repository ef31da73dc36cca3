"""Request bodies over the upload limit: 413 request_too_large in the API's error shape, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory, override_settings
from django.test.utils import modify_settings
from django.utils import translation

from platform_core.api import errors
from runtime.definitions.portable import MAX_IMPORT_BYTES

pytestmark = pytest.mark.django_db

LIMIT = 20_000  # a small limit keeps the bodies of most tests small


def json_body(size: int) -> str:
    """A JSON object of exactly ``size`` bytes."""
    head, tail = '{"app": "purchase", "data": {"note": "', '"}}'
    return head + "a" * (size - len(head) - len(tail)) + tail


def assert_413(response: Any, limit: int) -> dict[str, Any]:
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = json.loads(response.content)["error"]
    assert error["code"] == "request_too_large"
    assert error["details"] == {"limit_bytes": limit}
    assert str(limit) in error["message"]
    return error


def test_a_json_body_over_the_real_limit_is_413(api_as, people):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json_body(limit + 1)
    response = api_as(people.requester).post("/api/v1/instances/", body, content_type="application/json")
    error = assert_413(response, limit)
    assert error["message"] == f"The request is too large (at most {limit} bytes are accepted)."


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_just_under_and_at_the_limit_is_handled_normally(api_as, people):
    client = api_as(people.requester)
    for size in (LIMIT - 1, LIMIT):
        body = json_body(size)
        assert len(body.encode()) == size
        response = client.post("/api/v1/instances/", body, content_type="application/json")
        # The view ran: the app does not exist (404 of the API), not a size refusal.
        assert response.status_code == 404, response.json()
        assert response.json()["error"]["code"] != "request_too_large"
    assert_413(client.post("/api/v1/instances/", json_body(LIMIT + 1), content_type="application/json"), LIMIT)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_form_and_multipart_bodies_over_the_limit_are_413(api_as, people):
    client = api_as(people.requester)
    big = "a" * (LIMIT + 10)
    assert_413(client.post("/api/v1/instances/", f"app=purchase&data={big}",
                           content_type="application/x-www-form-urlencoded"), LIMIT)
    assert_413(client.post("/api/v1/instances/", {"app": "purchase", "data": big}, format="multipart"), LIMIT)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_anonymous_and_token_calls_get_413_before_anything_else(api):
    assert_413(api.post("/api/v1/instances/", json_body(LIMIT + 1), content_type="application/json"), LIMIT)
    assert_413(api.post("/api/v1/auth/token/", json_body(LIMIT + 1), content_type="application/json"), LIMIT)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_the_message_is_in_chinese_by_default(people):
    from rest_framework.test import APIClient

    client = APIClient()  # no Accept-Language: the zh-Hans default
    client.force_authenticate(people.requester)
    error = assert_413(client.post("/api/v1/instances/", json_body(LIMIT + 1), content_type="application/json"),
                       LIMIT)
    assert error["message"] == f"请求过大（最多接受 {LIMIT} 字节）。"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
@modify_settings(MIDDLEWARE={"remove": ["platform_core.api.middleware.RequestSizeLimitMiddleware"]})
def test_without_the_middleware_djangos_own_refusal_inside_drf_is_413(api_as, people):
    # Django's multipart parser raises RequestDataTooBig for oversized fields inside DRF's parsing.
    response = api_as(people.requester).post("/api/v1/instances/", {"app": "purchase", "data": "a" * (LIMIT + 10)},
                                             format="multipart")
    assert_413(response, LIMIT)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_outside_drf_request_data_too_big_is_413_under_api_and_400_elsewhere():
    factory = RequestFactory()
    with translation.override("en"):
        response = errors.handler400(factory.post("/api/v1/anything/"), RequestDataTooBig("too big"))
        assert_413(response, LIMIT)
        assert errors.handler400(factory.post("/api/v1/x/"), None).status_code == 400
    page = errors.handler400(factory.post("/login/"), RequestDataTooBig("too big"))
    assert page.status_code == 400 and not page["Content-Type"].startswith("application/json")


def test_drf_handler_maps_request_data_too_big_and_other_suspicious_requests():
    from django.core.exceptions import TooManyFieldsSent

    response = errors.exception_handler(RequestDataTooBig("too big"), {"view": None})
    assert response.status_code == 413
    assert response.data["error"]["details"] == {"limit_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    response = errors.exception_handler(TooManyFieldsSent("too many"), {"view": None})
    assert response.status_code == 400 and response.data["error"]["code"] == "bad_request"


def test_the_limit_leaves_room_for_the_largest_valid_import():
    # The import view accepts files up to MAX_IMPORT_BYTES plus a 64 KiB multipart envelope.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= MAX_IMPORT_BYTES + 65_536


def test_an_import_between_djangos_default_and_the_import_limit_reaches_the_import(api_as, org, people):
    org.role("app_designer", permissions=["apps.design"])
    designer = org.user("designer", department=people.company, roles=["app_designer"], display_name="设计员")
    client = api_as(designer)
    # 2.8 MB: over Django's default 2.5 MB, under the import's 3 MB: the import itself answers.
    body = json.dumps({"format": "not-an-export", "padding": "a" * 2_800_000})
    response = client.post("/api/v1/apps/import/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "import_invalid"
    # A file just over the import limit, as an upload: the import's own "file too large", not a 413.
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.qiaoban.json", b"a" * (MAX_IMPORT_BYTES + 1), "application/json")
    response = client.post("/api/v1/apps/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "import_invalid" and str(MAX_IMPORT_BYTES) in error["message"]
