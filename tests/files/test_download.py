"""GET /api/v1/files/<id>/: the uploader, or a viewer of a request that shows the file in a visible field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.definitions.conftest import form_doc, money, purchase_flow
from tests.files.conftest import jpeg_with_exif, pdf
from tests.instances.conftest import pending

pytestmark = pytest.mark.django_db


def quote_form() -> dict[str, Any]:
    """采购申请 with a quotation (attachment) and site photos (image) that finance must not see."""
    return form_doc("采购申请", {
        "amount": money("金额", maximum=10_000_000),
        "quote": {"type": "array", "x-type": "attachment", "x-label": {"zh": "报价单"}},
        "photos": {"type": "array", "x-type": "image", "x-label": {"zh": "现场照片"}},
    }, ["amount"])


@pytest.fixture
def quote_app(org: Any, people: Any) -> Any:
    from runtime.definitions import services

    org.role("app_publisher", permissions=["apps.design", "apps.publish"])
    publisher = org.user("publisher", department=people.company, roles=["app_publisher"])
    flow = purchase_flow()
    for node in flow["nodes"]:
        if node["id"] == "finance":
            node["config"]["fields"] = {"amount": "read_only", "photos": "hidden"}
        if node["id"] == "head":
            node["config"]["fields"] = {"quote": "editable"}  # the head may add a quote while approving
    app = services.app_create(actor=publisher, key="quote", name="采购申请")
    services.draft_save(actor=publisher, app=app, expected_revision=1, form=quote_form(), flow=flow)
    services.app_publish(actor=publisher, app=app)
    app.refresh_from_db()
    return app


@pytest.fixture
def request_with_files(people: Any, upload: Any, quote_app: Any) -> Any:
    """The requester's purchase request with a quote (PDF) and a photo; east_lead (head) holds it."""
    from runtime.instances import services

    quote = upload(people.requester, "报价单.pdf", pdf()).json()
    photo = upload(people.requester, "现场.jpg", jpeg_with_exif(), purpose="image").json()
    data = {"amount": 3000, "quote": [{k: quote[k] for k in ("file_id", "name", "size", "content_type")}],
            "photos": [{"file_id": photo["file_id"], "name": photo["name"], "taken_at": photo["exif"]["taken_at"],
                        "location": {"lat": photo["exif"]["latitude"], "lng": photo["exif"]["longitude"]}}]}
    instance = services.instance_submit(actor=people.requester, app_key="quote", data=data).instance
    return instance, quote["file_id"], photo["file_id"]


def get(api_as: Any, user: Any, file_id: str) -> Any:
    return api_as(user).get(f"/api/v1/files/{file_id}/")


def body(res: Any) -> bytes:
    return b"".join(res.streaming_content)


