"""The company working calendar: API, permissions, audit, and the engine using it at once."""

from __future__ import annotations

from platform_core.audit.models import AuditEvent
from runtime.timers.models import Timer
from tests.timers.conftest import at


def test_days_crud_is_audited_and_needs_org_manage(people, api_as):
    admin = api_as(people.admin)
    created = admin.post("/api/v1/calendar/days/", {"date": "2026-10-09", "kind": "holiday", "name": "公司福利假"},
                         format="json")
    assert created.status_code == 201, created.json()
    day = created.json()
    assert day == {"id": day["id"], "date": "2026-10-09", "kind": "holiday", "name": "公司福利假"}
    again = admin.post("/api/v1/calendar/days/", {"date": "2026-10-09", "kind": "workday"}, format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "calendar_day_invalid"
    bad = admin.post("/api/v1/calendar/days/", {"date": "someday", "kind": "holiday"}, format="json")
    assert bad.status_code == 400 and "error" in bad.json()
    changed = admin.patch(f"/api/v1/calendar/days/{day['id']}/", {"name": "调休"}, format="json")
    assert changed.status_code == 200 and changed.json()["name"] == "调休"
    listed = api_as(people.requester).get("/api/v1/calendar/days/?year=2026")
    assert listed.status_code == 200 and [d["date"] for d in listed.json()] == ["2026-10-09"]
    denied = api_as(people.requester).post("/api/v1/calendar/days/", {"date": "2026-10-12", "kind": "holiday"},
                                           format="json")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    assert api_as(people.admin).delete(f"/api/v1/calendar/days/{day['id']}/").status_code == 204
    missing = api_as(people.admin).delete(f"/api/v1/calendar/days/{day['id']}/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "calendar_day_not_found"
    actions = list(AuditEvent.objects.filter(target_type="calendar_day").order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["calendar.day_create", "calendar.day_update", "calendar.day_delete"]


def test_working_hours(people, api_as):
    assert api_as(people.requester).get("/api/v1/calendar/working-hours/").json() == {"start": "09:00",
                                                                                     "end": "18:00"}
    admin = api_as(people.admin)
    put = admin.put("/api/v1/calendar/working-hours/", {"start": "08:30", "end": "17:30"}, format="json")
    assert put.status_code == 200 and put.json() == {"start": "08:30", "end": "17:30"}
    wrong = admin.put("/api/v1/calendar/working-hours/", {"start": "18:00", "end": "09:00"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "working_hours_invalid"
    assert AuditEvent.objects.filter(action="calendar.working_hours").count() == 1
    from runtime.timers.services import calendar_load

    calendar = calendar_load()
    assert (calendar.work_start.isoformat(), calendar.work_end.isoformat()) == ("08:30:00", "17:30:00")


def test_the_engine_uses_company_days_from_the_next_step(people, api_as, make_app, submit_at):
    make_app("c1", [{"kind": "escalate", "after_working_days": 3, "to": "manager"}])
    first = submit_at(people.requester, "c1", at("2026-09-30 10:00"))
    assert Timer.objects.get(instance=first).due_at == at("2026-10-10 10:00")
    admin = api_as(people.admin)
    # an extra company holiday on Fri 9 Oct and no make-up Saturday: Thu 8, Mon 12, Tue 13
    assert admin.post("/api/v1/calendar/days/", {"date": "2026-10-09", "kind": "holiday"},
                      format="json").status_code == 201
    assert admin.post("/api/v1/calendar/days/", {"date": "2026-10-10", "kind": "holiday"},
                      format="json").status_code == 201
    second = submit_at(people.requester, "c1", at("2026-09-30 10:00"))
    assert Timer.objects.get(instance=second).due_at == at("2026-10-13 10:00")
    # a company working Sunday counts
    assert admin.post("/api/v1/calendar/days/", {"date": "2026-10-11", "kind": "workday"},
                      format="json").status_code == 201
    third = submit_at(people.requester, "c1", at("2026-09-30 10:00"))
    assert Timer.objects.get(instance=third).due_at == at("2026-10-12 10:00")


def test_backup_must_be_another_active_user(people, api_as, org):
    admin = api_as(people.admin)
    url = f"/api/v1/users/{people.east_lead.pk}/"
    own = admin.patch(url, {"backup": people.east_lead.pk}, format="json")
    assert own.status_code == 400 and "error" in own.json()
    gone = org.user("left_company", department=people.sales, is_active=False)
    inactive = admin.patch(url, {"backup": gone.pk}, format="json")
    assert inactive.status_code == 400 and "error" in inactive.json()
    ok = admin.patch(url, {"backup": people.hr_head.pk}, format="json")
    assert ok.status_code == 200 and ok.json()["backup"]["id"] == people.hr_head.pk
    audit = AuditEvent.objects.filter(action="user.update", target_id=str(people.east_lead.pk)).last()
    assert audit.after == {"backup_id": people.hr_head.pk}
    cleared = admin.patch(url, {"backup": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["backup"] is None
    denied = api_as(people.requester).patch(url, {"backup": people.gm.pk}, format="json")
    assert denied.status_code == 403


def test_backup_service_check(people):
    import pytest

    from platform_core.org import services
    from platform_core.org.services import BackupInvalid

    with pytest.raises(BackupInvalid):
        services.user_update(actor=None, system=True, user=people.east_lead, backup=people.east_lead)
