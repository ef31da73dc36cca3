"""The audit log API: who may read it, filters, bounded queries, exports, chain check."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from platform_core.audit import exporting
from platform_core.audit.models import AuditEvent
from platform_core.audit.services import audit_record

URLS = ["/api/v1/audit/events/", "/api/v1/audit/events/export/", "/api/v1/audit/verify/"]
EVIL = '=HYPERLINK("http://x","y")'


@pytest.fixture
def events(people):
    """Three known events on top of what building the org recorded."""
    a = audit_record(actor=people.admin, action="test.edit", target_type="widget", target_id=7,
                     target_label="第七个", before={"n": 1}, after={"n": 2})
    b = audit_record(actor=people.gm, action="test.view", target_type="widget", target_id=7, target_label="第七个")
    c = audit_record(actor=people.admin, action="test.edit", target_type="widget", target_id=8,
                     target_label=EVIL, after={"note": "+1 @boss"})
    return a, b, c


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_anonymous_gets_401(api, url):
    response = api.get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("url", URLS)
def test_employee_gets_403(api_as, people, url):
    response = api_as(people.requester).get(url, {"format": "csv"} if "export" in url else {})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "permission_denied"


def test_list_is_newest_first_and_paginated(api_as, people, events):
    response = api_as(people.admin).get("/api/v1/audit/events/", {"page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == AuditEvent.objects.count()
    assert [e["seq"] for e in body["results"]] == [events[2].seq, events[1].seq]
    first = body["results"][0]
    assert first["target_label"] == EVIL and first["actor"] == people.admin.pk
    assert first["after"] == {"note": "+1 @boss"} and len(first["hash"]) == 64


def test_one_records_log(api_as, people, events):
    response = api_as(people.admin).get("/api/v1/audit/events/", {"target_type": "widget", "target_id": "7"})
    assert [e["seq"] for e in response.json()["results"]] == [events[1].seq, events[0].seq]


@pytest.mark.parametrize(("params", "expected"), [
    ({"action": "test.edit"}, [2, 0]),
    ({"action": "test.edit", "target_id": "8"}, [2]),
    ({"target_type": "widget", "actor": "GM"}, [1]),
    ({"action": "nothing.like.this"}, []),
])
def test_filters(api_as, people, events, params, expected):
    if params.get("actor") == "GM":
        params = {**params, "actor": people.gm.pk}
    response = api_as(people.admin).get("/api/v1/audit/events/", params)
    assert response.status_code == 200
    assert [e["seq"] for e in response.json()["results"]] == [events[i].seq for i in expected]


def test_date_filters(api_as, people, events):
    today = timezone.localdate()
    AuditEvent.objects.filter(pk=events[0].pk).update(at=events[0].at - timedelta(days=3))  # breaks the chain; fine
    client = api_as(people.admin)
    recent = client.get("/api/v1/audit/events/", {"target_type": "widget", "from": today.isoformat()}).json()
    assert [e["seq"] for e in recent["results"]] == [events[2].seq, events[1].seq]
    old = client.get("/api/v1/audit/events/",
                     {"target_type": "widget", "to": (today - timedelta(days=1)).isoformat()}).json()
    assert [e["seq"] for e in old["results"]] == [events[0].seq]
    cutoff = (events[1].at + timedelta(microseconds=1)).isoformat()
    until = client.get("/api/v1/audit/events/", {"target_type": "widget", "to": cutoff}).json()
    assert [e["seq"] for e in until["results"]] == [events[1].seq, events[0].seq]


@pytest.mark.parametrize("params", [{"actor": "abc"}, {"from": "yesterday"}, {"to": "2026-13-45"}])
def test_bad_filters_are_400_in_the_error_shape(api_as, people, params):
    response = api_as(people.admin).get("/api/v1/audit/events/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed" and set(error["details"]) == set(params)


def test_list_queries_are_bounded(api_as, people, events):
    client = api_as(people.admin)
    client.get("/api/v1/audit/events/")  # warm up (session, permission caches)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/audit/events/", {"page_size": 5})
    for i in range(60):
        audit_record(actor=people.gm if i % 2 else people.admin, action="test.more", target_type="widget",
                     target_id=i, after={"i": i})
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/audit/events/", {"page_size": 50})
    assert len(response.json()["results"]) == 50
    assert len(many) == len(few) <= 4, [q["sql"] for q in many.captured_queries]


def _csv_rows(response):
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_export_neutralises_formulas(api_as, people, events):
    response = api_as(people.admin).get("/api/v1/audit/events/export/", {"format": "csv", "target_type": "widget"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="audit-events-' in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header[:3] == ["sequence", "time", "actor"]
    assert [int(r[0]) for r in rows] == [events[2].seq, events[1].seq, events[0].seq]
    label = header.index("target")
    assert rows[0][label] == "'" + EVIL
    assert rows[1][label] == "第七个"
    assert rows[0][header.index("after")] == '{"note": "+1 @boss"}'


def test_csv_cells():
    for text in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "＝1"]:
        assert exporting.csv_cell(text) == "'" + text
    assert exporting.csv_cell("a=b") == "a=b"
    assert exporting.csv_cell(-5) == -5
    assert exporting.csv_cell(None) == ""


def test_xlsx_export_writes_text_never_formulas(api_as, people, events):
    audit_record(actor=people.admin, action="test.edit", target_type="widget", target_id="-1",
                 target_label="@cmd|' /C calc'!A0\x07", meta=None)
    response = api_as(people.admin).get("/api/v1/audit/events/export/", {"format": "xlsx", "target_type": "widget"})
    assert response.status_code == 200
    assert response["Content-Type"] == exporting.FORMATS["xlsx"][0]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert header[:3] == ["sequence", "time", "actor"]
    label, target_id = header.index("target"), header.index("target id")
    assert [r[0].value for r in rows[1:]][1:] == [events[2].seq, events[1].seq, events[0].seq]
    newest, evil = rows[1], rows[2]
    assert newest[label].value == "@cmd|' /C calc'!A0" and newest[label].data_type == "s"
    assert newest[target_id].value == "-1" and newest[target_id].data_type == "s"
    assert evil[label].value == EVIL and evil[label].data_type == "s" and evil[label].quotePrefix
    assert not [c for r in rows for c in r if c.data_type == "f"]
    assert evil[header.index("time")].is_date


def test_export_header_in_the_request_language(api_as, people, events):
    response = api_as(people.admin).get("/api/v1/audit/events/export/", {"format": "csv"},
                                        HTTP_ACCEPT_LANGUAGE="zh-hans")
    header = _csv_rows(response)[0]
    assert header[1:3] == ["时间", "操作人"] and "对象" in header


def test_export_default_format_filters_and_is_audited(api_as, people, events):
    before = AuditEvent.objects.count()
    response = api_as(people.admin).get("/api/v1/audit/events/export/", {"action": "test.view"})
    assert response["Content-Type"] == exporting.FORMATS["xlsx"][0]
    assert [r[0] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)][1:] == [
        events[1].seq]
    recorded = AuditEvent.objects.get(seq=before + 1)
    assert (recorded.action, recorded.actor_id) == ("audit.export", people.admin.pk)
    assert recorded.after == {"format": "xlsx", "filters": {"action": "test.view"}}


def test_export_unknown_format_is_400_json(api_as, people):
    response = api_as(people.admin).get("/api/v1/audit/events/export/", {"format": "pdf"})
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"format": ["Use xlsx or csv."]}


def test_export_refuses_more_than_the_limit(api_as, people, events, monkeypatch):
    monkeypatch.setattr(exporting, "EXPORT_MAX_ROWS", 2)
    response = api_as(people.admin).get("/api/v1/audit/events/export/", {"format": "csv", "target_type": "widget"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "export_too_large" and error["details"] == {"limit": 2, "count": 3}
    assert "2" in error["message"]
    ok = api_as(people.admin).get("/api/v1/audit/events/export/",
                                  {"format": "csv", "target_type": "widget", "target_id": "7"})
    assert ok.status_code == 200


def test_verify_intact(api_as, people, events):
    response = api_as(people.admin).get("/api/v1/audit/verify/")
    assert response.status_code == 200
    assert response.json() == {"intact": True, "first_broken_seq": None, "events": AuditEvent.objects.count()}


def test_verify_finds_a_tampered_event(api_as, people, events):
    AuditEvent.objects.filter(pk=events[1].pk).update(after={"n": 999})
    body = api_as(people.admin).get("/api/v1/audit/verify/").json()
    assert body == {"intact": False, "first_broken_seq": events[1].seq, "events": AuditEvent.objects.count()}


def test_verify_finds_a_deleted_event(api_as, people, events):
    AuditEvent.objects.filter(pk=events[0].pk).delete()
    body = api_as(people.admin).get("/api/v1/audit/verify/").json()
    assert (body["intact"], body["first_broken_seq"]) == (False, events[1].seq)
