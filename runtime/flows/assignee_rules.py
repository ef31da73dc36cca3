"""Assignee rules: who a task (or a copy) goes to, and why (pure Python).

Each rule is a registered class with a JSON Schema for its config object and a
``resolve`` that returns user ids and appends explanation records to a trace; the
trace is what the simulator and the task's "why me?" view show.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from platform_core.registry import Registered
from runtime.flows import rules_bridge
from runtime.flows.errors import (
    ApproverFallbackEmpty,
    ApproverNotFound,
    AssigneeDataMissing,
    AssigneeResolutionError,
    OrgCycleDetected,
)
from runtime.flows.org import DeptFacts, OrgDirectory, UserFacts
from runtime.flows.registries import assignee_rule_registry
from runtime.flows.settings import TaskSettings
from runtime.flows.spec import NodeSpec
from runtime.forms.spec import FieldInfo

# Members of this role receive tasks that found nobody when a node's fallback is "admin"
# and the node names no admin user of its own.
FLOW_ADMIN_ROLE = "flow_admin"
Spec = Mapping[str, Any]  # one assignee rule object from a node config
Trace = list[dict[str, Any]]
MAX_CHAIN = 20  # no org is deeper than this; it also bounds the walks on broken data


@dataclass(frozen=True)
class ResolveContext:
    """Who started the request, from where, and with what data."""

    initiator_id: str | None
    form: Mapping[str, Any] = field(default_factory=dict)
    department_id: str | None = None  # the department the request is filed from; default: the initiator's
    urgent: bool = False
    now: str | None = None
    picks: Mapping[str, Sequence[str]] = field(default_factory=dict)  # node id -> users the initiator chose
    previous_approvers: tuple[str, ...] = ()  # who decided the previous approval node
    fields: Mapping[str, FieldInfo] | None = None  # the form's fields, to tell user from department values

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ResolveContext:
        """Build a context from a rules-style dict ``{"form", "initiator": {"id"}, "urgent", "now", ...}``."""
        initiator = data.get("initiator") or {}
        return cls(
            initiator_id=initiator.get("id") if isinstance(initiator, Mapping) else initiator,
            form=data.get("form") or {},
            department_id=data.get("department_id")
            or (initiator.get("department_id") if isinstance(initiator, Mapping) else None),
            urgent=bool(data.get("urgent", False)),
            now=data.get("now"),
            picks=data.get("picks") or {},
            previous_approvers=tuple(data.get("previous_approvers") or ()),
        )

    def initiator_department(self, org: OrgDirectory) -> str | None:
        """Return the department id the request comes from."""
        if self.department_id:
            return self.department_id
        user = org.user(self.initiator_id) if self.initiator_id else None
        return user.department_id if user else None

    def rule_data(self, org: OrgDirectory) -> dict[str, Any]:
        """Return the context rules see: ``{"form", "initiator", "urgent", "now"}``."""
        return rule_context(
            self.form,
            org,
            self.initiator_id,
            urgent=self.urgent,
            now=self.now,
            department_id=self.department_id,
        )


def rule_context(
    form: Mapping[str, Any],
    org: OrgDirectory | None,
    initiator_id: str | None,
    *,
    urgent: bool = False,
    now: str | None = None,
    department_id: str | None = None,
) -> dict[str, Any]:
    """Build the one context every flow rule sees."""
    user = org.user(initiator_id) if (org is not None and initiator_id) else None
    dept_id = department_id or (user.department_id if user else None)
    dept = org.department(dept_id) if (org is not None and dept_id) else None
    initiator = {
        "id": initiator_id,
        "name": user.name if user else None,
        "department_id": dept_id,
        "department": dept.name if dept else None,
        "roles": sorted(user.roles) if user else [],
        "positions": sorted(user.positions) if user else [],
    }
    return {"form": dict(form), "initiator": initiator, "urgent": urgent, "now": now}


@dataclass(frozen=True)
class Resolution:
    """The users a node goes to, the explanation, and the fallback used if nobody was found."""

    users: list[str]
    trace: list[dict[str, Any]]
    fallback_used: str | None = None  # "admin" | "skip" | None

    def as_dict(self) -> dict[str, Any]:
        """Return the resolution as plain JSON."""
        return {
            "users": list(self.users),
            "trace": [dict(t) for t in self.trace],
            "fallback_used": self.fallback_used,
        }


class Walker:
    """Org walks shared by the rules, with cycle and depth guards."""

    def __init__(self, org: OrgDirectory) -> None:
        self.org = org

    def department_up(self, dept: DeptFacts, steps: int) -> DeptFacts | None:
        """Return the department ``steps`` levels above ``dept`` (None past the top)."""
        seen = [dept.id]
        current: DeptFacts | None = dept
        for _ in range(steps):
            if current is None or current.parent_id is None:
                return None
            if current.parent_id in seen:
                raise OrgCycleDetected(
                    params={"kind": "departments", "chain": self.dept_chain(seen + [current.parent_id])}
                )
            seen.append(current.parent_id)
            current = self.org.department(current.parent_id)
        return current

    def parent(self, dept: DeptFacts, seen: list[str]) -> DeptFacts | None:
        """Return the parent department, raising on a loop in the department tree."""
        if dept.parent_id is None:
            return None
        if dept.parent_id in seen or len(seen) > MAX_CHAIN * 5:
            raise OrgCycleDetected(
                params={"kind": "departments", "chain": self.dept_chain(seen + [dept.parent_id])}
            )
        seen.append(dept.parent_id)
        return self.org.department(dept.parent_id)

    def active_head(self, dept: DeptFacts) -> UserFacts | None:
        """Return the department's head if there is one and they are active."""
        if not dept.head_id:
            return None
        head = self.org.user(dept.head_id)
        return head if head is not None and head.active else None

    def manager_of(self, user: UserFacts) -> str | None:
        """Return the direct manager: the explicit one, else the nearest department head above the user."""
        if user.manager_id:
            return user.manager_id
        dept = self.org.department(user.department_id) if user.department_id else None
        seen = [dept.id] if dept else []
        while dept is not None:
            if dept.head_id and dept.head_id != user.id:
                return dept.head_id
            dept = self.parent(dept, seen)
        return None

    def dept_chain(self, ids: list[str]) -> str:
        """Return department names joined by arrows, for error messages."""
        return " → ".join((d.name if (d := self.org.department(i)) else i) for i in ids)

    def user_chain(self, ids: list[str]) -> str:
        """Return user names joined by arrows, for error messages."""
        return " → ".join((u.name if (u := self.org.user(i)) else i) for i in ids)


