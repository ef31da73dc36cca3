"""Build the demo organisation through the org services (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from platform_core.org import services
from platform_core.org.demo import data
from platform_core.org.models import Department, Position, Role, User


@dataclass
class LoadReport:
    """What a run created; a second run creates nothing."""

    created: dict[str, int] = field(default_factory=lambda: {"departments": 0, "positions": 0, "roles": 0, "users": 0})

    @property
    def total(self) -> int:
        return sum(self.created.values())


@transaction.atomic
def load_demo_org() -> LoadReport:
    """Create whatever of the demo organisation is missing; never duplicates or overwrites."""
    report = LoadReport()
    kw = {"actor": None, "system": True}

    roles = {r.code: r for r in Role.objects.all()}
    for code, name, name_en, perms, scope in data.ROLES:
        if code not in roles:
            roles[code] = services.role_create(
                code=code, name=name, name_en=name_en, permissions=perms, data_scope=scope, is_system=True, **kw
            )
            report.created["roles"] += 1

    positions = {p.code: p for p in Position.objects.all()}
    for code, name, name_en in data.POSITIONS:
        if code not in positions:
            positions[code] = services.position_create(code=code, name=name, name_en=name_en, **kw)
            report.created["positions"] += 1

    depts = {d.code: d for d in Department.objects.all()}
    code, name, name_en = data.COMPANY
    if code not in depts:
        depts[code] = services.department_create(code=code, name=name, name_en=name_en, **kw)
        report.created["departments"] += 1
    for order, (code, name, name_en, parent) in enumerate(data.DEPARTMENTS):
        if code not in depts:
            depts[code] = services.department_create(
                code=code, name=name, name_en=name_en, parent=depts[parent], order=order, **kw
            )
            report.created["departments"] += 1

    users = {u.username: u for u in User.objects.all()}
    new_usernames: list[str] = []
    username, display, role_codes = data.ADMIN
    if username not in users:
        admin = services.user_create(
            username=username, display_name=display, employee_no="A0001",
            roles=[roles[c] for c in role_codes], **kw,
        )
        User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
        new_usernames.append(username)
        report.created["users"] += 1
    for number, (username, display, dept, position, extra_roles, heads) in enumerate(data.PEOPLE, start=1):
        user = users.get(username)
        if user is None:
            role_objs = [roles["employee"]] + [roles[c] for c in extra_roles]
            if heads:
                role_objs.append(roles["dept_head"])
            user = services.user_create(
                username=username, display_name=display,
                employee_no=f"QB{number:04d}", email=f"{username}@qiaoban.example",
                phone=f"138{number:08d}", department=depts[dept], position=positions[position],
                roles=role_objs, **kw,
            )
            users[username] = user
            new_usernames.append(username)
            report.created["users"] += 1
        if heads and depts[heads].head_id is None:
            depts[heads] = services.department_update(department=depts[heads], head=user, **kw)
    if new_usernames:
        # One hash for every demo account: hashing 60 times would add ~20 s to `make run`.
        User.objects.filter(username__in=new_usernames).update(password=make_password(data.DEMO_PASSWORD))
    # The company's head is the general manager.
    if depts[data.COMPANY[0]].head_id is None:
        services.department_update(department=depts[data.COMPANY[0]], head=users["wangjianguo"], **kw)
    return report
