"""Every API endpoint refuses anonymous callers with the JSON error shape."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# The one endpoint that must be reachable without credentials: it issues them.
PUBLIC = {"/api/v1/auth/token/"}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str:
    # Router routes are regexes, path() routes use converters: put "1" for every parameter.
    route = re.sub(r"\(\?P<\w+>[^)]+\)", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + route


def api_urls():
    urls = sorted({_concrete(r) for r in _walk(get_resolver().url_patterns) if r.lstrip("^").startswith("api/")})
    assert not [u for u in urls if "(" in u or "\\" in u], "a route the walk cannot make concrete"
    return urls


def test_the_walk_finds_the_api():
    urls = api_urls()
    assert "/api/v1/users/" in urls and "/api/v1/departments/1/" in urls and "/api/schema/" in urls
    assert len(urls) >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("url", [u for u in api_urls() if u not in PUBLIC and u != "/api/docs/"])
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_anonymous_is_refused_with_json(api, url, method):
    response = getattr(api, method)(url, {}, format="json")
    assert response.status_code in (401, 403), (url, method, response.status_code)
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] in {"not_authenticated", "authentication_failed", "permission_denied"}
    assert body["error"]["message"]


@pytest.mark.django_db
def test_docs_page_sends_anonymous_to_login(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_bad_token_is_401_json(api):
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
