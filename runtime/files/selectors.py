"""Reads of uploaded files: who may download one, and checks of the files a submission refers to."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Exists, OuterRef

from platform_core.errors import gettext_noop
from runtime.files.exceptions import StoredFileDoesNotExist
from runtime.files.models import InstanceFile, StoredFile
from runtime.forms import FormSpec, SubmissionInvalid
from runtime.instances.models import Instance
from runtime.instances.selectors import rights_for_viewer, visible_form_data, visible_q

FILE_NOT_FOUND = gettext_noop("The file %(file_id)s was not uploaded (or was removed); upload it again.")
FILE_NOT_YOURS = gettext_noop("The file %(file_id)s was uploaded by someone else; upload your own copy.")
# How many of the viewer's requests linked to a file are examined (newest first). A file
# id is random, so more than a few links means the same file was reused on several
# requests; the first one that shows it to the viewer decides.
MAX_REFERRING_INSTANCES = 20


def file_get_for(user: Any, file_id: Any) -> StoredFile:
    """The file if ``user`` may download it: they uploaded it, or it sits in a field they can see
    on a request they can see. Anything else (or no such file) is StoredFileDoesNotExist."""
    if not isinstance(file_id, str) or not file_id or len(file_id) > 64:
        raise StoredFileDoesNotExist()
    stored = StoredFile.objects.filter(file_id=file_id).first()
    if stored is None:
        raise StoredFileDoesNotExist()
    if user.pk is not None and stored.uploaded_by_id == user.pk:
        return stored
    if file_visible_in_requests(user, file_id):
        return stored
    raise StoredFileDoesNotExist()


def file_visible_in_requests(user: Any, file_id: str) -> bool:
    """Whether a request ``user`` may see holds ``file_id`` in the data visible to them.

    The requests that ever referred to the file are linked (``InstanceFile``); each linked
    request the user may see is checked with the viewer's field rights against its current
    data: a file in a field hidden from the viewer, or one a later step removed, is not
    theirs to download. Bounded: the newest MAX_REFERRING_INSTANCES linked requests.
    """
    linked = InstanceFile.objects.filter(instance=OuterRef("pk"), file_id=file_id)
    candidates = (
        Instance.objects.filter(visible_q(user)).filter(Exists(linked))
        .select_related("app_version")
        .order_by("-id")[:MAX_REFERRING_INSTANCES]
    )
    for instance in candidates:
        visible = visible_form_data(instance, rights_for_viewer(instance, user))
        if file_id in set(file_ids_in(visible)):
            return True
    return False


def file_ids_in(value: Any) -> Iterator[str]:
    """Every ``file_id`` of file references anywhere in ``value`` (form data, rows, lists)."""
    if isinstance(value, Mapping):
        ref = value.get("file_id")
        if isinstance(ref, str):
            yield ref
        for item in value.values():
            if isinstance(item, Mapping | list):
                yield from file_ids_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from file_ids_in(item)


def _file_refs(spec: FormSpec, data: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """``(pointer, field path, file_id)`` of every file field's references in ``data``."""
    for path, info in spec.fields.items():
        if info.value_kind != "file":
            continue
        if info.parent is None:
            values = [(f"/{info.name}", data.get(info.name))]
        else:
            rows = data.get(info.parent)
            values = [(f"/{info.parent}/{i}/{info.name}", row.get(info.name))
                      for i, row in enumerate(rows if isinstance(rows, list) else []) if isinstance(row, Mapping)]
        for pointer, value in values:
            refs = value if isinstance(value, list) else [value]
            for index, ref in enumerate(refs):
                if isinstance(ref, Mapping) and isinstance(ref.get("file_id"), str):
                    where = f"{pointer}/{index}" if isinstance(value, list) else pointer
                    yield where, path, ref["file_id"]


def file_references_check(*, actor: Any, form_spec: FormSpec, data: Mapping[str, Any],
                          previous: Mapping[str, Any] | None = None) -> None:
    """Refuse form data whose file fields refer to files that do not exist (``file_not_found``) or
    that someone else uploaded (``file_not_yours``); references already in ``previous`` are kept.

    Raises SubmissionInvalid with per-field details in the shape ``validate_submission`` uses.
    runtime/instances/services.py calls it on submit, resubmit and approval patches (the
    engine validates those without the database, so the check runs before the engine step).
    """
    refs = list(_file_refs(form_spec, data))
    if not refs:
        return
    kept = set(file_ids_in(dict(previous or {})))
    owners = dict(StoredFile.objects.filter(file_id__in={r[2] for r in refs}).values_list("file_id", "uploaded_by_id"))
    errors = []
    for pointer, path, file_id in refs:
        if file_id in kept:
            continue
        if file_id not in owners:
            code, message = "file_not_found", FILE_NOT_FOUND
        elif owners[file_id] != getattr(actor, "pk", None):
            code, message = "file_not_yours", FILE_NOT_YOURS
        else:
            continue
        errors.append({"pointer": pointer, "field": path, "code": code, "message": message,
                       "params": {"file_id": file_id}})
    if errors:
        raise SubmissionInvalid(details=errors)