class AssigneeRule(Registered):
    """Base of assignee rules."""

    schema: dict[str, Any] = {}
    _validator: Draft202012Validator | None = None
    # What the result depends on: "constant" (the config alone), "department" (the
    # department the request comes from) or "person"/"data" (who started it, form data,
    # history). The live-org check can only try the first two for every department.
    depends_on = "constant"

    def validator(self) -> Draft202012Validator:
        """Return the cached validator of the rule object's schema."""
        if self._validator is None:
            self._validator = Draft202012Validator(self.schema)
        return self._validator

    def resolve(
        self,
        spec: Mapping[str, Any],
        node: NodeSpec,
        ctx: ResolveContext,
        org: OrgDirectory,
        trace: list[dict[str, Any]],
    ) -> list[str]:
        """Return user ids for one rule object, appending explanation records to ``trace``."""
        raise NotImplementedError

    def field_refs(self, spec: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        """Yield ``(config key, field key)`` for form fields the rule reads."""
        return iter(())

    def rules(self, spec: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
        """Yield ``(config key, JSON-logic rule)`` embedded in the rule object."""
        return iter(())

    def roles(self, spec: Mapping[str, Any]) -> Iterator[str]:
        """Yield the roles the rule names."""
        return iter(())

    def positions(self, spec: Mapping[str, Any]) -> Iterator[str]:
        """Yield the positions the rule names."""
        return iter(())

    def users(self, spec: Mapping[str, Any]) -> Iterator[str]:
        """Yield the user ids the rule names literally."""
        return iter(())


def _rule_schema(name: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["rule", *required],
        "properties": {"rule": {"const": name}, **properties},
    }


_ID = {"type": "string", "minLength": 1}


class UserRule(AssigneeRule):
    type = "user"
    schema = _rule_schema("user", {"users": {"type": "array", "minItems": 1, "items": _ID}}, ("users",))

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return the named users."""
        users = list(spec.get("users", ()))
        for user_id in users:
            user = org.user(user_id)
            trace.append({"rule": "user", "user_id": user_id, "user": user.name if user else user_id})
        return users

    def users(self, spec: Spec) -> Iterator[str]:
        """Yield the named users."""
        yield from spec.get("users", ())


class RoleRule(AssigneeRule):
    type = "role"
    schema = _rule_schema("role", {"role": _ID}, ("role",))

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return every user holding the role."""
        members = org.users_with_role(spec["role"])
        trace.append(
            {
                "rule": "role",
                "role": spec["role"],
                "users": [u.name for u in members],
                "user_ids": [u.id for u in members],
            }
        )
        return [u.id for u in members]

    def roles(self, spec: Spec) -> Iterator[str]:
        """Yield the role."""
        yield spec["role"]


class PositionRule(AssigneeRule):
    type = "position"
    schema = _rule_schema("position", {"position": _ID}, ("position",))

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return every user holding the position."""
        members = org.users_with_position(spec["position"])
        trace.append(
            {
                "rule": "position",
                "position": spec["position"],
                "users": [u.name for u in members],
                "user_ids": [u.id for u in members],
            }
        )
        return [u.id for u in members]

    def positions(self, spec: Spec) -> Iterator[str]:
        """Yield the position."""
        yield spec["position"]


def _head_above(
    walker: Walker, start: DeptFacts, levels: int, vacant: str, rule: str, trace: list[dict[str, Any]]
) -> list[str]:
    """Return the head ``levels`` up from ``start`` (1 = its own head), going further up if vacant="up"."""
    dept = walker.department_up(start, levels - 1)
    if dept is None:
        trace.append(
            {
                "rule": rule,
                "department": start.name,
                "department_id": start.id,
                "levels": levels,
                "reason": "no_department_that_high",
            }
        )
        return []
    seen = [dept.id]
    while dept is not None:
        head = walker.active_head(dept)
        if head is not None:
            trace.append(
                {
                    "rule": rule,
                    "department": dept.name,
                    "department_id": dept.id,
                    "levels": levels,
                    "user": head.name,
                    "user_id": head.id,
                }
            )
            return [head.id]
        reason = "head_inactive" if dept.head_id else "head_vacant"
        trace.append(
            {
                "rule": rule,
                "department": dept.name,
                "department_id": dept.id,
                "levels": levels,
                "reason": reason,
            }
        )
        if vacant != "up":
            return []
        dept = walker.parent(dept, seen)
    return []


class DeptHeadRule(AssigneeRule):
    type = "dept_head"
    depends_on = "department"
    schema = _rule_schema(
        "dept_head",
        {
            "levels": {"type": "integer", "minimum": 1, "maximum": MAX_CHAIN},
            "vacant": {"enum": ["empty", "up"]},  # a vacant head: find nobody, or ask the next head up
        },
    )

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return the head of the initiator's department, ``levels`` - 1 departments up."""
        levels = int(spec.get("levels", 1))
        dept_id = ctx.initiator_department(org)
        dept = org.department(dept_id) if dept_id else None
        if dept is None:
            trace.append({"rule": "dept_head", "levels": levels, "reason": "initiator_has_no_department"})
            return []
        return _head_above(Walker(org), dept, levels, spec.get("vacant", "empty"), "dept_head", trace)


class ManagerChainRule(AssigneeRule):
    type = "manager_chain"
    depends_on = "person"
    schema = _rule_schema(
        "manager_chain",
        {"levels": {"type": "integer", "minimum": 1, "maximum": MAX_CHAIN}, "until_role": _ID},
    )

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return the managers, nearest first, up to ``levels`` or until one has ``until_role``."""
        until_role = spec.get("until_role")
        levels = int(spec.get("levels", MAX_CHAIN if until_role else 1))
        user = org.user(ctx.initiator_id) if ctx.initiator_id else None
        if user is None:
            trace.append({"rule": "manager_chain", "reason": "initiator_unknown"})
            return []
        walker = Walker(org)
        chain: list[str] = []
        seen = [user.id]
        reached = False
        for level in range(1, levels + 1):
            manager_id = walker.manager_of(user)
            if manager_id is None:
                trace.append({"rule": "manager_chain", "level": level, "reason": "top_of_chain"})
                break
            if manager_id in seen:
                # A manages B manages A: stop with a clear error instead of walking forever.
                raise OrgCycleDetected(
                    params={"kind": "managers", "chain": walker.user_chain(seen + [manager_id])}
                )
            seen.append(manager_id)
            manager = org.user(manager_id)
            if manager is None:
                trace.append(
                    {"rule": "manager_chain", "level": level, "user_id": manager_id, "reason": "unknown_user"}
                )
                break
            chain.append(manager.id)
            trace.append(
                {"rule": "manager_chain", "level": level, "user": manager.name, "user_id": manager.id}
            )
            if until_role and until_role in manager.roles:
                reached = True
                break
            user = manager
        if until_role and not reached:
            trace.append({"rule": "manager_chain", "until_role": until_role, "reason": "role_not_in_chain"})
            return []
        return chain

    def roles(self, spec: Spec) -> Iterator[str]:
        """Yield the stopping role, if any."""
        if spec.get("until_role"):
            yield spec["until_role"]


def _form_value(form: Mapping[str, Any], key: str) -> Any:
    value: Any = form
    for part in key.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


class FormFieldRule(AssigneeRule):
    type = "form_field"
    depends_on = "data"
    schema = _rule_schema(
        "form_field",
        {"field": _ID, "levels": {"type": "integer", "minimum": 1, "maximum": MAX_CHAIN}},
        ("field",),
    )

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return the user(s) in a user field, or the head of the department in a department field."""
        key = spec["field"]
        value = _form_value(ctx.form, key)
        values = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, (str, int))]
        if not values:
            trace.append({"rule": "form_field", "field": key, "reason": "field_empty"})
            return []
        info = ctx.fields.get(key) if ctx.fields else None
        kind = info.value_kind if info else None
        users: list[str] = []
        walker = Walker(org)
        for raw in values:
            value_id = str(raw)
            if kind == "user" or (kind is None and org.user(value_id) is not None):
                user = org.user(value_id)
                trace.append(
                    {
                        "rule": "form_field",
                        "field": key,
                        "user_id": value_id,
                        "user": user.name if user else value_id,
                    }
                )
                users.append(value_id)
                continue
            dept = org.department(value_id)
            if dept is None:
                trace.append(
                    {
                        "rule": "form_field",
                        "field": key,
                        "value": value_id,
                        "reason": "not_a_user_or_department",
                    }
                )
                continue
            users += _head_above(walker, dept, int(spec.get("levels", 1)), "empty", "form_field", trace)
        return users

    def field_refs(self, spec: Spec) -> Iterator[tuple[str, str]]:
        """Yield the field."""
        yield "field", spec["field"]


