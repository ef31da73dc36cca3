"""Reads of running requests: who may see what (data scopes), inbox boxes, counts and field rights."""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from platform_core.org.models import DataScope, Department
from platform_core.org.scope_rules import ScopeRuleInvalid, compile_scope_rule
from runtime.definitions.models import AppVersion
from runtime.flows import FlowSpec, load_flow
from runtime.flows.settings import TaskSettings, field_rights
from runtime.forms import FormSpec, filter_for_read, form_spec_cache
from runtime.instances.exceptions import InstanceDoesNotExist, TaskDoesNotExist
from runtime.instances.models import (
    DECIDED_TASK_STATUSES,
    CcRecord,
    Instance,
    Participant,
    Task,
    TaskStatus,
)

logger = logging.getLogger("qiaoban.instances")

BOXES = ("todo", "done", "started", "cc")
# Inbox sorts besides each box's default and "due" (earliest due time first).
INBOX_SORTS = {"newest": "-created_at", "oldest": "created_at", "updated": "-updated_at"}
SORTS = ("due", *INBOX_SORTS)
HIDDEN = "hidden"
# Of the standard scopes the widest wins when a user holds several roles; custom JSON-logic
# scopes (DataScope.CUSTOM, not ranked) are OR-ed on top (platform_core/org/scope_rules.py).
SCOPE_RANK = {DataScope.OWN: 0, DataScope.DEPARTMENT: 1, DataScope.SUBTREE: 2, DataScope.ALL: 3}


# --- pinned definitions (immutable, so cached per version row) ------------------------------

_flows: dict[tuple[Any, ...], FlowSpec] = {}


def _version_key(version: AppVersion) -> tuple[Any, ...]:
    # Not the pk alone: a restored backup or a rolled-back test database hands out the same pk
    # again for a different version; the publish time tells them apart without hashing documents.
    return (version.pk, version.app_id, version.number, version.published_at.isoformat())


def flow_of(version: AppVersion) -> FlowSpec:
    """The loaded flow of a published version (loaded once per process)."""
    key = _version_key(version)
    flow = _flows.get(key)
    if flow is None:
        if len(_flows) > 512:
            _flows.clear()
        flow = _flows[key] = load_flow(version.flow)
    return flow


def form_of(version: AppVersion) -> FormSpec:
    """The loaded form of a published version (``form_spec_cache``, keyed by the version row)."""
    return form_spec_cache.get(("instances", *_version_key(version)), version.form)


# --- data scopes ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ViewerScope:
    """The widest standard data scope of a user's roles, its department anchor, and their custom rules."""

    scope: str
    department_id: int | None
    department_path: str
    # One compiled filter per custom-scope role (roles whose stored rule no longer compiles add nothing).
    custom: tuple[Q, ...] = ()

    @classmethod
    def of(cls, user: Any) -> ViewerScope:
        """Read the user's scope (one query for roles, one for the department path; cached on the user)."""
        cached = getattr(user, "_qiaoban_instance_scope", None)
        if cached is not None:
            return cached
        scope = DataScope.OWN
        custom: list[Q] = []
        if user.is_superuser:
            scope = DataScope.ALL
        else:
            for value, rule in user.roles.values_list("data_scope", "data_scope_rule"):
                if value == DataScope.CUSTOM:
                    compiled = _compile_custom(rule, user)
                    if compiled is not None:
                        custom.append(compiled)
                elif SCOPE_RANK.get(value, 0) > SCOPE_RANK[scope]:
                    scope = DataScope(value)
        path = ""
        if scope == DataScope.SUBTREE and user.department_id is not None:
            path = Department.objects.filter(pk=user.department_id).values_list("path", flat=True).first() or ""
        result = cls(str(scope), user.department_id, path, tuple(custom) if scope != DataScope.ALL else ())
        user._qiaoban_instance_scope = result
        return result


def _compile_custom(rule: Any, user: Any) -> Q | None:
    # Rules are checked when the role is saved; one stored before that check (or one a later
    # version no longer accepts) must not break every list: it grants nothing and is logged.
    try:
        return compile_scope_rule(rule, user=user)
    except ScopeRuleInvalid as exc:
        logger.warning("custom data scope rule ignored: %s", (exc.details or {}).get("reason"))
        return None


def visible_q(user: Any) -> Q:
    """The filter of instances ``user`` may see: those they took part in, their widest standard
    data scope, and every custom-rule scope of their roles (a union)."""
    scope = ViewerScope.of(user)
    if scope.scope == DataScope.ALL:
        return Q()
    q = Q(Exists(Participant.objects.filter(instance=OuterRef("pk"), user=user)))
    if scope.scope == DataScope.DEPARTMENT and scope.department_id is not None:
        q |= Q(initiator_department_id=scope.department_id)
    elif scope.scope == DataScope.SUBTREE and scope.department_path:
        q |= Q(initiator_department__path__startswith=scope.department_path)
    for rule in scope.custom:
        q |= rule
    return q


