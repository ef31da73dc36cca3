"""Writes to the organisation, and manager-chain resolution.

Every write takes an ``actor``, checks ``org.manage`` through the one permission
entry point (system actors pass ``actor=None`` with ``system=True``), runs in one
transaction and appends an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.errors import PermissionDenied, ValidationFailed, gettext_noop
from platform_core.org.exceptions import (
    DepartmentMoveInvalid,
    DepartmentNotEmpty,
    ManagerLoop,
    ManagerNotFound,
)
from platform_core.org.models import Department, Position, Role, User, UserGroup
from platform_core.org.permissions import ORG_MANAGE, PERMISSIONS, permissions_of, require_permission
from platform_core.org.revision import bump_org_revision

DEPARTMENT_FIELDS = ("name", "name_en", "code", "order", "is_active", "head_id", "deputy_id")
USER_FIELDS = (
    "username", "display_name", "employee_no", "email", "phone", "department_id", "position_id",
    "manager_id", "is_active", "language", "backup_id",
)
ROLE_FIELDS = ("code", "name", "name_en", "permissions", "data_scope", "data_scope_rule")


class GrantNotAllowed(PermissionDenied):
    code = "grant_not_allowed"
    message = gettext_noop("You can only grant permissions you hold yourself, and cannot change your own roles.")


class SuperuserProtected(PermissionDenied):
    code = "superuser_protected"
    message = gettext_noop("Only a superuser can change another superuser's password, roles or active flag.")


def _check_grant(actor: Any, codes: set[str], system: bool) -> None:
    # Holding org.manage must not be a path to every other permission.
    if system or getattr(actor, "is_superuser", False):
        return
    if not codes <= set(permissions_of(actor)):
        raise GrantNotAllowed(details={"permissions": sorted(codes - set(permissions_of(actor)))})


def _check_roles_grant(actor: Any, roles: list[Role] | None, system: bool) -> None:
    if roles:
        _check_grant(actor, {code for role in roles for code in role.permissions}, system)


def _check_target(actor: Any, target: User, system: bool) -> None:
    if target.is_superuser and not system and not getattr(actor, "is_superuser", False):
        raise SuperuserProtected()


def _check(actor: Any, system: bool) -> None:
    if not system:
        require_permission(actor, ORG_MANAGE)


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


# --- departments -----------------------------------------------------------------

def department_create(
    *, actor: Any, name: str, code: str, parent: Department | None = None, name_en: str = "",
    head: User | None = None, deputy: User | None = None, order: int = 0, system: bool = False,
    meta: RequestMeta | None = None,
) -> Department:
    """Create a department under ``parent`` (or as a root)."""
    _check(actor, system)
    with transaction.atomic():
        dept = Department.objects.create(
            name=name, name_en=name_en, code=code, parent=parent, head=head, deputy=deputy, order=order
        )
        # The path needs the new id, hence the second write in the same transaction.
        dept.path = f"{parent.path if parent else '/'}{dept.pk}/"
        dept.depth = (parent.depth + 1) if parent else 0
        dept.save(update_fields=["path", "depth"])
        audit_record(
            actor=actor, action="department.create", target_type="department", target_id=dept.pk,
            target_label=dept.name, after=_snapshot(dept, DEPARTMENT_FIELDS) | {"parent_id": dept.parent_id},
            meta=meta,
        )
    return dept


def department_update(
    *, actor: Any, department: Department, system: bool = False, meta: RequestMeta | None = None,
    **changes: Any,
) -> Department:
    """Change a department's own fields (not its place in the tree: see department_move)."""
    _check(actor, system)
    unknown = set(changes) - set(DEPARTMENT_FIELDS) - {"head", "deputy"}
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    with transaction.atomic():
        dept = Department.objects.select_for_update().get(pk=department.pk)
        before = _snapshot(dept, DEPARTMENT_FIELDS)
        for key, value in changes.items():
            setattr(dept, key, value)
        dept.save()
        old, new = _changed(before, _snapshot(dept, DEPARTMENT_FIELDS))
        if new:
            audit_record(
                actor=actor, action="department.update", target_type="department", target_id=dept.pk,
                target_label=dept.name, before=old, after=new, meta=meta,
            )
    return dept


def department_move(
    *, actor: Any, department: Department, parent: Department | None, system: bool = False,
    meta: RequestMeta | None = None,
) -> Department:
    """Move a department (and its subtree) under a new parent, rewriting paths in one UPDATE."""
    _check(actor, system)
    with transaction.atomic():
        dept = Department.objects.select_for_update().get(pk=department.pk)
        if parent is not None:
            parent = Department.objects.get(pk=parent.pk)
            if parent.path.startswith(dept.path):
                raise DepartmentMoveInvalid()
        old_parent_id, old_path = dept.parent_id, dept.path
        new_path = f"{parent.path if parent else '/'}{dept.pk}/"
        depth_delta = ((parent.depth + 1) if parent else 0) - dept.depth
        Department.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + depth_delta,
        )
        Department.objects.filter(pk=dept.pk).update(parent=parent)
        bump_org_revision()  # QuerySet.update sends no signals
        dept.refresh_from_db()
        audit_record(
            actor=actor, action="department.move", target_type="department", target_id=dept.pk,
            target_label=dept.name, before={"parent_id": old_parent_id}, after={"parent_id": dept.parent_id},
            meta=meta,
        )
    return dept


