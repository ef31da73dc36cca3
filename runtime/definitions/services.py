"""Writes to apps, drafts and versions: the only way other code changes them.

Every service takes ``*, actor`` (system callers pass ``system=True``), checks the
permission through ``platform_core.org.permissions``, runs in one transaction and
appends an audit event. Reads that designers run (verify, diff, simulate) check the
permission but write nothing.

Lock order: the ``App`` row first (``select_for_update``), then its draft. Publishing,
rolling back and saving the draft all take the app row, so version numbers are assigned
one at a time and a draft is never saved halfway through a publish.

Published versions are never written again: no service updates an ``AppVersion``, and
the model refuses it too (``VersionImmutable``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from platform_core.audit.services import RequestMeta, audit_record
from platform_core.errors import PermissionDenied, PlatformError
from platform_core.org.directory import DjangoOrgDirectory
from platform_core.org.models import Department, Role, User
from platform_core.org.permissions import (
    APPS_DESIGN,
    APPS_PUBLISH,
    DICTIONARY_MANAGE,
    has_permission,
    require_permission,
)
from runtime.definitions import dictionaries, portable, selectors
from runtime.definitions.diff import diff_definitions
from runtime.definitions.documents import check_document, dictionary_keys, starter_flow, starter_form
from runtime.definitions.exceptions import (
    AppArchived,
    AppKeyInvalid,
    AppNotPublished,
    BpmnExportInvalid,
    DraftConflict,
    PublishRefused,
    RollbackInvalid,
    SimulationInvalid,
    VisibilityInvalid,
)
from runtime.definitions.models import WRAPPER_SCHEMA_VERSION, App, AppDraft, AppVersion
from runtime.definitions.simulation import dress_result, prepare_data
from runtime.definitions.verification import has_errors, localize, verify_documents
from runtime.flows import FlowInvalid, simulate, simulate_batch
from runtime.flows.bpmn import export_bpmn
from runtime.forms import FormSpec, form_spec_cache

KEY_RE = re.compile(r"[a-z][a-z0-9_-]{1,63}", re.ASCII)
RESERVED_KEYS = frozenset({"import", "new"})  # would shadow list routes under /api/v1/apps/
APP_FIELDS = ("key", "name", "name_en", "icon", "category", "description", "owner_id", "visibility", "is_archived")
UPDATABLE = frozenset({"name", "name_en", "icon", "category", "description", "visibility", "owner"})


# --- helpers --------------------------------------------------------------------------------

def _require(actor: Any, code: str, system: bool = False) -> None:
    if not system:
        require_permission(actor, code)


def _require_designer(actor: Any, system: bool = False) -> None:
    if not system and not selectors.is_designer(actor):
        raise PermissionDenied()


def _user_or_none(actor: Any) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def _lock(app: App) -> App:
    return App.objects.select_for_update().get(pk=app.pk)


def _snapshot(app: App) -> dict[str, Any]:
    return {name: getattr(app, name) for name in APP_FIELDS}


def _fingerprint(document: Any, *, full: bool = False) -> str:
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest if full else digest[:16]


def _audit(
    actor: Any, action: str, app: App, *, meta: RequestMeta | None, before: Any = None, after: Any = None
) -> None:
    audit_record(
        actor=actor, action=action, target_type="app", target_id=app.pk, target_label=app.key,
        before=before, after=after, meta=meta,
    )


def check_key(key: Any) -> str:
    """Return the key if it is well-formed, free and not reserved; else raise AppKeyInvalid."""
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise AppKeyInvalid(params={"key": key}, details={"key": key})
    if key in RESERVED_KEYS:
        raise AppKeyInvalid(AppKeyInvalid.RESERVED, params={"key": key}, details={"key": key})
    if App.objects.filter(key=key).exists():
        raise AppKeyInvalid(AppKeyInvalid.TAKEN, params={"key": key}, details={"key": key})
    return key


def normalize_visibility(value: Any) -> dict[str, Any]:
    """Return visibility as stored (sorted unique ids/codes), refusing unknown departments, roles and users."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping) or set(value) - {"schema_version", "departments", "roles", "users"}:
        raise VisibilityInvalid(params={"unknown": ", ".join(sorted(set(value) if isinstance(value, Mapping) else []))})
    unknown: dict[str, list[Any]] = {}

    def ids(name: str, model: Any) -> list[int]:
        raw = value.get(name) or []
        if not isinstance(raw, list):
            unknown[name] = [raw]
            return []
        wanted = {v for v in raw if isinstance(v, int) and not isinstance(v, bool)}
        wanted |= {int(v) for v in raw if isinstance(v, str) and v.isdigit()}
        found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        bad = [v for v in raw if _as_int(v) not in found]
        if bad:
            unknown[name] = bad
        return sorted(found)

    departments = ids("departments", Department)
    users = ids("users", User)
    raw_roles = value.get("roles") or []
    roles: list[str] = []
    if isinstance(raw_roles, list):
        wanted_roles = {r for r in raw_roles if isinstance(r, str)}
        roles = sorted(Role.objects.filter(code__in=wanted_roles).values_list("code", flat=True))
        bad_roles = [r for r in raw_roles if r not in roles]
        if bad_roles:
            unknown["roles"] = bad_roles
    else:
        unknown["roles"] = [raw_roles]
    if unknown:
        text = "; ".join(f"{name}: {', '.join(str(v) for v in vals)}" for name, vals in sorted(unknown.items()))
        raise VisibilityInvalid(params={"unknown": text}, details={"visibility": unknown})
    return {"schema_version": WRAPPER_SCHEMA_VERSION, "departments": departments, "roles": roles, "users": users}


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- apps ---------------------------------------------------------------------------------

