"""Uploads nobody used (a form abandoned, a photo removed before sending) are deleted after a week."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from runtime.files.models import StoredFile
from runtime.files.services import files_purge_orphans
from tests.files.conftest import pdf
from tests.instances.conftest import publisher, purchase_app  # noqa: F401, F811 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def aged(file_id: str, days: float) -> StoredFile:
    StoredFile.objects.filter(file_id=file_id).update(created_at=timezone.now() - timedelta(days=days))
    return StoredFile.objects.get(file_id=file_id)


def test_old_orphans_go_used_drafted_and_young_files_stay(people: Any, upload: Any, api_as: Any,
                                                          purchase_app: Any, settings: Any) -> None:  # noqa: F811
    from runtime.instances import services

    def make(name: str) -> str:
        response = upload(people.requester, name, pdf())
        assert response.status_code == 201, response.content
        return response.json()["file_id"]

    orphan, young, drafted, sent = make("orphan.pdf"), make("young.pdf"), make("draft.pdf"), make("sent.pdf")
    # "sent" is part of a request (the purchase form of these tests has no file field, so link it the way a
    # step does); sending deletes the sender's draft, so the draft comes after.
    from runtime.files.services import file_links_add

    instance = services.instance_submit(actor=people.requester, app_key="purchase",
                                        data={"amount": 100, "reason": "显示器"}).instance
    file_links_add(instance.pk, [sent])
    ref = {"file_id": drafted, "name": "draft.pdf"}
    assert api_as(people.requester).put("/api/v1/drafts/purchase/", {"data": {"reason": "x", "files": [ref]}},
                                        format="json").status_code == 200
    for file_id in (orphan, drafted, sent):
        aged(file_id, 8)
    aged(young, 2)
    orphan_path = StoredFile.objects.get(file_id=orphan).storage_path
    assert default_storage.exists(orphan_path)

    counts = files_purge_orphans()
    assert (counts.examined, counts.deleted, counts.kept_in_drafts) == (2, 1, 1)
    assert set(StoredFile.objects.values_list("file_id", flat=True)) == {young, drafted, sent}
    assert not default_storage.exists(orphan_path)
    assert files_purge_orphans().deleted == 0  # nothing more to do
    settings.QIAOBAN_FILE_ORPHAN_DAYS = 1
    assert files_purge_orphans().deleted == 1  # now "young" is old enough