def department_delete(
    *, actor: Any, department: Department, system: bool = False, meta: RequestMeta | None = None
) -> None:
    """Delete an empty department (no members, no sub-departments)."""
    _check(actor, system)
    with transaction.atomic():
        dept = Department.objects.select_for_update().get(pk=department.pk)
        if dept.children.exists() or dept.members.exists():
            raise DepartmentNotEmpty(params={"name": dept.name})
        before = _snapshot(dept, DEPARTMENT_FIELDS)
        pk = dept.pk
        dept.delete()
        audit_record(
            actor=actor, action="department.delete", target_type="department", target_id=pk,
            target_label=before["name"], before=before, meta=meta,
        )


# --- users ------------------------------------------------------------------------

class ManagerChainInvalid(ValidationFailed):
    code = "manager_chain_invalid"
    message = gettext_noop("%(user)s cannot report to %(manager)s: that would make a reporting loop.")


def _check_manager(user: User, manager_id: int | None) -> None:
    # Refuse a direct-manager assignment that closes a loop, so the chain stays finite.
    seen: set[int] = {user.pk} if user.pk else set()
    current = manager_id
    while current is not None:
        if current in seen:
            manager = User.objects.filter(pk=manager_id).first()
            raise ManagerChainInvalid(params={"user": str(user), "manager": str(manager)})
        seen.add(current)
        current = User.objects.filter(pk=current).values_list("manager_id", flat=True).first()


class BackupInvalid(ValidationFailed):
    code = "backup_invalid"
    message = gettext_noop("A backup must be another active user.")


def _check_backup(user: User) -> None:
    # Not the user themselves (a task cannot be handed to its own assignee), and someone who can act.
    backup_id = user.backup_id
    if backup_id is None:
        return
    if backup_id == user.pk or not User.objects.filter(pk=backup_id, is_active=True).exists():
        raise BackupInvalid(details={"backup": "another active user"})


def mask_email(value: str) -> str:
    """``li.na@example.com`` -> ``l***@example.com`` (the domain stays: it tells a work address apart)."""
    local, at, domain = value.strip().rpartition("@")
    if not at:
        return mask_phone(value)
    return f"{local[:1]}***@{domain}"


def mask_phone(value: str) -> str:
    """``13812345678`` -> ``138****5678``; anything shorter than 7 characters is fully masked."""
    text = value.strip()
    return f"{text[:3]}****{text[-4:]}" if len(text) >= 7 else "****"


# Personal contact data: audit readers (audit.read) are not the org admins who may see it,
# so the log keeps a masked form, and "masked" names the fields shown that way (an update
# event lists only changed fields, so a masked value there still says that it changed).
AUDIT_MASKED_USER_FIELDS = {"email": mask_email, "phone": mask_phone}


def _audit_user_values(values: dict[str, Any]) -> dict[str, Any]:
    """A user's audited before/after with contact data masked (empty values stay empty)."""
    out = dict(values)
    masked = []
    for name, mask in AUDIT_MASKED_USER_FIELDS.items():
        if out.get(name):
            out[name] = mask(str(out[name]))
            masked.append(name)
    if masked:
        out["masked"] = masked
    return out


def user_create(
    *, actor: Any, username: str, password: str | None = None, roles: list[Role] | None = None,
    system: bool = False, meta: RequestMeta | None = None, **fields: Any,
) -> User:
    """Create a user; without a password the account cannot log in until one is set."""
    _check(actor, system)
    _check_roles_grant(actor, roles, system)
    unknown = set(fields) - set(USER_FIELDS) - {"department", "position", "manager", "backup"}
    if unknown:
        raise ValueError(f"not settable: {sorted(unknown)}")
    with transaction.atomic():
        user = User(username=username, **fields)
        _check_backup(user)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        if roles:
            user.roles.set(roles)
        audit_record(
            actor=actor, action="user.create", target_type="user", target_id=user.pk, target_label=str(user),
            after=_audit_user_values(_snapshot(user, USER_FIELDS) | {"roles": sorted(r.code for r in roles or [])}),
            meta=meta,
        )
    return user


