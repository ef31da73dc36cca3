"""dictionary_snapshot: the exact plain-data format the forms engine pins, in two queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from platform_core.dictionary import services
from platform_core.dictionary.selectors import dictionary_snapshot, entry_get, option_get
from runtime.forms.dictionary import DictionaryIndex

pytestmark = pytest.mark.django_db


def opt(entry, code):
    return option_get(entry, code)


def snapshot_queries(*args, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = dictionary_snapshot(*args, **kwargs)
    return result, len(ctx.captured_queries)


def test_exact_format_of_one_entry():
    snapshot, _ = snapshot_queries(["expense_type"])
    assert snapshot == {
        "expense_type": {
            "version": 1,
            "name": {"zh": "费用类型", "en": "Expense type"},
            "options": [
                {"code": "air", "enabled": True, "label": {"zh": "机票", "en": "Air ticket"}, "parent": None,
                 "order": 0},
                {"code": "train", "enabled": True, "label": {"zh": "火车票", "en": "Train ticket"}, "parent": None,
                 "order": 1},
                {"code": "hotel", "enabled": True, "label": {"zh": "住宿", "en": "Hotel"}, "parent": None, "order": 2},
                {"code": "meal", "enabled": True, "label": {"zh": "餐饮", "en": "Meals"}, "parent": None, "order": 3},
                {"code": "taxi", "enabled": True, "label": {"zh": "市内交通", "en": "Local transport"}, "parent": None,
                 "order": 4},
                {"code": "other", "enabled": True, "label": {"zh": "其他", "en": "Other"}, "parent": None, "order": 5},
            ],
        }
    }
    # Plain data: survives a JSON round trip unchanged (it is stored inside published definitions).
    assert json.loads(json.dumps(snapshot, ensure_ascii=False)) == snapshot


def test_two_queries_whatever_the_size():
    _, all_queries = snapshot_queries()
    _, some_queries = snapshot_queries(["expense_type", "region", "no_such_entry"])
    for i in range(20):
        entry = services.entry_create(actor=None, system=True, key=f"bulk_{i}", name=f"批量{i}")
        for j in range(10):
            services.option_create(actor=None, system=True, entry=entry, code=f"c{j}", label=f"选项{j}")
    big, big_queries = snapshot_queries()
    assert len(big) == 26 and len(big["bulk_7"]["options"]) == 10
    assert all_queries == some_queries == big_queries == 2


def test_unknown_keys_are_absent_and_empty_asks_nothing():
    snapshot, _ = snapshot_queries(["customer_level", "nope"])
    assert list(snapshot) == ["customer_level"]
    assert snapshot_queries([]) == ({}, 0)
    # A single key given as a string is one key, not its characters.
    assert list(dictionary_snapshot("currency")) == ["currency"]


def test_disabled_entries_included_unless_enabled_only():
    services.entry_update(actor=None, system=True, entry=entry_get("leave_type"), enabled=False)
    assert "leave_type" in dictionary_snapshot()
    assert "leave_type" not in dictionary_snapshot(enabled_only=True)
    assert "currency" in dictionary_snapshot(enabled_only=True)


def test_tree_options_depth_first_and_enabled_is_effective():
    region = entry_get("region")
    services.option_disable(actor=None, system=True, option=opt(region, "east"))
    services.option_update(actor=None, system=True, option=opt(region, "north"), order=0)
    services.option_update(actor=None, system=True, option=opt(region, "east"), order=5)
    options = dictionary_snapshot(["region"])["region"]["options"]
    assert [o["code"] for o in options] == [
        "north", "beijing", "tianjin", "south", "guangzhou", "shenzhen", "east", "shanghai", "hangzhou", "nanjing",
    ]
    enabled = {o["code"]: o["enabled"] for o in options}
    # Cities under the disabled region are not offered either (their own flag is unchanged).
    assert enabled["east"] is enabled["shanghai"] is False
    assert enabled["north"] is enabled["beijing"] is True
    assert region.options.get(code="shanghai").enabled is True


def test_the_forms_engine_reads_the_snapshot():
    index = DictionaryIndex(dictionary_snapshot(["expense_type"]))
    assert index.label("expense_type", "air", "zh") == "机票"
    assert index.label("expense_type", "air", "en") == "Air ticket"
    assert index.option("expense_type", "taxi")["enabled"] is True


def test_version_in_snapshot_follows_changes():
    entry = entry_get("customer_level")
    services.option_update(actor=None, system=True, option=opt(entry, "A"), label="A级（重点）")
    snapshot = dictionary_snapshot(["customer_level"])["customer_level"]
    assert snapshot["version"] == 2
    assert snapshot["options"][0] == {
        "code": "A", "enabled": True, "label": {"zh": "A级（重点）", "en": "Level A"}, "parent": None, "order": 0,
    }
