"""Organisation: departments (a tree), positions, roles, user groups and users.

Departments keep a materialised path (``/1/4/9/``) so that subtree and ancestor
queries are one indexed query each, whatever the depth. Paths are maintained only
by ``services.department_create`` / ``department_move``; nothing else writes them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    head = models.ForeignKey(
        "org.User", verbose_name=_("head"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deputy = models.ForeignKey(
        "org.User", verbose_name=_("deputy"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read off the path (no query)."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]


class Position(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class DataScope(models.TextChoices):
    OWN = "own", _("Own records")
    DEPARTMENT = "department", _("Own department")
    SUBTREE = "subtree", _("Department and sub-departments")
    ALL = "all", _("All records")
    CUSTOM = "custom", _("Custom rule")


class Role(models.Model):
    """A bundle of permission codes plus the data scope it grants."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    data_scope = models.CharField(_("data scope"), max_length=16, choices=DataScope.choices, default=DataScope.OWN)
    data_scope_rule = models.JSONField(_("custom data scope rule"), null=True, blank=True)
    is_system = models.BooleanField(_("built in"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class QiaobanUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    employee_no = models.CharField(_("employee number"), max_length=32, unique=True, null=True, blank=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="members",
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), null=True, blank=True, on_delete=models.SET_NULL, related_name="holders"
    )
    manager = models.ForeignKey(
        "self", verbose_name=_("direct manager"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reports",
    )
    # 备选人: who an auto_transfer timer hands this user's overdue tasks to.
    backup = models.ForeignKey(
        "self", verbose_name=_("backup"), null=True, blank=True, on_delete=models.SET_NULL, related_name="backup_for",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    language = models.CharField(_("language"), max_length=10, blank=True)

    objects = QiaobanUserManager()

    class Meta:
        ordering = ["employee_no", "id"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.get_username()


class UserGroup(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(User, verbose_name=_("members"), blank=True, related_name="user_groups")

    class Meta:
        ordering = ["code"]
        verbose_name = _("user group")
        verbose_name_plural = _("user groups")

    def __str__(self) -> str:
        return self.name


class Delegation(models.Model):
    """Out-of-office delegation (请假代理): while it runs, new tasks of ``user`` go to ``delegate``.

    Active only while ``starts_at <= now < ends_at`` and not cancelled: it ends by itself.
    ``app`` null means every app; an app-specific delegation wins over an all-apps one.
    Only ``platform_core.org.delegations`` writes this table (it checks overlaps and cycles).
    """

    user = models.ForeignKey(
        User, verbose_name=_("away user"), on_delete=models.CASCADE, related_name="delegations"
    )
    delegate = models.ForeignKey(
        User, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="delegations_received"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # A string reference: runtime.definitions depends on org (AUTH_USER_MODEL), so this
    # migration depends on definitions' first one and there is no cycle.
    app = models.ForeignKey(
        "definitions.App", verbose_name=_("app"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("reason"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        indexes = [
            models.Index(fields=["user", "-starts_at"], name="delegation_user_starts"),
            # The engine's lookup: rows not cancelled whose window contains now.
            models.Index(fields=["ends_at", "starts_at"], name="delegation_window",
                         condition=models.Q(cancelled_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="delegation_ends_after_start"),
            models.CheckConstraint(condition=~models.Q(delegate=models.F("user")),
                                   name="delegation_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.delegate}"

    def status_at(self, now: Any) -> str:
        """``cancelled``, ``scheduled`` (not started), ``active`` or ``ended`` at ``now``."""
        if self.cancelled_at is not None:
            return "cancelled"
        if now < self.starts_at:
            return "scheduled"
        return "active" if now < self.ends_at else "ended"


class OrgRevision(models.Model):
    """One row whose token changes with every write to the org chart (see ``org/revision.py``).

    The engine answers "who is the department head / who holds role X" from an in-memory
    snapshot of the org that is reused while this token is unchanged, instead of reading
    the whole org on every step. The token is random, never a counter: a rolled-back
    transaction must not hand out a value that a cached snapshot already carries.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"org revision {self.token}"
