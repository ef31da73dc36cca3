"""Dictionary services: validation naming the field, immutable codes, versions, usage, permissions, audit."""

import pytest

from platform_core.audit.models import AuditEvent
from platform_core.audit.services import audit_verify_chain
from platform_core.dictionary import services
from platform_core.dictionary.exceptions import (
    DictionaryCodeImmutable,
    DictionaryCodeInvalid,
    DictionaryCodeReserved,
    DictionaryCodeTaken,
    DictionaryExtraInvalid,
    DictionaryInUse,
    DictionaryKeyImmutable,
    DictionaryKeyInvalid,
    DictionaryKeyTaken,
    DictionaryKindInvalid,
    DictionaryOptionDoesNotExist,
    DictionaryOptionHasChildren,
    DictionaryParentCycle,
    DictionaryParentInvalid,
    DictionaryParentNotAllowed,
    DictionaryReorderInvalid,
    DictionaryTextInvalid,
)
from platform_core.dictionary.models import DictionaryEntry, DictionaryOption
from platform_core.dictionary.registries import usage_checks
from platform_core.dictionary.selectors import (
    dictionary_snapshot,
    entry_get,
    option_get,
    usage_by_source,
    usage_count,
)
from platform_core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
SYS = {"actor": None, "system": True}


def version(key):
    return DictionaryEntry.objects.get(key=key).version


def opt(entry, code):
    return option_get(entry, code)


def codes(key):
    return [o["code"] for o in dictionary_snapshot([key])[key]["options"]]


# --- validation -----------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["", "Customer", "1abc", "has-dash", "中文", "a" * 65, None])
def test_bad_keys_are_refused_naming_the_field(key):
    with pytest.raises(DictionaryKeyInvalid) as exc:
        services.entry_create(**SYS, key=key, name="x")
    assert exc.value.code == "dictionary_key_invalid"
    assert exc.value.details["field"] == "key"
    assert isinstance(exc.value, ValidationFailed)


def test_duplicate_key_and_blank_name():
    with pytest.raises(DictionaryKeyTaken) as exc:
        services.entry_create(**SYS, key="customer_level", name="客户等级")
    assert exc.value.code == "dictionary_key_taken" and exc.value.details == {"field": "key", "key": "customer_level"}
    with pytest.raises(DictionaryTextInvalid) as exc:
        services.entry_create(**SYS, key="fresh", name="   ")
    assert exc.value.details["field"] == "name"
    with pytest.raises(DictionaryTextInvalid) as exc:
        services.entry_create(**SYS, key="fresh", name="x" * 101)
    assert exc.value.details == {"field": "name", "max": 100}
    with pytest.raises(DictionaryKindInvalid):
        services.entry_create(**SYS, key="fresh", name="新", kind="graph")
    # Snapshot-shaped names are not text: refused rather than stored as "{'zh': ...}".
    with pytest.raises(DictionaryTextInvalid) as exc:
        services.entry_create(**SYS, key="fresh", name={"zh": "新"})
    assert exc.value.details == {"field": "name"}


@pytest.mark.parametrize("code", ["", "-a", ".a", "a b", "机票", "x" * 65, 12])
def test_bad_codes_are_refused(code):
    with pytest.raises(DictionaryCodeInvalid) as exc:
        services.option_create(**SYS, entry=entry_get("expense_type"), code=code, label="x")
    assert exc.value.details["field"] == "code"


def test_code_rules_taken_reserved_and_allowed_shapes():
    entry = entry_get("expense_type")
    with pytest.raises(DictionaryCodeTaken) as exc:
        services.option_create(**SYS, entry=entry, code="air", label="飞机")
    assert exc.value.code == "dictionary_code_taken" and exc.value.details["code"] == "air"
    with pytest.raises(DictionaryCodeReserved):
        services.option_create(**SYS, entry=entry, code="reorder", label="x")
    for code in ("A1", "r_and_d", "v1.2", "_x", "9-9"):
        services.option_create(**SYS, entry=entry, code=code, label=code)
    # The same code in another entry is fine: codes are unique per entry.
    services.option_create(**SYS, entry=entry_get("currency"), code="air", label="x")


