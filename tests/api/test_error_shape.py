"""The single error shape for each status, never HTML, never a stack trace."""

import pytest
from django.core.cache import cache
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_core.errors import Conflict
from platform_core.urls import urlpatterns as base_patterns


class Boom(APIView):
    def get(self, request):
        raise RuntimeError("secret local value 1234")


class Clash(APIView):
    def get(self, request):
        raise Conflict()


class Fine(APIView):
    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("api/test/boom/", Boom.as_view()),
    path("api/test/clash/", Clash.as_view()),
    *base_patterns,
]
handler404 = "platform_core.api.errors.handler404"
handler500 = "platform_core.api.errors.handler500"


def assert_shape(response, status, code=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


@pytest.fixture
def admin_api(api_as, org):
    return api_as(org.admin())


def test_400_validation_has_field_details(admin_api):
    err = assert_shape(admin_api.post("/api/v1/departments/", {"code": "bad code!"}, format="json"), 400,
                       "validation_failed")
    assert "code" in err["details"]
    assert "name" in err["details"]


def test_400_malformed_json(admin_api):
    response = admin_api.post("/api/v1/departments/", "{not json", content_type="application/json")
    assert_shape(response, 400, "parse_error")


def test_401(api, db):
    assert_shape(api.get("/api/v1/users/"), 401, "not_authenticated")


def test_403(api_as, org):
    err = assert_shape(api_as(org.user()).post("/api/v1/departments/", {"name": "x", "code": "x"}, format="json"),
                       403, "permission_denied")
    assert err["details"] is None


def test_404_unknown_object(admin_api):
    assert_shape(admin_api.get("/api/v1/departments/999999/"), 404, "not_found")


def test_404_unknown_url_under_api(admin_api):
    assert_shape(admin_api.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_405(admin_api):
    assert_shape(admin_api.delete("/api/v1/me/"), 405, "method_not_allowed")


@pytest.mark.urls("tests.api.test_error_shape")
def test_409_from_domain_conflict(admin_api):
    assert_shape(admin_api.get("/api/test/clash/"), 409, "conflict")


def test_429_when_throttled(api, db, settings):
    cache.clear()
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    try:
        # Distinct user names, so the brute-force lock (per name and address) stays out of it.
        for i in range(limit):
            assert api.post("/api/v1/auth/token/", {"username": f"x{i}", "password": "y"}).status_code == 400
        response = api.post("/api/v1/auth/token/", {"username": "last", "password": "y"}, format="json")
        assert_shape(response, 429, "throttled")
        assert "Retry-After" in response
    finally:
        cache.clear()


@pytest.mark.urls("tests.api.test_error_shape")
def test_500_is_json_without_internals(admin_api):
    err = assert_shape(admin_api.get("/api/test/boom/"), 500, "server_error")
    assert "1234" not in err["message"] and "Traceback" not in err["message"]


@pytest.mark.urls("tests.api.test_error_shape")
def test_500_outside_drf_views_is_json_too(client, db):
    client.raise_request_exception = False
    response = client.get("/api/test/nowhere/")
    assert_shape(response, 404, "not_found")