def _base() -> QuerySet[Instance]:
    return Instance.objects.select_related("app", "app_version", "initiator", "initiator_department")


def instance_get_for(user: Any, pk: Any) -> Instance:
    """The instance if ``user`` may see it; any other id (or none at all) is InstanceDoesNotExist."""
    try:
        return _base().filter(visible_q(user)).get(pk=int(pk))
    except (Instance.DoesNotExist, ValueError, TypeError):
        raise InstanceDoesNotExist() from None


def task_get_for(user: Any, pk: Any) -> Task:
    """The task if ``user`` may see its instance (acting is checked by the engine)."""
    try:
        pk = int(pk)
        return Task.objects.select_related("instance").get(
            pk=pk, instance__in=Instance.objects.filter(visible_q(user)).values("pk")
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise TaskDoesNotExist() from None


def _box_q(user: Any, box: str | None) -> Q:
    if box == "todo":
        return Q(Exists(Task.objects.filter(instance=OuterRef("pk"), assignee=user, status=TaskStatus.PENDING)))
    if box == "done":
        decided = Task.objects.filter(instance=OuterRef("pk")).filter(
            Q(assignee=user, status__in=DECIDED_TASK_STATUSES) | Q(original_assignee=user)
        )
        return Q(Exists(decided))
    if box == "started":
        return Q(initiator=user)
    if box == "cc":
        return Q(Exists(CcRecord.objects.filter(instance=OuterRef("pk"), user=user)))
    return visible_q(user)


def _truthy(value: Any) -> bool | None:
    if value in (None, ""):
        return None
    return str(value).lower() in ("1", "true", "yes", "on")


def instance_list_for(
    user: Any, box: str | None = None, filters: Mapping[str, Any] | None = None
) -> QuerySet[Instance]:
    """The user's inbox (``box``: todo | done | started | cc; None: everything they may see), filtered.

    Filters: ``app`` (key), ``status``, ``urgent``, ``overdue`` (a pending task past its due time),
    ``search`` (title), ``created_from`` / ``created_to`` (dates, inclusive, company time); ``sort``:
    one of SORTS (default: urgent then newest in 待办, recently updated in 已办, newest elsewhere).
    Pending tasks come prefetched (``open_tasks``) plus the user's own pending ones
    (``my_tasks``), so a page costs a fixed number of queries.
    """
    filters = filters or {}
    qs = _base().filter(_box_q(user, box))
    if filters.get("app"):
        qs = qs.filter(app__key=filters["app"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    urgent = _truthy(filters.get("urgent"))
    if urgent is not None:
        qs = qs.filter(urgent=urgent)
    if _truthy(filters.get("overdue")):
        late = Task.objects.filter(instance=OuterRef("pk"), status=TaskStatus.PENDING, due_at__lt=timezone.now())
        if box == "todo":
            late = late.filter(assignee=user)
        qs = qs.filter(Exists(late))
    if filters.get("search"):
        qs = qs.filter(title__icontains=str(filters["search"])[:100])
    zone = timezone.get_current_timezone()
    if isinstance(filters.get("created_from"), date):
        qs = qs.filter(created_at__gte=datetime.combine(filters["created_from"], time.min, tzinfo=zone))
    if isinstance(filters.get("created_to"), date):
        after = filters["created_to"] + timedelta(days=1)
        qs = qs.filter(created_at__lt=datetime.combine(after, time.min, tzinfo=zone))
    pending = Task.objects.filter(status=TaskStatus.PENDING).select_related("assignee").order_by("id")
    qs = qs.prefetch_related(
        Prefetch("tasks", queryset=pending, to_attr="open_tasks"),
        Prefetch("tasks", queryset=pending.filter(assignee=user), to_attr="my_tasks"),
    )
    sort = filters.get("sort") or ""
    if sort == "due":
        # Earliest due time first (in 待办: of my own pending tasks); requests without one last.
        dues = Task.objects.filter(instance=OuterRef("pk"), status=TaskStatus.PENDING, due_at__isnull=False)
        if box == "todo":
            dues = dues.filter(assignee=user)
        qs = qs.annotate(next_due=Subquery(dues.order_by("due_at").values("due_at")[:1]))
        return qs.order_by(F("next_due").asc(nulls_last=True), "-created_at", "-id")
    if sort in INBOX_SORTS:
        return qs.order_by(INBOX_SORTS[sort], "-id")
    if box == "done":
        return qs.order_by("-updated_at", "-id")
    return qs.order_by("-urgent", "-created_at", "-id") if box == "todo" else qs.order_by("-created_at", "-id")


SCHEDULE_SCOPES = ("mine", "visible")
SCHEDULE_LIMIT = 300  # bars on one timeline; more than this is a report, not a chart
OPEN_TASK_STATUSES = (TaskStatus.PENDING, TaskStatus.SUSPENDED, TaskStatus.WAITING)


def task_schedule_for(
    user: Any, *, scope: str, start: date, end: date, app: str | None = None
) -> tuple[list[Task], bool]:
    """Tasks whose time on a timeline overlaps the days ``start``..``end`` (甘特图), and whether more matched.

    A task runs from its creation to its completion; an open one to now or its due time,
    whichever is later. ``scope`` "mine": tasks assigned to the user and tasks of the user's
    own requests; "visible": tasks of every request the user may see (their data scope).
    Cancelled tasks (withdrawn requests) are left out. One query, ordered by request then task.
    """
    zone = timezone.get_current_timezone()
    begin = datetime.combine(start, time.min, tzinfo=zone)
    finish = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    still_open = Q(status__in=OPEN_TASK_STATUSES)
    if begin > timezone.now():  # an open task reaches into a future window only through its due time
        still_open &= Q(due_at__gte=begin)
    qs = Task.objects.filter(Q(created_at__lt=finish) & (Q(completed_at__gte=begin) | still_open))
    qs = qs.exclude(status=TaskStatus.CANCELLED)
    if scope == "mine":
        qs = qs.filter(Q(assignee=user) | Q(instance__initiator=user))
    else:
        qs = qs.filter(instance__in=Instance.objects.filter(visible_q(user)).values("pk"))
    if app:
        qs = qs.filter(instance__app__key=app)
    qs = qs.select_related("assignee", "instance__app", "instance__app_version", "instance__initiator").order_by(
        "instance__created_at", "instance_id", "created_at", "id"
    )
    rows = list(qs[: SCHEDULE_LIMIT + 1])
    return rows[:SCHEDULE_LIMIT], len(rows) > SCHEDULE_LIMIT


_hidden_fields: dict[int, frozenset[str]] = {}


def fields_hidden_somewhere(flow: FlowSpec) -> frozenset[str]:
    """Form fields (top-level names) hidden at some node, cached per pinned flow.

    What everyone who sees a request may read (its title, the timeline's planned start) and
    what auditors read must not carry them: the flow hides them from people acting on it.
    """
    key = id(flow)
    found = _hidden_fields.get(key)
    if found is None:
        names = {str(name).split(".", 1)[0] for node in flow.nodes for name, right in field_rights(node).items()
                 if right == HIDDEN}
        if len(_hidden_fields) > 512:
            _hidden_fields.clear()
        found = _hidden_fields[key] = frozenset(names)
    return found


def task_planned_start(task: Task) -> str | None:
    """The planned start of a task for timelines: the value of its node's ``deadline.start_field``
    (a date range: its start). None when the node names none, or the field is hidden at some
    step (the timeline is shown to everyone who sees the request)."""
    flow = flow_of(task.instance.app_version)
    if not flow.has_node(task.node_id):
        return None
    deadline = TaskSettings.from_node(flow.node(task.node_id)).deadline
    key = deadline.start_field if deadline is not None else None
    if key is None or key in fields_hidden_somewhere(flow):
        return None
    value = (task.instance.data or {}).get(key)
    if isinstance(value, Mapping):
        value = value.get("start")
    return value if isinstance(value, str) and value else None


def instance_counts_for(user: Any) -> dict[str, int]:
    """How many requests are in each box (todo counts pending tasks' instances)."""
    return {box: Instance.objects.filter(_box_q(user, box)).count() for box in BOXES}


# --- field rights ------------------------------------------------------------------------------

def rights_for_viewer(instance: Instance, user: Any, tasks: list[Task] | None = None) -> dict[str, str]:
    """The field rights a viewer reads the form with.

    An assignee with a pending task: that node's rights. The initiator: the start node's.
    Anyone else (past approvers, cc, scope viewers): a field hidden at any node is hidden.
    """
    flow = flow_of(instance.app_version)
    uid = getattr(user, "pk", None)
    if tasks is None:
        tasks = list(Task.objects.filter(instance=instance, assignee_id=uid, status=TaskStatus.PENDING))
    mine = [t for t in tasks if t.assignee_id == uid and t.status == TaskStatus.PENDING]
    if mine and flow.has_node(mine[0].node_id):
        return dict(field_rights(flow.node(mine[0].node_id)))
    if instance.initiator_id == uid and flow.start is not None:
        return dict(field_rights(flow.start))
    hidden: dict[str, str] = {}
    for node in flow.nodes:
        for key, right in field_rights(node).items():
            if right == HIDDEN:
                hidden[key] = HIDDEN
    return hidden


def visible_form_data(instance: Instance, rights: Mapping[str, str]) -> dict[str, Any]:
    """The instance's form data without the fields (and columns) the rights hide."""
    return filter_for_read(form_of(instance.app_version), dict(instance.data or {}), rights)


def visible_form_document(version: AppVersion, rights: Mapping[str, str]) -> dict[str, Any]:
    """The version's form document without the fields (and sub-table columns) the rights hide.

    A hidden field leaves ``schema.properties``, ``required``, ``ui_schema`` order, sections
    and widgets; a hidden column leaves its table's ``items`` (properties, required,
    ``x-column-order``). Rules on visible fields that read a hidden one stay as they are: the
    renderer sees no value for it, exactly as in ``visible_form_data``.
    """
    form = version.form or {}
    spec = form_of(version)
    hidden_top: set[str] = set()
    hidden_columns: dict[str, set[str]] = {}
    for path, right in rights.items():
        if right != HIDDEN:
            continue
        info = spec.fields.get(path)
        if info is not None and info.parent is not None:
            hidden_columns.setdefault(info.parent, set()).add(info.name)
        elif "." not in path:
            hidden_top.add(path)
    if not hidden_top and not hidden_columns:
        return form
    hidden_paths = hidden_top | {f"{t}.{c}" for t, cols in hidden_columns.items() for c in cols}
    doc = copy.deepcopy(dict(form))
    schema = doc.get("schema")
    if isinstance(schema, dict):
        _drop_properties(schema, hidden_top)
        props = schema.get("properties")
        for table, cols in hidden_columns.items():
            items = props.get(table, {}).get("items") if isinstance(props, dict) else None
            if isinstance(items, dict):
                _drop_properties(items, cols)
            if isinstance(props, dict) and isinstance(props.get(table), dict):
                order = props[table].get("x-column-order")
                if isinstance(order, list):
                    props[table]["x-column-order"] = [c for c in order if c not in cols]
    ui = doc.get("ui_schema")
    if isinstance(ui, dict):
        if isinstance(ui.get("order"), list):
            ui["order"] = [k for k in ui["order"] if k not in hidden_top]
        for section in ui.get("sections") or []:
            if isinstance(section, dict) and isinstance(section.get("fields"), list):
                section["fields"] = [k for k in section["fields"] if k not in hidden_top]
        if isinstance(ui.get("fields"), dict):
            ui["fields"] = {k: v for k, v in ui["fields"].items()
                            if k not in hidden_paths and str(k).split(".", 1)[0] not in hidden_top}
    return doc


def _drop_properties(schema: dict[str, Any], keys: set[str]) -> None:
    props = schema.get("properties")
    if isinstance(props, dict):
        for key in keys:
            props.pop(key, None)
    if isinstance(schema.get("required"), list):
        schema["required"] = [k for k in schema["required"] if k not in keys]


def instance_view_for(user: Any, instance: Instance) -> dict[str, Any]:
    """What the detail shows the viewer: tasks, their field rights, the visible data, the pinned
    form (without hidden fields) and dictionary snapshot, and the timeline."""
    from runtime.instances.timeline import instance_timeline

    tasks = list(Task.objects.filter(instance=instance).select_related("assignee", "original_assignee")
                 .order_by("id"))
    instance.open_tasks = [t for t in tasks if t.status == TaskStatus.PENDING]  # type: ignore[attr-defined]
    instance.my_tasks = [t for t in instance.open_tasks if t.assignee_id == user.pk]  # type: ignore[attr-defined]
    rights = rights_for_viewer(instance, user, tasks)
    return {
        "tasks": tasks,
        "rights": rights,
        "visible_data": visible_form_data(instance, rights),
        "form": visible_form_document(instance.app_version, rights),
        "dictionary": instance.app_version.dictionary_entries,
        "diagram": flow_diagram(instance.app_version),
        "timeline": instance_timeline(instance, flow_of(instance.app_version), rights),
    }


def flow_diagram(version: AppVersion) -> dict[str, Any]:
    """The version's flow as a picture: nodes (id, type, name), edges and canvas positions.

    No configs and no conditions: those name people, roles and fields (possibly hidden
    from this viewer); the diagram only has to show where the request is.
    """
    flow = version.flow or {}
    nodes = [{"id": n.get("id"), "type": n.get("type"), "name": n.get("name") or {}}
             for n in flow.get("nodes") or [] if isinstance(n, dict)]
    edges = [{"id": e.get("id"), "source": e.get("source"), "target": e.get("target"),
              "is_default": bool(e.get("is_default"))}
             for e in flow.get("edges") or [] if isinstance(e, dict)]
    layout = {k: {"x": v.get("x", 0), "y": v.get("y", 0)} for k, v in (flow.get("layout") or {}).items()
              if isinstance(v, dict)}
    return {"nodes": nodes, "edges": edges, "layout": layout}
