"""Users' e-mail and phone reach audit readers only masked, in the list and in both exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from platform_core.audit.models import AuditEvent
from platform_core.org.services import mask_email, mask_phone

pytestmark = pytest.mark.django_db

EMAIL, PHONE = "li.na@example.com", "13812345678"
NEW_EMAIL, NEW_PHONE = "lina.work@corp.example.cn", "+86 139 8765 4321"
CLEAR = (EMAIL, PHONE, NEW_EMAIL, NEW_PHONE, "li.na@", "lina.work@", "12345678", "8765 4321")


@pytest.fixture
def contact_user(api_as, people):
    """A user created and then updated through the org API with e-mail and phone."""
    client = api_as(people.admin)
    created = client.post("/api/v1/users/", {"username": "lina2", "display_name": "李娜二", "email": EMAIL,
                                             "phone": PHONE}, format="json")
    assert created.status_code == 201, created.json()
    user_id = created.json()["id"]
    updated = client.patch(f"/api/v1/users/{user_id}/", {"email": NEW_EMAIL, "phone": NEW_PHONE}, format="json")
    assert updated.status_code == 200, updated.json()
    return user_id


def test_masks():
    assert mask_email(EMAIL) == "l***@example.com"
    assert mask_phone(PHONE) == "138****5678"
    assert mask_phone("12345") == "****"


def test_the_stored_events_hold_masked_values_and_say_what_changed(contact_user):
    events = list(AuditEvent.objects.filter(target_type="user", target_id=str(contact_user)).order_by("seq"))
    assert [e.action for e in events] == ["user.create", "user.update"]
    create, update = events
    assert create.after["email"] == "l***@example.com" and create.after["phone"] == "138****5678"
    assert create.after["masked"] == ["email", "phone"]
    assert update.before == {"email": "l***@example.com", "phone": "138****5678", "masked": ["email", "phone"]}
    assert update.after == {"email": "l***@corp.example.cn", "phone": "+86****4321", "masked": ["email", "phone"]}


def test_an_unchanged_or_empty_contact_is_not_invented(api_as, people, contact_user):
    response = api_as(people.admin).patch(f"/api/v1/users/{contact_user}/", {"display_name": "李娜三", "phone": ""},
                                          format="json")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(target_type="user", target_id=str(contact_user)).latest("seq")
    assert event.before == {"display_name": "李娜二", "phone": "+86****4321", "masked": ["phone"]}
    assert event.after == {"display_name": "李娜三", "phone": ""}


def test_audit_readers_never_get_the_clear_values(api_as, people, contact_user):
    client = api_as(people.admin)
    listing = client.get("/api/v1/audit/events/", {"target_type": "user", "target_id": str(contact_user)})
    assert listing.status_code == 200
    csv_export = client.get("/api/v1/audit/events/export/", {"format": "csv", "target_type": "user"})
    xlsx_export = client.get("/api/v1/audit/events/export/", {"format": "xlsx", "target_type": "user"})
    assert csv_export.status_code == xlsx_export.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx_export.content)).active
    xlsx_text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    for text in (listing.content.decode(), csv_export.content.decode("utf-8-sig"), xlsx_text):
        for clear in CLEAR:
            assert clear not in text, clear
        for masked in ("l***@example.com", "138****5678", "l***@corp.example.cn", "+86****4321"):
            assert masked in text, masked


def test_the_chain_still_verifies(api_as, people, contact_user):
    response = api_as(people.admin).get("/api/v1/audit/verify/")
    assert response.json() == {"intact": True, "first_broken_seq": None, "events": AuditEvent.objects.count()}
