"""The notifications API: own notifications only, unread counts, read marks, preferences, robots."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from runtime.notifications.models import ImRobot, Notification, NotificationPreference


@pytest.fixture
def notes(people):
    """Five notifications of the requester, two of the team lead."""
    mine = [Notification.objects.create(recipient=people.requester, kind="approved",
                                        params={"title": f"申请{i}", "app": {"zh": "采购申请", "en": "Purchase"},
                                                "instance_id": None}) for i in range(5)]
    theirs = [Notification.objects.create(recipient=people.east_lead, kind="new_task",
                                          params={"title": "别人的", "app": "采购申请"}) for _ in range(2)]
    return mine, theirs


def test_every_endpoint_needs_authentication(api):
    for method, path in [("get", "/api/v1/notifications/"), ("get", "/api/v1/notifications/unread-count/"),
                         ("post", "/api/v1/notifications/1/read/"), ("post", "/api/v1/notifications/read-all/"),
                         ("get", "/api/v1/notifications/preferences/"), ("put", "/api/v1/notifications/preferences/"),
                         ("get", "/api/v1/notifications/robots/"), ("post", "/api/v1/notifications/robots/")]:
        response = getattr(api, method)(path, {}, format="json")
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "not_authenticated"


def test_list_shows_only_own_notifications_with_text_in_the_request_language(people, notes, api_as):
    client = api_as(people.requester)
    got = client.get("/api/v1/notifications/").json()
    assert got["count"] == 5
    assert {r["params"]["title"] for r in got["results"]} == {f"申请{i}" for i in range(5)}
    first = got["results"][0]
    assert first["subject"] == "[Purchase] Approved: 申请4" and first["read"] is False
    assert "Your request “申请4” was approved." in first["body"]


def test_unread_filter_count_and_marking_read(people, notes, api_as):
    mine, _ = notes
    client = api_as(people.requester)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 5}
    response = client.post(f"/api/v1/notifications/{mine[0].pk}/read/")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.post(f"/api/v1/notifications/{mine[0].pk}/read/").status_code == 200  # idempotent
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 4}
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 4
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 4}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 0
    # The other user's notifications were not touched.
    assert Notification.objects.filter(recipient=people.east_lead, read_at__isnull=True).count() == 2


def test_someone_elses_notification_is_not_found(people, notes, api_as):
    _, theirs = notes
    response = api_as(people.requester).post(f"/api/v1/notifications/{theirs[0].pk}/read/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "notification_not_found"
    theirs[0].refresh_from_db()
    assert theirs[0].read_at is None
    assert api_as(people.requester).post("/api/v1/notifications/abc/read/").status_code == 404


def test_list_queries_are_bounded_whatever_the_page_size(people, api_as):
    client = api_as(people.requester)

    def count(n: int, page_size: int) -> int:
        Notification.objects.filter(recipient=people.requester).delete()
        Notification.objects.bulk_create(Notification(recipient=people.requester, kind="cc",
                                                      params={"title": f"t{i}", "instance_id": i + 1})
                                         for i in range(n))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/notifications/?page_size={page_size}")
        assert response.status_code == 200 and len(response.json()["results"]) == min(n, page_size)
        return len(ctx.captured_queries)

    small, large = count(1, 1), count(60, 50)
    assert small == large and large <= 3, (small, large)


def test_preferences_get_and_put(people, api_as):
    client = api_as(people.requester)
    got = client.get("/api/v1/notifications/preferences/").json()
    assert got == {"in_app": True, "email_enabled": True, "im_enabled": True, "quiet_start": None,
                   "quiet_end": None, "digest": "off", "digest_time": None, "time_zone": "Asia/Shanghai"}
    response = client.put("/api/v1/notifications/preferences/", {
        "email_enabled": False, "quiet_start": "22:00", "quiet_end": "07:30", "digest": "daily"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["quiet_start"] == "22:00" and response.json()["digest_time"] == "09:00"
    pref = NotificationPreference.objects.get(user=people.requester)
    assert (pref.email_enabled, pref.digest) == (False, "daily")

    bad = client.put("/api/v1/notifications/preferences/", {"quiet_start": None}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "preference_invalid"
    bad = client.put("/api/v1/notifications/preferences/", {"digest": "weekly"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "validation_failed"


def test_robots_are_for_org_managers_and_the_secret_is_write_only(people, api_as):
    client = api_as(people.requester)
    assert client.get("/api/v1/notifications/robots/").status_code == 403
    assert client.post("/api/v1/notifications/robots/", {}, format="json").json()["error"]["code"] == \
        "permission_denied"

    admin = api_as(people.admin)
    body = {"name": "销售群", "platform": "dingtalk", "secret": "SECabc",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=x", "department": people.sales.pk,
            "kinds": ["new_task", "reminder"]}
    created = admin.post("/api/v1/notifications/robots/", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert "secret" not in data and data["has_secret"] is True and data["kinds"] == ["new_task", "reminder"]
    robot = ImRobot.objects.get(pk=data["id"])
    assert robot.secret == "SECabc"

    changed = admin.patch(f"/api/v1/notifications/robots/{robot.pk}/", {"name": "销售一群"}, format="json")
    assert changed.status_code == 200 and "secret" not in changed.json()
    robot.refresh_from_db()
    assert (robot.name, robot.secret) == ("销售一群", "SECabc")  # a left-out secret is kept
    listed = admin.get("/api/v1/notifications/robots/").json()
    assert listed["count"] == 1 and "secret" not in listed["results"][0]

    for url in ("javascript:alert(1)", "ftp://example.com/x", "file:///etc/passwd"):
        bad = admin.post("/api/v1/notifications/robots/", {**body, "webhook_url": url}, format="json")
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "validation_failed", url
    bad = admin.post("/api/v1/notifications/robots/", {**body, "platform": "slack"}, format="json")
    assert bad.status_code == 400

    assert admin.delete(f"/api/v1/notifications/robots/{robot.pk}/").status_code == 204
    missing = admin.get(f"/api/v1/notifications/robots/{robot.pk}/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "robot_not_found"


def test_robot_kinds_must_be_notification_kinds(people, api_as):
    admin = api_as(people.admin)
    bad = admin.post("/api/v1/notifications/robots/", {
        "name": "群", "platform": "wecom", "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "kinds": ["new_task", "payday"]}, format="json")
    assert bad.status_code == 400 and "kinds" in bad.json()["error"]["details"]
