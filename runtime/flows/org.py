"""What flow resolution needs to know about the organisation (pure Python).

The engine, the verifier and the simulator read the org chart only through the
:class:`OrgDirectory` protocol, so the same code runs against the Django org app in
production and against :class:`InMemoryOrg` in tests and in the designer's simulator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class UserFacts:
    """One user as flow resolution sees them."""

    id: str
    name: str
    department_id: str | None = None
    manager_id: str | None = None  # explicit direct manager; None means "the department head"
    active: bool = True
    roles: frozenset[str] = frozenset()
    positions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DeptFacts:
    """One department as flow resolution sees it."""

    id: str
    name: str
    parent_id: str | None = None
    head_id: str | None = None  # None: the head position is vacant


@runtime_checkable
class OrgDirectory(Protocol):
    """Read-only access to users, departments, roles and positions."""

    def user(self, user_id: str) -> UserFacts | None:
        """Return the user or None when there is no such user."""

    def department(self, department_id: str) -> DeptFacts | None:
        """Return the department or None when there is no such department."""

    def users_with_role(self, role: str) -> list[UserFacts]:
        """Return every user (active or not) holding ``role``."""

    def users_with_position(self, position: str) -> list[UserFacts]:
        """Return every user (active or not) holding ``position``."""

    def departments(self) -> list[DeptFacts]:
        """Return every department."""


@dataclass
class InMemoryOrg:
    """An :class:`OrgDirectory` over plain lists, for tests and the simulator."""

    users: dict[str, UserFacts] = field(default_factory=dict)
    depts: dict[str, DeptFacts] = field(default_factory=dict)

    @classmethod
    def build(cls, users: Iterable[UserFacts], departments: Iterable[DeptFacts]) -> InMemoryOrg:
        """Build an org from user and department records."""
        return cls({u.id: u for u in users}, {d.id: d for d in departments})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InMemoryOrg:
        """Build an org from ``{"departments": [...], "users": [...]}`` (JSON fixtures)."""
        departments = [
            DeptFacts(
                id=d["id"],
                name=d.get("name", d["id"]),
                parent_id=d.get("parent_id"),
                head_id=d.get("head_id"),
            )
            for d in data.get("departments", [])
        ]
        users = [
            UserFacts(
                id=u["id"],
                name=u.get("name", u["id"]),
                department_id=u.get("department_id"),
                manager_id=u.get("manager_id"),
                active=u.get("active", True),
                roles=frozenset(u.get("roles", ())),
                positions=frozenset(u.get("positions", ())),
            )
            for u in data.get("users", [])
        ]
        return cls.build(users, departments)

    def user(self, user_id: str) -> UserFacts | None:
        """Return the user or None."""
        return self.users.get(user_id)

    def department(self, department_id: str) -> DeptFacts | None:
        """Return the department or None."""
        return self.depts.get(department_id)

    def users_with_role(self, role: str) -> list[UserFacts]:
        """Return the users holding ``role``."""
        return [u for u in self.users.values() if role in u.roles]

    def users_with_position(self, position: str) -> list[UserFacts]:
        """Return the users holding ``position``."""
        return [u for u in self.users.values() if position in u.positions]

    def departments(self) -> list[DeptFacts]:
        """Return every department."""
        return list(self.depts.values())


def user_label(org: OrgDirectory, user_id: str | None) -> str | None:
    """Return a user's display name, or the id when the user is unknown."""
    if user_id is None:
        return None
    user = org.user(user_id)
    return user.name if user else user_id


def department_label(org: OrgDirectory, department_id: str | None) -> str | None:
    """Return a department's display name, or the id when it is unknown."""
    if department_id is None:
        return None
    dept = org.department(department_id)
    return dept.name if dept else department_id