def user_update(
    *, actor: Any, user: User, roles: list[Role] | None = None, system: bool = False,
    meta: RequestMeta | None = None, **changes: Any,
) -> User:
    """Change a user's profile, place in the org, active flag or roles."""
    _check(actor, system)
    if roles is not None:
        if not system and getattr(actor, "pk", None) == user.pk:
            raise GrantNotAllowed()
        _check_roles_grant(actor, roles, system)
    if roles is not None or "is_active" in changes:
        _check_target(actor, user, system)
    unknown = set(changes) - set(USER_FIELDS) - {"department", "position", "manager", "backup"}
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = _snapshot(locked, USER_FIELDS) | {"roles": sorted(locked.roles.values_list("code", flat=True))}
        for key, value in changes.items():
            setattr(locked, key, value)
        if "manager" in changes or "manager_id" in changes:
            _check_manager(locked, locked.manager_id)
        if "backup" in changes or "backup_id" in changes:
            _check_backup(locked)
        locked.save()
        if roles is not None:
            locked.roles.set(roles)
        after = _snapshot(locked, USER_FIELDS) | {"roles": sorted(locked.roles.values_list("code", flat=True))}
        old, new = _changed(before, after)
        if new:
            audit_record(
                actor=actor, action="user.update", target_type="user", target_id=locked.pk,
                target_label=str(locked), before=_audit_user_values(old), after=_audit_user_values(new), meta=meta,
            )
    return locked


def user_change_password(
    *, actor: User, user: User, old_password: str, new_password: str, meta: RequestMeta | None = None
) -> None:
    """A user changes their own password (the old one is required)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    if actor.pk != user.pk:
        require_permission(actor, ORG_MANAGE)
    if not user.check_password(old_password):
        raise PasswordInvalid(code="old_password_wrong", message=gettext_noop("The current password is wrong."))
    try:
        validate_password(new_password, user)
    except DjangoValidationError as exc:
        raise PasswordInvalid(details={"new_password": list(exc.messages)}) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(
            actor=actor, action="user.password_change", target_type="user", target_id=user.pk,
            target_label=str(user), meta=meta,
        )


def user_set_password(*, actor: Any, user: User, password: str, meta: RequestMeta | None = None) -> None:
    """An org admin sets a user's password (validated like any new password)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework.authtoken.models import Token

    require_permission(actor, ORG_MANAGE)
    _check_target(actor, user, False)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise PasswordInvalid(details={"password": list(exc.messages)}) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        # A reset is often a response to a leak: tokens issued under the old password die with it.
        Token.objects.filter(user=user).delete()
        audit_record(
            actor=actor, action="user.password_set", target_type="user", target_id=user.pk,
            target_label=str(user), meta=meta,
        )


class PasswordInvalid(ValidationFailed):
    code = "password_invalid"
    message = gettext_noop("The new password is not acceptable.")


# --- roles and positions -------------------------------------------------------------

class RoleInvalid(ValidationFailed):
    code = "role_invalid"
    message = gettext_noop("Unknown permission codes: %(codes)s")


def _check_permission_codes(codes: list[str]) -> None:
    unknown = sorted(set(codes) - set(PERMISSIONS))
    if unknown:
        raise RoleInvalid(params={"codes": ", ".join(unknown)}, details={"permissions": unknown})


def _check_data_scope(scope: str, rule: Any) -> Any:
    """The rule to store: required and checked for a custom scope, refused for any other (None when empty)."""
    from platform_core.org.models import DataScope
    from platform_core.org.scope_rules import check_scope_rule, scope_rule_error

    empty = rule is None or rule == {} or rule == []
    if scope == DataScope.CUSTOM:
        if empty:
            raise scope_rule_error("required")
        check_scope_rule(rule)
        return rule
    if not empty:
        raise scope_rule_error("unexpected")
    return None


def role_create(
    *, actor: Any, code: str, name: str, system: bool = False, meta: RequestMeta | None = None, **fields: Any
) -> Role:
    """Create a role (a permission bundle with a data scope; a custom scope needs a valid rule)."""
    _check(actor, system)
    _check_permission_codes(fields.get("permissions", []))
    _check_grant(actor, set(fields.get("permissions", [])), system)
    fields["data_scope_rule"] = _check_data_scope(fields.get("data_scope", "own"), fields.get("data_scope_rule"))
    with transaction.atomic():
        role = Role.objects.create(code=code, name=name, **fields)
        audit_record(
            actor=actor, action="role.create", target_type="role", target_id=role.pk, target_label=role.name,
            after=_snapshot(role, ROLE_FIELDS), meta=meta,
        )
    return role


