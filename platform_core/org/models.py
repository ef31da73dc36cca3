"""Organisation: departments (a tree), positions, roles, user groups and users.

Departments keep a materialised path (``/1/4/9/``) so that subtree and ancestor
queries are one indexed query each, whatever the depth. Paths are maintained only
by ``services.department_create`` / ``department_move``; nothing else writes them.
"""

from __future__ import annotations

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
