"""Background jobs: audit exports and app imports queued through the API, run with progress."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from platform_core.audit.models import AuditEvent
from platform_core.audit.services import audit_record
from platform_core.background import services
from platform_core.background.models import TRANSITIONS, BackgroundJob, JobStatus, check_transition
from platform_core.background.registries import JobOutcome, JobType, job_type_registry
from platform_core.errors import InvalidTransition

JOBS = "/api/v1/jobs/"
EVIL = '=HYPERLINK("http://x","y")'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Job files in a throwaway folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def pushes(monkeypatch):
    """The ``job.updated`` messages sent (progress messages unthrottled)."""
    sent: list[tuple[list[int], str, dict[str, Any]]] = []
    monkeypatch.setattr(services, "PUSH_EVERY", 0.0)
    monkeypatch.setattr(services, "publish_to_users", lambda ids, type, payload: sent.append((list(ids), type,
                                                                                              dict(payload))))
    return sent


@pytest.fixture
def no_celery(monkeypatch):
    """Record instead of sending ``qiaoban.run_job`` (tests with committed transactions on a broker)."""
    sent: list[str] = []
    monkeypatch.setattr(services, "send_run_job", lambda job_id: sent.append(str(job_id)))
    return sent


@pytest.fixture
def events(people):
    """Known events on top of what building the org recorded; one label looks like a formula."""
    audit_record(actor=people.admin, action="test.edit", target_type="widget", target_id=7, target_label="第七个")
    audit_record(actor=people.admin, action="test.edit", target_type="widget", target_id=8, target_label=EVIL,
                 after={"note": "+1 @boss"})


class Steps(JobType):
    """A test kind: ``params.steps`` progress points; ``params.hook`` names a callback run at step 2."""

    type = "test_steps"
    hooks: dict[str, Any] = {}
    runs: list[str] = []

    def check_permission(self, actor: Any) -> None:
        return None

    def clean_params(self, params: Any, upload: Any) -> dict[str, Any]:
        return dict(params)

    def run(self, job: Any, report_progress: Any) -> JobOutcome:
        self.runs.append(str(job.pk))
        steps = int(job.params.get("steps", 3))
        for step in range(1, steps + 1):
            if step == 2 and job.params.get("hook"):
                self.hooks[job.params["hook"]](job)
            report_progress(step, steps)
        return JobOutcome(result={"steps": steps})


@pytest.fixture
def steps_kind():
    kind = Steps()
    Steps.runs = []
    Steps.hooks = {}
    job_type_registry.register(kind)
    yield kind
    job_type_registry._items.pop(kind.type, None)


def run_all(**kwargs: Any) -> dict[str, int]:
    return services.jobs_run(limit=kwargs.pop("limit", 10), **kwargs).as_dict()


def exported_app(publisher: Any) -> dict[str, Any]:
    from runtime.definitions import services as definitions
    from tests.definitions.conftest import purchase_flow, purchase_form

    app = definitions.app_create(actor=publisher, key="purchase", name="采购申请")
    definitions.draft_save(actor=publisher, app=app, expected_revision=1, form=purchase_form(), flow=purchase_flow())
    return definitions.app_export(actor=publisher, app=app, version="draft")


def upload(document: Any, name: str = "purchase.qiaoban.json") -> SimpleUploadedFile:
    body = document if isinstance(document, bytes) else json.dumps(document, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


# --- the status table ----------------------------------------------------------------------------------

def test_finished_jobs_change_no_more_and_only_the_table_is_allowed():
    for done in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED):
        assert TRANSITIONS[done] == frozenset()
    check_transition(JobStatus.QUEUED, JobStatus.RUNNING)
    with pytest.raises(InvalidTransition):
        check_transition(JobStatus.SUCCEEDED, JobStatus.RUNNING)
    with pytest.raises(InvalidTransition):
        check_transition(JobStatus.QUEUED, JobStatus.SUCCEEDED)


def test_both_kinds_are_registered():
    assert {"audit_export", "app_import"} <= set(job_type_registry.types())


# --- audit export ---------------------------------------------------------------------------------------

def test_audit_export_to_xlsx_runs_in_the_background_with_progress(api_as, people, events, pushes, monkeypatch):
    from platform_core.audit import job_types

    monkeypatch.setattr(job_types, "PROGRESS_EVERY", 2)
    client = api_as(people.admin)
    response = client.post(JOBS, {"kind": "audit_export", "params": {"format": "xlsx", "target_type": "widget"}},
                           format="json")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert (body["kind"], body["status"], body["params"]) == (
        "audit_export", "queued", {"format": "xlsx", "target_type": "widget"})
    assert body["download_url"] is None and body["language"] == "en"
    assert AuditEvent.objects.filter(action="job.create", target_id=body["id"]).exists()

    assert run_all() == {"claimed": 1, "succeeded": 1, "failed": 0, "retried": 0, "stopped": 0}

    detail = client.get(f"{JOBS}{body['id']}/").json()
    assert detail["status"] == "succeeded" and detail["attempts"] == 1
    assert detail["progress_done"] == detail["progress_total"] == 2 == detail["result"]["rows"]
    assert detail["output_name"].endswith(".xlsx") and detail["download_url"] == f"{JOBS}{body['id']}/download/"
    # job.updated to the creator: running, progress steps up to the total, succeeded.
    assert {ids[0] for ids, _, _ in pushes} == {people.admin.pk} and {t for _, t, _ in pushes} == {"job.updated"}
    statuses = [p["status"] for _, _, p in pushes]
    assert statuses[:2] == ["queued", "running"] and statuses[-1] == "succeeded"
    assert [p["progress_done"] for _, _, p in pushes if p["status"] == "running"][-1] == 2

    download = client.get(detail["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;") and ".xlsx" in download["Content-Disposition"]
    assert download["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=False))
    assert len(rows) == 3  # header + the two widget events
    evil = next(cell for row in rows for cell in row if cell.value == EVIL)
    assert evil.data_type == "s" and evil.quotePrefix  # text, never a formula
    export_event = AuditEvent.objects.get(action="audit.export")
    assert export_event.actor_id == people.admin.pk
    assert export_event.after == {"format": "xlsx", "filters": {"target_type": "widget"}, "job": body["id"]}


def test_audit_export_to_csv_neutralises_formulas(api_as, people, events):
    client = api_as(people.admin)
    job_id = client.post(JOBS, {"kind": "audit_export", "params": {"format": "csv", "action": "test.edit"}},
                         format="json").json()["id"]
    run_all()
    download = client.get(f"{JOBS}{job_id}/download/")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3
    assert "'" + EVIL in rows[1] and EVIL not in rows[1]


def test_the_export_comes_out_in_the_requesters_language(api, people, events):
    api.force_authenticate(people.admin)
    job_id = api.post(JOBS, {"kind": "audit_export", "params": {"target_type": "widget"}}, format="json",
                      HTTP_ACCEPT_LANGUAGE="zh-hans").json()["id"]
    assert BackgroundJob.objects.get(pk=job_id).language == "zh-hans"
    with translation.override("en"):  # the runner's own language does not matter
        run_all()
    job = BackgroundJob.objects.get(pk=job_id)
    with job.output_file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    with translation.override("zh-hans"):
        assert sheet.title == str(AuditEvent._meta.verbose_name_plural)[:31]


@pytest.mark.parametrize(("params", "field"), [
    ({"format": "pdf"}, "format"),
    ({"colour": "red"}, "colour"),
    ({"from": "yesterday"}, "from"),
    ({"actor": "GM"}, "actor"),
])
def test_audit_export_params_are_checked_when_queued(api_as, people, params, field):
    response = api_as(people.admin).post(JOBS, {"kind": "audit_export", "params": params}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in {"job_params_invalid", "validation_failed"} and field in error["details"]
    assert not BackgroundJob.objects.exists()


def test_unknown_kind_bad_params_and_files_where_none_belong(api_as, people):
    client = api_as(people.admin)
    response = client.post(JOBS, {"kind": "mine_bitcoin"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "job_kind_unknown"
    response = client.post(JOBS, {"kind": "audit_export", "params": [1]}, format="json")
    assert response.status_code == 400 and "params" in response.json()["error"]["details"]
    response = client.post(JOBS, {"kind": "audit_export", "params": "{}", "file": upload(b"{}")}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["error"]["details"]
    response = client.post(JOBS, {"kind": "audit_export", "params": "{not json"}, format="multipart")
    assert response.status_code == 400 and "params" in response.json()["error"]["details"]


# --- app import -----------------------------------------------------------------------------------------

def test_app_import_job_creates_the_app(api_as, publisher):
    from runtime.definitions.models import App

    document = exported_app(publisher)
    client = api_as(publisher)
    response = client.post(JOBS, {"kind": "app_import", "file": upload(document)}, format="multipart")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["input_name"] == "purchase.qiaoban.json" and body["status"] == "queued"

    assert run_all()["succeeded"] == 1
    job = client.get(f"{JOBS}{body['id']}/").json()
    assert job["status"] == "succeeded" and job["progress_done"] == job["progress_total"] == 1
    key = job["result"]["app"]
    assert key != "purchase" and job["result"]["report"]["key_changed"] is True  # the original is there
    app = App.objects.get(key=key)
    assert app.owner_id == publisher.pk
    assert AuditEvent.objects.filter(action="app.import", target_id=str(app.pk), actor_id=publisher.pk).exists()
    # No file to download for an import.
    response = client.get(f"{JOBS}{body['id']}/download/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "job_output_missing"


def test_app_import_refuses_a_bad_file_at_once(api_as, publisher):
    client = api_as(publisher)
    response = client.post(JOBS, {"kind": "app_import", "file": upload(b"not json")}, format="multipart")
    assert response.status_code == 400 and response.json()["error"]["code"] == "import_invalid"
    response = client.post(JOBS, {"kind": "app_import"}, format="json")
    assert response.status_code == 400 and "file" in response.json()["error"]["details"]
    assert not BackgroundJob.objects.exists()


def test_a_refused_import_fails_cleanly_and_leaves_no_half_written_app(api_as, publisher, monkeypatch):
    from runtime.definitions import services as definitions
    from runtime.definitions.exceptions import ImportInvalid
    from runtime.definitions.models import App, AppDraft

    document = exported_app(publisher)
    apps, drafts = App.objects.count(), AppDraft.objects.count()

    def refuse(*args, **kwargs):  # after the app row was written: the import must roll back
        raise ImportInvalid(ImportInvalid.PART_INVALID, params={"part": "flow", "reason": "test"})

    monkeypatch.setattr(definitions, "_verify", refuse)
    client = api_as(publisher)
    job_id = client.post(JOBS, {"kind": "app_import", "file": upload(document)}, format="multipart").json()["id"]
    assert run_all() == {"claimed": 1, "succeeded": 0, "failed": 1, "retried": 0, "stopped": 0}
    job = client.get(f"{JOBS}{job_id}/").json()
    assert job["status"] == "failed" and job["error"]["code"] == "import_invalid"
    assert "flow" in job["error"]["message"] and job["finished_at"]
    assert (App.objects.count(), AppDraft.objects.count()) == (apps, drafts)


def test_an_unexpected_error_is_tried_three_times_then_fails_without_its_text(api_as, publisher, monkeypatch):
    from runtime.definitions import services as definitions
    from runtime.definitions.models import App

    document = exported_app(publisher)
    apps = App.objects.count()

    def crash(*args, **kwargs):
        raise RuntimeError("李娜 13800000000 secret")

    monkeypatch.setattr(definitions, "_verify", crash)
    job_id = api_as(publisher).post(JOBS, {"kind": "app_import", "file": upload(document)},
                                    format="multipart").json()["id"]
    now = timezone.now()
    assert run_all(now=now)["retried"] == 1
    job = BackgroundJob.objects.get(pk=job_id)
    assert (job.status, job.attempts) == ("queued", 1)
    assert run_all(now=now)["claimed"] == 0  # not before the retry delay
    assert run_all(now=now + timedelta(minutes=1))["retried"] == 1
    assert run_all(now=now + timedelta(minutes=2))["failed"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error["code"]) == ("failed", 3, "job_failed")
    assert "李娜" not in json.dumps(job.error, ensure_ascii=False) and "secret" not in json.dumps(job.error)
    assert App.objects.count() == apps


# --- who may do what --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["audit_export", "app_import"])
def test_a_user_without_the_permission_is_refused(api_as, people, kind):
    data: dict[str, Any] = {"kind": kind}
    if kind == "app_import":
        data["file"] = upload(b"{}")
    response = api_as(people.requester).post(JOBS, data, format="multipart")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "permission_denied"
    assert not BackgroundJob.objects.exists()


def test_a_permission_lost_before_the_run_fails_the_job(api_as, people, org):
    from platform_core.org.models import Role

    role = org.role("auditor", permissions=["audit.read"])
    auditor = org.user("auditor", department=people.company, roles=["auditor"])
    job_id = api_as(auditor).post(JOBS, {"kind": "audit_export"}, format="json").json()["id"]
    Role.objects.filter(pk=role.pk).update(permissions=[])
    run_all()
    job = BackgroundJob.objects.get(pk=job_id)
    assert job.status == "failed" and job.error["code"] == "permission_denied" and not job.output_file


@pytest.mark.django_db
def test_anonymous_gets_401(api):
    response = api.get(JOBS)
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_other_users_jobs_are_not_found(api, people, events, no_celery):
    job = services.job_create(actor=people.admin, kind="audit_export", params={})
    run_all()
    api.force_authenticate(people.gm)
    for method, url in (("get", f"{JOBS}{job.pk}/"), ("get", f"{JOBS}{job.pk}/download/"),
                        ("post", f"{JOBS}{job.pk}/cancel/"), ("get", f"{JOBS}not-a-uuid/")):
        response = getattr(api, method)(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "job_not_found"
    assert api.get(JOBS).json()["count"] == 0
    api.force_authenticate(people.admin)
    assert api.get(f"{JOBS}{job.pk}/download/").status_code == 200


def test_the_list_shows_own_jobs_newest_first_with_bounded_queries(api_as, people, no_celery):
    client = api_as(people.admin)
    for _ in range(3):
        services.job_create(actor=people.admin, kind="audit_export", params={})
    BackgroundJob.objects.create(kind="audit_export", created_by=people.gm)  # someone else's
    with CaptureQueriesContext(connection) as few:
        assert client.get(JOBS).json()["count"] == 3
    for _ in range(12):
        services.job_create(actor=people.admin, kind="audit_export", params={"format": "csv"})
    with CaptureQueriesContext(connection) as many:
        body = client.get(JOBS).json()
    assert body["count"] == 15 and len(many) == len(few) <= 4
    created = [job["created_at"] for job in body["results"]]
    assert created == sorted(created, reverse=True) and body["results"][0]["params"] == {"format": "csv"}


# --- cancel ------------------------------------------------------------------------------------------------

def test_cancel_a_queued_job(api_as, people, pushes):
    client = api_as(people.admin)
    job_id = client.post(JOBS, {"kind": "audit_export"}, format="json").json()["id"]
    response = client.post(f"{JOBS}{job_id}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert pushes[-1][2]["status"] == "cancelled"
    assert run_all()["claimed"] == 0
    again = client.post(f"{JOBS}{job_id}/cancel/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"
    assert AuditEvent.objects.filter(action="job.cancel", target_id=job_id).exists()


def test_a_running_job_stops_at_its_next_progress_point(people, steps_kind):
    Steps.hooks["cancel"] = lambda job: services.job_cancel(actor=people.admin, job=job)
    job = services.job_create(actor=people.admin, kind="test_steps", params={"steps": 5, "hook": "cancel"})
    assert run_all() == {"claimed": 1, "succeeded": 0, "failed": 0, "retried": 0, "stopped": 1}
    job.refresh_from_db()
    assert job.status == "cancelled" and job.progress_done == 1 and job.result is None


# --- claims: exactly once, leases ---------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_run_each_job_exactly_once(people, steps_kind, no_celery):
    ids = {str(services.job_create(actor=people.admin, kind="test_steps", params={"steps": 2}).pk)
           for _ in range(8)}
    results: list[dict[str, int]] = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                barrier.wait()
                while True:  # small batches, so that the two runners interleave
                    counts = services.jobs_run(limit=2).as_dict()
                    results.append(counts)
                    if not counts["claimed"]:
                        break
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
    else:
        # SQLite serialises writers; two runs one after the other must not repeat a job either.
        results = [services.jobs_run(limit=10).as_dict(), services.jobs_run(limit=10).as_dict()]
    assert sorted(Steps.runs) == sorted(ids)  # every job ran, none twice
    assert sum(r["claimed"] for r in results) == sum(r["succeeded"] for r in results) == 8
    assert set(BackgroundJob.objects.values_list("status", flat=True)) == {"succeeded"}
    assert set(BackgroundJob.objects.values_list("attempts", flat=True)) == {1}


def test_a_job_whose_lease_ran_out_is_claimed_again(people, steps_kind):
    job = services.job_create(actor=people.admin, kind="test_steps", params={})
    now = timezone.now()
    # A runner claimed it and died: running, with a lease that is still good ...
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", attempts=1,
                                                   lease_until=now + timedelta(seconds=30))
    assert run_all(now=now)["claimed"] == 0
    # ... and later, when it ran out.
    assert run_all(now=now + timedelta(minutes=1))["succeeded"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress_done) == ("succeeded", 2, 3)
    assert Steps.runs == [str(job.pk)]


def test_a_job_lost_three_times_fails(people, steps_kind):
    job = services.job_create(actor=people.admin, kind="test_steps", params={})
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job.pk).update(status="running", attempts=3, lease_until=now)
    assert run_all(now=now + timedelta(seconds=1)) == {"claimed": 0, "succeeded": 0, "failed": 1, "retried": 0,
                                                       "stopped": 0}
    job.refresh_from_db()
    assert job.status == "failed" and job.error["code"] == "job_lost" and Steps.runs == []


def test_a_run_that_lost_its_claim_stops_and_leaves_the_row_alone(people, steps_kind):
    def taken_over(job):  # another runner claimed it after this one's lease ran out
        BackgroundJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)

    Steps.hooks["taken"] = taken_over
    job = services.job_create(actor=people.admin, kind="test_steps", params={"hook": "taken"})
    assert run_all()["stopped"] == 1
    job.refresh_from_db()
    assert job.status == "running" and job.result is None


def test_run_job_runs_one_job_once(people, steps_kind):
    job = services.job_create(actor=people.admin, kind="test_steps", params={})
    assert services.job_run(job_id=job.pk).as_dict()["succeeded"] == 1
    assert services.job_run(job_id=job.pk).as_dict()["claimed"] == 0
    assert Steps.runs == [str(job.pk)]


def test_job_create_sends_run_job_after_commit_when_a_broker_is_configured(people, settings, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    from platform_core.background import tasks

    sent: list[Any] = []
    monkeypatch.setattr(tasks.run_job, "apply_async", lambda args=None, **kw: sent.append(args))
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_create(actor=people.admin, kind="audit_export", params={})
        assert sent == []
    assert sent == [[str(job.pk)]]
    settings.CELERY_BROKER_URL = None
    with django_capture_on_commit_callbacks(execute=True):
        services.job_create(actor=people.admin, kind="audit_export", params={})
    assert len(sent) == 1  # no broker: nothing sent (run_jobs picks it up)


def test_the_run_jobs_task_runs_eagerly(people, events):
    from platform_core.background import tasks

    job = services.job_create(actor=people.admin, kind="audit_export", params={"format": "csv"})
    result = tasks.run_jobs.apply()
    assert result.successful() and result.get()["succeeded"] == 1
    assert tasks.run_job.apply(args=[str(job.pk)]).get()["claimed"] == 0
    job.refresh_from_db()
    assert job.status == "succeeded"
