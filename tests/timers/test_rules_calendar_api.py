"""GET /api/v1/calendar/rules/: the working calendar the browser's rule engine uses."""

from datetime import date

import pytest

from runtime.timers import services
from runtime.workcalendar import WorkCalendar

pytestmark = pytest.mark.django_db


def test_statutory_days_and_company_overrides(client, org):
    assert client.get("/api/v1/calendar/rules/").status_code in (401, 403)
    client.force_login(org.user("anyone"))
    body = client.get("/api/v1/calendar/rules/?from=2026&to=2026").json()
    assert body["weekend"] == [5, 6]
    assert "2026-10-01" in body["holidays"]  # 国庆节, a Thursday
    assert "2026-10-10" in body["workdays"]  # the make-up Saturday (调休上班)
    assert all(date.fromisoformat(day).weekday() < 5 for day in body["holidays"])
    assert all(date.fromisoformat(day).weekday() >= 5 for day in body["workdays"])


def test_the_same_answers_as_the_server_calendar():
    calendar = WorkCalendar(extra_holidays=["2026-12-31"], extra_workdays=["2026-12-26"])
    body = services.calendar_for_rules(calendar, 2026, 2026)
    assert "2026-12-31" in body["holidays"] and "2026-12-26" in body["workdays"]
    day = date(2026, 1, 1)
    while day.year == 2026:
        text = day.isoformat()
        browser = text in body["workdays"] or (day.weekday() < 5 and text not in body["holidays"])
        assert browser == calendar.is_workday(day), text
        day = date.fromordinal(day.toordinal() + 1)


def test_bad_ranges_are_400(client, org):
    client.force_login(org.user("anyone"))
    assert client.get("/api/v1/calendar/rules/?from=abc").status_code == 400
    response = client.get("/api/v1/calendar/rules/?from=2000&to=2030")
    assert response.status_code == 400 and "error" in response.json()
