"""Delivering ``notify`` outbox rows: in-app notifications at once, then e-mail and group robots.

:func:`deliver_notify_row` is the outbox handler (``runtime.instances.outbox.HANDLERS["notify"]``)
and follows its contract: the row is closed by ``outbox._record`` (fenced by ``attempts``) in the
same transaction that writes one :class:`Notification` per recipient and the channel
:class:`Delivery` rows their preferences ask for, so the in-app copies exist exactly once
(a redelivered row is fenced out; ``(source, recipient)`` is unique besides).

Outside channels are sent after that commit by :func:`deliveries_send_due`, which claims due
delivery rows (compare-and-set on ``attempts`` plus a lease, like the outbox), sends without
holding a transaction, and records the outcome fenced by ``attempts``. A failed send waits with
the outbox's backoff and is tried again by the periodic run
(``services.notifications_send_digests``); after ``OUTBOX_MAX_ATTEMPTS`` it is ``failed``. The
in-app notification is never touched by any of that. Sending is at least once: a worker that
dies between the send and the record sends again after the lease.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from platform_core.org.models import User
from runtime.instances.models import Instance, InstanceEvent, Outbox, OutboxStatus
from runtime.notifications import channels
from runtime.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    DigestMode,
    ImRobot,
    Notification,
    NotificationPreference,
)
from runtime.notifications.templates import language_of, render, render_digest

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # longer than a robot call (channels.ROBOT_TIMEOUT) or an SMTP round trip
MAX_COMMENT = 500


# --- the outbox handler ------------------------------------------------------------------------------

def deliver_notify_row(row: Outbox, now: datetime) -> str:
    """Outbox handler for ``notify``: in-app notifications (one transaction), then send the channels."""
    from runtime.instances import outbox

    created: list[int] = []

    def work() -> None:
        created.clear()  # _locked_retry may run the transaction again
        created.extend(notifications_create_for_row(row, now))

    outcome = outbox._locked_retry(lambda: outbox._record(row, now, status=OutboxStatus.DONE, work=work))
    if outcome == "done" and created:
        # After the commit (outbox_deliver runs outside any transaction): a slow mail server holds no lock.
        deliveries_send_due(now=now, notification_ids=created)
    return outcome


def notifications_create_for_row(row: Outbox, now: datetime) -> list[int]:
    """Write the in-app notifications and channel deliveries of one ``notify`` row (caller's transaction).

    Returns the ids of the notifications created (none when the row was delivered before).
    """
    payload = row.payload or {}
    kind = str(payload.get("kind") or "error")
    source = f"outbox:{row.pk}"
    user_ids = [int(u) for u in payload.get("users") or () if str(u).isdigit()]
    if not user_ids or Notification.objects.filter(source=source).exists():
        return []
    users = list(User.objects.filter(pk__in=user_ids, is_active=True)
                 .select_related("notification_preference", "department"))
    if not users:
        return []
    params = _params(row, payload)
    notifications = Notification.objects.bulk_create([
        Notification(recipient=user, kind=kind, instance_id=params.get("instance_id"),
                     task_id=str(payload.get("task_id") or "")[:16], node_id=str(payload.get("node_id") or "")[:64],
                     params=params, source=source, created_at=now)
        for user in users
    ])
    if any(n.pk is None for n in notifications):  # a backend without RETURNING: read them back
        by_user = dict(Notification.objects.filter(source=source).values_list("recipient_id", "id"))
        for n in notifications:
            n.pk = by_user[n.recipient_id]
    robots = list(ImRobot.objects.filter(is_active=True))
    deliveries: list[Delivery] = []
    for user, notification in zip(users, notifications, strict=True):
        deliveries.extend(plan_deliveries(user, notification, robots, now))
    Delivery.objects.bulk_create(deliveries)
    from runtime.notifications.services import publish_unread

    publish_unread([u.pk for u in users], event="notification.created",
                   extra={"kind": kind, "instance_id": params.get("instance_id")})
    return [n.pk for n in notifications]


def _params(row: Outbox, payload: dict[str, Any]) -> dict[str, Any]:
    """What the texts need, captured now: request title, app, node names, acting person, comment."""
    from runtime.instances.selectors import flow_of

    params: dict[str, Any] = {"instance_id": None, "title": "", "app": "", "node": "", "actor": "", "comment": ""}
    instance = (Instance.objects.select_related("app", "app_version").filter(pk=row.instance_id).first()
                if row.instance_id else None)
    if instance is None:
        return params
    params.update(instance_id=instance.pk, title=instance.title, urgent=instance.urgent,
                  app={"zh": instance.app.name, "en": instance.app.name_en or instance.app.name})
    node_id = payload.get("node_id")
    if node_id:
        try:
            node = flow_of(instance.app_version).node(str(node_id))
            params["node"] = {"zh": node.name.get("zh") or node.label, "en": node.name.get("en") or node.label}
        except Exception:  # noqa: BLE001 - a node missing from the flow still gets its id
            params["node"] = str(node_id)
    # The step that queued this row wrote its events at the row's creation time: the actor of
    # that step is the person the message names (nobody: the system, e.g. a timer).
    events = list(InstanceEvent.objects.filter(instance_id=instance.pk, at=row.created_at)
                  .select_related("actor").order_by("seq"))
    actor = next((e.actor for e in events if e.actor is not None), None)
    if actor is not None:
        params["actor"] = actor.name
    comment = next((e.comment for e in events if e.comment), "")
    if comment and payload.get("kind") in ("rejected", "returned", "urged", "transferred", "withdrawn", "cc",
                                           "new_task"):
        params["comment"] = comment[:MAX_COMMENT]
    return params


def preference_of(user: Any) -> NotificationPreference:
    """The user's preferences, or the defaults (not saved) when they never set any."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def quiet_until(pref: NotificationPreference, now: datetime) -> datetime | None:
    """When the user's quiet hours end, if ``now`` lies inside them (local time; may span midnight)."""
    start, end = pref.quiet_start, pref.quiet_end
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    t = local.time().replace(tzinfo=None)
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_today = local.replace(hour=end.hour, minute=end.minute, second=end.second, microsecond=0)
    return end_today if end_today > local else end_today + timedelta(days=1)


def robots_for(user: Any, robots: Iterable[ImRobot], kind: str) -> list[ImRobot]:
    """Active robots of the user's department and its ancestors (or company-wide) that take ``kind``."""
    department = getattr(user, "department", None)
    departments = set(department.ancestor_ids()) | {department.pk} if department is not None else set()
    return [r for r in robots
            if (r.department_id is None or r.department_id in departments) and (not r.kinds or kind in r.kinds)]


def plan_deliveries(user: Any, notification: Notification, robots: Iterable[ImRobot], now: datetime
                    ) -> list[Delivery]:
    """The channel deliveries one notification needs under the recipient's preferences."""
    pref = preference_of(user)
    held = notification.kind == "reminder" and pref.digest != DigestMode.OFF
    status = DeliveryStatus.HELD if held else DeliveryStatus.PENDING
    available = quiet_until(pref, now) or now
    rows: list[Delivery] = []
    if pref.email_enabled and user.email:
        rows.append(Delivery(notification=notification, recipient=user, channel=Channel.EMAIL, status=status,
                             available_at=available, created_at=now))
    if pref.im_enabled:
        rows.extend(Delivery(notification=notification, recipient=user, channel=Channel.IM, robot=robot,
                             status=status, available_at=available, created_at=now)
                    for robot in robots_for(user, robots, notification.kind))
    return rows


# --- sending ----------------------------------------------------------------------------------------

def deliveries_send_due(*, now: datetime | None = None, limit: int = 200,
                        notification_ids: Iterable[int] | None = None) -> int:
    """Send due e-mail and robot deliveries (all, or those of ``notification_ids``); return how many were sent.

    Call it outside any transaction. Safe to run from several processes at once.
    """
    from runtime.instances.outbox import _locked_retry

    now = now or timezone.now()
    rows = _locked_retry(lambda: _claim(now, limit, notification_ids))
    sent = 0
    for group in _groups(rows):
        sent += _send_group(group, now)
    return sent


def _claim(now: datetime, limit: int, notification_ids: Iterable[int] | None) -> list[Delivery]:
    with transaction.atomic():
        due = (Delivery.objects.filter(status=DeliveryStatus.PENDING, available_at__lte=now)
               .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)).order_by("available_at", "id"))
        if notification_ids is not None:
            due = due.filter(notification_id__in=list(notification_ids))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed: list[int] = []
        for pk, attempts in list(due.values_list("pk", "attempts")[:limit]):
            if Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING, attempts=attempts).update(
                    attempts=F("attempts") + 1, claimed_until=now + LEASE):
                claimed.append(pk)
    return list(Delivery.objects.filter(pk__in=claimed)
                .select_related("notification", "recipient", "recipient__department", "robot").order_by("id"))


