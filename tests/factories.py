"""One fixture factory for the suite: org helpers and named personas.

``OrgFactory`` builds departments, users and roles through the real services
(so fixtures are audited exactly like production writes).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from platform_core.org import services
from platform_core.org.models import Department, Role, User

_seq = itertools.count(1)


@dataclass
class OrgFactory:
    """Per-test helper: ``org.department(...)``, ``org.user(...)``, ``org.role(...)``."""

    def department(self, name: str | None = None, *, parent: Department | None = None,
                   head: User | None = None, code: str | None = None) -> Department:
        n = next(_seq)
        return services.department_create(
            actor=None, system=True, name=name or f"部门{n}", code=code or f"dept-{n}", parent=parent, head=head
        )

    def set_head(self, department: Department, user: User | None) -> Department:
        return services.department_update(actor=None, system=True, department=department, head=user)

    def role(self, code: str, *, permissions: list[str] | None = None, data_scope: str = "own") -> Role:
        existing = Role.objects.filter(code=code).first()
        if existing:
            return existing
        return services.role_create(
            actor=None, system=True, code=code, name=code, permissions=permissions or [], data_scope=data_scope
        )

    def user(self, username: str | None = None, *, department: Department | None = None,
             roles: list[str] | None = None, password: str | None = "secret-pass-123", **fields: Any) -> User:
        n = next(_seq)
        return services.user_create(
            actor=None, system=True, username=username or f"user{n}", password=password,
            display_name=fields.pop("display_name", username or f"用户{n}"), department=department,
            roles=[self.role(code) for code in roles or []], **fields,
        )

    def admin(self) -> User:
        """A user holding ``org.manage`` (not a superuser: permissions come from the role)."""
        self.role("sysadmin", permissions=["org.manage", "audit.read"], data_scope="all")
        return self.user(roles=["sysadmin"])


@dataclass
class Personas:
    """The named people of the small test company: 销售部 with a sub-team, finance, HR, GM."""

    company: Department
    sales: Department
    sales_east: Department
    finance: Department
    hr: Department
    gm: User
    sales_head: User
    east_lead: User
    requester: User
    finance_head: User
    accountant: User
    hr_head: User
    admin: User


def build_personas(org: OrgFactory) -> Personas:
    """A small company every org/permission test can reason about."""
    company = org.department("公司", code="company")
    gm = org.user("gm", department=company, roles=["general_manager"], display_name="王总")
    org.set_head(company, gm)
    sales = org.department("销售部", parent=company, code="sales")
    sales_head = org.user("sales_head", department=sales, roles=["dept_head"], display_name="张伟")
    org.set_head(sales, sales_head)
    sales_east = org.department("华东组", parent=sales, code="sales-east")
    east_lead = org.user("east_lead", department=sales_east, display_name="王芳")
    org.set_head(sales_east, east_lead)
    requester = org.user("requester", department=sales_east, roles=["employee"], display_name="李娜")
    finance = org.department("财务部", parent=company, code="finance")
    finance_head = org.user("finance_head", department=finance, roles=["finance"], display_name="赵敏")
    org.set_head(finance, finance_head)
    accountant = org.user("accountant", department=finance, roles=["finance"], display_name="孙悦")
    hr = org.department("人事部", parent=company, code="hr")
    hr_head = org.user("hr_head", department=hr, roles=["hr"], display_name="陈静")
    org.set_head(hr, hr_head)
    admin = org.admin()
    return Personas(company, sales, sales_east, finance, hr, gm, sales_head, east_lead, requester,
                    finance_head, accountant, hr_head, admin)
