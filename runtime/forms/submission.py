"""Validating submitted form data: ``validate_submission`` and ``filter_for_read``.

Order of work (docs/forms.md explains the semantics):
1. take the client's values: computed and display-only fields are never taken, empty
   values (null, "", [], {}) count as absent, field rights apply (hidden: ignored;
   read-only: must equal the previous value) and the previous value is kept;
2. run x-visible-if and x-compute in dependency order: hidden fields are dropped,
   computed fields recomputed on the server;
3. check the JSON Schema (compiled fast path; jsonschema explains failures);
4. apply x-required-if and each field type's ``validate_value`` (dictionary codes,
   money decimals, date-range order, ...).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from platform_core.errors import PlatformError
from runtime.forms.compiled import PLAIN_FIELD, CompiledForm, FieldPlan
from runtime.forms.dictionary import DictionaryIndex, as_index
from runtime.forms.errors import SubmissionInvalid
from runtime.forms.field_types.base import MISSING, ValueContext, pointer_join
from runtime.forms.schema_validation import detail
from runtime.forms.spec import FormSpec

EDITABLE, READ_ONLY, HIDDEN = "editable", "read_only", "hidden"
_UNKNOWN: Any = object()

# Tests switch this on: every fast-path verdict is then compared with jsonschema's.
VERIFY_FAST_PATH = False


class FastPathMismatch(AssertionError):
    """The compiled fast path and jsonschema disagreed (a bug in the compiler)."""


def _empty(value: Any) -> bool:
    return value is None or (type(value) in (str, list, dict) and not value)


def validate_submission(
    form_spec: FormSpec,
    data: Any,
    *,
    context: Mapping[str, Any] | None = None,
    dictionary: DictionaryIndex | Mapping[str, Any] | None = None,
    field_rights: Mapping[str, str] | None = None,
    previous: Mapping[str, Any] | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Return the cleaned data of a submission or raise SubmissionInvalid (details: per-field errors).

    ``context`` is the rule context without ``form`` (initiator, urgent, now);
    ``dictionary`` the pinned snapshot (None: codes are not checked); ``field_rights``
    maps dotted field paths to editable/read_only/hidden; ``previous`` is the stored
    data when editing; ``actor`` the submitting user (checked against signatures).
    The input is not modified; the cleaned data may share nested values with it (rows
    are copied), so serialise or copy it before changing it.
    """
    return _Submission(form_spec.compiled, context, as_index(dictionary), field_rights, previous, actor).run(
        data
    )


def filter_for_read(
    form_spec: FormSpec, data: Mapping[str, Any], field_rights: Mapping[str, str] | None
) -> dict[str, Any]:
    """Return a copy of ``data`` without the fields (and sub-table columns) the rights hide."""
    rights = field_rights or {}
    hidden_columns: dict[str, set[str]] = {}
    for path, right in rights.items():
        info = form_spec.fields.get(path)
        if right == HIDDEN and info is not None and info.parent is not None:
            hidden_columns.setdefault(info.parent, set()).add(info.name)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if rights.get(key) == HIDDEN:
            continue
        cols = hidden_columns.get(key)
        if cols and isinstance(value, list):
            value = [
                {k: v for k, v in row.items() if k not in cols} if isinstance(row, Mapping) else row
                for row in value
            ]
        out[key] = copy.deepcopy(value)
    return out