def _groups(rows: list[Delivery]) -> list[list[Delivery]]:
    """One message per e-mail; robot posts of one notify row to one robot become one message naming everyone."""
    groups: dict[tuple[Any, ...], list[Delivery]] = defaultdict(list)
    for row in rows:
        if row.channel == Channel.IM and row.notification is not None and row.notification.source:
            groups[("im", row.robot_id, row.notification.source)].append(row)
        else:
            groups[("one", row.pk)].append(row)
    return list(groups.values())


def _send_group(group: list[Delivery], now: datetime) -> int:
    first = group[0]
    try:
        if first.channel == Channel.EMAIL:
            _send_email(first)
        else:
            _send_im(group)
    except channels.ChannelError as exc:
        for row in group:
            _failed(row, exc, now)
        return 0
    except Exception as exc:  # noqa: BLE001 - never fail silently, never lose the row
        logger.exception("notification delivery %s failed unexpectedly", first.pk)
        for row in group:
            _failed(row, channels.ChannelError(type(exc).__name__), now)
        return 0
    done = 0
    for row in group:
        done += _fence(row).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_until=None,
                                   last_error=None)
    return 1 if done else 0


def _fence(row: Delivery) -> Any:
    return Delivery.objects.filter(pk=row.pk, status=DeliveryStatus.PENDING, attempts=row.attempts)


