"""Who may do what with apps: designers, publishers, end users, anonymous callers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.errors import PermissionDenied
from runtime.definitions import services
from tests.definitions.conftest import leave_flow, leave_form, purchase_flow, purchase_form


@pytest.fixture
def published(make_app, publisher):
    """purchase (everyone), leave (only 销售部 incl. sub-departments), draft-only, archived."""
    apps = {}
    for key, form, flow in (("purchase", purchase_form(), purchase_flow()), ("leave", leave_form(), leave_flow())):
        apps[key] = make_app(key, form, flow, actor=publisher)
        services.app_publish(actor=publisher, app=apps[key])
    apps["draft-only"] = make_app("draft-only", actor=publisher)
    apps["old"] = make_app("old", purchase_form(), purchase_flow(), actor=publisher)
    services.app_publish(actor=publisher, app=apps["old"])
    services.app_archive(actor=publisher, app=apps["old"])
    return apps


def keys(response):
    assert response.status_code == 200, response.json()
    return sorted(a["key"] for a in response.json()["results"])


def test_employee_sees_only_published_startable_apps(api_as, people, published, publisher):
    services.app_update(actor=publisher, app=published["leave"], visibility={"departments": [people.sales.pk]})
    assert keys(api_as(people.requester).get("/api/v1/apps/")) == ["leave", "purchase"]  # 华东组 is under 销售部
    assert keys(api_as(people.accountant).get("/api/v1/apps/")) == ["purchase"]
    body = api_as(people.accountant).get("/api/v1/apps/").json()["results"][0]
    assert set(body) == {"key", "name", "name_en", "icon", "category", "description", "version"}


def test_visibility_by_role_and_user(api_as, people, published, publisher):
    services.app_update(actor=publisher, app=published["leave"],
                        visibility={"roles": ["hr"], "users": [people.accountant.pk]})
    assert keys(api_as(people.hr_head).get("/api/v1/apps/")) == ["leave", "purchase"]
    assert keys(api_as(people.accountant).get("/api/v1/apps/")) == ["leave", "purchase"]
    assert keys(api_as(people.requester).get("/api/v1/apps/")) == ["purchase"]
    assert api_as(people.requester).get("/api/v1/apps/leave/published/").status_code == 404
    assert api_as(people.requester).get("/api/v1/apps/leave/").status_code == 404


def test_designers_see_everything_and_can_ask_for_their_startable_list(api_as, published, publisher):
    client = api_as(publisher)
    assert keys(client.get("/api/v1/apps/")) == ["draft-only", "leave", "old", "purchase"]
    assert keys(client.get("/api/v1/apps/?archived=true")) == ["old"]
    assert keys(client.get("/api/v1/apps/?startable=true")) == ["leave", "purchase"]
    assert keys(client.get("/api/v1/apps/?search=lea")) == ["leave"]


def test_published_form_gives_what_filling_needs_and_nothing_more(api_as, people, published):
    response = api_as(people.requester).get("/api/v1/apps/purchase/published/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"app", "version", "form", "dictionary", "field_rights", "picks"}
    assert body["version"] == 1 and body["field_rights"] == {"amount": "editable"}
    assert body["form"]["schema"]["properties"]["amount"]["x-type"] == "money"
    assert "flow" not in body and "draft" not in str(body["app"])
    assert api_as(people.requester).get("/api/v1/apps/draft-only/published/").status_code == 404
    assert api_as(people.requester).get("/api/v1/apps/old/published/").status_code == 404
    assert api_as(people.requester).get("/api/v1/apps/purchase/").json()["version"] == 1


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/apps/purchase/draft/"),
        ("get", "/api/v1/apps/draft-only/draft/"),
        ("get", "/api/v1/apps/no-such-app/draft/"),
        ("put", "/api/v1/apps/purchase/draft/"),
        ("post", "/api/v1/apps/purchase/verify/"),
        ("post", "/api/v1/apps/purchase/publish/"),
        ("get", "/api/v1/apps/purchase/versions/"),
        ("get", "/api/v1/apps/purchase/versions/1/"),
        ("get", "/api/v1/apps/purchase/versions/diff/"),
        ("post", "/api/v1/apps/purchase/versions/1/rollback/"),
        ("get", "/api/v1/apps/purchase/export/"),
        ("post", "/api/v1/apps/import/"),
        ("post", "/api/v1/apps/purchase/copy/"),
        ("post", "/api/v1/apps/purchase/archive/"),
        ("post", "/api/v1/apps/purchase/simulate/"),
        ("post", "/api/v1/apps/purchase/simulate-batch/"),
        ("post", "/api/v1/apps/"),
        ("patch", "/api/v1/apps/purchase/"),
    ],
)
def test_employee_is_refused_everything_else(api_as, people, published, method, url):
    response = getattr(api_as(people.requester), method)(url, {}, format="json")
    assert response.status_code == 403, (url, response.status_code)
    assert response.json()["error"]["code"] == "permission_denied"


def test_draft_by_key_is_not_an_idor(api_as, people, published):
    # Same answer whether the app exists or not: nothing to learn from guessing keys.
    a = api_as(people.requester).get("/api/v1/apps/draft-only/draft/")
    b = api_as(people.requester).get("/api/v1/apps/never-existed/draft/")
    assert (a.status_code, a.json()) == (b.status_code, b.json()) == (403, a.json())
    # An end user asking for an unpublished app's details learns nothing either.
    assert api_as(people.requester).get("/api/v1/apps/draft-only/").status_code == 404


def test_designer_cannot_publish_or_roll_back(api_as, designer, published):
    client = api_as(designer)
    assert client.get("/api/v1/apps/purchase/draft/").status_code == 200
    assert client.post("/api/v1/apps/purchase/publish/").status_code == 403
    assert client.post("/api/v1/apps/purchase/versions/1/rollback/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.app_publish(actor=designer, app=published["purchase"])


def test_publisher_only_cannot_design(api_as, org, people, published):
    org.role("only_publish", permissions=["apps.publish"])
    releaser = org.user("releaser", department=people.company, roles=["only_publish"])
    client = api_as(releaser)
    assert client.get("/api/v1/apps/purchase/versions/").status_code == 200
    assert client.put("/api/v1/apps/purchase/draft/", {"expected_revision": 2}, format="json").status_code == 403
    assert client.post("/api/v1/apps/purchase/publish/").status_code == 201


def test_anonymous_gets_401_json(api):
    for url in ("/api/v1/apps/", "/api/v1/apps/purchase/", "/api/v1/apps/purchase/published/",
                "/api/v1/apps/purchase/simulate/", "/api/v1/apps/import/"):
        response = api.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_list_query_counts_are_bounded(api_as, people, publisher, make_app):
    def count(client, url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["count"]

    app = make_app("app-0", purchase_form(), purchase_flow(), actor=publisher)
    services.app_publish(actor=publisher, app=app)
    count(api_as(people.requester), "/api/v1/apps/")  # warm-up: the viewer's roles are cached on the user object
    designer_small = count(api_as(publisher), "/api/v1/apps/")
    employee_small = count(api_as(people.requester), "/api/v1/apps/")
    versions_small = count(api_as(publisher), "/api/v1/apps/app-0/versions/")
    for n in range(1, 12):
        app = make_app(f"app-{n}", purchase_form(), purchase_flow(), actor=publisher,
                       visibility={"roles": ["employee"]} if n % 2 else None)
        services.app_publish(actor=publisher, app=app)
        services.app_publish(actor=publisher, app=app)
        services.version_rollback(actor=publisher, app=app, number=1)
    designer_large = count(api_as(publisher), "/api/v1/apps/")
    employee_large = count(api_as(people.requester), "/api/v1/apps/")
    versions_large = count(api_as(publisher), "/api/v1/apps/app-5/versions/")
    assert designer_large[1] == 12 and employee_large[1] == 12 and versions_large[1] == 3
    assert designer_large[0] == designer_small[0] <= 4
    assert employee_large[0] == employee_small[0] <= 4
    assert versions_large[0] == versions_small[0] <= 5
