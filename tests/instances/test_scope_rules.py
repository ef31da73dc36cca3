"""Custom data scope rules: every operator against real rows (SQLite and PostgreSQL), and every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from platform_core.org.scope_rules import (
    MAX_LIST_ITEMS,
    ScopeRuleInvalid,
    check_scope_rule,
    compile_scope_rule,
)
from runtime.definitions.models import App
from runtime.instances.models import Instance
from runtime.rules import MAX_DEPTH, MAX_NODES, MAX_STRING_LENGTH

pytestmark = pytest.mark.django_db

V = {"var": "data.amount"}


@pytest.fixture
def rows(purchase_app, people):
    """``rows.make(name, **fields)`` creates an Instance row; ``rows.match(rule, user)`` names the matches."""

    class Rows:
        names: dict[int, str] = {}

        def make(self, name, **fields):
            defaults = {
                "app": purchase_app, "app_version": purchase_app.published_version, "initiator": people.requester,
                "initiator_department": people.sales_east, "title": name, "data": {},
            }
            row = Instance.objects.create(**(defaults | fields))
            self.names[row.pk] = name
            return row

        def match(self, rule, user=None):
            q = compile_scope_rule(rule, user=user or people.requester)
            return sorted(self.names[pk] for pk in Instance.objects.filter(q).values_list("pk", flat=True))

    return Rows()


@pytest.fixture
def amounts(rows):
    for name, data in (("a100", {"amount": 100}), ("a5000", {"amount": 5000}), ("a6000", {"amount": 6000.5}),
                       ("text", {"amount": "9000"}), ("flag", {"amount": True}), ("none", {"amount": None}),
                       ("missing", {}), ("list", {"amount": [9000]})):
        rows.make(name, data=data)
    return rows


@pytest.mark.parametrize(("rule", "expected"), [
    ({">": [V, 5000]}, ["a6000"]),
    ({">=": [V, 5000]}, ["a5000", "a6000"]),
    ({"<": [V, 5000]}, ["a100"]),
    ({"<=": [V, 5000]}, ["a100", "a5000"]),
    ({"<": [5000, V]}, ["a6000"]),  # either order
    ({"<": [100, V, 6001]}, ["a5000", "a6000"]),  # between
    ({"<=": [100, V, 5000]}, ["a100", "a5000"]),
    ({"==": [V, 5000]}, ["a5000"]),
    ({"==": [V, "9000"]}, ["text"]),  # strict: a text never equals a number
    ({"==": [V, True]}, ["flag"]),
    ({"==": [V, None]}, ["missing", "none"]),
    ({"!=": [V, 5000]}, ["a100", "a6000", "flag", "list", "missing", "none", "text"]),
    ({"!": {"==": [V, 5000]}}, ["a100", "a6000", "flag", "list", "missing", "none", "text"]),
    ({">": [V, "1"]}, ["text"]),  # text against text only
    ({"in": [V, [100, 5000, "9000"]]}, ["a100", "a5000", "text"]),
    ({"in": [V, [None]]}, ["missing", "none"]),
    # A comparison is false for an absent or differently typed value, so "!" is its exact complement.
    ({"!": {">": [V, 5000]}}, ["a100", "a5000", "flag", "list", "missing", "none", "text"]),
    ({"!": [{">": [V, 5000]}]}, ["a100", "a5000", "flag", "list", "missing", "none", "text"]),
    ({"!": {"==": [V, None]}}, ["a100", "a5000", "a6000", "flag", "list", "text"]),
    ({"or": [{"<": [V, 200]}, {">": [V, 6000]}]}, ["a100", "a6000"]),
    ({"and": [{">": [V, 50]}, {"<": [V, 6000]}]}, ["a100", "a5000"]),
    ({"and": [{">": [V, 50]}]}, ["a100", "a5000", "a6000"]),
])
def test_comparisons_on_form_data(amounts, rule, expected):
    check_scope_rule(rule)
    assert amounts.match(rule) == expected


def test_value_in_a_form_list(rows, people):
    rows.make("tags", data={"tags": ["urgent", "it"], "watchers": [people.gm.pk, 10**6], "flags": [True]})
    rows.make("other", data={"tags": ["it-ops"], "watchers": [people.hr_head.pk], "flags": [False]})
    rows.make("scalar", data={"tags": "urgent", "watchers": people.gm.pk})
    rows.make("nested", data={"tags": [["urgent"]], "watchers": [str(people.gm.pk)]})
    rows.make("absent")
    assert rows.match({"in": ["urgent", {"var": "data.tags"}]}) == ["tags"]
    assert rows.match({"in": ["it", {"var": "data.tags"}]}) == ["tags"]
    assert rows.match({"in": [10**6, {"var": "data.watchers"}]}) == ["tags"]
    assert rows.match({"in": [True, {"var": "data.flags"}]}) == ["tags"]
    assert rows.match({"in": [False, {"var": "data.flags"}]}) == ["other"]
    assert rows.match({"in": [{"var": "user.id"}, {"var": "data.watchers"}]}, people.gm) == ["tags"]
    assert rows.match({"in": [{"var": "user.id"}, {"var": "data.watchers"}]}, people.hr_head) == ["other"]
    assert rows.match({"!": {"in": ["urgent", {"var": "data.tags"}]}}) == ["absent", "nested", "other", "scalar"]


def test_nested_keys_and_odd_field_names(rows):
    rows.make("deep", data={"vendor": {"city": "上海"}, "a__b": 1})
    rows.make("flat", data={"vendor": "上海", "a": {"b": 1}})
    assert rows.match({"==": [{"var": "data.vendor.city"}, "上海"]}) == ["deep"]
    assert rows.match({"==": [{"var": "data.a__b"}, 1]}) == ["deep"]  # not Django's "__" lookup syntax
    assert rows.match({"==": [{"var": "data.a.b"}, 1]}) == ["flat"]


def test_request_fields(rows, people, purchase_app):
    leave = App.objects.create(key="leave", name="请假")
    rows.make("purchase-running", urgent=True)
    rows.make("purchase-done", status="completed", outcome="approved")
    rows.make("leave-hr", app=leave, initiator=people.hr_head, initiator_department=people.hr)
    rows.make("leave-nodept", app=leave, initiator=people.gm, initiator_department=None, outcome="rejected")
    assert rows.match({"==": [{"var": "app"}, "leave"]}) == ["leave-hr", "leave-nodept"]
    assert rows.match({"!=": [{"var": "app"}, "leave"]}) == ["purchase-done", "purchase-running"]
    assert rows.match({"in": [{"var": "app"}, ["leave", "travel"]]}) == ["leave-hr", "leave-nodept"]
    assert rows.match({"==": [{"var": "status"}, "completed"]}) == ["purchase-done"]
    assert rows.match({"in": [{"var": "outcome"}, ["approved", "rejected"]]}) == ["leave-nodept", "purchase-done"]
    assert rows.match({"==": [{"var": "outcome"}, ""]}) == ["leave-hr", "purchase-running"]
    assert rows.match({"==": [{"var": "urgent"}, True]}) == ["purchase-running"]
    assert rows.match({"==": [{"var": "initiator"}, people.gm.pk]}) == ["leave-nodept"]
    assert rows.match({"==": [{"var": "initiator"}, {"var": "user.id"}]}, people.hr_head) == ["leave-hr"]
    assert rows.match({"==": [{"var": "initiator_department"}, people.hr.pk]}) == ["leave-hr"]
    assert rows.match({"==": [{"var": "initiator_department"}, None]}) == ["leave-nodept"]
    assert rows.match({"!=": [{"var": "initiator_department"}, people.sales_east.pk]}) == [
        "leave-hr", "leave-nodept"]
    assert rows.match({"in": [{"var": "initiator_department"}, [people.hr.pk, None]]}) == [
        "leave-hr", "leave-nodept"]
    mine = {"==": [{"var": "initiator_department"}, {"var": "user.department"}]}
    assert rows.match(mine, people.hr_head) == ["leave-hr"]
    assert rows.match(mine, people.admin) == []  # the admin has no department: nothing, not "no department"


def test_created_at(rows):
    old = rows.make("old")
    Instance.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(dt.datetime(2024, 12, 31, 23, 0)))
    rows.make("new")
    assert rows.match({">=": [{"var": "created_at"}, "2025-01-01"]}) == ["new"]
    assert rows.match({"<": [{"var": "created_at"}, "2025-01-01T00:00:00+08:00"]}) == ["old"]
    assert rows.match({"<": [{"var": "created_at"}, "2024-12-31T14:00:00Z"]}) == []  # 22:00 in Shanghai


def test_in_department_is_a_subtree(rows, people):
    rows.make("east")  # sales_east, under sales
    rows.make("sales", initiator_department=people.sales)
    rows.make("hr", initiator_department=people.hr)
    rows.make("none", initiator_department=None)
    under = {"in_department": [{"var": "initiator_department"}, people.sales.pk]}
    assert rows.match(under) == ["east", "sales"]
    assert rows.match({"in_department": [{"var": "initiator_department"}, people.company.pk]}) == [
        "east", "hr", "sales"]
    assert rows.match({"!": under}) == ["hr", "none"]
    own = {"in_department": [{"var": "initiator_department"}, {"var": "user.department"}]}
    assert rows.match(own, people.sales_head) == ["east", "sales"]
    assert rows.match(own, people.requester) == ["east"]
    assert rows.match(own, people.admin) == []


# --- refusals -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("rule", "reason", "names"), [
    (None, "required", []),
    ({}, "required", []),
    (True, "not_condition", []),
    ("app", "not_condition", []),
    ({"==": [1, 1], "and": []}, "not_condition", []),
    ({"+": [1, 2]}, "unknown_operator", ["+"]),
    ({"and": [{"var": "app"}]}, "unknown_operator", ["var"]),
    ({"and": [{">": [V, 1]}, {"substr": ["x", 1]}]}, "unknown_operator", ["substr", "$.and[1]"]),
    ({"==": [{"var": "title"}, "x"]}, "unknown_variable", ["title"]),
    ({"==": [{"var": "data."}, "x"]}, "unknown_variable", ["data."]),
    ({"==": [{"var": "data.a-b"}, "x"]}, "unknown_variable", ["data.a-b"]),
    ({"==": [{"var": "data.a.b.c.d.e"}, "x"]}, "unknown_variable", []),
    ({"==": [{"var": "user.email"}, "x"]}, "unknown_variable", ["user.email"]),
    ({"==": [{"var": ["data.amount", 0]}, 1]}, "bad_var", []),
    ({"==": [{"var": 3}, 1]}, "bad_var", []),
    ({"==": [V]}, "arity", ["=="]),
    ({"==": [V, 1, 2]}, "arity", ["=="]),
    ({">": [1, V, 3]}, "arity", [">"]),
    ({"!": [{"==": [V, 1]}, {"==": [V, 2]}]}, "arity", ["!"]),
    ({"and": []}, "arity", ["and"]),
    ({"in_department": [{"var": "initiator_department"}]}, "arity", ["in_department"]),
    ({"==": [V, {"var": "app"}]}, "needs_variable", ["=="]),
    ({"==": [1, 2]}, "needs_variable", ["=="]),
    ({"==": [{"var": "user.id"}, 2]}, "needs_variable", ["=="]),
    ({"==": [V, {"+": [1, 2]}]}, "needs_value", ["+"]),
    ({"==": [V, [1]]}, "bad_value", ["data.amount"]),
    ({">": [V, True]}, "bad_value", ["data.amount"]),
    ({"==": [{"var": "app"}, 1]}, "bad_value", ["app"]),
    ({"==": [{"var": "urgent"}, "yes"]}, "bad_value", ["urgent"]),
    ({"==": [{"var": "initiator"}, "7"]}, "bad_value", ["initiator"]),
    ({"==": [{"var": "status"}, "done"]}, "bad_value", ["status", "running"]),
    ({"==": [{"var": "created_at"}, "yesterday"]}, "bad_value", ["created_at"]),
    ({"==": [{"var": "created_at"}, "2025-02-30"]}, "bad_value", ["created_at"]),
    ({"==": [{"var": "app"}, {"var": "user.department"}]}, "bad_value", ["app"]),
    ({">": [{"var": "status"}, "running"]}, "not_ordered", ["status", ">"]),
    ({"<": [{"var": "initiator"}, 5]}, "not_ordered", ["initiator"]),
    ({"in": [V, 5]}, "needs_list", []),
    ({"in": ["x", "xyz"]}, "needs_list", []),
    ({"in": [{"var": "app"}, {"var": "data.apps"}]}, "needs_list", []),
    ({"in": [[1], {"var": "data.tags"}]}, "needs_value", []),
    ({"in": [{"var": "status"}, ["running", "nope"]]}, "bad_value", ["$.in[1][1]"]),
    ({"in_department": [{"var": "initiator"}, 1]}, "bad_department", []),
    ({"in_department": [{"var": "initiator_department"}, "sales"]}, "bad_department", []),
    ({"in_department": [{"var": "initiator_department"}, {"var": "user.id"}]}, "bad_department", []),
    ({"==": [V, 2**60]}, "number_out_of_range", []),
    ({"==": [V, float("inf")]}, "number_out_of_range", []),
    ({"==": [V, "x" * (MAX_STRING_LENGTH + 1)]}, "string_too_long", []),
])
def test_refusals_name_the_problem(rule, reason, names):
    with pytest.raises(ScopeRuleInvalid) as caught:
        check_scope_rule(rule)
    error = caught.value
    assert error.code == "scope_rule_invalid"
    assert error.details["reason"] == reason and error.details["field"] == "data_scope_rule"
    for name in names:
        assert name in str(error), (name, str(error))


def test_limits_are_the_rule_evaluators():
    deep: dict = {">": [V, 1]}
    for _ in range(MAX_DEPTH + 1):
        deep = {"!": deep}
    with pytest.raises(ScopeRuleInvalid) as caught:
        check_scope_rule(deep)
    assert caught.value.details["reason"] == "too_deep"
    wide = {"or": [{"==": [V, i]} for i in range(MAX_NODES // 3 + 1)]}
    with pytest.raises(ScopeRuleInvalid) as caught:
        check_scope_rule(wide)
    assert caught.value.details["reason"] == "too_many_nodes"
    with pytest.raises(ScopeRuleInvalid) as caught:
        check_scope_rule({"in": [V, list(range(MAX_LIST_ITEMS + 1))]})
    assert caught.value.details["reason"] == "list_too_long"
    check_scope_rule({"in": [V, list(range(MAX_LIST_ITEMS))]})
    nested = {">": [V, 1]}
    for _ in range(MAX_DEPTH - 1):
        nested = {"!": nested}
    check_scope_rule(nested)


def test_a_large_rule_still_runs(rows):
    rows.make("hit", data={"amount": 399})
    rule = {"or": [{"==": [V, i]} for i in range(400)]}
    assert rows.match(rule) == ["hit"]
    assert rows.match({"in": [V, list(range(MAX_LIST_ITEMS))]}) == ["hit"]