def _failed(row: Delivery, exc: channels.ChannelError, now: datetime) -> None:
    from runtime.instances.outbox import backoff, max_attempts

    error = {"reason": exc.reason[:300], "attempt": row.attempts, "at": now.isoformat()}
    if exc.retryable and row.attempts < max_attempts():
        _fence(row).update(available_at=now + backoff(row.attempts, exc.retry_after), claimed_until=None,
                           last_error=error)
    else:
        _fence(row).update(status=DeliveryStatus.FAILED, claimed_until=None, last_error=error)


def _digest_items(row: Delivery) -> list[dict[str, Any]]:
    ids = [int(i) for i in row.digest_of or []]
    return [n.params for n in Notification.objects.filter(pk__in=ids).order_by("created_at", "id")]


def _send_email(row: Delivery) -> None:
    lang = language_of(row.recipient)
    if row.notification is None:
        items = _digest_items(row)
        text, html = render_digest(items, lang=lang, fmt="text"), render_digest(items, lang=lang, fmt="html")
    else:
        n = row.notification
        text, html = render(n.kind, n.params, lang=lang, fmt="text"), render(n.kind, n.params, lang=lang, fmt="html")
    if not row.recipient.email:
        raise channels.ChannelError("no e-mail address", retryable=False)
    channels.send_email(row.recipient.email, text, html)


def _send_im(group: list[Delivery]) -> None:
    from django.utils import translation

    from runtime.notifications.templates import OPEN_LINK

    first = group[0]
    robot = first.robot
    if robot is None or not robot.is_active:
        raise channels.ChannelError("the robot was removed or switched off", retryable=False)
    # A group chat has one language: the site's default (zh-Hans unless configured otherwise).
    lang = language_of(None)
    if first.notification is None:
        items = _digest_items(first)
        md, text = render_digest(items, lang=lang, fmt="markdown"), render_digest(items, lang=lang, fmt="text")
    else:
        n = first.notification
        md, text = render(n.kind, n.params, lang=lang, fmt="markdown"), render(n.kind, n.params, lang=lang, fmt="text")
    mobiles = tuple(dict.fromkeys(r.recipient.phone for r in group if r.recipient.phone and
                                  r.recipient.phone.isdigit()))
    with translation.override(lang):
        label = str(translation.gettext(OPEN_LINK))
    body_lines = tuple(line for line in text.body.split("\n") if line and not (text.url and text.url in line))
    names = "、".join(r.recipient.name for r in group)
    message = channels.RobotMessage(
        title=md.subject, markdown=md.body, lines=(*body_lines, f"→ {names}"), url=md.url or text.url,
        link_label=label, mobiles=mobiles if robot.platform == "dingtalk" else (), lang=lang,
    )
    channels.send_robot(robot.platform, robot.webhook_url, robot.secret, message)