def test_extra_must_be_a_small_object():
    entry = entry_get("expense_type")
    with pytest.raises(DictionaryExtraInvalid):
        services.option_create(**SYS, entry=entry, code="x1", label="x", extra=[1, 2])
    with pytest.raises(DictionaryExtraInvalid):
        services.option_create(**SYS, entry=entry, code="x1", label="x", extra={"k": "v" * 5000})
    option = services.option_create(**SYS, entry=entry, code="x1", label="x", extra={"gl_account": "6602"})
    assert option.extra == {"gl_account": "6602"}


# --- codes are immutable; renaming keeps them --------------------------------------------------

def test_code_cannot_change():
    entry = entry_get("expense_type")
    with pytest.raises(DictionaryCodeImmutable) as exc:
        services.option_update(**SYS, option=opt(entry, "air"), **{"code": "flight"})
    assert exc.value.code == "dictionary_code_immutable" and exc.value.details["field"] == "code"
    assert DictionaryOption.objects.filter(entry=entry, code="air").exists()
    # Sending the unchanged code is harmless.
    services.option_update(**SYS, option=opt(entry, "air"), **{"code": "air", "label": "飞机票"})
    with pytest.raises(DictionaryKeyImmutable):
        services.entry_update(**SYS, entry=entry, key="expenses")


def test_renaming_a_label_keeps_the_code():
    entry = entry_get("customer_level")
    before = codes("customer_level")
    option = services.option_update(**SYS, option=opt(entry, "B"), label="B级（普通）", label_en="Level B (regular)")
    assert option.code == "B" and codes("customer_level") == before
    snapshot = dictionary_snapshot(["customer_level"])["customer_level"]
    assert snapshot["options"][1]["label"] == {"zh": "B级（普通）", "en": "Level B (regular)"}


# --- versions -------------------------------------------------------------------------------------

def test_every_change_bumps_the_version_and_no_op_does_not():
    entry = services.entry_create(**SYS, key="priority", name="优先级", name_en="Priority")
    assert entry.version == 1
    steps = [
        lambda: services.option_create(**SYS, entry=entry, code="high", label="高"),
        lambda: services.option_create(**SYS, entry=entry, code="low", label="低"),
        lambda: services.option_update(**SYS, option=opt(entry, "high"), label_en="High"),
        lambda: services.option_reorder(**SYS, entry=entry, codes=["low", "high"]),
        lambda: services.option_disable(**SYS, option=opt(entry, "low")),
        lambda: services.option_enable(**SYS, option=opt(entry, "low")),
        lambda: services.entry_update(**SYS, entry=entry, description="紧急程度"),
        lambda: services.option_delete(**SYS, option=opt(entry, "low")),
        lambda: services.option_reorder(**SYS, entry=entry, codes=["high"]),  # order 1 -> 0
    ]
    for expected, step in enumerate(steps, start=2):
        step()
        assert version("priority") == expected
    # Nothing changes: no new version, no audit event.
    events = AuditEvent.objects.count()
    services.option_update(**SYS, option=opt(entry, "high"), label="高")
    services.option_enable(**SYS, option=opt(entry, "high"))
    services.entry_update(**SYS, entry=entry, name="优先级")
    services.option_reorder(**SYS, entry=entry, codes=["high"])
    assert version("priority") == 10 and AuditEvent.objects.count() == events


def test_option_order_defaults_to_last_of_its_level():
    region = entry_get("region")
    top = services.option_create(**SYS, entry=region, code="west", label="西部")
    city = services.option_create(**SYS, entry=region, code="suzhou", label="苏州", parent="east")
    assert top.order == 3 and city.order == 3 and city.parent.code == "east"
    assert codes("region")[:5] == ["east", "shanghai", "hangzhou", "nanjing", "suzhou"]


# --- trees -----------------------------------------------------------------------------------------

def test_parent_cycle_refused():
    region = entry_get("region")
    for code, parent in [("east", "shanghai"), ("east", "east")]:
        with pytest.raises(DictionaryParentCycle) as exc:
            services.option_update(**SYS, option=opt(region, code), parent=parent)
        assert exc.value.code == "dictionary_parent_cycle"
        assert exc.value.details == {"field": "parent", "code": code, "parent": parent}
    services.option_create(**SYS, entry=region, code="pudong", label="浦东", parent="shanghai")
    with pytest.raises(DictionaryParentCycle):
        services.option_update(**SYS, option=opt(region, "east"), parent="pudong")
    # A legal move, and back to the top level.
    services.option_update(**SYS, option=opt(region, "shanghai"), parent="north")
    assert entry_get("region").options.get(code="shanghai").parent.code == "north"
    services.option_update(**SYS, option=opt(region, "shanghai"), parent=None)
    assert entry_get("region").options.get(code="shanghai").parent is None