def role_update(
    *, actor: Any, role: Role, system: bool = False, meta: RequestMeta | None = None, **changes: Any
) -> Role:
    """Change a role's name, permissions or data scope (leaving "custom" drops the rule)."""
    _check(actor, system)
    if "permissions" in changes:
        _check_permission_codes(changes["permissions"])
        _check_grant(actor, set(changes["permissions"]), system)
    with transaction.atomic():
        locked = Role.objects.select_for_update().get(pk=role.pk)
        before = _snapshot(locked, ROLE_FIELDS)
        if "data_scope" in changes or "data_scope_rule" in changes:
            scope = changes.get("data_scope", locked.data_scope)
            # Switching to a standard scope without naming a rule clears the old one (audited below).
            keep = locked.data_scope_rule if scope == "custom" else None
            changes["data_scope_rule"] = _check_data_scope(scope, changes.get("data_scope_rule", keep))
        for key, value in changes.items():
            setattr(locked, key, value)
        locked.save()
        old, new = _changed(before, _snapshot(locked, ROLE_FIELDS))
        if new:
            audit_record(
                actor=actor, action="role.update", target_type="role", target_id=locked.pk,
                target_label=locked.name, before=old, after=new, meta=meta,
            )
    return locked


def position_create(
    *, actor: Any, code: str, name: str, name_en: str = "", system: bool = False, meta: RequestMeta | None = None
) -> Position:
    """Create a position (岗位)."""
    _check(actor, system)
    with transaction.atomic():
        position = Position.objects.create(code=code, name=name, name_en=name_en)
        audit_record(
            actor=actor, action="position.create", target_type="position", target_id=position.pk,
            target_label=position.name, after={"code": code, "name": name, "name_en": name_en}, meta=meta,
        )
    return position


# --- manager chains ------------------------------------------------------------------

@dataclass(frozen=True)
class ChainStep:
    """One step of a resolution, kept so the UI can say why someone was chosen."""

    user: User
    department: Department | None
    reason: str  # "direct_manager" (set on the user) or "department_head" (derived from the tree)


def manager_chain(user: User, *, levels: int | None = None, until_role: str | None = None) -> list[ChainStep]:
    """Managers above the user, nearest first, up to ``levels`` or the first holder of ``until_role``.

    This is the engine's own resolution (runtime.flows' ``manager_chain`` assignee rule over
    the live org), so what the org API shows is who a request would really go to: the
    explicit direct manager, else the nearest active department head above the user;
    inactive people are left out as the engine leaves them out. A loop in the data raises
    ManagerLoop instead of running forever.
    """
    from platform_core.org.directory import DjangoOrgDirectory
    from runtime.flows import OrgCycleDetected, ResolveContext, assignee_rule_registry
    from runtime.flows.assignee_rules import MAX_CHAIN

    spec: dict[str, Any] = {"rule": "manager_chain", "levels": min(levels or MAX_CHAIN, MAX_CHAIN)}
    if until_role:
        spec["until_role"] = until_role
    org = DjangoOrgDirectory()
    try:
        ids = assignee_rule_registry.get("manager_chain").resolve(
            spec, None, ResolveContext(initiator_id=str(user.pk)), org, []
        )
    except OrgCycleDetected as exc:
        raise ManagerLoop(params={"user": str(user), "chain": exc.params.get("chain", "")}) from None
    if until_role and not ids:
        raise ManagerNotFound(ManagerNotFound.ROLE_NOT_FOUND, params={"user": str(user), "role": until_role})
    by_id = User.objects.select_related("department").in_bulk([int(i) for i in ids])
    steps: list[ChainStep] = []
    below = user
    for user_id in ids:
        manager = by_id.get(int(user_id))
        if manager is not None and manager.is_active:
            reason = "direct_manager" if below.manager_id == manager.pk else "department_head"
            steps.append(ChainStep(user=manager, department=manager.department, reason=reason))
        below = manager or below
    if levels is not None and len(steps) < levels:
        raise ManagerNotFound(
            ManagerNotFound.CHAIN_SHORT, params={"user": str(user), "found": len(steps), "level": levels}
        )
    return steps


# --- user groups -----------------------------------------------------------------------

def user_group_save(
    *, actor: Any, code: str, name: str, members: list[User], group: UserGroup | None = None,
    system: bool = False, meta: RequestMeta | None = None,
) -> UserGroup:
    """Create a user group, or replace an existing group's name and members."""
    _check(actor, system)
    with transaction.atomic():
        if group is None:
            group = UserGroup.objects.create(code=code, name=name)
            before: dict[str, Any] | None = None
        else:
            group = UserGroup.objects.select_for_update().get(pk=group.pk)
            before = {"code": group.code, "name": group.name,
                      "members": sorted(group.members.values_list("pk", flat=True))}
            group.code, group.name = code, name
            group.save()
        group.members.set(members)
        after = {"code": code, "name": name, "members": sorted(u.pk for u in members)}
        audit_record(
            actor=actor, action="group.create" if before is None else "group.update", target_type="group",
            target_id=group.pk, target_label=name, before=before, after=after, meta=meta,
        )
    return group
