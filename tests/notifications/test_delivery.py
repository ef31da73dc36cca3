"""Notify outbox rows become in-app notifications, e-mails (real SMTP) and group-robot posts (real HTTP)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from django.utils.translation import trans_real

from runtime.instances.models import Outbox
from runtime.instances.outbox import outbox_deliver
from runtime.notifications.delivery import deliveries_send_due
from runtime.notifications.models import Delivery, ImRobot, Notification, NotificationPreference
from runtime.notifications.services import notifications_send_digests
from tests.notifications.conftest import text_of

SECRET = "SEC-test-secret-0123456789abcdef"
LOCAL = timezone.get_fixed_timezone(8 * 60)  # Asia/Shanghai has no DST


def at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=LOCAL)


def deliver_all(now: datetime | None = None) -> None:
    """Run the outbox until nothing is due (a step's notify rows may follow its connector answer)."""
    while outbox_deliver(now=now).claimed:
        pass


@pytest.fixture
def approver(people):
    lead = people.east_lead
    lead.email, lead.phone = "wangfang@example.com", "13800001111"
    lead.save(update_fields=["email", "phone"])
    return lead


def notify_row(instance, kind, users, *, task_id=None, node_id="head", now=None):
    """A notify row exactly as services._persist stores an engine Notify effect."""
    now = now or timezone.now()
    return Outbox.objects.create(instance=instance, kind="notify", available_at=now, payload={
        "type": "notify", "kind": kind, "users": [str(u.pk) for u in users], "task_id": task_id,
        "node_id": node_id, "instance_id": str(instance.pk)})


# --- end to end --------------------------------------------------------------------------------------

def test_submitted_request_notifies_the_approver_in_app_and_by_email(people, approver, submit, smtp, api_as):
    instance = submit(people.requester, 6000)
    (row,) = Outbox.objects.filter(instance=instance, kind="notify")
    assert outbox_deliver().done == 1

    (note,) = Notification.objects.filter(recipient=approver)
    assert (note.kind, note.instance_id, note.source) == ("new_task", instance.pk, f"outbox:{row.pk}")
    assert note.params["actor"] == "李娜" and note.params["node"]["zh"] and note.params["title"] == instance.title
    row.refresh_from_db()
    assert row.status == "done"

    (message,) = smtp.messages
    assert message["To"] == "wangfang@example.com"
    assert message["From"] == "Qiaoban <noreply@qiaoban.test>"
    body = text_of(message)
    assert instance.title in message["Subject"] and "采购申请" in message["Subject"]
    assert f"https://oa.example.com/app/instances/{instance.pk}" in body and "李娜" in body
    assert f'href="https://oa.example.com/app/instances/{instance.pk}"' in text_of(message, "html")

    got = api_as(approver).get("/api/v1/notifications/").json()
    assert got["count"] == 1 and got["results"][0]["kind"] == "new_task"
    assert got["results"][0]["url"] == f"https://oa.example.com/app/instances/{instance.pk}"
    assert api_as(approver).get("/api/v1/notifications/unread-count/").json() == {"unread": 1}


def test_redelivered_row_creates_no_second_notification_or_mail(people, approver, submit, smtp):
    instance = submit(people.requester)
    outbox_deliver()
    row = Outbox.objects.get(instance=instance, kind="notify")
    Outbox.objects.filter(pk=row.pk).update(status="pending", claimed_until=None)
    outbox_deliver()
    assert Notification.objects.filter(recipient=approver).count() == 1
    assert len(smtp.messages) == 1


def test_mail_in_both_languages(people, approver, submit, smtp, monkeypatch):
    english = people.sales_head
    english.email, english.language = "zhangwei@example.com", "en"
    english.save(update_fields=["email", "language"])
    # A zh-Hans catalog entry for the subject (the .po files get them from the lead's merge):
    # proves each recipient's own language is used, whatever the request's language is.
    zh = trans_real.translation("zh-hans")
    original = zh.gettext
    zh_subject = {"[%(app)s] To do: %(title)s": "【%(app)s】待办：%(title)s"}
    monkeypatch.setattr(zh, "gettext", lambda msgid: zh_subject.get(msgid) or original(msgid))

    instance = submit(people.requester)
    notify_row(instance, "new_task", [approver, english], task_id="t1")
    deliver_all()
    by_to = {m["To"]: m for m in smtp.messages}
    chinese, english_mail = by_to["wangfang@example.com"], by_to["zhangwei@example.com"]
    assert chinese["Subject"].strip() == f"【采购申请】待办：{instance.title}"
    assert english_mail["Subject"].strip() == f"[采购申请] To do: {instance.title}"
    assert "is waiting for you at “Department head”" in text_of(english_mail) or \
        "is waiting for you at" in text_of(english_mail)
    assert "Open the request: https://oa.example.com/app/instances/" in text_of(english_mail)


def test_email_preference_off_and_no_address_send_no_mail(people, approver, submit, smtp):
    NotificationPreference.objects.create(user=approver, email_enabled=False)
    instance = submit(people.requester)
    deliver_all()
    assert smtp.messages == []
    assert Notification.objects.filter(recipient=approver, instance=instance).count() == 1


def test_smtp_failure_is_retried_and_never_loses_the_in_app_copy(people, approver, submit, smtp, settings):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens on the discard port: connection refused
    instance = submit(people.requester)
    now = timezone.now()
    outbox_deliver(now=now)
    assert Notification.objects.filter(recipient=approver, instance=instance).count() == 1
    (delivery,) = Delivery.objects.filter(recipient=approver, channel="email")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.available_at > now and "mail server" in delivery.last_error["reason"]
    assert smtp.messages == []

    settings.EMAIL_PORT = port
    assert deliveries_send_due(now=now + timedelta(seconds=10)) == 0  # backoff not over yet
    assert deliveries_send_due(now=now + timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(smtp.messages) == 1
    assert Notification.objects.filter(recipient=approver).count() == 1


# --- group robots ------------------------------------------------------------------------------------

@pytest.fixture
def robots(people, robot_server):
    base = f"http://127.0.0.1:{robot_server.port}"
    return {
        "dingtalk": ImRobot.objects.create(name="销售钉钉群", platform="dingtalk", secret=SECRET,
                                           webhook_url=f"{base}/dingtalk/robot/send?access_token=tok123",
                                           department=people.sales),
        "feishu": ImRobot.objects.create(name="公司飞书群", platform="feishu", secret=SECRET,
                                         webhook_url=f"{base}/feishu/open-apis/bot/v2/hook/abc"),
        "wecom": ImRobot.objects.create(name="华东企微群", platform="wecom",
                                        webhook_url=f"{base}/wecom/cgi-bin/webhook/send?key=k-1",
                                        department=people.sales_east),
        # Not the approver's department: gets nothing.
        "finance": ImRobot.objects.create(name="财务群", platform="wecom", department=people.finance,
                                          webhook_url=f"{base}/wecom/cgi-bin/webhook/send?key=fin"),
    }


def test_robot_posts_match_each_platforms_format_and_signature(people, approver, submit, robots, robot_server):
    instance = submit(people.requester)
    deliver_all()
    posts = {r.path.split("/")[1]: r for r in robot_server.received}
    assert set(posts) == {"dingtalk", "feishu", "wecom"} and len(robot_server.received) == 3
    link = f"/app/instances/{instance.pk}"

    ding = posts["dingtalk"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(ding.path).query)
    assert query["access_token"] == ["tok123"]
    timestamp, sign = query["timestamp"][0], query["sign"][0]  # parse_qs undoes the URL encoding
    assert abs(int(timestamp) - timezone.now().timestamp() * 1000) < 60_000  # milliseconds
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert sign == expected
    assert urllib.parse.quote_plus(expected) in ding.path  # sent URL-encoded
    body = ding.json()
    assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"title", "text"}
    assert body["at"] == {"atMobiles": ["13800001111"], "isAtAll": False}
    assert "@13800001111" in body["markdown"]["text"] and link in body["markdown"]["text"]
    assert instance.title.split(" · ")[0] in body["markdown"]["title"]

    feishu = feishu_body = posts["feishu"].json()
    assert abs(int(feishu["timestamp"]) - timezone.now().timestamp()) < 60  # seconds, as a string
    expected = base64.b64encode(hmac.new(f"{feishu['timestamp']}\n{SECRET}".encode(), b"",
                                         hashlib.sha256).digest()).decode()
    assert feishu["sign"] == expected
    assert feishu_body["msg_type"] == "post"
    post = feishu_body["content"]["post"]["zh_cn"]
    assert post["title"] and all(isinstance(row, list) for row in post["content"])
    assert {"tag": "a", "text": post["content"][-1][0]["text"], "href": f"https://oa.example.com{link}"} \
        == post["content"][-1][0] or post["content"][-1][0]["href"].endswith(link)
    assert all(el["tag"] in ("text", "a") for row in post["content"] for el in row)

    wecom = posts["wecom"]
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(wecom.path).query) == {"key": ["k-1"]}
    body = wecom.json()
    assert body["msgtype"] == "markdown" and link in body["markdown"]["content"]
    assert "mentioned_mobile_list" not in body["markdown"]  # mentions by mobile exist only for text messages
    assert set(Delivery.objects.filter(channel="im").values_list("status", flat=True)) == {"sent"}