def test_parent_must_be_in_the_same_tree_entry():
    region = entry_get("region")
    with pytest.raises(DictionaryParentInvalid) as exc:
        services.option_create(**SYS, entry=region, code="x", label="x", parent="air")
    assert exc.value.details == {"field": "parent", "parent": "air"}
    foreign = DictionaryOption.objects.get(entry__key="expense_type", code="air")
    with pytest.raises(DictionaryParentInvalid):
        services.option_update(**SYS, option=opt(region, "shanghai"), parent=foreign)
    with pytest.raises(DictionaryParentNotAllowed):
        services.option_create(**SYS, entry=entry_get("expense_type"), code="x", label="x", parent="air")


def test_tree_cannot_become_flat_while_options_have_parents():
    with pytest.raises(DictionaryKindInvalid) as exc:
        services.entry_update(**SYS, entry=entry_get("region"), kind="flat")
    assert exc.value.details["field"] == "kind"
    entry = services.entry_update(**SYS, entry=entry_get("currency"), kind="tree")
    assert entry.kind == "tree"
    assert services.entry_update(**SYS, entry=entry, kind="flat").kind == "flat"


def test_reorder_needs_exactly_one_level():
    region = entry_get("region")
    with pytest.raises(DictionaryReorderInvalid) as exc:
        services.option_reorder(**SYS, entry=region, codes=["north", "east"])
    assert exc.value.details["missing"] == "south" and exc.value.details["field"] == "codes"
    with pytest.raises(DictionaryReorderInvalid) as exc:
        services.option_reorder(**SYS, entry=region, codes=["north", "south", "east", "beijing"])
    assert exc.value.details["unknown"] == "beijing"
    with pytest.raises(DictionaryReorderInvalid) as exc:
        services.option_reorder(**SYS, entry=region, codes=["north", "north", "south", "east"])
    assert exc.value.details["repeated"] == "north"
    services.option_reorder(**SYS, entry=region, codes=["nanjing", "shanghai", "hangzhou"])
    services.option_reorder(**SYS, entry=region, codes=["south", "north", "east"])
    assert codes("region") == ["south", "guangzhou", "shenzhen", "north", "beijing", "tianjin", "east", "nanjing",
                               "shanghai", "hangzhou"]


# --- deleting and usage -------------------------------------------------------------------------

def test_delete_refused_while_in_use(fake_usage):
    entry = entry_get("expense_type")
    fake_usage.counts[("expense_type", "air")] = 3
    fake_usage.counts[("expense_type", None)] = 1
    with pytest.raises(DictionaryInUse) as exc:
        services.option_delete(**SYS, option=opt(entry, "air"))
    assert exc.value.code == "dictionary_in_use"
    assert exc.value.details == {"field": "code", "key": "expense_type", "code": "air", "count": 3}
    with pytest.raises(DictionaryInUse) as exc:
        services.entry_delete(**SYS, entry=entry)
    assert exc.value.details == {"field": "key", "key": "expense_type", "count": 1}
    assert ("expense_type", None) in fake_usage.calls
    # Unused codes go; once nothing uses it, the entry goes too.
    services.option_delete(**SYS, option=opt(entry, "other"))
    fake_usage.counts.clear()
    services.option_delete(**SYS, option=opt(entry, "air"))
    services.entry_delete(**SYS, entry=entry)
    assert not DictionaryEntry.objects.filter(key="expense_type").exists()


def test_usage_sums_every_registered_source(fake_usage):
    fake_usage.counts[("currency", "USD")] = 2
    usage_checks.register("other", lambda key, code: 5 if (key, code) == ("currency", "USD") else 0)
    try:
        assert usage_count("currency", "USD") == 7
        # Other apps' checks (e.g. "definitions") may be registered too; they report nothing here.
        assert usage_by_source("currency", "USD").items() >= {"test": 2, "other": 5}.items()
        assert usage_count("currency") == 0
        with pytest.raises(ValueError):
            usage_checks.register("other", lambda key, code: 0)
    finally:
        usage_checks.unregister("other")
    assert usage_count("currency", "USD") == 2