def app_create(
    *, actor: Any, key: str, name: str, name_en: str = "", icon: str = "", category: str = "",
    description: str = "", visibility: Mapping[str, Any] | None = None, owner: User | None = None,
    form: Mapping[str, Any] | None = None, flow: Mapping[str, Any] | None = None, system: bool = False,
    meta: RequestMeta | None = None,
) -> App:
    """Create an app with a starter form (no fields) and flow (start → department head → end)."""
    _require(actor, APPS_DESIGN, system)
    check_key(key)
    stored_visibility = normalize_visibility(visibility)
    form_doc = check_document(form, "form") if form is not None else starter_form(name, name_en)
    flow_doc = check_document(flow, "flow") if flow is not None else starter_flow()
    try:
        with transaction.atomic():
            app = App.objects.create(
                key=key, name=name, name_en=name_en, icon=icon, category=category, description=description,
                owner=owner or _user_or_none(actor), visibility=stored_visibility, draft_revision=1,
            )
            AppDraft.objects.create(app=app, form=form_doc, flow=flow_doc, revision=1, updated_by=_user_or_none(actor))
            _audit(actor, "app.create", app, meta=meta, after=_snapshot(app))
    except IntegrityError:
        # Two creations with the same key raced past check_key.
        raise AppKeyInvalid(AppKeyInvalid.TAKEN, params={"key": key}, details={"key": key}) from None
    return app


