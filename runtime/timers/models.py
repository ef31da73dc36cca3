"""Stored timers of running requests and the company working calendar.

A :class:`Timer` is one ``ScheduleTimer`` effect of the engine (one reminder occurrence,
an escalation, an auto-transfer, a timeout or a delay node's end), written in the step's
own transaction by :func:`runtime.timers.services.timers_store` and fired once by
:func:`runtime.timers.services.timers_fire`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimerStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    FIRED = "fired", _("Fired")
    CANCELLED = "cancelled", _("Cancelled")
    OBSOLETE = "obsolete", _("Obsolete")  # the task or token was no longer open when it came due


class Timer(models.Model):
    instance = models.ForeignKey("instances.Instance", verbose_name=_("request"), on_delete=models.CASCADE,
                                 related_name="timers")
    task_id = models.CharField(_("task"), max_length=16, blank=True)  # engine task id ("t3"); "" for delays
    node_id = models.CharField(_("node"), max_length=64, blank=True)
    token_id = models.CharField(_("token"), max_length=16, blank=True)
    kind = models.CharField(_("kind"), max_length=16)  # remind | escalate | auto_transfer | timeout | overdue | delay
    due_at = models.DateTimeField(_("due at"))
    config = models.JSONField(_("config"), default=dict, blank=True)  # to, action, attempt, of
    status = models.CharField(_("status"), max_length=16, choices=TimerStatus.choices, default=TimerStatus.PENDING)
    attempt = models.PositiveSmallIntegerField(_("reminder number"), default=1)
    claims = models.PositiveIntegerField(_("claims"), default=0)  # fence: bumped by every claim
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)  # lease of a firing worker
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    last_error = models.JSONField(_("last error"), null=True, blank=True)  # {"code", "message", "at"}
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("timer")
        verbose_name_plural = _("timers")
        indexes = [
            models.Index(fields=["status", "due_at"], name="timers_status_due"),
            models.Index(fields=["instance", "task_id"], name="timers_instance_task"),
            models.Index(fields=["instance", "token_id"], name="timers_instance_token"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.task_id or self.token_id} @ {self.due_at:%Y-%m-%d %H:%M}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Company holiday")
    WORKDAY = "workday", _("Working day")


class CalendarDay(models.Model):
    """A company override of the statutory calendar: an extra holiday or an extra working day."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class WorkingHours(models.Model):
    """The company's working hours (one row, id 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"