def test_robot_error_code_is_a_failure_and_retried(people, approver, submit, robots, robot_server):
    from tests.connectors.webhook_server import Reply

    robots["feishu"].delete()
    robots["wecom"].delete()
    robot_server.replies.append(Reply(200, {"errcode": 310000, "errmsg": "sign not match"}))
    submit(people.requester)
    now = timezone.now()
    outbox_deliver(now=now)
    (delivery,) = Delivery.objects.filter(channel="im")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "errcode=310000" in delivery.last_error["reason"]
    assert Notification.objects.filter(recipient=approver).count() == 1
    assert deliveries_send_due(now=now + timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(robot_server.received) == 2


def test_one_post_per_robot_for_several_recipients(people, approver, submit, robots, robot_server):
    robots["feishu"].delete()
    robots["wecom"].delete()
    sales_head = people.sales_head
    sales_head.phone = "13900002222"
    sales_head.save(update_fields=["phone"])
    instance = submit(people.requester)
    deliver_all()
    robot_server.received.clear()
    notify_row(instance, "cc", [approver, sales_head], node_id=None)
    deliver_all()
    (post,) = robot_server.received
    assert sorted(post.json()["at"]["atMobiles"]) == ["13800001111", "13900002222"]


def test_im_preference_off_and_robot_kinds_filter(people, approver, submit, robots, robot_server):
    robots["dingtalk"].kinds = ["approved", "rejected"]
    robots["dingtalk"].save()
    robots["feishu"].is_active = False
    robots["feishu"].save()
    submit(people.requester)
    deliver_all()
    assert [r.path.split("/")[1] for r in robot_server.received] == ["wecom"]
    robot_server.received.clear()
    NotificationPreference.objects.create(user=approver, im_enabled=False)
    submit(people.requester)
    deliver_all()
    assert robot_server.received == []


# --- escaping ----------------------------------------------------------------------------------------

EVIL = "[点我](http://evil.example/x) @all <script>alert(1)</script> **粗** <@all> <font color=\"red\">x</font>"


def test_user_text_cannot_inject_markup_links_or_mentions(people, approver, submit, robots, robot_server, smtp):
    requester = people.requester
    requester.display_name = EVIL
    requester.save(update_fields=["display_name"])
    instance = submit(requester)
    assert EVIL in instance.title
    deliver_all()

    html = text_of(smtp.messages[0], "html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="http://evil.example' not in html
    assert EVIL in smtp.messages[0]["Subject"] or "[点我]" in smtp.messages[0]["Subject"]  # plain text subject

    feishu = next(p for p in robot_server.received if p.path.startswith("/feishu")).json()
    rows = feishu["content"]["post"]["zh_cn"]["content"]
    # Feishu rich text: user text only ever sits in plain "text" elements (shown literally, no
    # markup, no mentions); the one link element is ours.
    assert all(el["tag"] in ("text", "a") for row in rows for el in row)
    assert [el["href"] for row in rows for el in row if el["tag"] == "a"] == \
        [f"https://oa.example.com/app/instances/{instance.pk}"]
    for post in robot_server.received:
        if post.path.startswith("/feishu"):
            continue
        raw = post.body.decode("utf-8")
        assert "<script" not in raw and "](http://evil" not in raw and "http://evil" not in raw
        assert "@all" not in raw and "<@all>" not in raw and "<font" not in raw and "**粗**" not in raw
    ding = next(p for p in robot_server.received if p.path.startswith("/dingtalk")).json()
    assert ding["at"]["isAtAll"] is False
    text = ding["markdown"]["text"]
    assert "［点我］（http：//evil．example/x）" in text or "［点我］" in text
    assert text.count("](") == 1  # only our own link to the request


# --- quiet hours and digests -------------------------------------------------------------------------

def test_quiet_hours_defer_email_and_im_but_not_in_app(people, approver, submit, robots, robot_server, smtp):
    NotificationPreference.objects.create(user=approver, quiet_start=time(22, 0), quiet_end=time(8, 0))
    instance = submit(people.requester)
    night = at(23, 30)
    notify_row(instance, "urged", [approver], now=night)
    Outbox.objects.filter(instance=instance).exclude(payload__kind="urged").update(status="done")
    outbox_deliver(now=night)
    assert Notification.objects.filter(recipient=approver, kind="urged").count() == 1  # in-app at once
    assert smtp.messages == [] and robot_server.received == []
    due = {d.available_at for d in Delivery.objects.filter(recipient=approver)}
    assert due == {at(8, 0, day=3)}  # the end of the quiet period, the next morning

    assert notifications_send_digests(now=at(7, 59, day=3)) == 0
    assert smtp.messages == []
    notifications_send_digests(now=at(8, 0, day=3))
    assert len(smtp.messages) == 1 and len(robot_server.received) == 3


def test_quiet_hours_inside_one_day(people, approver, submit, smtp):
    from runtime.notifications.delivery import quiet_until

    pref = NotificationPreference(user=approver, quiet_start=time(12, 0), quiet_end=time(13, 30))
    assert quiet_until(pref, at(12, 15)) == at(13, 30)
    assert quiet_until(pref, at(13, 30)) is None and quiet_until(pref, at(11, 59)) is None
    night = NotificationPreference(user=approver, quiet_start=time(22, 0), quiet_end=time(7, 0))
    assert quiet_until(night, at(3, 0)) == at(7, 0) and quiet_until(night, at(21, 0)) is None


def test_hourly_digest_batches_reminders_into_one_message(people, approver, submit, robots, robot_server, smtp):
    robots["feishu"].delete()
    robots["wecom"].delete()
    NotificationPreference.objects.create(user=approver, digest="hourly")
    first, second, third = (submit(people.requester, 1000 * (i + 1)) for i in range(3))
    Outbox.objects.all().update(status="done")
    for minute, instance in ((10, first), (20, second), (30, third)):
        notify_row(instance, "reminder", [approver], task_id="t1", now=at(10, minute))
        outbox_deliver(now=at(10, minute))
    assert Notification.objects.filter(recipient=approver, kind="reminder").count() == 3
    assert smtp.messages == [] and robot_server.received == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"held"}

    assert notifications_send_digests(now=at(10, 45)) == 0  # the hour is not over
    assert smtp.messages == []
    assert notifications_send_digests(now=at(11, 0, )) == 2  # one e-mail, one robot post
    assert notifications_send_digests(now=at(11, 5)) == 0
    (mail,) = smtp.messages
    body = text_of(mail)
    for instance in (first, second, third):
        assert instance.title in body and f"/app/instances/{instance.pk}" in body
    assert "3" in mail["Subject"]
    (post,) = robot_server.received
    assert post.json()["msgtype"] == "markdown"
    assert set(Delivery.objects.filter(notification__isnull=False).values_list("status", flat=True)) == {"batched"}

    # The next reminder waits for the next hour's digest.
    notify_row(first, "reminder", [approver], task_id="t1", now=at(11, 20))
    outbox_deliver(now=at(11, 20))
    assert notifications_send_digests(now=at(11, 59)) == 0
    assert notifications_send_digests(now=at(12, 0)) == 2
    assert len(smtp.messages) == 2


def test_daily_digest_at_the_chosen_time_and_other_kinds_go_at_once(people, approver, submit, smtp):
    NotificationPreference.objects.create(user=approver, digest="daily", digest_time=time(9, 0))
    instance = submit(people.requester)
    Outbox.objects.all().update(status="done")
    notify_row(instance, "reminder", [approver], task_id="t1", now=at(15, 0))
    notify_row(instance, "urged", [approver], now=at(15, 0))
    outbox_deliver(now=at(15, 0))
    assert [m["Subject"] for m in smtp.messages if "reminder" in m["Subject"].lower()] == []
    assert len(smtp.messages) == 1  # the urge, not the reminder
    assert notifications_send_digests(now=at(23, 0)) == 0
    assert notifications_send_digests(now=at(9, 0, day=3)) == 1
    assert len(smtp.messages) == 2


def test_turning_the_digest_off_releases_held_reminders(people, approver, submit, smtp):
    from runtime.notifications.services import preference_update

    NotificationPreference.objects.create(user=approver, digest="hourly")
    instance = submit(people.requester)
    Outbox.objects.all().update(status="done")
    notify_row(instance, "reminder", [approver], task_id="t1")
    outbox_deliver()
    assert smtp.messages == []
    preference_update(actor=approver, digest="off")
    notifications_send_digests()
    assert len(smtp.messages) == 1


# --- realtime and templates --------------------------------------------------------------------------

def test_new_notifications_and_read_marks_are_pushed_with_the_unread_count(people, approver, submit, monkeypatch,
                                                                          api_as):
    from platform_core.realtime import publish

    sent = []
    def record(ids, type, payload):  # noqa: A002 - the realtime API's name
        if type.startswith("notification."):
            sent.append((list(ids), type, payload))

    monkeypatch.setattr(publish, "publish_to_users", record)
    instance = submit(people.requester)
    outbox_deliver()
    assert sent == [([approver.pk], "notification.created",
                     {"unread": 1, "kind": "new_task", "instance_id": instance.pk})]
    note = Notification.objects.get(recipient=approver)
    api_as(approver).post(f"/api/v1/notifications/{note.pk}/read/")
    assert sent[-1] == ([approver.pk], "notification.read", {"unread": 0})


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("fmt", ["text", "html", "markdown"])
def test_every_kind_renders_in_both_languages_and_formats(lang, fmt):
    from runtime.engine.model import NOTIFY_KINDS
    from runtime.notifications.templates import TEMPLATES, render, render_digest

    assert set(TEMPLATES) == set(NOTIFY_KINDS)
    params = {"instance_id": 7, "title": "采购申请 · 李娜", "app": {"zh": "采购申请", "en": "Purchase"},
              "node": {"zh": "财务", "en": "Finance"}, "actor": "王芳", "comment": "同意 <b>"}
    for kind in NOTIFY_KINDS:
        out = render(kind, params, lang=lang, fmt=fmt)
        assert out.subject and "\n" not in out.subject and out.url == "http://127.0.0.1:8000/app/instances/7"
        assert "/app/instances/7" in out.body
        assert "<b>" not in out.body or fmt == "text"
    assert "/app/instances/7" in render_digest([params, params], lang=lang, fmt=fmt).body
