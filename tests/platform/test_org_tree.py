"""Department tree: subtree and ancestor queries, moves, and their guards."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.org import selectors, services
from platform_core.org.exceptions import DepartmentMoveInvalid, DepartmentNotEmpty
from platform_core.org.models import Department


@pytest.fixture
def tree(org):
    root = org.department("总公司", code="root")
    a = org.department("A", parent=root, code="a")
    a1 = org.department("A1", parent=a, code="a1")
    a11 = org.department("A11", parent=a1, code="a11")
    b = org.department("B", parent=root, code="b")
    return {"root": root, "a": a, "a1": a1, "a11": a11, "b": b}


def codes(depts):
    return sorted(d.code for d in depts)


def test_paths_and_depths(tree):
    a11 = tree["a11"]
    assert a11.path == f"/{tree['root'].pk}/{tree['a'].pk}/{tree['a1'].pk}/{a11.pk}/"
    assert a11.depth == 3
    assert tree["root"].depth == 0


def test_subtree_is_one_query_and_complete(tree):
    with CaptureQueriesContext(connection) as ctx:
        result = list(selectors.department_subtree(tree["a"]))
    assert len(ctx.captured_queries) == 1
    assert codes(result) == ["a", "a1", "a11"]
    assert codes(selectors.department_subtree(tree["a"], include_self=False)) == ["a1", "a11"]


def test_subtree_does_not_match_id_prefixes(org):
    # /1/ must not match /10/: the trailing slash in the path is what guarantees it.
    depts = [org.department(f"D{i}", code=f"d{i}") for i in range(12)]
    first = depts[0]
    assert codes(selectors.department_subtree(first)) == [first.code]


def test_ancestors_root_first_in_one_query(tree):
    with CaptureQueriesContext(connection) as ctx:
        chain = selectors.department_ancestors(tree["a11"])
    assert len(ctx.captured_queries) == 1
    assert [d.code for d in chain] == ["root", "a", "a1"]
    assert [d.code for d in selectors.department_ancestors(tree["a11"], include_self=True)][-1] == "a11"
    assert selectors.department_ancestors(tree["root"]) == []


def test_move_rewrites_the_whole_subtree(tree):
    services.department_move(actor=None, system=True, department=tree["a1"], parent=tree["b"])
    a11 = Department.objects.get(code="a11")
    assert a11.path == f"/{tree['root'].pk}/{tree['b'].pk}/{tree['a1'].pk}/{a11.pk}/"
    assert a11.depth == 3
    assert codes(selectors.department_subtree(tree["b"])) == ["a1", "a11", "b"]
    assert codes(selectors.department_subtree(tree["a"])) == ["a"]


def test_move_to_root_adjusts_depth(tree):
    services.department_move(actor=None, system=True, department=tree["a1"], parent=None)
    assert Department.objects.get(code="a1").depth == 0
    assert Department.objects.get(code="a11").depth == 1


@pytest.mark.parametrize("target", ["a", "a1", "a11"])
def test_move_under_itself_or_descendant_is_refused(tree, target):
    with pytest.raises(DepartmentMoveInvalid):
        services.department_move(actor=None, system=True, department=tree["a"], parent=tree[target])
    assert Department.objects.get(code="a").parent_id == tree["root"].pk


def test_delete_refuses_non_empty_department(tree, org):
    with pytest.raises(DepartmentNotEmpty):
        services.department_delete(actor=None, system=True, department=tree["a"])
    org.user(department=tree["b"])
    with pytest.raises(DepartmentNotEmpty):
        services.department_delete(actor=None, system=True, department=tree["b"])
    services.department_delete(actor=None, system=True, department=tree["a11"])
    assert not Department.objects.filter(code="a11").exists()
