"""Writes of the notifications app: read marks, preferences, IM robots and the periodic digest run."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.org.models import Department
from platform_core.org.permissions import ORG_MANAGE, require_permission
from runtime.notifications import selectors
from runtime.notifications.delivery import deliveries_send_due, quiet_until
from runtime.notifications.exceptions import ImRobotInvalid, PreferenceInvalid
from runtime.notifications.models import (
    Delivery,
    DeliveryStatus,
    DigestMode,
    ImPlatform,
    ImRobot,
    Notification,
    NotificationKind,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

DEFAULT_DIGEST_TIME = time(9, 0)
PREFERENCE_FIELDS = ("email_enabled", "im_enabled", "quiet_start", "quiet_end", "digest", "digest_time")


# --- realtime -----------------------------------------------------------------------------------------

def publish_unread(user_ids: Iterable[int], *, event: str, extra: dict[str, Any] | None = None) -> None:
    """Tell each user's open pages their new unread count (sent after commit by the realtime app)."""
    try:
        from platform_core.realtime.publish import publish_to_users
    except ImportError:  # the realtime app is not there yet: the inbox still has the rows
        logger.debug("platform_core.realtime.publish is not available; no push")
        return
    for user_id in dict.fromkeys(user_ids):
        payload = {"unread": Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count(),
                   **(extra or {})}
        publish_to_users([user_id], event, payload)


# --- read marks ---------------------------------------------------------------------------------------

def notification_mark_read(*, actor: Any, notification_id: Any) -> Notification:
    """Mark one of the actor's own notifications read (idempotent)."""
    with transaction.atomic():
        notification = selectors.notification_get_for(actor, notification_id)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
            publish_unread([actor.pk], event="notification.read")
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark all of the actor's notifications read; return how many changed."""
    with transaction.atomic():
        changed = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
        if changed:
            publish_unread([actor.pk], event="notification.read")
    return changed


# --- preferences --------------------------------------------------------------------------------------

def preference_get(*, actor: Any) -> NotificationPreference:
    """The actor's preferences (the defaults, unsaved, when they never changed any)."""
    pref = NotificationPreference.objects.filter(user=actor).first()
    return pref or NotificationPreference(user=actor)


def preference_update(*, actor: Any, meta: RequestMeta | None = None, **fields: Any) -> NotificationPreference:
    """Change the actor's own preferences (one transaction, audited).

    Quiet hours come as a pair (both or neither). Turning the digest off releases the
    reminders it held, to be sent now.
    """
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise PreferenceInvalid(params={"reason": ", ".join(sorted(unknown))})
    with transaction.atomic():
        pref, _ = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
        before = {f: _plain(getattr(pref, f)) for f in PREFERENCE_FIELDS}
        for key, value in fields.items():
            setattr(pref, key, value)
        if (pref.quiet_start is None) != (pref.quiet_end is None):
            raise PreferenceInvalid(params={"reason": "quiet hours need both a start and an end"},
                                    details={"field": "quiet_end" if pref.quiet_end is None else "quiet_start"})
        if pref.digest not in DigestMode.values:
            raise PreferenceInvalid(params={"reason": "digest"}, details={"field": "digest"})
        if pref.digest == DigestMode.DAILY and pref.digest_time is None:
            pref.digest_time = DEFAULT_DIGEST_TIME
        pref.save()
        if pref.digest == DigestMode.OFF:
            now = timezone.now()
            Delivery.objects.filter(recipient=actor, status=DeliveryStatus.HELD).update(
                status=DeliveryStatus.PENDING, available_at=quiet_until(pref, now) or now)
        after = {f: _plain(getattr(pref, f)) for f in PREFERENCE_FIELDS}
        audit_record(actor=actor, action="notifications.preferences", target_type="user", target_id=actor.pk,
                     target_label=str(actor), before=before, after=after, meta=meta or RequestMeta())
    return pref


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, time | datetime) else value


# --- IM robots (org.manage) ---------------------------------------------------------------------------

ROBOT_FIELDS = ("name", "platform", "webhook_url", "secret", "department", "kinds", "is_active")