class InitiatorPicksRule(AssigneeRule):
    type = "initiator_picks"
    depends_on = "data"
    schema = _rule_schema(
        "initiator_picks",
        {"multiple": {"type": "boolean"}, "role": _ID},  # role: the picked people must hold it
    )

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return the people the initiator chose for this node at submission."""
        picked = [str(u) for u in ctx.picks.get(node.id, ())]
        if not picked:
            trace.append({"rule": "initiator_picks", "reason": "nobody_picked"})
            return []
        if not spec.get("multiple", False) and len(picked) > 1:
            trace.append({"rule": "initiator_picks", "reason": "only_one_allowed", "dropped": picked[1:]})
            picked = picked[:1]
        users = []
        for user_id in picked:
            user = org.user(user_id)
            role = spec.get("role")
            if role and (user is None or role not in user.roles):
                trace.append(
                    {"rule": "initiator_picks", "user_id": user_id, "reason": "lacks_role", "role": role}
                )
                continue
            trace.append(
                {"rule": "initiator_picks", "user_id": user_id, "user": user.name if user else user_id}
            )
            users.append(user_id)
        return users

    def roles(self, spec: Spec) -> Iterator[str]:
        """Yield the role the picks must hold, if any."""
        if spec.get("role"):
            yield spec["role"]


class InitiatorRule(AssigneeRule):
    """The person who started the request (发起人本人): e.g. the manager who assigned a task accepts it."""

    type = "initiator"
    depends_on = "person"
    schema = _rule_schema("initiator", {})

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return the initiator."""
        if ctx.initiator_id is None:
            trace.append({"rule": "initiator", "reason": "no_initiator"})
            return []
        user = org.user(ctx.initiator_id)
        name = user.name if user else ctx.initiator_id
        trace.append({"rule": "initiator", "user_id": ctx.initiator_id, "user": name})
        return [ctx.initiator_id]


