"""Seed the shared vocabulary every installation starts with.

Plain ORM over the historical models (so this keeps working when the models change
later) and frozen data (editing this file changes nothing for databases that already
ran it). Idempotent: an entry whose key already exists is left alone. Each seeded
entry is audited as a system action through the audit app's one writer; the
dependency on the audit app's latest migration makes its schema current here.
"""

from django.db import migrations

T = "tree"

# key, name, name_en, kind, description, options; option: code, label, label_en[, extra][, children]
SEED = [
    ("customer_level", "客户等级", "Customer level", "flat",
     "统一的客户分级，各应用的报表按此编码分组。", [
         ("A", "A级", "Level A"),
         ("B", "B级", "Level B"),
         ("C", "C级", "Level C"),
     ]),
    ("expense_type", "费用类型", "Expense type", "flat", "", [
        ("air", "机票", "Air ticket"),
        ("train", "火车票", "Train ticket"),
        ("hotel", "住宿", "Hotel"),
        ("meal", "餐饮", "Meals"),
        ("taxi", "市内交通", "Local transport"),
        ("other", "其他", "Other"),
    ]),
    ("leave_type", "请假类型", "Leave type", "flat", "", [
        ("annual", "年假", "Annual leave"),
        ("sick", "病假", "Sick leave"),
        ("personal", "事假", "Personal leave"),
        ("marriage", "婚假", "Marriage leave"),
        ("maternity", "产假", "Maternity leave"),
        ("bereavement", "丧假", "Bereavement leave"),
        ("compensatory", "调休", "Time off in lieu"),
    ]),
    ("department_category", "部门类别", "Department category", "flat",
     "部门的分类；部门本身在组织架构中维护。", [
         ("function", "职能部门", "Functional department"),
         ("business", "业务部门", "Business department"),
         ("r_and_d", "研发部门", "R&D department"),
     ]),
    ("currency", "币种", "Currency", "flat", "", [
        ("CNY", "人民币", "Chinese yuan", {"symbol": "¥", "decimals": 2}),
        ("USD", "美元", "US dollar", {"symbol": "$", "decimals": 2}),
        ("EUR", "欧元", "Euro", {"symbol": "€", "decimals": 2}),
        ("HKD", "港币", "Hong Kong dollar", {"symbol": "HK$", "decimals": 2}),
        ("JPY", "日元", "Japanese yen", {"symbol": "¥", "decimals": 0}),
    ]),
    ("region", "地区", "Region", T, "", [
        ("east", "华东", "East China", {}, [
            ("shanghai", "上海", "Shanghai"),
            ("hangzhou", "杭州", "Hangzhou"),
            ("nanjing", "南京", "Nanjing"),
        ]),
        ("south", "华南", "South China", {}, [
            ("guangzhou", "广州", "Guangzhou"),
            ("shenzhen", "深圳", "Shenzhen"),
        ]),
        ("north", "华北", "North China", {}, [
            ("beijing", "北京", "Beijing"),
            ("tianjin", "天津", "Tianjin"),
        ]),
    ]),
]


def _create_options(Option, entry, options, parent=None):
    codes = []
    for order, spec in enumerate(options):
        code, label, label_en = spec[:3]
        extra = spec[3] if len(spec) > 3 else {}
        option = Option.objects.create(
            entry=entry, code=code, label=label, label_en=label_en, order=order, parent=parent, extra=extra
        )
        codes.append(code)
        if len(spec) > 4:
            codes += _create_options(Option, entry, spec[4], parent=option)
    return codes


def seed(apps, schema_editor):
    from platform_core.audit.services import audit_record

    Entry = apps.get_model("dictionary", "DictionaryEntry")
    Option = apps.get_model("dictionary", "DictionaryOption")
    for key, name, name_en, kind, description, options in SEED:
        if Entry.objects.filter(key=key).exists():
            continue
        entry = Entry.objects.create(
            key=key, name=name, name_en=name_en, kind=kind, description=description, enabled=True, version=1
        )
        codes = _create_options(Option, entry, options)
        audit_record(
            actor=None, action="dictionary_entry.seed", target_type="dictionary_entry", target_id=entry.pk,
            target_label=key,
            after={"key": key, "name": name, "name_en": name_en, "kind": kind, "version": 1, "options": codes},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dictionary", "0001_initial"),
        ("audit", "__latest__"),
    ]

    operations = [
        # Reversing keeps the rows: they may be in use by then, and 0001's reversal drops the tables anyway.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