class _Submission:
    def __init__(
        self,
        compiled: CompiledForm,
        context: Mapping[str, Any] | None,
        dictionary: DictionaryIndex | None,
        rights: Mapping[str, str] | None,
        previous: Mapping[str, Any] | None,
        actor: str | None,
    ) -> None:
        self.c = compiled
        self.context = context or {}
        self.dictionary = dictionary
        self.rights = rights or {}
        for path, right in self.rights.items():
            if right not in (EDITABLE, READ_ONLY, HIDDEN):
                # A programming error upstream, not a user mistake: fail loudly.
                raise ValueError(
                    f"field right of {path!r} must be editable, read_only or hidden, not {right!r}"
                )
        self.previous = previous or {}
        self.actor = actor
        self.errors: list[dict[str, Any]] = []
        self.compute_failures: list[dict[str, Any]] = []
        self.hidden_by_rule: set[str] = set()  # pointers dropped by x-visible-if
        self.waived: set[str] = set()  # top-level keys whose "required" does not apply

    # -- 1. take the client's values ----------------------------------------------------
    def run(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise SubmissionInvalid(details=[detail("", None, "invalid_type", expected="object")])
        clean = self._take(data)
        self._derive(clean)
        self._schema(clean)
        self._required_if(clean)
        self._values(clean)
        if self.errors or self.compute_failures:
            details = self.errors or self.compute_failures
            order = self.c.position
            details.sort(key=lambda d: (order.get(d["field"] or "", len(order)), d["pointer"], d["code"]))
            raise SubmissionInvalid(details=details)
        return clean

    def _take(self, data: Mapping[str, Any]) -> dict[str, Any]:
        take, rights, previous = self.c.take, self.rights, self.previous
        clean: dict[str, Any] = {}
        for key, value in data.items():
            kind = take.get(key, _UNKNOWN)
            if kind is _UNKNOWN:
                clean[key] = value  # not a field: the schema stage reports it
                continue
            if kind is None or value is None or (type(value) in (str, list, dict) and not value):
                continue  # computed, display-only or empty
            if rights:
                right = rights.get(key)
                if right == HIDDEN:
                    continue
                if right == READ_ONLY:
                    if not _same(value, previous.get(key, MISSING)):
                        self.errors.append(detail(pointer_join("", key), key, "read_only"))
                    continue
            if kind is not PLAIN_FIELD and type(value) is list:
                value = self._rows(kind, value)
            clean[key] = value
        if rights:
            plans = self.c.plans
            for key, right in rights.items():
                if right in (HIDDEN, READ_ONLY) and key in plans and plans[key].info.parent is None:
                    self.waived.add(key)
                    if key in previous and not plans[key].computed:
                        clean[key] = copy.deepcopy(previous[key])
        return clean

    def _rows(self, plan: FieldPlan, rows: list[Any]) -> list[Any]:
        columns = plan.columns
        dropped = plan.dropped_columns
        rights = self.rights
        guarded = (
            [
                (name, rights[col.info.key])
                for name, col in columns.items()
                if rights.get(col.info.key) in (HIDDEN, READ_ONLY) and not col.computed
            ]
            if rights
            else []
        )
        out: list[Any] = []
        for index, row in enumerate(rows):
            if type(row) is not dict:
                out.append(row)
                continue
            # Rows are copied: computed columns are written into them later.
            new = {
                name: value
                for name, value in row.items()
                if name not in dropped
                and not (value is None or (type(value) in (str, list, dict) and not value))
            }
            if guarded:
                self._guard_row(plan, index, new, guarded)
            out.append(new)
        return out

    def _guard_row(
        self, plan: FieldPlan, index: int, new: dict[str, Any], guarded: list[tuple[str, str]]
    ) -> None:
        # Column rights compare with the previous row at the same position.
        before = self.previous.get(plan.key)
        old = before[index] if isinstance(before, list) and index < len(before) else None
        old = old if isinstance(old, Mapping) else {}
        for name, right in guarded:
            submitted = new.pop(name, MISSING)
            kept = old.get(name, MISSING)
            if right == READ_ONLY and submitted is not MISSING and not _same(submitted, kept):
                self.errors.append(
                    detail(pointer_join("", plan.key, index, name), plan.columns[name].info.key, "read_only")
                )
            if kept is not MISSING:
                new[name] = copy.deepcopy(kept)

    # -- 2. visibility and computed values ---------------------------------------------
    def _derive(self, clean: dict[str, Any]) -> None:
        if not self.c.evaluation:
            return
        ctx = dict(self.context)
        ctx["form"] = clean
        for plan in self.c.evaluation:
            parent = plan.info.parent
            if parent is None:
                self._derive_one(plan, clean, ctx, pointer_join("", plan.key))
                continue
            rows = clean.get(parent)
            if type(rows) is not list:
                continue
            for index, row in enumerate(rows):
                if type(row) is dict:
                    row_ctx = dict(ctx)
                    row_ctx["row"] = row
                    self._derive_one(plan, row, row_ctx, pointer_join("", parent, index, plan.key))

    def _derive_one(self, plan: FieldPlan, target: dict[str, Any], ctx: dict[str, Any], pointer: str) -> None:
        if plan.visible_if is not None:
            try:
                visible = _truthy(plan.visible_if(ctx))
            except PlatformError:
                visible = True  # a rule that cannot be evaluated does not hide data
            if not visible:
                target.pop(plan.key, None)
                self.hidden_by_rule.add(pointer)
                if plan.info.parent is None:
                    self.waived.add(plan.key)
                return
        if plan.compute is not None:
            try:
                result = plan.compute(ctx)
                value, ok = plan.ft.coerce_result(result, plan.prop)  # type: ignore[attr-defined]
            except PlatformError:
                value, ok = MISSING, False
            if value is MISSING:
                target.pop(plan.key, None)
            else:
                target[plan.key] = value
            if not ok:
                self.compute_failures.append(detail(pointer, plan.info.key, "compute_failed"))

    # -- 3. the schema ------------------------------------------------------------------
    def _schema(self, clean: dict[str, Any]) -> None:
        verdict = self.c.fast_check(clean, self.waived)
        if verdict and not VERIFY_FAST_PATH:
            return
        details = self.c.explain(clean)
        kept = [
            item
            for item in details
            if not (
                item["code"] == "required"
                and (item["pointer"] in self.hidden_by_rule or item["pointer"][1:] in self.waived)
            )
        ]
        if VERIFY_FAST_PATH:
            self._verify(clean, verdict, details, kept)
        self.errors.extend(kept)

    def _verify(self, clean: dict[str, Any], verdict: bool, details: list[Any], kept: list[Any]) -> None:
        plain = self.c.fast_check(clean, ())
        if plain != (not details):
            raise FastPathMismatch(f"fast path says {plain}, jsonschema reports {details}")
        # Columns hidden per row are waived only when explaining, so the fast path may be stricter there.
        row_level = any(pointer.count("/") > 1 for pointer in self.hidden_by_rule)
        if (verdict and kept) or (not verdict and not kept and not row_level):
            raise FastPathMismatch(f"fast path with waivers says {verdict}, jsonschema reports {kept}")

    # -- 4. required-if and value checks -----------------------------------------------
    def _required_if(self, clean: dict[str, Any]) -> None:
        if not self.c.required_if:
            return
        ctx = dict(self.context)
        ctx["form"] = clean
        for plan in self.c.required_if:
            if self.rights.get(plan.info.key) in (HIDDEN, READ_ONLY):
                continue
            parent = plan.info.parent
            if parent is None:
                targets = [(clean, ctx, pointer_join("", plan.key))]
            else:
                rows = clean.get(parent)
                if type(rows) is not list:
                    continue
                targets = []
                for index, row in enumerate(rows):
                    if type(row) is dict:
                        row_ctx = dict(ctx)
                        row_ctx["row"] = row
                        targets.append((row, row_ctx, pointer_join("", parent, index, plan.key)))
            for target, rule_ctx, pointer in targets:
                if plan.key in target or pointer in self.hidden_by_rule:
                    continue
                try:
                    needed = _truthy(plan.required_if(rule_ctx))
                except PlatformError:
                    needed = False  # the rule's inputs are themselves invalid and reported
                if needed:
                    self.errors.append(detail(pointer, plan.info.key, "required"))

    def _values(self, clean: dict[str, Any]) -> None:
        if not self.c.value_checks:
            return
        bad: set[str] = set()
        for item in self.errors:
            pointer = item["pointer"]
            while pointer:
                bad.add(pointer)
                pointer = pointer.rsplit("/", 1)[0]
        rights = self.rights
        for plan in self.c.top_value_checks:
            if rights and rights.get(plan.info.key) in (HIDDEN, READ_ONLY):
                continue  # kept from the stored data, not changed by this user
            value = clean.get(plan.key, MISSING)
            if value is MISSING or (plan.quick is not None and plan.quick(value)):
                continue
            before = (self.previous[plan.key],) if plan.key in self.previous else ()
            self._check_value(plan, value, pointer_join("", plan.key), before, clean, bad)
        for table, plans in self.c.column_value_checks.items():
            rows = clean.get(table)
            if type(rows) is not list:
                continue
            if rights:
                plans = [p for p in plans if rights.get(p.info.key) not in (HIDDEN, READ_ONLY)]
            for index, row in enumerate(rows):
                if type(row) is not dict:
                    continue
                for plan in plans:
                    value = row.get(plan.key, MISSING)
                    if value is MISSING or (plan.quick is not None and plan.quick(value)):
                        continue
                    old_rows = self.previous.get(table)
                    before = (
                        tuple(r[plan.key] for r in old_rows if isinstance(r, Mapping) and plan.key in r)
                        if isinstance(old_rows, list)
                        else ()
                    )
                    pointer = pointer_join("", table, index, plan.key)
                    self._check_value(plan, value, pointer, before, clean, bad)

    def _check_value(
        self,
        plan: FieldPlan,
        value: Any,
        pointer: str,
        before: tuple[Any, ...],
        clean: dict[str, Any],
        bad: set[str],
    ) -> None:
        if pointer in bad:
            return  # the schema already refused this value (or something inside it)
        ctx = ValueContext(
            prop=plan.prop, dictionary=self.dictionary, previous_values=before, actor=self.actor, data=clean
        )
        for issue in plan.ft.validate_value(value, ctx):
            self.errors.append(
                {
                    "pointer": pointer + issue.pointer,
                    "field": plan.info.key,
                    "code": issue.code,
                    "message": issue.message,
                    "params": dict(issue.params),
                }
            )


def _same(submitted: Any, kept: Any) -> bool:
    if kept is MISSING:
        return _empty(submitted)
    if isinstance(submitted, bool) or isinstance(kept, bool):
        return submitted is kept
    return bool(submitted == kept)


def _truthy(value: Any) -> bool:
    from runtime.forms._rules import truthy

    return truthy(value)
