"""The Django organisation as runtime.flows sees it: :class:`DjangoOrgDirectory`.

It implements :class:`runtime.flows.OrgDirectory` (read-only). The verifier resolves
every task node once per department, and the simulator walks manager chains user by
user; answering each of those calls with a query would cost hundreds of queries per
publish. Instead one instance reads the whole org chart **once, on first use**, in
three queries (departments; users with their position; user-role pairs), and answers
everything from memory afterwards.

Sizing: a few thousand people and departments take a few MB and load in well under a
second; that is the intended range. An instance is a snapshot: create one per request or
per operation (publish, simulation) and do not keep it across requests, or it will not
see later changes to the org. Ids are strings, as the protocol expects (``str(pk)``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from platform_core.org.models import Department, User
from runtime.flows.org import DeptFacts, UserFacts


class DjangoOrgDirectory:
    """Read-only :class:`runtime.flows.OrgDirectory` over the org models, loaded once per instance."""

    def __init__(self) -> None:
        self._loaded = False
        self._users: dict[str, UserFacts] = {}
        self._depts: dict[str, DeptFacts] = {}
        self._active_depts: list[DeptFacts] = []
        self._by_role: dict[str, list[UserFacts]] = {}
        self._by_position: dict[str, list[UserFacts]] = {}
        self._usernames: dict[str, str] = {}
        # Set by platform_core.org.revision for a shared snapshot: when it was read, and other
        # org facts cached for the same revision (e.g. delegations).
        self.loaded_at: datetime | None = None
        self.extras: dict[str, Any] = {}

    # -- loading -----------------------------------------------------------------------
    def load(self) -> None:
        """Read the org now (no-op when already loaded); every lookup calls it lazily."""
        self._load()

    def _load(self) -> None:
        if self._loaded:
            return
        for row in Department.objects.order_by("path").values("id", "name", "parent_id", "head_id", "is_active"):
            dept = DeptFacts(
                id=str(row["id"]),
                name=row["name"],
                parent_id=_sid(row["parent_id"]),
                head_id=_sid(row["head_id"]),
            )
            self._depts[dept.id] = dept
            if row["is_active"]:
                self._active_depts.append(dept)
        roles: dict[int, set[str]] = defaultdict(set)
        for user_id, code in User.roles.through.objects.values_list("user_id", "role__code"):
            roles[user_id].add(code)
        rows = User.objects.order_by("id").values(
            "id", "username", "display_name", "first_name", "last_name", "department_id", "manager_id",
            "is_active", "position__code",
        )
        by_role: dict[str, list[UserFacts]] = defaultdict(list)
        by_position: dict[str, list[UserFacts]] = defaultdict(list)
        for row in rows:
            position = row["position__code"]
            user = UserFacts(
                id=str(row["id"]),
                name=_display_name(row),
                department_id=_sid(row["department_id"]),
                manager_id=_sid(row["manager_id"]),
                active=row["is_active"],
                roles=frozenset(roles.get(row["id"], ())),
                positions=frozenset([position] if position else ()),
            )
            self._users[user.id] = user
            self._usernames[user.id] = row["username"]
            for code in user.roles:
                by_role[code].append(user)
            if position:
                by_position[position].append(user)
        self._by_role = dict(by_role)
        self._by_position = dict(by_position)
        self._loaded = True

    # -- the protocol --------------------------------------------------------------------
    def user(self, user_id: str) -> UserFacts | None:
        """Return the user or None when there is no such user."""
        self._load()
        return self._users.get(str(user_id)) if user_id is not None else None

    def department(self, department_id: str) -> DeptFacts | None:
        """Return the department (active or not) or None."""
        self._load()
        return self._depts.get(str(department_id)) if department_id is not None else None

    def users_with_role(self, role: str) -> list[UserFacts]:
        """Return every user (active or not) holding the role code."""
        self._load()
        return list(self._by_role.get(role, ()))

    def users_with_position(self, position: str) -> list[UserFacts]:
        """Return every user (active or not) holding the position code."""
        self._load()
        return list(self._by_position.get(position, ()))

    def departments(self) -> list[DeptFacts]:
        """Return the active departments (the verifier tries a request from each of them)."""
        self._load()
        return list(self._active_depts)

    # -- extras for the definitions app ----------------------------------------------------
    def username(self, user_id: str) -> str | None:
        """Return the login name of a user id (for labels and exports) or None."""
        self._load()
        return self._usernames.get(str(user_id))


def _sid(value: int | None) -> str | None:
    return None if value is None else str(value)


def _display_name(row: dict[str, object]) -> str:
    # Same precedence as User.name: display name, full name, user name.
    full = f"{row['first_name'] or ''} {row['last_name'] or ''}".strip()
    return str(row["display_name"] or full or row["username"])
