"""Platform permission codes and the one entry point that checks them.

Roles carry lists of these codes. Superusers hold every permission. Object-level
checks (data scopes, field rights) build on this in the runtime apps.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from platform_core.errors import PermissionDenied

ORG_MANAGE = "org.manage"
APPS_DESIGN = "apps.design"
APPS_PUBLISH = "apps.publish"
DICTIONARY_MANAGE = "dictionary.manage"
AUDIT_READ = "audit.read"
RECORDS_EXPORT = "records.export"
RECORDS_EDIT = "records.edit"

PERMISSIONS: dict[str, Any] = {
    ORG_MANAGE: _("Manage departments, users, roles and positions"),
    APPS_DESIGN: _("Design forms and flows"),
    APPS_PUBLISH: _("Publish app versions"),
    DICTIONARY_MANAGE: _("Manage the data dictionary"),
    AUDIT_READ: _("Read and export the audit log"),
    RECORDS_EXPORT: _("Export records to Excel"),
    RECORDS_EDIT: _("Edit records outside a flow"),
}


def permissions_of(user: Any) -> frozenset[str]:
    """All permission codes a user holds through their roles (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(PERMISSIONS)
    cached = getattr(user, "_qiaoban_permissions", None)
    if cached is None:
        codes: set[str] = set()
        for role in user.roles.all():
            codes.update(code for code in role.permissions if code in PERMISSIONS)
        cached = frozenset(codes)
        user._qiaoban_permissions = cached
    return cached


def has_permission(user: Any, code: str) -> bool:
    """True when the user holds the permission code."""
    return code in permissions_of(user)


def require_permission(user: Any, code: str) -> None:
    """Raise PermissionDenied unless the user holds the permission code."""
    if not has_permission(user, code):
        raise PermissionDenied()
