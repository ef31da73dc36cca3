"""Reads of the notifications app: always one person's own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from runtime.notifications.exceptions import ImRobotDoesNotExist, NotificationDoesNotExist
from runtime.notifications.models import ImRobot, Notification


def notification_list_for(user: Any, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (``unread``: only those not read yet). One query per page."""
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_get_for(user: Any, notification_id: Any) -> Notification:
    """One of the user's own notifications; anyone else's is NotificationDoesNotExist (404, no hint)."""
    try:
        return Notification.objects.get(pk=int(notification_id), recipient=user)
    except (Notification.DoesNotExist, TypeError, ValueError):
        raise NotificationDoesNotExist() from None


def unread_count_for(user: Any) -> int:
    """How many of the user's notifications are unread (indexed on recipient, read_at)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def robot_list() -> QuerySet[ImRobot]:
    """Every IM robot (admins only: the API checks org.manage)."""
    return ImRobot.objects.select_related("department").order_by("id")


def robot_get(robot_id: Any) -> ImRobot:
    """One IM robot or ImRobotDoesNotExist."""
    try:
        return ImRobot.objects.select_related("department").get(pk=int(robot_id))
    except (ImRobot.DoesNotExist, TypeError, ValueError):
        raise ImRobotDoesNotExist() from None
