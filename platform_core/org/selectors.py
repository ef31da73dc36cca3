"""Reads of the organisation."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from platform_core.org.exceptions import DepartmentDoesNotExist, UserDoesNotExist
from platform_core.org.models import Department, User


def department_get(department_id: int | str) -> Department:
    """Return a department by id or raise DepartmentDoesNotExist."""
    try:
        return Department.objects.get(pk=department_id)
    except (Department.DoesNotExist, ValueError, TypeError):
        raise DepartmentDoesNotExist() from None


def user_get(user_id: int | str) -> User:
    """Return a user by id or raise UserDoesNotExist."""
    try:
        return User.objects.select_related("department", "position", "manager", "backup").get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise UserDoesNotExist() from None


def department_subtree(department: Department, *, include_self: bool = True) -> QuerySet[Department]:
    """The department and everything below it, in one indexed prefix query."""
    qs = Department.objects.filter(path__startswith=department.path)
    if not include_self:
        qs = qs.exclude(pk=department.pk)
    return qs


def department_ancestors(department: Department, *, include_self: bool = False) -> list[Department]:
    """Ancestors from the root down (one query), optionally ending with the department itself."""
    ids = department.ancestor_ids()
    by_id = Department.objects.in_bulk(ids)
    chain = [by_id[i] for i in ids if i in by_id]
    if include_self:
        chain.append(department)
    return chain


def department_member_ids(department: Department, *, subtree: bool = False) -> QuerySet[User]:
    """Active users of a department, or of its whole subtree."""
    if subtree:
        return User.objects.filter(is_active=True, department__path__startswith=department.path)
    return User.objects.filter(is_active=True, department=department)


def user_list() -> QuerySet[User]:
    """Users with the relations list endpoints show, fetched without N+1 queries."""
    return User.objects.select_related("department", "position", "manager", "backup").prefetch_related("roles")


def user_search(term: str) -> Q:
    """A filter matching a user by name, user name, employee number, phone or e-mail."""
    return (
        Q(display_name__icontains=term)
        | Q(username__icontains=term)
        | Q(employee_no__icontains=term)
        | Q(phone__icontains=term)
        | Q(email__icontains=term)
    )
