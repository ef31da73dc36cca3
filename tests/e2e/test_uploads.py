"""Uploads in a real browser: a phone photo with EXIF time and place goes up when chosen,
shows its thumbnail and caption, and the submitted request holds the stored file's id with
the photo's taken_at and location."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.e2e.test_start_page import PASSWORD, _choose, _no_overflow, _shot, demo  # noqa: F401 - fixture
from tests.files.conftest import jpeg_with_exif


@pytest.mark.django_db(transaction=True)
def test_a_phone_photo_with_exif_on_a_leave_request(demo: None, media_root: Any, signed_in: Any, artifact: Any,  # noqa: F811
                                                    live_server: Any, tmp_path: Any) -> None:
    from runtime.files.models import StoredFile
    from runtime.instances.models import Instance

    page = signed_in("lina", width=375, height=740, password=PASSWORD)
    page.goto(f"{live_server.url}/app/start/leave")
    page.locator("[data-testid=field-leave_type]").wait_for()
    _choose(page, "leave_type", "病假")
    today = date.today().isoformat()
    for picker in ("#qb-field-period", "#qb-field-period-end"):
        page.click(picker)
        page.locator(f".ant-picker-dropdown:not(.ant-picker-dropdown-hidden) td[title='{today}']").last.click()
        page.wait_for_timeout(400)  # the panel's closing animation

    # On a phone the photo input opens the camera.
    chooser = page.locator("[data-testid=upload-input-attachments]")
    assert chooser.get_attribute("accept") == "image/*"
    assert chooser.get_attribute("capture") == "environment"
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(jpeg_with_exif((64, 48)))
    chooser.set_input_files(str(photo))

    field = page.locator("[data-testid=field-attachments]")
    field.locator(".qb-fr-exif", has_text="拍摄于 2026-03-01 09:30 · 31.2340, 121.4750").wait_for()
    stored = StoredFile.objects.get()
    assert (stored.name, stored.content_type, stored.purpose) == ("现场.jpg", "image/jpeg", "image")
    thumbnail = field.locator("img.ant-upload-list-item-image")
    assert thumbnail.get_attribute("src") == f"/api/v1/files/{stored.file_id}/"
    assert page.evaluate("(img) => img.complete && img.naturalWidth", thumbnail.element_handle()) == 64
    name = field.locator("a.ant-upload-list-item-name")
    assert name.inner_text() == "现场.jpg"
    assert name.get_attribute("target") == "_blank"
    assert _no_overflow(page)
    _shot(page, artifact("start-leave-photo-375.png"))

    page.click("[data-testid=submit]")
    page.get_by_text("已提交").wait_for()
    instance = Instance.objects.get(app__key="leave")
    assert instance.data["attachments"] == [{
        "file_id": stored.file_id, "name": "现场.jpg", "size": stored.size, "content_type": "image/jpeg",
        "taken_at": "2026-03-01T09:30:00+08:00", "location": {"lat": 31.234, "lng": 121.475},
    }]
    assert page.js_errors == []
