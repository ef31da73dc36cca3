"""Manager-chain resolution, including broken org data."""

import pytest

from platform_core.org import services
from platform_core.org.exceptions import ManagerLoop, ManagerNotFound
from platform_core.org.models import User


def test_department_head_one_level(people):
    step = services.department_head_of(people.requester, levels=1)
    assert step.user == people.east_lead
    assert step.department == people.sales_east
    assert step.reason == "department_head"


def test_department_head_n_levels_up(people):
    assert services.department_head_of(people.requester, levels=2).user == people.sales_head
    assert services.department_head_of(people.requester, levels=3).user == people.gm


def test_head_of_own_department_goes_to_parent_head(people):
    # The lead of 华东组 asking for "部门负责人" gets the head of 销售部, not themselves.
    assert services.department_head_of(people.east_lead, levels=1).user == people.sales_head


def test_top_of_org_reached_is_a_clear_error(people):
    with pytest.raises(ManagerNotFound) as err:
        services.department_head_of(people.requester, levels=4)
    assert "top of the organisation" in str(err.value)


def test_vacant_head_names_the_department(people, org):
    org.set_head(people.sales, None)
    with pytest.raises(ManagerNotFound) as err:
        services.department_head_of(people.requester, levels=2)
    assert err.value.code == "manager_not_found"
    assert "销售部" in str(err.value)


def test_inactive_head_counts_as_vacant(people):
    User.objects.filter(pk=people.sales_head.pk).update(is_active=False)
    people.requester.refresh_from_db()
    with pytest.raises(ManagerNotFound):
        services.department_head_of(people.requester, levels=2)


def test_user_without_department(org):
    loner = org.user()
    with pytest.raises(ManagerNotFound):
        services.department_head_of(loner, levels=1)


def test_direct_manager_prefers_explicit_manager(people):
    services.user_update(actor=None, system=True, user=people.requester, manager=people.sales_head)
    people.requester.refresh_from_db()
    step = services.direct_manager(people.requester)
    assert step.user == people.sales_head and step.reason == "direct_manager"


def test_manager_chain_walks_heads_upwards(people):
    chain = services.manager_chain(people.requester)
    assert [s.user for s in chain] == [people.east_lead, people.sales_head, people.gm]


def test_manager_chain_levels_and_until_role(people):
    assert [s.user for s in services.manager_chain(people.requester, levels=2)] == [
        people.east_lead, people.sales_head,
    ]
    chain = services.manager_chain(people.requester, until_role="general_manager")
    assert chain[-1].user == people.gm
    with pytest.raises(ManagerNotFound):
        services.manager_chain(people.requester, until_role="no_such_role")
    with pytest.raises(ManagerNotFound):
        services.manager_chain(people.requester, levels=5)


def test_manager_loop_is_refused_when_written(people):
    services.user_update(actor=None, system=True, user=people.east_lead, manager=people.requester)
    with pytest.raises(services.ManagerChainInvalid):
        services.user_update(actor=None, system=True, user=people.requester, manager=people.east_lead)


def test_manager_loop_in_existing_data_raises_instead_of_hanging(people):
    # Data written around the service (an import, a raw UPDATE) can still loop.
    User.objects.filter(pk=people.requester.pk).update(manager=people.east_lead)
    User.objects.filter(pk=people.east_lead.pk).update(manager=people.requester)
    requester = User.objects.get(pk=people.requester.pk)
    with pytest.raises(ManagerLoop) as err:
        services.manager_chain(requester)
    assert err.value.code == "manager_loop"