def test_uploader_downloads_with_safe_headers(people: Any, upload: Any, api_as: Any) -> None:
    doc = upload(people.requester, "合同 v2.pdf", pdf()).json()
    res = get(api_as, people.requester, doc["file_id"])
    assert res.status_code == 200 and body(res) == pdf()
    assert res["Content-Type"] == "application/pdf"
    assert res["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''" in res["Content-Disposition"]
    assert res["X-Content-Type-Options"] == "nosniff"
    photo = upload(people.requester, "a.jpg", jpeg_with_exif(), purpose="image").json()
    res = get(api_as, people.requester, photo["file_id"])
    assert res.status_code == 200 and res["Content-Disposition"].startswith("inline;")
    assert res["Content-Type"] == "image/jpeg"


def test_colleague_cannot_download(people: Any, org: Any, upload: Any, api_as: Any) -> None:
    doc = upload(people.requester, "私人.pdf", pdf()).json()
    colleague = org.user("colleague", department=people.sales_east, roles=["employee"])
    res = get(api_as, colleague, doc["file_id"])
    assert res.status_code == 404 and res.json()["error"]["code"] == "file_not_found"
    assert get(api_as, colleague, "does-not-exist").json()["error"]["code"] == "file_not_found"


def test_approver_sees_files_of_the_request(people: Any, org: Any, api_as: Any, request_with_files: Any) -> None:
    instance, quote_id, photo_id = request_with_files
    assert get(api_as, people.east_lead, quote_id).status_code == 200
    assert get(api_as, people.east_lead, photo_id).status_code == 200
    colleague = org.user("colleague", department=people.sales_east, roles=["employee"])
    assert get(api_as, colleague, quote_id).status_code == 404


def test_hidden_field_file_refused(people: Any, api_as: Any, request_with_files: Any) -> None:
    """Finance acts where the photos are hidden: the quote downloads, the photo does not."""
    from runtime.instances import services

    instance, quote_id, photo_id = request_with_files
    (task,) = pending(instance, people.east_lead)
    services.task_act(actor=people.east_lead, task_id=task.pk, action="approve")
    assert pending(instance, people.accountant)
    assert get(api_as, people.accountant, quote_id).status_code == 200
    res = get(api_as, people.accountant, photo_id)
    assert res.status_code == 404 and res.json()["error"]["code"] == "file_not_found"


def test_reference_check(people: Any, upload: Any, quote_app: Any) -> None:
    """file_references_check: unknown ids and other people's files are refused; kept references pass."""
    from runtime.files.selectors import file_references_check
    from runtime.forms import SubmissionInvalid
    from runtime.instances.selectors import form_of

    spec = form_of(quote_app.published_version)
    mine = upload(people.requester, "a.pdf", pdf()).json()["file_id"]
    theirs = upload(people.east_lead, "b.pdf", pdf()).json()["file_id"]
    file_references_check(actor=people.requester, form_spec=spec, data={"quote": [{"file_id": mine}]})
    with pytest.raises(SubmissionInvalid) as caught:
        file_references_check(actor=people.requester, form_spec=spec,
                              data={"quote": [{"file_id": mine}, {"file_id": theirs}],
                                    "photos": [{"file_id": "nope"}]})
    codes = {(d["pointer"], d["code"]) for d in caught.value.details}
    assert codes == {("/quote/1", "file_not_yours"), ("/photos/0", "file_not_found")}
    file_references_check(actor=people.requester, form_spec=spec, data={"quote": [{"file_id": theirs}]},
                          previous={"quote": [{"file_id": theirs}]})


def test_submitting_someone_elses_file_is_refused(people: Any, upload: Any, api_as: Any, quote_app: Any) -> None:
    """A request may only attach the submitter's own uploads (a guessed id would leak the file)."""
    theirs = upload(people.east_lead, "报价单.pdf", pdf()).json()["file_id"]
    res = api_as(people.requester).post("/api/v1/instances/", {
        "app": "quote", "data": {"amount": 100, "quote": [{"file_id": theirs, "name": "x.pdf"}]},
    }, format="json")
    assert res.status_code == 400, res.content
    error = res.json()["error"]
    assert error["code"] == "submission_invalid"
    assert [(d["pointer"], d["code"]) for d in error["details"]] == [("/quote/0", "file_not_yours")]
    mine = upload(people.requester, "报价单.pdf", pdf()).json()["file_id"]
    ok = api_as(people.requester).post("/api/v1/instances/", {
        "app": "quote", "data": {"amount": 100, "quote": [{"file_id": mine, "name": "报价单.pdf"}]},
    }, format="json")
    assert ok.status_code == 201, ok.content


def test_requests_record_their_files_and_a_later_attachment_is_linked_too(
    api_as: Any, people: Any, upload: Any, request_with_files: Any
) -> None:
    from runtime.files.models import InstanceFile
    from runtime.instances import services

    instance, quote_id, photo_id = request_with_files
    assert set(InstanceFile.objects.filter(instance=instance).values_list("file_id", flat=True)) == {
        quote_id, photo_id}
    # The head attaches another quote while approving: linked in the same step.
    extra = upload(people.east_lead, "补充报价.pdf", pdf()).json()
    patch = {"quote": [*instance.data["quote"], {"file_id": extra["file_id"], "name": extra["name"]}]}
    services.task_act(actor=people.east_lead, task_id=pending(instance)[0].pk, action="approve",
                      payload={"form_patch": patch})
    assert InstanceFile.objects.filter(instance=instance, file_id=extra["file_id"]).exists()
    assert get(api_as, people.requester, extra["file_id"]).status_code == 200  # the requester sees the quote field


def test_a_file_removed_from_the_request_is_no_longer_downloadable_by_viewers(
    api_as: Any, people: Any, request_with_files: Any
) -> None:
    from runtime.instances.models import Instance

    instance, quote_id, _photo_id = request_with_files
    assert get(api_as, people.east_lead, quote_id).status_code == 200
    Instance.objects.filter(pk=instance.pk).update(data={"amount": 3000, "quote": [], "photos": []})
    assert get(api_as, people.east_lead, quote_id).status_code == 404  # linked once, but not in the data now
    assert get(api_as, people.requester, quote_id).status_code == 200  # the uploader always may