def _check_robot(robot: ImRobot) -> None:
    parts = urlsplit(robot.webhook_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImRobotInvalid(params={"reason": "the webhook URL must start with http:// or https://"},
                             details={"field": "webhook_url"})
    if parts.username or parts.password:
        raise ImRobotInvalid(params={"reason": "the webhook URL must not contain a user name or password"},
                             details={"field": "webhook_url"})
    if robot.platform not in ImPlatform.values:
        raise ImRobotInvalid(params={"reason": "unknown platform"}, details={"field": "platform"})
    if not isinstance(robot.kinds, list) or any(k not in NotificationKind.values for k in robot.kinds):
        raise ImRobotInvalid(params={"reason": "unknown notification kind"}, details={"field": "kinds"})
    if robot.department is not None and not isinstance(robot.department, Department):
        raise ImRobotInvalid(params={"reason": "department"}, details={"field": "department"})


def _robot_audit(robot: ImRobot) -> dict[str, Any]:
    return {"name": robot.name, "platform": robot.platform, "webhook_url": "***", "secret": "***" if robot.secret
            else "", "department": robot.department_id, "kinds": list(robot.kinds or []),
            "is_active": robot.is_active}


def robot_create(*, actor: Any, meta: RequestMeta | None = None, **fields: Any) -> ImRobot:
    """Add a group robot (org.manage)."""
    require_permission(actor, ORG_MANAGE)
    robot = ImRobot(**{k: v for k, v in fields.items() if k in ROBOT_FIELDS})
    _check_robot(robot)
    with transaction.atomic():
        robot.save()
        audit_record(actor=actor, action="notifications.robot_create", target_type="im_robot", target_id=robot.pk,
                     target_label=robot.name, after=_robot_audit(robot), meta=meta or RequestMeta())
    return robot


def robot_update(*, actor: Any, robot_id: Any, meta: RequestMeta | None = None, **fields: Any) -> ImRobot:
    """Change a group robot (org.manage); a secret left out keeps the stored one."""
    require_permission(actor, ORG_MANAGE)
    with transaction.atomic():
        robot = selectors.robot_get(robot_id)
        robot = ImRobot.objects.select_for_update().get(pk=robot.pk)
        before = _robot_audit(robot)
        for key, value in fields.items():
            if key in ROBOT_FIELDS:
                setattr(robot, key, value)
        _check_robot(robot)
        robot.save()
        audit_record(actor=actor, action="notifications.robot_update", target_type="im_robot", target_id=robot.pk,
                     target_label=robot.name, before=before, after=_robot_audit(robot), meta=meta or RequestMeta())
    return robot


def robot_delete(*, actor: Any, robot_id: Any, meta: RequestMeta | None = None) -> None:
    """Remove a group robot (org.manage); its unsent deliveries go with it."""
    require_permission(actor, ORG_MANAGE)
    with transaction.atomic():
        robot = selectors.robot_get(robot_id)
        before = _robot_audit(robot)
        pk, name = robot.pk, robot.name
        robot.delete()
        audit_record(actor=actor, action="notifications.robot_delete", target_type="im_robot", target_id=pk,
                     target_label=name, before=before, meta=meta or RequestMeta())


# --- the periodic run: digests, deferred and retried deliveries ----------------------------------------

def digest_boundary(pref: NotificationPreference, now: datetime) -> datetime | None:
    """The start of the current digest period in local time (the latest boundary at or before ``now``)."""
    local = timezone.localtime(now)
    if pref.digest == DigestMode.HOURLY:
        return local.replace(minute=0, second=0, microsecond=0)
    if pref.digest == DigestMode.DAILY:
        at = pref.digest_time or DEFAULT_DIGEST_TIME
        today = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
        return today if today <= local else today - timedelta(days=1)
    return None


def notifications_send_digests(*, now: datetime | None = None) -> int:
    """Batch held reminders into one digest per person, channel and period; then send everything due.

    A reminder for someone with an hourly or daily digest is held (not sent) when it is made.
    When a period boundary has passed, the reminders held up to it become one message per
    channel (e-mail; each robot), deferred by quiet hours like any message. The run then
    sends every due delivery: digests, messages deferred by quiet hours and retries.
    Returns the number of digest messages made. Call it periodically (e.g. every minute),
    outside any transaction; several workers may run it at once.
    """
    now = now or timezone.now()
    made = 0
    pref_ids = list(NotificationPreference.objects.exclude(digest=DigestMode.OFF).values_list("pk", flat=True))
    for pref_id in pref_ids:
        made += _digest_one(pref_id, now)
    deliveries_send_due(now=now)
    return made


def _digest_one(pref_id: int, now: datetime) -> int:
    from runtime.instances.outbox import _locked_retry

    def work() -> int:
        with transaction.atomic():
            # The preference row lock serialises two workers digesting the same person.
            pref = NotificationPreference.objects.select_for_update().select_related("user").filter(pk=pref_id).first()
            if pref is None:
                return 0
            boundary = digest_boundary(pref, now)
            if boundary is None or (pref.digest_last_at is not None and pref.digest_last_at >= boundary):
                return 0
            held = list(Delivery.objects.filter(recipient_id=pref.user_id, status=DeliveryStatus.HELD,
                                                created_at__lte=boundary).order_by("created_at", "id"))
            if not held:
                return 0
            groups: dict[tuple[str, int | None], list[Delivery]] = defaultdict(list)
            for row in held:
                groups[(row.channel, row.robot_id)].append(row)
            available = quiet_until(pref, now) or now
            made = 0
            for (channel, robot_id), rows in groups.items():
                digest = Delivery.objects.create(
                    recipient_id=pref.user_id, channel=channel, robot_id=robot_id, status=DeliveryStatus.PENDING,
                    digest_of=[r.notification_id for r in rows], available_at=available, created_at=now)
                Delivery.objects.filter(pk__in=[r.pk for r in rows]).update(status=DeliveryStatus.BATCHED,
                                                                             digest=digest)
                made += 1
            pref.digest_last_at = boundary
            pref.save(update_fields=["digest_last_at"])
            return made

    return _locked_retry(work)
