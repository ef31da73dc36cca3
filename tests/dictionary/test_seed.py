"""The seed migration: the shared vocabulary exists after migrate, audited as a system action."""

import pytest

from platform_core.audit.models import AuditEvent
from platform_core.audit.services import audit_verify_chain
from platform_core.dictionary.models import DictionaryEntry
from platform_core.dictionary.selectors import dictionary_snapshot

pytestmark = pytest.mark.django_db

SEEDED = {
    "customer_level": ["A", "B", "C"],
    "expense_type": ["air", "train", "hotel", "meal", "taxi", "other"],
    "leave_type": ["annual", "sick", "personal", "marriage", "maternity", "bereavement", "compensatory"],
    "department_category": ["function", "business", "r_and_d"],
    "currency": ["CNY", "USD", "EUR", "HKD", "JPY"],
    "region": ["east", "shanghai", "hangzhou", "nanjing", "south", "guangzhou", "shenzhen", "north", "beijing",
               "tianjin"],
}


def test_seeded_entries_and_codes_in_order():
    snapshot = dictionary_snapshot()
    assert {key: [o["code"] for o in entry["options"]] for key, entry in snapshot.items()} == SEEDED
    assert all(entry["version"] == 1 for entry in snapshot.values())
    assert all(o["enabled"] for entry in snapshot.values() for o in entry["options"])


def test_seeded_chinese_and_english_labels():
    snapshot = dictionary_snapshot()
    assert snapshot["customer_level"]["name"] == {"zh": "客户等级", "en": "Customer level"}
    labels = {o["code"]: o["label"] for o in snapshot["expense_type"]["options"]}
    assert labels["air"] == {"zh": "机票", "en": "Air ticket"}
    assert labels["taxi"]["zh"] == "市内交通"
    leave = {o["code"]: o["label"]["zh"] for o in snapshot["leave_type"]["options"]}
    assert leave == {"annual": "年假", "sick": "病假", "personal": "事假", "marriage": "婚假", "maternity": "产假",
                     "bereavement": "丧假", "compensatory": "调休"}
    assert [o["label"]["zh"] for o in snapshot["currency"]["options"]] == ["人民币", "美元", "欧元", "港币", "日元"]
    categories = snapshot["department_category"]["options"]
    assert [o["label"]["zh"] for o in categories] == ["职能部门", "业务部门", "研发部门"]


def test_region_is_a_tree():
    entry = DictionaryEntry.objects.get(key="region")
    assert entry.kind == "tree"
    parents = {o["code"]: o["parent"] for o in dictionary_snapshot(["region"])["region"]["options"]}
    assert parents["east"] is None and parents["south"] is None and parents["north"] is None
    assert parents["shanghai"] == parents["hangzhou"] == parents["nanjing"] == "east"
    assert parents["guangzhou"] == parents["shenzhen"] == "south"
    assert parents["beijing"] == parents["tianjin"] == "north"


def test_currency_options_carry_extra_data():
    options = {o.code: o for o in DictionaryEntry.objects.get(key="currency").options.all()}
    assert options["CNY"].extra == {"symbol": "¥", "decimals": 2}
    assert options["JPY"].extra["decimals"] == 0


def test_seed_is_audited_as_system_and_chain_intact():
    events = AuditEvent.objects.filter(action="dictionary_entry.seed").order_by("seq")
    assert [e.target_label for e in events] == sorted(SEEDED, key=list(SEEDED).index)
    assert all(e.actor_id is None and e.actor_label == "system" for e in events)
    region = events.get(target_label="region")
    assert region.after["options"] == SEEDED["region"] and region.after["kind"] == "tree"
    assert audit_verify_chain() == (True, None)
