"""Submission semantics beyond single values: rules, computed fields, dictionary, rights, rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from runtime.forms import DictionaryIndex, SubmissionInvalid, filter_for_read, load_form, validate_submission
from tests.unit.forms.conftest import form_doc


def errors(spec: Any, data: Any, **kw: Any) -> set[tuple[str, str]]:
    """Return ``{(pointer, code)}`` of a refused submission (empty when accepted)."""
    try:
        validate_submission(spec, data, **kw)
    except SubmissionInvalid as exc:
        return {(d["pointer"], d["code"]) for d in exc.details}
    return set()


# -- conditional required (the seed: 预算 required when 费用类型 is 机票) ----------------------


def test_budget_required_for_air(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    del travel_data["budget"]
    assert errors(travel_spec, travel_data, dictionary=dictionary) == {("/budget", "required")}


def test_budget_optional_for_train(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    del travel_data["budget"]
    travel_data["expense_type"] = "train"
    cleaned = validate_submission(travel_spec, travel_data, dictionary=dictionary)
    assert "budget" not in cleaned


def test_empty_budget_counts_as_missing(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    travel_data["budget"] = None
    assert errors(travel_spec, travel_data, dictionary=dictionary) == {("/budget", "required")}


# -- visibility ------------------------------------------------------------------------

VISIBILITY = form_doc(
    {
        "kind": {
            "type": "string",
            "x-type": "select",
            "x-options": [{"code": "hotel", "label": "住宿"}, {"code": "other", "label": "其他"}],
        },
        "hotel": {
            "type": "string",
            "x-type": "text",
            "maxLength": 5,
            "x-visible-if": {"==": [{"var": "form.kind"}, "hotel"]},
        },
        "urgent_note": {"type": "string", "x-type": "text", "x-visible-if": {"var": "urgent"}},
    },
    required=["hotel"],
)


def test_hidden_field_is_dropped_and_not_required() -> None:
    spec = load_form(VISIBILITY)
    cleaned = validate_submission(spec, {"kind": "other", "hotel": "this is far too long"})
    assert cleaned == {"kind": "other"}


def test_visible_field_is_validated_and_required() -> None:
    spec = load_form(VISIBILITY)
    assert errors(spec, {"kind": "hotel"}) == {("/hotel", "required")}
    assert errors(spec, {"kind": "hotel", "hotel": "far too long"}) == {("/hotel", "max_length")}


def test_visibility_reads_the_context() -> None:
    spec = load_form(VISIBILITY)
    data = {"kind": "other", "urgent_note": "今天要"}
    assert "urgent_note" not in validate_submission(spec, data, context={"urgent": False})
    assert validate_submission(spec, data, context={"urgent": True})["urgent_note"] == "今天要"


def test_visibility_of_a_column_per_row() -> None:
    doc = form_doc(
        {
            "rows": {
                "type": "array",
                "x-type": "table",
                "items": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "x-type": "text"},
                        "plate": {
                            "type": "string",
                            "x-type": "text",
                            "x-visible-if": {"==": [{"var": "row.kind"}, "car"]},
                        },
                    },
                    "required": ["kind", "plate"],
                },
            }
        }
    )
    spec = load_form(doc)
    cleaned = validate_submission(
        spec, {"rows": [{"kind": "car", "plate": "沪A1"}, {"kind": "bus", "plate": "x"}]}
    )
    assert cleaned["rows"] == [{"kind": "car", "plate": "沪A1"}, {"kind": "bus"}]
    assert errors(spec, {"rows": [{"kind": "car"}]}) == {("/rows/0/plate", "required")}


def test_required_if_on_a_column_uses_the_row() -> None:
    doc = form_doc(
        {
            "rows": {
                "type": "array",
                "x-type": "table",
                "items": {
                    "type": "object",
                    "properties": {
                        "amount": {"type": "number", "x-type": "money", "x-currency": "CNY"},
                        "invoice": {
                            "type": "string",
                            "x-type": "text",
                            "x-required-if": {">": [{"var": "row.amount"}, 1000]},
                        },
                    },
                },
            }
        }
    )
    spec = load_form(doc)
    data = {"rows": [{"amount": 50}, {"amount": 2000}, {"amount": 3000, "invoice": "INV-1"}]}
    assert errors(spec, data) == {("/rows/1/invoice", "required")}


# -- computed fields -------------------------------------------------------------------


def test_computed_values_are_recomputed(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    travel_data["days"] = 99  # tampered by the client
    travel_data["companion_count"] = "lots"
    cleaned = validate_submission(travel_spec, travel_data, dictionary=dictionary)
    assert cleaned["days"] == 3
    assert cleaned["companion_count"] == 2


def test_computed_absent_when_inputs_missing(travel_spec: Any, dictionary: dict) -> None:
    data = {
        "trip_dates": {"start": "2026-12-01", "end": "2026-12-01"},
        "destination": "x",
        "expense_type": "hotel",
    }
    cleaned = validate_submission(travel_spec, data, dictionary=dictionary)
    assert cleaned["days"] == 1 and cleaned["companion_count"] == 0


ORDER = form_doc(
    {
        "items": {
            "type": "array",
            "x-type": "table",
            "items": {
                "type": "object",
                "properties": {
                    "price": {"type": "number", "x-type": "money", "x-currency": "CNY"},
                    "qty": {"type": "number", "x-type": "number", "x-precision": 0},
                    "amount": {
                        "type": "number",
                        "x-type": "computed",
                        "x-currency": "CNY",
                        "x-compute": {"*": [{"var": ["row.price", 0]}, {"var": ["row.qty", 0]}]},
                    },
                },
            },
        },
        "total": {
            "type": "number",
            "x-type": "computed",
            "x-precision": 2,
            "x-compute": {"sum": [{"var": "form.items"}, "amount"]},
        },
        "big": {"type": "boolean", "x-type": "checkbox", "x-visible-if": {">": [{"var": "form.total"}, 100]}},
    }
)


def test_computed_column_and_sum_recomputed_in_dependency_order() -> None:
    spec = load_form(ORDER)
    assert spec.evaluation_order.index("items.amount") < spec.evaluation_order.index("total")
    assert spec.evaluation_order.index("total") < spec.evaluation_order.index("big")
    data = {
        "items": [{"price": 0.1, "qty": 3, "amount": 1e6}, {"price": 99.99, "qty": 1}],
        "total": 1,
        "big": True,
    }
    cleaned = validate_submission(spec, data)
    assert cleaned["items"] == [
        {"price": 0.1, "qty": 3, "amount": 0.3},
        {"price": 99.99, "qty": 1, "amount": 99.99},
    ]
    assert cleaned["total"] == 100.29
    assert cleaned["big"] is True
    data["items"] = [{"price": 1, "qty": 1}]
    assert "big" not in validate_submission(spec, data)  # total 1: "big" hidden and dropped


def test_compute_failure_is_reported_when_inputs_are_valid() -> None:
    doc = form_doc(
        {
            "a": {"type": "number", "x-type": "number"},
            "ratio": {"type": "number", "x-type": "computed", "x-compute": {"/": [1, {"var": "form.a"}]}},
        }
    )
    spec = load_form(doc)
    assert validate_submission(spec, {"a": 4})["ratio"] == 0.25
    assert errors(spec, {"a": 0}) == {("/ratio", "compute_failed")}
    # Other errors first: a failure caused by invalid input is not reported separately.
    assert errors(spec, {"a": "x"}) == {("/a", "invalid_type")}


def test_computed_integer_must_be_whole() -> None:
    doc = form_doc({"n": {"type": "integer", "x-type": "computed", "x-compute": {"/": [7, 2]}}})
    assert errors(load_form(doc), {}) == {("/n", "compute_failed")}


# -- dictionary ------------------------------------------------------------------------


def test_disabled_code_refused_for_new_data(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    travel_data["expense_type"] = "taxi"
    got = errors(travel_spec, travel_data, dictionary=dictionary)
    assert got == {("/expense_type", "choice_disabled")}


def test_disabled_code_kept_when_unchanged(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    travel_data["expense_type"] = "taxi"
    previous = copy.deepcopy(travel_data)
    cleaned = validate_submission(
        travel_spec, travel_data, dictionary=DictionaryIndex(dictionary), previous=previous
    )
    assert cleaned["expense_type"] == "taxi"


def test_no_dictionary_means_codes_unchecked(travel_spec: Any, travel_data: dict) -> None:
    travel_data["expense_type"] = "anything"
    assert validate_submission(travel_spec, travel_data)["expense_type"] == "anything"


# -- field rights ----------------------------------------------------------------------


def test_read_only_field_may_be_resent_unchanged(
    travel_spec: Any, travel_data: dict, dictionary: dict
) -> None:
    previous = copy.deepcopy(travel_data)
    rights = {"budget": "read_only"}
    cleaned = validate_submission(
        travel_spec, travel_data, dictionary=dictionary, field_rights=rights, previous=previous
    )
    assert cleaned["budget"] == 3500.5
    del travel_data["budget"]  # omitted: the stored value is kept
    cleaned = validate_submission(
        travel_spec, travel_data, dictionary=dictionary, field_rights=rights, previous=previous
    )
    assert cleaned["budget"] == 3500.5


def test_read_only_field_cannot_change(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    previous = copy.deepcopy(travel_data)
    travel_data["budget"] = 9999
    got = errors(
        travel_spec,
        travel_data,
        dictionary=dictionary,
        field_rights={"budget": "read_only"},
        previous=previous,
    )
    assert got == {("/budget", "read_only")}


def test_read_only_field_without_previous_value(
    travel_spec: Any, travel_data: dict, dictionary: dict
) -> None:
    got = errors(travel_spec, travel_data, dictionary=dictionary, field_rights={"budget": "read_only"})
    assert got == {("/budget", "read_only")}
    # ...and it is not "required" either: this user cannot fill it in.
    del travel_data["budget"]
    assert (
        errors(travel_spec, travel_data, dictionary=dictionary, field_rights={"budget": "read_only"}) == set()
    )


def test_hidden_field_ignored_and_kept(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    previous = copy.deepcopy(travel_data)
    travel_data["reason"] = "改过的事由"
    rights = {"reason": "hidden", "destination": "hidden"}
    del travel_data["destination"]  # required, but hidden from this user
    cleaned = validate_submission(
        travel_spec, travel_data, dictionary=dictionary, field_rights=rights, previous=previous
    )
    assert cleaned["reason"] == "客户拜访"
    assert cleaned["destination"] == "上海"


def test_read_only_column_compared_row_by_row(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    previous = copy.deepcopy(travel_data)
    rights = {"companions.phone": "read_only"}
    assert (
        errors(travel_spec, travel_data, dictionary=dictionary, field_rights=rights, previous=previous)
        == set()
    )
    travel_data["companions"][0]["phone"] = "13900139000"
    got = errors(travel_spec, travel_data, dictionary=dictionary, field_rights=rights, previous=previous)
    assert got == {("/companions/0/phone", "read_only")}


def test_filter_for_read(travel_spec: Any, travel_data: dict) -> None:
    rights = {"budget": "hidden", "companions.phone": "hidden", "destination": "read_only"}
    shown = filter_for_read(travel_spec, travel_data, rights)
    assert "budget" not in shown and shown["destination"] == "上海"
    assert shown["companions"] == [{"name": "张三", "department": "dept-sales"}, {"name": "李四"}]
    assert travel_data["companions"][0]["phone"] == "13800138000"  # input untouched


# -- structure -------------------------------------------------------------------------


def test_unknown_properties_refused(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    travel_data["approved"] = True
    travel_data["companions"][1]["salary"] = 1
    got = errors(travel_spec, travel_data, dictionary=dictionary)
    assert got == {("/approved", "unknown_field"), ("/companions/1/salary", "unknown_field")}


def test_not_an_object(travel_spec: Any) -> None:
    assert errors(travel_spec, ["x"]) == {("", "invalid_type")}


def test_description_value_dropped(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    travel_data["notice"] = "client text"
    assert "notice" not in validate_submission(travel_spec, travel_data, dictionary=dictionary)


def test_companions_limits(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    travel_data["companions"] = [{"name": f"人{i}"} for i in range(11)]
    assert errors(travel_spec, travel_data, dictionary=dictionary) == {("/companions", "max_rows")}
    travel_data["companions"] = [{"name": "王五", "phone": "12345"}, {"department": "d"}]
    assert errors(travel_spec, travel_data, dictionary=dictionary) == {
        ("/companions/0/phone", "invalid_format"),
        ("/companions/1/name", "required"),
    }


def test_cleaned_data_does_not_alias_input(travel_spec: Any, travel_data: dict, dictionary: dict) -> None:
    original = copy.deepcopy(travel_data)
    cleaned = validate_submission(travel_spec, travel_data, dictionary=dictionary)
    cleaned["companions"][0]["name"] = "changed"
    assert travel_data == original


def test_details_sorted_by_form_order(travel_spec: Any, dictionary: dict) -> None:
    data = {"expense_type": "ship", "zzz": 1, "trip_dates": {"start": "x", "end": "2026-01-01"}}
    with pytest.raises(SubmissionInvalid) as info:
        validate_submission(travel_spec, data, dictionary=dictionary)
    assert [d["pointer"] for d in info.value.details] == [
        "/trip_dates/start",
        "/destination",
        "/expense_type",
        "/zzz",
    ]


# -- signature -------------------------------------------------------------------------


def test_signature_must_be_signed_by_the_actor() -> None:
    spec = load_form(form_doc({"sign": {"type": "object", "x-type": "signature"}}))
    value = {"file_id": "s1", "signer": "u1", "signed_at": "2026-11-28T10:00:00+08:00"}
    assert errors(spec, {"sign": value}, actor="u1") == set()
    assert errors(spec, {"sign": value}, actor="u2") == {("/sign/signer", "signature_signer_mismatch")}
    assert errors(spec, {"sign": value}, actor="u2", previous={"sign": value}) == set()


def test_unknown_right_is_a_programming_error(travel_spec: Any, travel_data: dict) -> None:
    with pytest.raises(ValueError):
        validate_submission(travel_spec, travel_data, field_rights={"budget": "readonly"})