def test_option_with_sub_options_cannot_be_deleted_but_the_tree_entry_can():
    region = entry_get("region")
    with pytest.raises(DictionaryOptionHasChildren) as exc:
        services.option_delete(**SYS, option=opt(region, "south"))
    assert exc.value.code == "dictionary_option_has_children"
    services.option_delete(**SYS, option=opt(region, "guangzhou"))
    services.option_delete(**SYS, option=opt(region, "shenzhen"))
    services.option_delete(**SYS, option=opt(region, "south"))
    services.entry_delete(**SYS, entry=region)
    assert not DictionaryOption.objects.filter(entry__key="region").exists()


def test_unknown_or_vanished_option():
    with pytest.raises(DictionaryOptionDoesNotExist) as exc:
        option_get(entry_get("currency"), "GBP")
    assert exc.value.code == "dictionary_option_not_found"
    assert exc.value.params == {"key": "currency", "code": "GBP"}
    stale = opt(entry_get("currency"), "JPY")
    services.option_delete(**SYS, option=opt(entry_get("currency"), "JPY"))
    with pytest.raises(DictionaryOptionDoesNotExist):
        services.option_disable(**SYS, option=stale)


# --- permissions and audit -------------------------------------------------------------------

def test_permission_needed_unless_system(employee, dict_admin):
    entry = entry_get("currency")
    calls = [
        lambda actor: services.entry_create(actor=actor, key="p1", name="x"),
        lambda actor: services.entry_update(actor=actor, entry=entry, name="货币"),
        lambda actor: services.option_create(actor=actor, entry=entry, code="GBP", label="英镑"),
        lambda actor: services.option_update(actor=actor, option=opt(entry, "GBP"), label="英镑"),
        lambda actor: services.option_disable(actor=actor, option=opt(entry, "GBP")),
        lambda actor: services.option_enable(actor=actor, option=opt(entry, "GBP")),
        lambda actor: services.option_reorder(actor=actor, entry=entry, codes=codes("currency")[::-1]),
        lambda actor: services.option_delete(actor=actor, option=opt(entry, "GBP")),
        lambda actor: services.entry_delete(actor=actor, entry=entry_get("p1")),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call(employee)
        with pytest.raises(PermissionDenied):
            call(None)
        call(dict_admin)


def test_audit_events_have_before_after_and_version(dict_admin):
    entry = entry_get("expense_type")
    services.option_update(actor=dict_admin, option=opt(entry, "taxi"), label="打车", enabled=False)
    event = AuditEvent.objects.get(action="dictionary_option.update")
    assert event.actor_id == dict_admin.pk and event.target_type == "dictionary_option"
    assert event.target_label == "expense_type/taxi"
    assert event.before == {"label": "市内交通", "enabled": True, "entry": "expense_type", "version": 1}
    assert event.after == {"label": "打车", "enabled": False, "entry": "expense_type", "version": 2}
    services.option_create(actor=dict_admin, entry=entry, code="parking", label="停车费", label_en="Parking")
    created = AuditEvent.objects.get(action="dictionary_option.create")
    assert created.after["code"] == "parking" and created.after["label"] == "停车费" and created.before is None
    services.option_delete(actor=dict_admin, option=opt(entry, "parking"))
    deleted = AuditEvent.objects.get(action="dictionary_option.delete")
    assert deleted.before["label_en"] == "Parking" and deleted.after["version"] == 4
    services.entry_update(actor=dict_admin, entry=entry, name_en="Expense category")
    updated = AuditEvent.objects.get(action="dictionary_entry.update")
    assert updated.before == {"name_en": "Expense type", "version": 4}
    assert updated.after == {"name_en": "Expense category", "version": 5}
    assert audit_verify_chain() == (True, None)


def test_a_refused_change_leaves_nothing_behind(fake_usage):
    entry = entry_get("leave_type")
    fake_usage.counts[("leave_type", "sick")] = 1
    events = AuditEvent.objects.count()
    with pytest.raises(DictionaryInUse):
        services.option_delete(**SYS, option=opt(entry, "sick"))
    assert version("leave_type") == 1 and AuditEvent.objects.count() == events
    assert "sick" in codes("leave_type")

