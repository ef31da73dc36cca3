"""The dictionary refuses to delete entries and codes that drafts or published versions use."""

from __future__ import annotations

import pytest

from platform_core.errors import PlatformError
from runtime.definitions import services
from runtime.definitions.usage import dictionary_usage
from tests.definitions.conftest import travel_form

usage_checks = pytest.importorskip("platform_core.dictionary.registries").usage_checks


def test_usage_check_is_registered():
    assert "definitions" in usage_checks


def test_entry_in_use_by_a_draft_cannot_be_deleted(publisher, make_app, dictionary):
    assert dictionary_usage("expense_type") == 0
    make_app("travel", travel_form(), actor=publisher)
    assert dictionary_usage("expense_type") == 1
    assert dictionary_usage("customer_level") == 0
    with pytest.raises(PlatformError) as caught:
        dictionary.remove_entry("expense_type")
    assert caught.value.code == "dictionary_in_use"


def test_codes_named_by_rules_count_for_drafts_and_versions(publisher, make_app, dictionary):
    app = make_app("travel", travel_form(), actor=publisher)  # budget is required when expense_type == "air"
    assert dictionary_usage("expense_type", "air") == 1
    assert dictionary_usage("expense_type", "meal") == 0
    services.app_publish(actor=publisher, app=app)
    assert dictionary_usage("expense_type", "air") == 2  # the draft and version 1
    assert dictionary_usage("expense_type") == 2
    with pytest.raises(PlatformError):
        dictionary.remove_code("expense_type", "air")
    dictionary.remove_code("expense_type", "meal")  # nobody names it: the dictionary may delete it


def test_the_usage_api_lists_where_for_managers_and_designers_only(client, publisher, make_app, people, org):
    from runtime.definitions.models import App

    app = make_app("travel", travel_form(), actor=publisher)
    services.app_publish(actor=publisher, app=app)
    client.force_login(publisher)
    body = client.get("/api/v1/dictionary/entries/expense_type/usage/").json()
    assert body["total"] == 2
    name = App.objects.get(key="travel").name
    assert body["uses"] == [
        {"source": "definitions", "app": "travel", "app_name": name, "version": None, "fields": ["expense_type"]},
        {"source": "definitions", "app": "travel", "app_name": name, "version": 1, "fields": ["expense_type"]},
    ]
    air = client.get("/api/v1/dictionary/entries/expense_type/usage/?code=air").json()
    assert air["total"] == 2 and len(air["uses"]) == 2
    client.force_login(org.user("plain"))
    plain = client.get("/api/v1/dictionary/entries/expense_type/usage/").json()
    assert plain["total"] == 2 and plain["uses"] == []
