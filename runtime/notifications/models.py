"""Notifications: the in-app inbox, each person's channel preferences, group robots and channel deliveries.

The engine's ``Notify`` effects arrive as outbox rows of kind ``notify``
(``runtime.notifications.delivery``). Delivering one writes, in one transaction, one
:class:`Notification` per recipient (the in-app copy, never lost) and one
:class:`Delivery` per outside channel (e-mail, each IM group robot). Deliveries are sent
after commit and retried on their own, so a failing mail server never touches the in-app
copy. Only ``services.py`` and ``delivery.py`` write these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Mirrors ``runtime.engine.model.NOTIFY_KINDS`` (plus the digest of reminders)."""

    NEW_TASK = "new_task", _("New task")
    REMINDER = "reminder", _("Reminder")
    ESCALATED = "escalated", _("Escalated")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    CC = "cc", _("Copied to you")
    URGED = "urged", _("Urged")
    TRANSFERRED = "transferred", _("Transferred")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ERROR = "error", _("Error")
    HANDED_OVER = "handed_over", _("Handed over")
    OVERDUE = "overdue", _("Overdue")


class Notification(models.Model):
    """One in-app notification of one person (渲染参数 in ``params``, rendered per reader's language)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    instance = models.ForeignKey("instances.Instance", verbose_name=_("request"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    task_id = models.CharField(_("task"), max_length=16, blank=True)  # the engine's task id ("t3")
    node_id = models.CharField(_("node"), max_length=64, blank=True)
    # Everything the text needs, captured when the notification is made: app, title, node names
    # (zh/en), the acting person, the comment. Rendering never reads other tables.
    params = models.JSONField(_("parameters"), default=dict)
    # "outbox:<row id>": with the recipient it makes a redelivered outbox row a no-op.
    source = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "recipient"], condition=~models.Q(source=""),
                                    name="notif_source_recipient_unique"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class DigestMode(models.TextChoices):
    OFF = "off", _("Send each reminder at once")
    HOURLY = "hourly", _("One digest per hour")
    DAILY = "daily", _("One digest per day")


class NotificationPreference(models.Model):
    """How one person wants to be told. In-app notifications are always on."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="notification_preference")
    email_enabled = models.BooleanField(_("e-mail"), default=True)
    im_enabled = models.BooleanField(_("IM group robots"), default=True)
    # Local wall-clock times (settings.TIME_ZONE, Asia/Shanghai); start > end spans midnight.
    quiet_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    digest = models.CharField(_("reminder digest"), max_length=8, choices=DigestMode.choices, default=DigestMode.OFF)
    digest_time = models.TimeField(_("daily digest time"), null=True, blank=True)
    digest_last_at = models.DateTimeField(null=True, blank=True)  # the period boundary last digested
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class ImPlatform(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk")
    FEISHU = "feishu", _("Feishu / Lark")
    WECOM = "wecom", _("WeCom")


class ImRobot(models.Model):
    """A group chat's custom robot (钉钉/飞书/企业微信群机器人), managed by administrators.

    A person's notifications go to the active robots of their department and its ancestors
    (``department`` null: the whole company), filtered by ``kinds`` (empty: every kind).
    """

    name = models.CharField(_("name"), max_length=100)
    platform = models.CharField(_("platform"), max_length=16, choices=ImPlatform.choices)
    webhook_url = models.URLField(_("webhook URL"), max_length=1000)
    secret = models.CharField(_("signing secret"), max_length=500, blank=True)  # never returned by the API
    department = models.ForeignKey("org.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("IM robot")
        verbose_name_plural = _("IM robots")

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    IM = "im", _("IM group robot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    HELD = "held", _("Held for the digest")
    SENT = "sent", _("Sent")
    BATCHED = "batched", _("Sent in a digest")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """One message to send on an outside channel: a notification by e-mail or to one robot, or a digest.

    ``available_at`` defers it (quiet hours, retry backoff); ``attempts`` counts claims and
    fences the result like the outbox does; ``claimed_until`` is the lease.
    """

    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    robot = models.ForeignKey(ImRobot, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    # A digest: the ids of the notifications it batches (notification is null).
    digest_of = models.JSONField(null=True, blank=True)
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attempts = models.PositiveIntegerField(default=0)
    available_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["status", "available_at"], name="notif_delivery_due"),
            models.Index(fields=["recipient", "status"], name="notif_delivery_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient_id} ({self.status})"