def app_update(*, actor: Any, app: App, meta: RequestMeta | None = None, **changes: Any) -> App:
    """Change an app's metadata or visibility (the key never changes: other apps and links use it)."""
    _require(actor, APPS_DESIGN)
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    if "visibility" in changes:
        changes["visibility"] = normalize_visibility(changes["visibility"])
    with transaction.atomic():
        locked = _lock(app)
        before = _snapshot(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save()
        after = _snapshot(locked)
        keys = [k for k in after if before[k] != after[k]]
        if keys:
            _audit(actor, "app.update", locked, meta=meta, before={k: before[k] for k in keys},
                   after={k: after[k] for k in keys})
    return locked


def app_copy(
    *, actor: Any, app: App, key: str, name: str | None = None, name_en: str | None = None,
    meta: RequestMeta | None = None,
) -> App:
    """A new app with the source's metadata and a copy of its draft (no versions)."""
    _require(actor, APPS_DESIGN)
    check_key(key)
    source = selectors.draft_get(app)
    with transaction.atomic():
        copy = App.objects.create(
            key=key, name=name or app.name, name_en=app.name_en if name_en is None else name_en, icon=app.icon,
            category=app.category, description=app.description, owner=_user_or_none(actor),
            visibility=app.visibility, draft_revision=1,
        )
        AppDraft.objects.create(
            app=copy, form=source.form, flow=source.flow, revision=1, updated_by=_user_or_none(actor)
        )
        _audit(actor, "app.copy", copy, meta=meta, after=_snapshot(copy) | {"copied_from": app.key})
    return copy


def _set_archived(actor: Any, app: App, archived: bool, meta: RequestMeta | None) -> App:
    _require(actor, APPS_DESIGN)
    with transaction.atomic():
        locked = _lock(app)
        if locked.is_archived != archived:
            locked.is_archived = archived
            locked.save(update_fields=["is_archived", "updated_at"])
            _audit(actor, "app.archive" if archived else "app.unarchive", locked, meta=meta,
                   before={"is_archived": not archived}, after={"is_archived": archived})
    return locked


def app_archive(*, actor: Any, app: App, meta: RequestMeta | None = None) -> App:
    """Archive an app: nobody can start it any more; running requests are not affected."""
    return _set_archived(actor, app, True, meta)


def app_unarchive(*, actor: Any, app: App, meta: RequestMeta | None = None) -> App:
    """Restore an archived app."""
    return _set_archived(actor, app, False, meta)


# --- the draft ----------------------------------------------------------------------------

def _conflict(draft: AppDraft, expected: int) -> DraftConflict:
    who = draft.updated_by
    return DraftConflict(
        params={"user": str(who) if who else "?", "current": draft.revision, "expected": expected},
        details={
            "current_revision": draft.revision,
            "expected_revision": expected,
            "updated_by": {"id": who.pk, "name": who.name} if who else None,
            "updated_at": draft.updated_at.isoformat(),
        },
    )


def draft_save(
    *, actor: Any, app: App, expected_revision: int, form: Any = None, flow: Any = None,
    meta: RequestMeta | None = None,
) -> AppDraft:
    """Save the form and/or flow document of the draft if nobody saved since ``expected_revision``.

    Drafts may be incomplete or wrong (verification says what to fix); they only have to
    be JSON objects with a ``schema_version`` of at most 1 MB each.
    """
    _require(actor, APPS_DESIGN)
    documents = {}
    if form is not None:
        documents["form"] = check_document(form, "form")
    if flow is not None:
        documents["flow"] = check_document(flow, "flow")
    with transaction.atomic():
        locked = _lock(app)
        if locked.is_archived:
            raise AppArchived(params={"app": locked.name})
        draft = AppDraft.objects.select_for_update(of=("self",)).select_related("updated_by").get(app=locked)
        if draft.revision != expected_revision:
            raise _conflict(draft, expected_revision)
        if not documents:
            return draft
        previous = draft.revision
        changed = sorted(name for name, doc in documents.items() if getattr(draft, name) != doc)
        for name, doc in documents.items():
            setattr(draft, name, doc)
        draft.revision = previous + 1
        draft.updated_by = _user_or_none(actor)
        draft.save()
        locked.draft_revision = draft.revision
        locked.save(update_fields=["draft_revision", "updated_at"])
        _audit(
            actor, "app.draft_save", locked, meta=meta, before={"revision": previous},
            after={"revision": draft.revision, "changed": changed}
            | {f"{name}_fingerprint": _fingerprint(doc) for name, doc in documents.items()},
        )
    return draft


# --- verification and publishing --------------------------------------------------------------

def _verify(form: Any, flow: Any) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Raw issues plus the current snapshot of the dictionary entries the form uses (None: no dictionary)."""
    snapshot = dictionaries.snapshot(dictionary_keys(form))
    return verify_documents(form, flow, org=DjangoOrgDirectory(), dictionary=snapshot), snapshot


def app_verify(*, actor: Any, app: App) -> list[dict[str, Any]]:
    """Check the draft as publishing would; issues have a translated ``message`` (errors first)."""
    _require(actor, APPS_DESIGN)
    draft = selectors.draft_get(app)
    issues, _ = _verify(draft.form, draft.flow)
    return localize(issues)


def _freeze(
    actor: Any, app: App, form: Any, flow: Any, *, draft_revision: int, note: str,
    rolled_back_from: AppVersion | None,
) -> AppVersion:
    issues, snapshot = _verify(form, flow)
    if has_errors(issues):
        errors = [i for i in issues if i["severity"] == "error"]
        raise PublishRefused(params={"count": len(errors)}, details=localize(issues))
    version = AppVersion.objects.create(
        app=app,
        number=selectors.version_latest_number(app) + 1,
        form=form,
        flow=flow,
        dictionary={"schema_version": WRAPPER_SCHEMA_VERSION, "entries": snapshot or {}},
        warnings={"schema_version": WRAPPER_SCHEMA_VERSION, "issues": issues},
        draft_revision=draft_revision,
        published_by=_user_or_none(actor),
        published_at=timezone.now(),
        note=note,
        rolled_back_from=rolled_back_from,
    )
    app.published_version = version
    app.save(update_fields=["published_version", "updated_at"])
    return version


def app_publish(
    *, actor: Any, app: App, note: str = "", expected_revision: int | None = None, meta: RequestMeta | None = None
) -> AppVersion:
    """Verify the draft and freeze it as the next version, pinning the dictionary entries the form uses.

    Any verification error refuses with ``PublishRefused`` (details: every issue). With
    ``expected_revision`` the publish is refused if the draft changed since it was reviewed.
    """
    _require(actor, APPS_PUBLISH)
    with transaction.atomic():
        locked = _lock(app)
        if locked.is_archived:
            raise AppArchived(params={"app": locked.name})
        draft = AppDraft.objects.select_related("updated_by").get(app=locked)
        if expected_revision is not None and draft.revision != expected_revision:
            raise _conflict(draft, expected_revision)
        version = _freeze(actor, locked, draft.form, draft.flow, draft_revision=draft.revision, note=note,
                          rolled_back_from=None)
        _audit(actor, "app.publish", locked, meta=meta,
               after={"version": version.number, "draft_revision": draft.revision, "note": note,
                      "warnings": len(version.warning_issues)})
    return version


def version_rollback(
    *, actor: Any, app: App, number: int, note: str = "", expected_revision: int | None = None,
    meta: RequestMeta | None = None,
) -> AppVersion:
    """Publish a copy of version ``number`` as a new version and reset the draft to it.

    The copy is verified against today's organisation and dictionary (and pins today's
    snapshot of the dictionary: disabled codes stay disabled). The draft's unpublished
    changes are replaced; pass ``expected_revision`` to refuse if it changed since viewed.
    """
    _require(actor, APPS_PUBLISH)
    with transaction.atomic():
        locked = _lock(app)
        if locked.is_archived:
            raise AppArchived(params={"app": locked.name})
        previous_id = locked.published_version_id
        source = selectors.version_get(locked, number)
        if locked.published_version_id == source.pk:
            raise RollbackInvalid(params={"number": source.number})
        draft = AppDraft.objects.select_for_update(of=("self",)).select_related("updated_by").get(app=locked)
        if expected_revision is not None and draft.revision != expected_revision:
            raise _conflict(draft, expected_revision)
        revision = draft.revision + 1
        version = _freeze(
            actor, locked, source.form, source.flow, draft_revision=revision,
            note=note, rolled_back_from=source,
        )
        draft.form, draft.flow = source.form, source.flow
        draft.revision = revision
        draft.updated_by = _user_or_none(actor)
        draft.save()
        locked.draft_revision = revision
        locked.save(update_fields=["draft_revision", "updated_at"])
        _audit(actor, "app.rollback", locked, meta=meta,
               before={"published_version_id": previous_id, "draft_revision": revision - 1},
               after={"version": version.number, "rolled_back_from": source.number, "draft_revision": revision})
    return version


# --- reads designers run ---------------------------------------------------------------------

Which = int | str  # a version number, "draft" or "published"


def _documents(app: App, which: Which) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None, str]:
    """(form, flow, dictionary snapshot, label) of the draft, the published version or version n."""
    if which == "draft":
        draft = selectors.draft_get(app)
        snapshot = dictionaries.snapshot(dictionary_keys(draft.form))
        return draft.form, draft.flow, snapshot, "draft"
    if which == "published":
        if app.published_version_id is None:
            raise AppNotPublished()
        which = app.published_version.number if app.published_version else 0
    version = selectors.version_get(app, which)
    return version.form, version.flow, version.dictionary_entries, str(version.number)


def version_diff(*, actor: Any, app: App, a: Which, b: Which) -> dict[str, Any]:
    """Fields, nodes and edges added, removed and changed from ``a`` to ``b`` (numbers, "draft", "published")."""
    _require_designer(actor)
    form_a, flow_a, _, label_a = _documents(app, a)
    form_b, flow_b, _, label_b = _documents(app, b)
    return {"a": label_a, "b": label_b} | diff_definitions({"form": form_a, "flow": flow_a},
                                                          {"form": form_b, "flow": flow_b})


def _form_spec(form: Any) -> FormSpec | None:
    """The loaded form, cached by content (so a version compiles once); None when it does not load."""
    try:
        return form_spec_cache.get(("definitions", _fingerprint(form, full=True)), form)
    except PlatformError:  # an invalid draft form: simulate the flow on the raw data
        return None


def app_simulate(
    *, actor: Any, app: App, data: Mapping[str, Any], initiator: Any, urgent: bool = False,
    version: Which = "draft", department: Any = None, picks: Mapping[str, list[Any]] | None = None,
    decisions: Mapping[str, str] | None = None, now: str | None = None,
) -> dict[str, Any]:
    """The path a request would take (approvers with names and why, conditions, timers); writes nothing.

    ``data`` is filled leniently: computed fields are worked out even when the sample is
    not a valid submission, and the submission errors are returned with the result.
    """
    _require(actor, APPS_DESIGN)
    form, flow, snapshot, label = _documents(app, version)
    spec = _form_spec(form)
    org = DjangoOrgDirectory()
    initiator_id = str(initiator)
    clean, errors = prepare_data(
        spec, data, org=org, initiator_id=initiator_id, urgent=urgent, now=now, dictionary=snapshot
    )
    try:
        result = simulate(
            flow, spec.fields if spec else {}, data=clean, initiator_id=initiator_id, org=org, urgent=urgent,
            now=now, picks={k: [str(u) for u in v] for k, v in (picks or {}).items()}, decisions=decisions,
            department_id=str(department) if department is not None else None,
        )
    except FlowInvalid as exc:
        raise SimulationInvalid(params={"which": label}, details=exc.details) from None
    out = dress_result(result.as_dict(), org)
    initiator_facts = org.user(initiator_id)
    out["version"] = label
    out["initiator"] = {"id": initiator_id, "name": initiator_facts.name if initiator_facts else initiator_id}
    out["submission"] = {"valid": not errors, "errors": errors, "data": clean}
    return out


PREVIEW_TYPES = frozenset({"approval", "handle", "cc"})


def app_route_preview(
    *, actor: Any, key: str, data: Mapping[str, Any], urgent: bool = False,
    picks: Mapping[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """Who would handle this request if the actor submitted it now (the published version).

    For the person filling the form: only the steps with people (approval, handle, cc),
    their names and whether the route is blocked. No conditions, traces or timers: those
    are the designer's business (``app_simulate``). AppDoesNotExist unless the actor may
    start the app.
    """
    app = selectors.app_get_startable(actor, key)
    form, flow, snapshot, label = _documents(app, "published")
    spec = _form_spec(form)
    org = DjangoOrgDirectory()
    initiator_id = str(actor.pk)
    clean, _errors = prepare_data(spec, data, org=org, initiator_id=initiator_id, urgent=urgent, now=None,
                                  dictionary=snapshot)
    try:
        result = simulate(
            flow, spec.fields if spec else {}, data=clean, initiator_id=initiator_id, org=org, urgent=urgent,
            picks={k: [str(u) for u in v] for k, v in (picks or {}).items()},
        )
    except FlowInvalid as exc:
        raise SimulationInvalid(params={"which": label}, details=exc.details) from None
    dressed = dress_result(result.as_dict(), org)
    steps = []
    unfilled: set[str] = set()  # steps whose people come from a form field not filled in yet
    for step in dressed["steps"]:
        if step["type"] not in PREVIEW_TYPES or step["status"] in ("skipped_urgent", "skipped_empty"):
            continue
        approvers = step.get("approvers") or {}
        people = [{"id": p["id"], "name": p["name"]} for p in approvers.get("people") or []]
        from_fields = [t for t in approvers.get("trace") or [] if t.get("rule") == "form_field"]
        empty_field = bool(from_fields) and all(t.get("reason") == "field_empty" for t in from_fields)
        if empty_field and (not people or approvers.get("fallback_used")):
            # Not "nobody can do it": the person who fills the form has not named them yet.
            unfilled.add(step["node_id"])
            people = []
        steps.append({"node_id": step["node_id"], "type": step["type"], "name": step["name"], "mode": step["mode"],
                      "people": people, "auto_approved": bool(step.get("auto_approved"))})
    # Not known yet rather than blocked: a condition reads a field not filled in, or a step's
    # people come from fields not filled in.
    waiting = bool(unfilled) or any(
        issue.get("code") == "sim_missing_value"
        or (issue.get("code") == "sim_approver_not_found" and issue.get("node_id") in unfilled)
        for issue in dressed["blocking"]
    )
    blocked = dressed["blocked"] and not waiting
    return {
        "steps": steps,
        "complete": not dressed["blocked"] and not waiting,
        "needs_more": waiting,
        "blocked": blocked,
        "message": dressed["blocking"][0].get("message") if blocked else None,
    }


def app_simulate_batch(
    *, actor: Any, app: App, samples: list[Mapping[str, Any]], now: str | None = None
) -> dict[str, Any]:
    """Run each sample through the draft and the published flow and say where they part."""
    _require(actor, APPS_DESIGN)
    form, draft_flow, snapshot, _ = _documents(app, "draft")
    _, published_flow, _, published_label = _documents(app, "published")
    spec = _form_spec(form)
    org = DjangoOrgDirectory()
    prepared = []
    submissions = []
    for index, sample in enumerate(samples):
        initiator_id = str(sample["initiator"])
        clean, errors = prepare_data(
            spec, sample.get("data") or {}, org=org, initiator_id=initiator_id,
            urgent=bool(sample.get("urgent", False)), now=now, dictionary=snapshot,
        )
        submissions.append({"valid": not errors, "errors": errors})
        prepared.append({
            "name": sample.get("name") or str(index + 1),
            "data": clean,
            "initiator_id": initiator_id,
            "urgent": bool(sample.get("urgent", False)),
            "department_id": str(sample["department"]) if sample.get("department") is not None else None,
        })
    try:
        batch = simulate_batch(draft_flow, published_flow, spec.fields if spec else {}, prepared, org, now=now)
    except FlowInvalid as exc:
        raise SimulationInvalid(params={"which": "draft"},
                                details=exc.details) from None
    out = batch.as_dict()
    for item, submission in zip(out["items"], submissions, strict=True):
        dress_result(item["draft"], org)
        dress_result(item["published"], org)
        item["submission"] = submission
    out["published_version"] = int(published_label)
    return out


# --- export and import -----------------------------------------------------------------------

def app_export(*, actor: Any, app: App, version: Which = "draft", meta: RequestMeta | None = None) -> dict[str, Any]:
    """The app as one portable JSON document (see docs/definitions.md); audited as a read of the definition."""
    _require(actor, APPS_DESIGN)
    form, flow, _, label = _documents(app, version)
    # The full entries the form uses, as they are today (a published version's pinned
    # snapshot would carry stale labels; codes the form needs are the same).
    entries = dictionaries.snapshot(dictionary_keys(form))
    if entries is None and label != "draft":
        entries = selectors.version_get(app, int(label)).dictionary_entries
    source = {"app": app.key, "version": None if label == "draft" else int(label)}
    if label == "draft":
        source["draft_revision"] = app.draft_revision
    document = portable.export_document(app=app, form=form, flow=flow, dictionary=entries or {}, source=source)
    with transaction.atomic():
        _audit(actor, "app.export", app, meta=meta, after={"version": label})
    return document


def app_bpmn(
    *, actor: Any, app: App, version: Which = "draft", language: str = "zh", meta: RequestMeta | None = None
) -> tuple[bytes, str]:
    """(BPMN 2.0 XML, version label) of the flow of the draft, the published version or version n.

    A read of the definition leaving the system, so it needs apps.design and is audited
    like the JSON export. Node names and descriptions follow ``language`` (zh or en).
    """
    _require(actor, APPS_DESIGN)
    _, flow, _, label = _documents(app, version)
    english = not language.lower().startswith("zh")
    name = (app.name_en or app.name) if english else (app.name or app.name_en)
    try:
        xml = export_bpmn(flow, process_id=f"Process_{app.key}", name=name or app.key, language=language)
    except FlowInvalid as exc:
        raise BpmnExportInvalid(params={"which": label}, details=exc.details) from None
    with transaction.atomic():
        _audit(actor, "app.export", app, meta=meta, after={"version": label, "format": "bpmn"})
    return xml, label


def _fresh_key(base: Any) -> str:
    key = base if isinstance(base, str) and KEY_RE.fullmatch(base) and base not in RESERVED_KEYS else "imported-app"
    taken = set(App.objects.filter(key__startswith=key[:56]).values_list("key", flat=True)) | set(RESERVED_KEYS)
    if key not in taken:
        return key
    n = 2
    while f"{key[:56]}-{n}" in taken:
        n += 1
    return f"{key[:56]}-{n}"


def _merge_dictionary(actor: Any, entries: Mapping[str, Any], used: list[str]) -> dict[str, Any]:
    """Compare the file's entries with ours: reuse, add missing codes (with dictionary.manage), report."""
    local = dictionaries.snapshot(set(entries) | set(used))
    report: dict[str, Any] = {
        "checked": local is not None, "reused": [], "created": [], "missing_entries": [], "missing_codes": [],
        "label_differences": [],
    }
    if local is None:
        return report
    may_add = has_permission(actor, DICTIONARY_MANAGE)
    for key in sorted(set(entries) | set(used)):
        entry = entries.get(key)
        mine = local.get(key)
        if mine is None:
            added = (
                dictionaries.add_entry_or_codes(actor=actor, key=key, entry=entry, codes=None)
                if entry is not None and may_add else None
            )
            report["created" if added is not None else "missing_entries"].append(key)
            continue
        if entry is None:
            report["reused"].append(key)
            continue
        theirs = {o["code"]: o for o in entry.get("options") or [] if isinstance(o, Mapping) and "code" in o}
        ours = {o["code"]: o for o in mine.get("options") or [] if isinstance(o, Mapping) and "code" in o}
        missing = [code for code in theirs if code not in ours]
        if missing:
            added = (
                dictionaries.add_entry_or_codes(actor=actor, key=key, entry=entry, codes=missing) if may_add else None
            )
            report["missing_codes"].append({"entry": key, "codes": missing, "added": added or []})
        else:
            report["reused"].append(key)
        for code in theirs.keys() & ours.keys():
            if _label(theirs[code]) != _label(ours[code]):
                report["label_differences"].append(
                    {"entry": key, "code": code, "file": theirs[code].get("label"), "local": ours[code].get("label")}
                )
    return report


