"""The demo organisation loads once and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from platform_core.audit.models import AuditEvent
from platform_core.org import services
from platform_core.org.models import Department, Role, User


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "qiaoban2026" in text and "liuyang" in text
    counts = (Department.objects.count(), User.objects.count(), Role.objects.count(), AuditEvent.objects.count())
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    assert (Department.objects.count(), User.objects.count(), Role.objects.count(),
            AuditEvent.objects.count()) == counts


@pytest.mark.django_db
def test_demo_company_shape():
    call_command("load_demo", stdout=StringIO())
    top = set(Department.objects.filter(depth=1).values_list("name", flat=True))
    assert top == {"总经办", "财务部", "人事部", "行政部", "采购部", "销售部", "技术部", "法务部"}
    assert 55 <= User.objects.filter(is_active=True).count() <= 70
    assert set(Role.objects.values_list("name", flat=True)) >= {
        "员工", "部门负责人", "财务", "人事", "总经理", "法务", "流程管理员", "系统管理员"}
    assert not Department.objects.filter(head__isnull=True).exists()
    lina = User.objects.get(username="lina")
    assert lina.check_password("qiaoban2026")
    # 李娜 (华东销售组) → 王芳 (组长) → 张伟 (销售部) → 王建国 (总经理)
    assert [s.user.username for s in services.manager_chain(lina)] == ["wangfang", "zhangwei", "wangjianguo"]
    assert User.objects.get(username="admin").is_superuser