class PreviousApproverManagerRule(AssigneeRule):
    type = "previous_approver_manager"
    depends_on = "data"
    schema = _rule_schema("previous_approver_manager", {})

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Return the manager of each person who decided the previous approval node."""
        if not ctx.previous_approvers:
            trace.append({"rule": "previous_approver_manager", "reason": "no_previous_approver"})
            return []
        walker = Walker(org)
        users = []
        for approver_id in ctx.previous_approvers:
            approver = org.user(approver_id)
            manager_id = walker.manager_of(approver) if approver else None
            manager = org.user(manager_id) if manager_id else None
            if manager is None:
                trace.append(
                    {"rule": "previous_approver_manager", "approver_id": approver_id, "reason": "no_manager"}
                )
                continue
            trace.append(
                {
                    "rule": "previous_approver_manager",
                    "approver": approver.name if approver else approver_id,
                    "user": manager.name,
                    "user_id": manager.id,
                }
            )
            users.append(manager.id)
        return users


class DynamicRule(AssigneeRule):
    type = "dynamic"
    depends_on = "data"
    schema = _rule_schema(
        "dynamic",
        {"candidates": {"type": "array", "minItems": 1, "items": _ID}, "select": {}},
        ("candidates", "select"),
    )

    def resolve(
        self, spec: Spec, node: NodeSpec, ctx: ResolveContext, org: OrgDirectory, trace: Trace
    ) -> list[str]:
        """Evaluate ``select`` (JSON-logic) and keep the chosen ids that are among ``candidates``."""
        data = ctx.rule_data(org)
        missing = rules_bridge.missing_form_values(spec["select"], data)
        if missing:
            raise AssigneeDataMissing(
                params={"node": node.label, "fields": ", ".join(missing)},
                details={"node_id": node.id, "fields": missing},
            )
        chosen = rules_bridge.evaluate(spec["select"], data)
        chosen_ids = [str(c) for c in (chosen if isinstance(chosen, list) else [chosen]) if c is not None]
        candidates = [str(c) for c in spec["candidates"]]
        users = [c for c in chosen_ids if c in candidates]
        trace.append(
            {
                "rule": "dynamic",
                "selected": chosen_ids,
                "user_ids": users,
                "users": [(u.name if (u := org.user(i)) else i) for i in users],
                "ignored": [c for c in chosen_ids if c not in candidates],
            }
        )
        return users

    def rules(self, spec: Spec) -> Iterator[tuple[str, Any]]:
        """Yield the selection rule."""
        yield "select", spec.get("select")

    def users(self, spec: Spec) -> Iterator[str]:
        """Yield the candidates."""
        yield from spec.get("candidates", ())


for _rule in (
    UserRule(),
    RoleRule(),
    PositionRule(),
    DeptHeadRule(),
    ManagerChainRule(),
    FormFieldRule(),
    InitiatorPicksRule(),
    InitiatorRule(),
    PreviousApproverManagerRule(),
    DynamicRule(),
):
    assignee_rule_registry.register(_rule)


def collect_assignees(node: NodeSpec, ctx: ResolveContext, org: OrgDirectory) -> tuple[list[str], Trace]:
    """Return the active users the node's rules find (no fallback) and the trace."""
    trace: Trace = []
    found: list[str] = []
    try:
        for spec in TaskSettings.from_node(node).assignees:
            rule = assignee_rule_registry.get(str(spec.get("rule")))
            for user_id in rule.resolve(spec, node, ctx, org, trace):
                if user_id not in found:
                    found.append(user_id)
    except AssigneeResolutionError as exc:
        exc.params.setdefault("node", node.label)
        exc.details = {**(exc.details or {}), "node_id": node.id, "trace": trace}
        raise
    users = []
    for user_id in found:
        user = org.user(user_id)
        if user is None or not user.active:
            # Tasks for people who cannot act would stall the request; drop them visibly.
            trace.append(
                {
                    "rule": "filter",
                    "user_id": user_id,
                    "user": user.name if user else user_id,
                    "reason": "unknown_user" if user is None else "inactive",
                }
            )
            continue
        users.append(user_id)
    return users, trace


