"""Running requests: instances, their task projection, events, receipts, outbox, cc and participants.

The engine state (``Instance.state``) is the source of truth; it is always the fold of the
instance's :class:`InstanceEvent` rows (``runtime.engine.replay``). :class:`Task`,
:class:`CcRecord` and :class:`Participant` are projections rewritten from the state in the
same transaction as every step, so the inbox can be answered with indexed queries.
Only ``services.py`` writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InstanceStatus(models.TextChoices):
    """Mirrors ``runtime.engine.Status`` (the engine decides the moves: ``engine.TRANSITIONS``)."""

    RUNNING = "running", _("In progress")
    BLOCKED = "blocked", _("Blocked")
    ERROR = "error", _("Error")
    RETURNED = "returned", _("Returned")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    NONE = "", _("None yet")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TaskStatus(models.TextChoices):
    """Mirrors ``runtime.engine.TaskStatus``."""

    PENDING = "pending", _("Pending")
    SUSPENDED = "suspended", _("Suspended")
    WAITING = "waiting", _("Waiting")
    APPROVED = "approved", _("Approved")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


DECIDED_TASK_STATUSES = (TaskStatus.APPROVED, TaskStatus.DONE, TaskStatus.REJECTED)


class Instance(models.Model):
    """One submitted request of an app, pinned to the version it was submitted on."""

    app = models.ForeignKey("definitions.App", verbose_name=_("app"), on_delete=models.PROTECT, related_name="+")
    app_version = models.ForeignKey(
        "definitions.AppVersion", verbose_name=_("app version"), on_delete=models.PROTECT, related_name="+"
    )
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("initiator"), on_delete=models.PROTECT, related_name="+"
    )
    initiator_department = models.ForeignKey(
        "org.Department", verbose_name=_("initiator's department"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=InstanceStatus.choices,
                              default=InstanceStatus.RUNNING)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True, default="")
    urgent = models.BooleanField(_("urgent"), default=False)
    title = models.CharField(_("title"), max_length=300)
    data = models.JSONField(_("form data"), default=dict)
    state = models.JSONField(_("engine state"), default=dict)
    # Optimistic lock: +1 per step; clients send it back as expected_version.
    version = models.PositiveIntegerField(_("version"), default=0)
    event_seq = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A child started by a subprocess node: the parent's node and token it answers when it ends
    # (runtime.instances.outbox). ``parent_waits`` is the node's ``wait``.
    parent = models.ForeignKey("self", verbose_name=_("parent request"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    parent_node_id = models.CharField(max_length=64, blank=True)
    parent_token = models.CharField(max_length=16, blank=True)
    parent_waits = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["initiator", "-created_at"], name="inst_initiator_created"),
            models.Index(fields=["app", "status"], name="inst_app_status"),
            models.Index(fields=["status", "-created_at"], name="inst_status_created"),
            models.Index(fields=["initiator_department", "-created_at"], name="inst_dept_created"),
        ]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """Projection of one engine task (``engine_id`` like ``t3``) for inbox queries."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="tasks")
    engine_id = models.CharField(max_length=16)
    node_id = models.CharField(max_length=64)
    node_name = models.CharField(max_length=200, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    original_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    kind = models.CharField(max_length=16, default="normal")
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    action = models.CharField(max_length=32, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["instance_id", "id"]
        constraints = [models.UniqueConstraint(fields=["instance", "engine_id"], name="instances_task_engine_id")]
        indexes = [
            models.Index(fields=["assignee", "status", "-created_at"], name="task_assignee_status"),
            models.Index(fields=["assignee", "-completed_at"], name="task_assignee_completed"),
            models.Index(fields=["status", "due_at"], name="task_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.instance_id}/{self.engine_id}"


class InstanceEvent(models.Model):
    """One engine event, append-only (never updated or deleted by services)."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=32)
    data = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    actor_ref = models.CharField(max_length=64, blank=True)  # the engine's actor ("system" or a user id)
    comment = models.TextField(blank=True)
    at = models.DateTimeField()
    request_id = models.CharField(max_length=100, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["instance_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["instance", "seq"], name="instances_event_seq")]

    def __str__(self) -> str:
        return f"{self.instance_id}#{self.seq} {self.type}"


class CommandReceipt(models.Model):
    """The stored result of a command sent with a client request id (idempotent retries)."""

    # None for system commands (outbox deliveries, timers): their request ids are "outbox:<row id>".
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    request_id = models.CharField(max_length=100)
    instance = models.ForeignKey(Instance, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    command = models.CharField(max_length=32)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Request ids are per actor (a client-generated UUID), not per instance: a submit has no instance yet.
        # NULLs are distinct in a unique index (SQLite and PostgreSQL), so system receipts get their own.
        constraints = [
            models.UniqueConstraint(fields=["actor", "request_id"], name="instances_receipt_unique"),
            models.UniqueConstraint(fields=["request_id"], condition=models.Q(actor__isnull=True),
                                    name="instances_receipt_system_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id}:{self.request_id}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Outbox(models.Model):
    """An engine effect to carry out after commit, or a child's answer to its parent.

    ``runtime.instances.outbox.outbox_deliver`` claims due rows of the kinds it handles
    (``call_connector``, ``start_subprocess``, ``subprocess_completed``): ``attempts`` counts
    started deliveries and fences the result (only the holder of the latest attempt records
    it); ``claimed_until`` is the lease after which a crashed worker's row is taken again.
    """

    instance = models.ForeignKey(Instance, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.JSONField(null=True, blank=True)
    available_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_status_available")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status})"


class CcRecord(models.Model):
    """Projection of the state's cc list (抄送我)."""

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="cc_records")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    node_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instance", "user", "node_id"], name="instances_cc_unique")]
        indexes = [models.Index(fields=["user", "-created_at"], name="cc_user_created")]

    def __str__(self) -> str:
        return f"{self.instance_id} → {self.user_id}"


class Participant(models.Model):
    """Everyone who ever took part in an instance (initiator, assignees, transferred-from, cc, actors).

    The "own" data scope is "I took part": one indexed join instead of OR-ing tasks, cc and events.
    """

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "instance"], name="instances_participant_unique")]

    def __str__(self) -> str:
        return f"{self.instance_id}: {self.user_id}"
