"""Benchmark: submission validation of a 20-field form with a 5-row sub-table.

Prints validations per second of ``validate_submission`` (fast path compiled once
per form version; jsonschema only explains failures) against jsonschema's reused
``Draft202012Validator(schema).iter_errors`` on the same schema and data, measured in
the same run, and the ratio. Before timing it checks that both give the same verdict
and the same per-field errors (pointer and code) on every data item.

Run: ``python tests/bench/bench_forms.py`` (``make bench``).
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from jsonschema import Draft202012Validator  # noqa: E402

from runtime.forms import DictionaryIndex, SubmissionInvalid, load_form, validate_submission  # noqa: E402
from runtime.forms.schema_validation import details_of  # noqa: E402

TARGET_RATIO = 5.0
ROUNDS = 15


def _label(zh: str, en: str) -> dict[str, Any]:
    return {"title": zh, "x-label": {"zh": zh, "en": en}}


def bench_form() -> dict[str, Any]:
    """The 20 top-level fields (sub-table of 4 columns included) the benchmark validates."""
    options = [{"code": c, "label": {"zh": c, "en": c}} for c in ("a", "b", "c", "d")]
    props: dict[str, Any] = {
        "title": {
            "type": "string",
            "x-type": "text",
            "maxLength": 100,
            "minLength": 1,
            **_label("标题", "Title"),
        },
        "code": {
            "type": "string",
            "x-type": "text",
            "maxLength": 20,
            "pattern": "^[A-Z]{2}-\\d{4}$",
            **_label("编号", "Code"),
        },
        "email": {
            "type": "string",
            "x-type": "text",
            "format": "email",
            "maxLength": 100,
            **_label("邮箱", "E-mail"),
        },
        "phone": {"type": "string", "x-type": "text", "maxLength": 11, **_label("电话", "Phone")},
        "notes": {"type": "string", "x-type": "textarea", "maxLength": 2000, **_label("备注", "Notes")},
        "quantity": {
            "type": "number",
            "x-type": "number",
            "minimum": 0,
            "maximum": 10000,
            **_label("数量", "Qty"),
        },
        "ratio": {"type": "number", "x-type": "number", "x-precision": 2, **_label("比例", "Ratio")},
        "amount": {
            "type": "number",
            "x-type": "money",
            "x-currency": "CNY",
            "minimum": 0,
            **_label("金额", "Amount"),
        },
        "deposit": {
            "type": "number",
            "x-type": "money",
            "x-currency": "CNY",
            "minimum": 0,
            "x-required-if": {">": [{"var": "form.amount"}, 5000]},
            **_label("押金", "Deposit"),
        },
        "start_date": {"type": "string", "x-type": "date", "format": "date", **_label("开始日期", "Start")},
        "due_date": {"type": "string", "x-type": "date", "format": "date", **_label("截止日期", "Due")},
        "meeting_at": {
            "type": "string",
            "x-type": "datetime",
            "format": "date-time",
            **_label("会议时间", "Meeting"),
        },
        "period": {"type": "object", "x-type": "date_range", **_label("期间", "Period")},
        "category": {
            "type": "string",
            "x-type": "select",
            "x-options": options,
            **_label("类别", "Category"),
        },
        "expense_type": {
            "type": "string",
            "x-type": "select",
            "x-dictionary": "expense_type",
            **_label("费用", "Fee"),
        },
        "priority": {
            "type": "string",
            "x-type": "radio",
            "x-options": options,
            **_label("优先级", "Priority"),
        },
        "tags": {"type": "array", "x-type": "multi_select", "x-options": options, **_label("标签", "Tags")},
        "agree": {"type": "boolean", "x-type": "checkbox", **_label("同意", "Agree")},
        "owner": {"type": "string", "x-type": "user", **_label("负责人", "Owner")},
        "items": {
            "type": "array",
            "x-type": "table",
            "minItems": 1,
            "maxItems": 20,
            **_label("明细", "Items"),
            "items": {
                "type": "object",
                "properties": {
                    "name": {
                        "type": "string",
                        "x-type": "text",
                        "maxLength": 50,
                        "minLength": 1,
                        **_label("名称", "Name"),
                    },
                    "qty": {"type": "number", "x-type": "number", "minimum": 1, **_label("数量", "Qty")},
                    "price": {
                        "type": "number",
                        "x-type": "money",
                        "x-currency": "CNY",
                        "minimum": 0,
                        **_label("单价", "Price"),
                    },
                    "date": {"type": "string", "x-type": "date", "format": "date", **_label("日期", "Date")},
                },
                "required": ["name", "qty", "price"],
                "additionalProperties": False,
            },
        },
    }
    required = ["title", "code", "amount", "start_date", "category", "expense_type", "items"]
    return {
        "schema_version": 1,
        "schema": {
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": False,
        },
        "ui_schema": {"order": list(props)},
    }


DICTIONARY = {
    "expense_type": {
        "options": [
            {"code": c, "enabled": True, "label": {"zh": c, "en": c}, "parent": None}
            for c in ("air", "train", "hotel")
        ]
    }
}


def valid_data(i: int) -> dict[str, Any]:
    """A valid submission (varied a little by ``i``)."""
    return {
        "title": f"采购申请 {i}",
        "code": f"AB-{i % 10000:04d}",
        "email": f"user{i}@example.com",
        "phone": "13800138000",
        "notes": "说明" * 20,
        "quantity": 10 + i % 5,
        "ratio": 0.25,
        "amount": 4800.5,
        "start_date": "2026-12-01",
        "due_date": "2026-12-31",
        "meeting_at": "2026-12-02T09:30:00+08:00",
        "period": {"start": "2026-12-01", "end": "2026-12-05"},
        "category": "a",
        "expense_type": "train",
        "priority": "b",
        "tags": ["a", "c"],
        "agree": True,
        "owner": "u-1001",
        "items": [
            {"name": f"物品{r}", "qty": r + 1, "price": 12.5 * (r + 1), "date": f"2026-12-0{r + 1}"}
            for r in range(5)
        ],
    }


def invalid_data(i: int) -> dict[str, Any]:
    """Submissions with schema errors only (our extra checks find nothing more in them)."""
    data = valid_data(i)
    kind = i % 4
    if kind == 0:
        del data["title"]
        data["quantity"] = -1
    elif kind == 1:
        data["code"] = "bad"
        data["items"][2]["qty"] = 0
    elif kind == 2:
        data["category"] = "z"
        data["items"][4]["extra"] = 1
    else:
        data["tags"] = ["a", "a"]
        data["items"] = data["items"] * 5  # 25 rows > maxItems 20
    return data


def ours(spec: Any, data: dict[str, Any], dictionary: DictionaryIndex) -> set[tuple[str, str]]:
    try:
        validate_submission(spec, data, dictionary=dictionary)
    except SubmissionInvalid as exc:
        return {(d["pointer"], d["code"]) for d in exc.details}
    return set()


def reference(validator: Any, data: dict[str, Any]) -> set[tuple[str, str]]:
    return {(d["pointer"], d["code"]) for d in details_of(validator.iter_errors(data), frozenset({"items"}))}


def rates(funcs: list[Any], items: list[Any], rounds: int = ROUNDS) -> list[float]:
    """Best of ``rounds`` for each function (validations per second), measured interleaved.

    Interleaving keeps a busy machine from favouring whichever side happens to run first.
    """
    best = [0.0] * len(funcs)
    for _ in range(rounds):
        for i, func in enumerate(funcs):
            start = time.perf_counter()
            for item in items:
                func(item)
            best[i] = max(best[i], len(items) / (time.perf_counter() - start))
    return best


def main() -> int:
    spec = load_form(bench_form())
    spec.compiled  # noqa: B018 - compile once per form version, as the cache does
    dictionary = DictionaryIndex(DICTIONARY)
    schema = copy.deepcopy(dict(spec.schema))
    ref = Draft202012Validator(schema)
    n_fields = len([f for f in spec.fields.values() if f.parent is None])

    valid = [valid_data(i) for i in range(200)]
    invalid = [invalid_data(i) for i in range(200)]
    mixed = valid[:180] + invalid[:20]
    mismatches = 0
    for data in valid + invalid:
        a, b = ours(spec, copy.deepcopy(data), dictionary), reference(ref, data)
        if a != b:
            mismatches += 1
            print("MISMATCH", sorted(a ^ b))
    columns = len(spec.fields["items"].columns)
    print(f"form: {n_fields} top-level fields, sub-table of {columns} columns x 5 rows")
    print(
        f"verdicts and per-field errors identical on {len(valid) + len(invalid) - mismatches}"
        f"/{len(valid) + len(invalid)} items"
    )

    def run_ours(data: dict[str, Any]) -> None:
        try:
            validate_submission(spec, data, dictionary=dictionary)
        except SubmissionInvalid:
            pass

    def run_ref(data: dict[str, Any]) -> None:
        list(ref.iter_errors(data))

    results = {}
    for name, items in (("valid", valid), ("mixed 90% valid", mixed), ("invalid", invalid)):
        r_ours, r_ref = rates([run_ours, run_ref], items)
        results[name] = r_ours / r_ref
        print(f"{name:>16}: ours {r_ours:9.0f}/s   jsonschema {r_ref:8.0f}/s   ratio {r_ours / r_ref:5.1f}x")
    fast = spec.compiled.fast_check
    r_fast, r_ref_valid = rates([lambda d: fast(d, ()), run_ref], valid)
    print(
        f"{'schema stage':>16}: fast path {r_fast:9.0f}/s vs jsonschema {r_ref_valid:8.0f}/s "
        f"ratio {r_fast / r_ref_valid:5.1f}x (valid data)"
    )
    ok = mismatches == 0 and results["valid"] >= TARGET_RATIO
    print(f"target >= {TARGET_RATIO:.0f}x on valid data with identical errors: {'met' if ok else 'NOT met'}")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
