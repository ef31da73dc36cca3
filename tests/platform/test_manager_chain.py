"""Manager-chain resolution over the live org, including broken org data.

The org service answers with the engine's own rule (runtime.flows ``manager_chain``), so
these tests pin what the API shows to what a request would really do.
"""

import pytest

from platform_core.org import services
from platform_core.org.exceptions import ManagerLoop, ManagerNotFound
from platform_core.org.models import User


def names(steps):
    return [s.user.display_name for s in steps]


def test_chain_walks_department_heads_upwards(people):
    chain = services.manager_chain(people.requester)
    assert names(chain) == ["王芳", "张伟", "王总"]
    assert [s.department.name for s in chain] == ["华东组", "销售部", "公司"]
    assert {s.reason for s in chain} == {"department_head"}


def test_a_head_reports_to_the_head_above(people):
    assert names(services.manager_chain(people.east_lead, levels=1)) == ["张伟"]


def test_explicit_direct_manager_wins(people):
    services.user_update(actor=None, system=True, user=people.requester, manager=people.sales_head)
    people.requester.refresh_from_db()
    step = services.manager_chain(people.requester, levels=1)[0]
    assert step.user == people.sales_head and step.reason == "direct_manager"


def test_levels_and_until_role(people):
    assert names(services.manager_chain(people.requester, levels=2)) == ["王芳", "张伟"]
    assert names(services.manager_chain(people.requester, until_role="general_manager"))[-1] == "王总"
    with pytest.raises(ManagerNotFound) as err:
        services.manager_chain(people.requester, until_role="no_such_role")
    assert err.value.code == "manager_not_found"
    with pytest.raises(ManagerNotFound) as err:
        services.manager_chain(people.requester, levels=5)
    assert "ends after 3 level(s)" in str(err.value)


def test_vacant_head_is_skipped_to_the_next_head_up(people, org):
    org.set_head(people.sales_east, None)
    assert names(services.manager_chain(people.requester, levels=1)) == ["张伟"]


def test_inactive_people_are_left_out_like_the_engine_does(people):
    User.objects.filter(pk=people.sales_head.pk).update(is_active=False)
    assert "张伟" not in names(services.manager_chain(people.requester))


def test_user_without_department_has_no_chain(org):
    assert services.manager_chain(org.user()) == []
    with pytest.raises(ManagerNotFound):
        services.manager_chain(org.user(), levels=1)


def test_manager_loop_is_refused_when_written(people):
    services.user_update(actor=None, system=True, user=people.east_lead, manager=people.requester)
    with pytest.raises(services.ManagerChainInvalid):
        services.user_update(actor=None, system=True, user=people.requester, manager=people.east_lead)


def test_manager_loop_in_existing_data_raises_instead_of_hanging(people):
    # Data written around the service (an import, a raw UPDATE) can still loop.
    User.objects.filter(pk=people.requester.pk).update(manager=people.east_lead)
    User.objects.filter(pk=people.east_lead.pk).update(manager=people.requester)
    with pytest.raises(ManagerLoop) as err:
        services.manager_chain(User.objects.get(pk=people.requester.pk))
    assert err.value.code == "manager_loop"
    assert "李娜" in str(err.value)
