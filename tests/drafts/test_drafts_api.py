"""Request drafts (草稿) and favourite apps (常用) through the API: each person sees only their own."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

DRAFT = {"data": {"amount": 1200, "reason": "显示器"}, "urgent": True, "picks": {"head": ["7"]}}


def url(key: str = "purchase") -> str:
    return f"/api/v1/drafts/{key}/"


def test_save_read_replace_and_delete(api_as: Any, people: Any, purchase_app: Any) -> None:
    api = api_as(people.requester)
    assert api.get(url()).status_code == 404
    assert api.get(url()).json()["error"]["code"] == "request_draft_not_found"

    saved = api.put(url(), DRAFT, format="json")
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["data"] == DRAFT["data"] and body["urgent"] is True and body["picks"] == {"head": ["7"]}
    assert body["app"] == {"key": "purchase", "name": "采购申请", "name_en": "", "icon": "", "category": ""}
    assert body["updated_at"]

    # One draft per app: saving again replaces it; incomplete data is fine.
    again = api.put(url(), {"data": {"reason": ""}}, format="json")
    assert again.status_code == 200
    assert again.json()["data"] == {"reason": ""} and again.json()["urgent"] is False
    assert again.json()["picks"] == {}
    assert api.get(url()).json()["data"] == {"reason": ""}
    from runtime.drafts.models import RequestDraft

    assert RequestDraft.objects.filter(user=people.requester).count() == 1

    assert api.delete(url()).status_code == 204
    assert api.get(url()).status_code == 404
    assert api.delete(url()).status_code == 204  # idempotent: a submit may delete a draft that is gone


def test_someone_elses_draft_is_invisible(api_as: Any, people: Any, purchase_app: Any) -> None:
    api = api_as(people.requester)
    api.put(url(), DRAFT, format="json")
    other = api_as(people.accountant)
    assert other.get(url()).status_code == 404
    assert other.get("/api/v1/drafts/").json() == []
    # Deleting "their" draft touches only their own (none).
    assert other.delete(url()).status_code == 204
    assert api_as(people.requester).get(url()).json()["data"] == DRAFT["data"]


def test_apps_the_caller_may_not_start_are_404(api_as: Any, people: Any, publisher: Any, purchase_app: Any,
                                               publish: Any) -> None:
    from runtime.definitions import services

    hr_only = publish("hr-only", "人事专用")
    services.app_update(actor=publisher, app=hr_only, visibility={"roles": ["hr"]})
    api = api_as(people.requester)
    for key in ("hr-only", "no-such-app"):
        for response in (api.get(url(key)), api.put(url(key), DRAFT, format="json"), api.delete(url(key)),
                         api.put(f"/api/v1/favorites/{key}/"), api.delete(f"/api/v1/favorites/{key}/")):
            assert response.status_code == 404, (key, response.status_code)
            assert response.json()["error"]["code"] == "app_not_found"
    assert api_as(people.hr_head).put(url("hr-only"), DRAFT, format="json").status_code == 200

    # An app archived after the draft was saved: the draft is neither listed nor readable.
    api = api_as(people.requester)
    api.put(url(), DRAFT, format="json")
    api.put("/api/v1/favorites/purchase/")
    services.app_archive(actor=publisher, app=purchase_app)
    assert api.get("/api/v1/drafts/").json() == []
    assert api.get(url()).status_code == 404
    assert api.get("/api/v1/favorites/").json() == {"apps": []}


def test_unpublished_apps_have_no_drafts(api_as: Any, people: Any, publisher: Any) -> None:
    from runtime.definitions import services

    services.app_create(actor=publisher, key="draft-only", name="未发布")
    response = api_as(people.requester).put(url("draft-only"), DRAFT, format="json")
    assert response.status_code == 404 and response.json()["error"]["code"] == "app_not_found"


@pytest.mark.parametrize("body", [
    {"data": [1, 2]},
    {"data": "text"},
    {"data": None},
    {"data": 3},
    {"data": {}, "picks": ["head"]},
    {"data": {}, "picks": {"head": "7"}},
    {"data": {}, "picks": {"head": [{"id": 7}]}},
])
def test_non_object_data_or_bad_picks_are_400(api_as: Any, people: Any, purchase_app: Any, body: Any) -> None:
    response = api_as(people.requester).put(url(), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in ("request_draft_invalid", "validation_failed")
    if body.get("data") is not None:
        assert response.json()["error"]["code"] == "request_draft_invalid"


def test_missing_data_is_400(api_as: Any, people: Any, purchase_app: Any) -> None:
    response = api_as(people.requester).put(url(), {"urgent": True}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_failed"


def test_size_is_bounded(api_as: Any, people: Any, purchase_app: Any, settings: Any) -> None:
    from runtime.drafts.services import MAX_DRAFT_BYTES

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * MAX_DRAFT_BYTES
    api = api_as(people.requester)
    # Chinese text: 3 bytes a character in UTF-8, so under the body limit but over the draft's.
    big = {"data": {"reason": "字" * (MAX_DRAFT_BYTES // 3 + 10)}}
    response = api.put(url(), big, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "request_draft_invalid"
    assert error["details"]["limit"] == MAX_DRAFT_BYTES and error["details"]["size"] > MAX_DRAFT_BYTES
    huge = {"data": {"reason": "x" * (MAX_DRAFT_BYTES + 100_000)}}
    response = api.put(url(), huge, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "request_too_large"
    assert api.get(url()).status_code == 404


def test_messages_are_translated(api_as: Any, people: Any, purchase_app: Any) -> None:
    response = api_as(people.requester).put(url(), {"data": [1]}, format="json")
    assert response.json()["error"]["message"] == "A draft's form data must be a JSON object."


def test_list_is_newest_first_with_app_facts_and_no_n_plus_1(api_as: Any, people: Any, publisher: Any,
                                                              purchase_app: Any, publish: Any) -> None:
    from runtime.definitions import services

    api = api_as(people.requester)
    api.put(url(), DRAFT, format="json")

    def listing() -> tuple[list[Any], int]:
        api.force_authenticate(type(people.requester).objects.get(pk=people.requester.pk))  # fresh caches
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/drafts/")
        assert response.status_code == 200
        return response.json(), len(queries)

    one, queries_for_one = listing()
    assert [row["app"]["key"] for row in one] == ["purchase"]
    assert set(one[0]) == {"app", "urgent", "updated_at"}  # no form data in the list

    for n in range(5):
        app = publish(f"app-{n}", f"应用{n}", name_en=f"App {n}", icon="car", category="行政")
        api.put(url(app.key), {"data": {"n": n}}, format="json")
    services.app_update(actor=publisher, app=purchase_app, visibility={"roles": ["employee"]})
    api.put(url(), {"data": {"amount": 1}}, format="json")  # touched last: first in the list

    rows, queries_for_six = listing()
    assert [row["app"]["key"] for row in rows] == ["purchase", "app-4", "app-3", "app-2", "app-1", "app-0"]
    assert rows[1]["app"] == {"key": "app-4", "name": "应用4", "name_en": "App 4", "icon": "car", "category": "行政"}
    assert queries_for_six == queries_for_one <= 4


def test_favorites(api_as: Any, people: Any, purchase_app: Any, publish: Any) -> None:
    publish("leave", "请假")
    api = api_as(people.requester)
    assert api.get("/api/v1/favorites/").json() == {"apps": []}
    assert api.put("/api/v1/favorites/leave/").json() == {"apps": ["leave"]}
    assert api.put("/api/v1/favorites/purchase/").json() == {"apps": ["leave", "purchase"]}
    assert api.put("/api/v1/favorites/leave/").json() == {"apps": ["leave", "purchase"]}  # idempotent
    assert api_as(people.accountant).get("/api/v1/favorites/").json() == {"apps": []}
    api = api_as(people.requester)
    assert api.delete("/api/v1/favorites/leave/").status_code == 204
    assert api.delete("/api/v1/favorites/leave/").status_code == 204
    assert api.get("/api/v1/favorites/").json() == {"apps": ["purchase"]}


def test_anonymous_callers_are_refused(api: Any, purchase_app: Any) -> None:
    for path in ("/api/v1/drafts/", url(), "/api/v1/favorites/", "/api/v1/favorites/purchase/"):
        response = api.get(path)
        assert response.status_code in (401, 403)
        assert "error" in response.json()


def test_submitting_deletes_the_draft_in_the_same_transaction(api_as: Any, people: Any, purchase_app: Any) -> None:
    from runtime.drafts.models import RequestDraft

    assert api_as(people.accountant).put(url(), DRAFT, format="json").status_code == 200
    api = api_as(people.requester)  # the same client, signed in as someone else now
    api.put(url(), DRAFT, format="json")
    refused = api.post("/api/v1/instances/", {"app": "purchase", "data": {"reason": "缺金额"}}, format="json")
    assert refused.status_code == 400
    assert api.get(url()).status_code == 200  # a refused submission keeps the draft
    sent = api.post("/api/v1/instances/", {"app": "purchase", "data": {"amount": 1200, "reason": "显示器"}},
                    format="json")
    assert sent.status_code == 201, sent.content
    assert api.get(url()).status_code == 404
    assert RequestDraft.objects.filter(user=people.accountant).count() == 1  # others' drafts stay