def resolve_assignees(
    node: NodeSpec, ctx: ResolveContext | Mapping[str, Any], org: OrgDirectory
) -> Resolution:
    """Work out who ``node`` goes to, applying the node's empty-set fallback."""
    if not isinstance(ctx, ResolveContext):
        ctx = ResolveContext.from_mapping(ctx)
    users, trace = collect_assignees(node, ctx, org)
    if users:
        return Resolution(users, trace)
    return _fallback(node, TaskSettings.from_node(node), org, trace)


def fallback_admins(node: NodeSpec, org: OrgDirectory) -> list[UserFacts]:
    """Return the active users the "admin" fallback of ``node`` hands work to."""
    admin = TaskSettings.from_node(node).admin
    candidates = (
        [u for u in [org.user(admin)] if u is not None] if admin else org.users_with_role(FLOW_ADMIN_ROLE)
    )
    return [u for u in candidates if u.active]


def _fallback(
    node: NodeSpec, settings: TaskSettings, org: OrgDirectory, trace: list[dict[str, Any]]
) -> Resolution:
    if settings.on_empty == "skip":
        trace.append({"rule": "fallback", "fallback": "skip"})
        return Resolution([], trace, "skip")
    if settings.on_empty == "admin":
        admins = fallback_admins(node, org)
        if admins:
            trace.append(
                {
                    "rule": "fallback",
                    "fallback": "admin",
                    "users": [u.name for u in admins],
                    "user_ids": [u.id for u in admins],
                }
            )
            return Resolution([u.id for u in admins], trace, "admin")
        trace.append({"rule": "fallback", "fallback": "admin", "reason": "no_active_admin"})
        raise ApproverFallbackEmpty(params={"node": node.label}, details={"node_id": node.id, "trace": trace})
    raise ApproverNotFound(params={"node": node.label}, details={"node_id": node.id, "trace": trace})