def _label(option: Mapping[str, Any]) -> dict[str, str]:
    label = option.get("label")
    if isinstance(label, str):
        return {"zh": label}
    return {k: v for k, v in (label or {}).items() if v} if isinstance(label, Mapping) else {}


def app_import(
    *, actor: Any, file: bytes | str | Mapping[str, Any], meta: RequestMeta | None = None
) -> tuple[App, dict[str, Any]]:
    """Create a new app from an exported file; returns the app and a report of what could not be mapped.

    The key gets a suffix when taken. Users and departments named by key are mapped back
    to local ids (unmapped ones are dropped and reported). If the file restricted who may
    start the app but nothing of it maps here, only the importer may start it (never
    "everyone" by accident). Dictionary entries are merged (see ``_merge_dictionary``);
    local labels win. The app is not published: verify and publish it after review.
    """
    _require(actor, APPS_DESIGN)
    data = portable.parse_file(file)
    with transaction.atomic():
        form, flow, visibility, unmapped = portable.map_to_local(data)
        wanted = data["app"].get("visibility") or {}
        restricted_before = any(wanted.get(k) for k in ("departments", "roles", "users"))
        restricted_after = any(visibility.get(k) for k in ("departments", "roles", "users"))
        narrowed = restricted_before and not restricted_after
        if narrowed and _user_or_none(actor) is not None:
            visibility["users"] = [actor.pk]
        dictionary_report = _merge_dictionary(actor, data["dictionary"], dictionary_keys(form))
        app_data = data["app"]
        key = _fresh_key(app_data["key"])
        app = App.objects.create(
            key=key, name=app_data["name"].strip(), name_en=app_data.get("name_en", ""),
            icon=app_data.get("icon", ""), category=app_data.get("category", ""),
            description=app_data.get("description", ""), owner=_user_or_none(actor),
            visibility=normalize_visibility(visibility), draft_revision=1,
        )
        AppDraft.objects.create(app=app, form=form, flow=flow, revision=1, updated_by=_user_or_none(actor))
        issues, _ = _verify(form, flow)
        report = {
            "key": key,
            "requested_key": app_data["key"],
            "key_changed": key != app_data["key"],
            "unmapped": unmapped,
            "visibility_restricted_to_importer": narrowed,
            "dictionary": dictionary_report,
            "verification": {
                "errors": sum(1 for i in issues if i["severity"] == "error"),
                "warnings": sum(1 for i in issues if i["severity"] != "error"),
            },
        }
        _audit(actor, "app.import", app, meta=meta, after=_snapshot(app) | {"report": report})
    return app, report
