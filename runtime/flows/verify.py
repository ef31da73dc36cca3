"""The flow verifier: every reason to refuse publishing, with a stable code and a location."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.flows.issues import ERROR, WARNING, Issue, make_issue
from runtime.flows.loader import dump_flow, parse_document
from runtime.flows.org import OrgDirectory
from runtime.flows.registries import node_type_registry
from runtime.flows.rule_checks import config_ok, rule_sites, rule_syntax_issues, type_issues, variable_issues
from runtime.flows.settings import FIELD_RIGHTS, PEOPLE_NODE_TYPES, field_rights
from runtime.flows.spec import FlowSpec
from runtime.flows.verify_graph import graph_issues
from runtime.flows.verify_org import consecutive_duplicates, org_issues
from runtime.forms.dictionary import DictionaryIndex
from runtime.forms.spec import FieldInfo

_SEVERITY_ORDER = {ERROR: 0, WARNING: 1}


def verify(
    flow_document: Mapping[str, Any] | FlowSpec,
    fields: Mapping[str, FieldInfo],
    *,
    org: OrgDirectory | None = None,
    dictionary: DictionaryIndex | Mapping[str, Any] | None = None,
) -> list[Issue]:
    """Return every issue of a flow against its form fields (and the live org when given); errors first."""
    document = dump_flow(flow_document) if isinstance(flow_document, FlowSpec) else flow_document
    spec, issues = parse_document(document)
    if spec is None:
        return issues
    issues += rule_syntax_issues(spec)
    issues += graph_issues(spec)
    invalid_sites = {
        (i.edge_id, i.node_id, i.params.get("where")) for i in issues if i.code == "rule_invalid"
    }
    for site in rule_sites(spec):
        if (site.edge_id, site.node_id, site.where) in invalid_sites:
            continue
        issues += variable_issues(site, fields)
        issues += type_issues(site, fields, dictionary)
    issues += field_issues(spec, fields)
    issues += org_issues(spec, org) if org is not None else consecutive_duplicates(spec, None, None)
    return _unique_sorted(issues)


def _unique_sorted(issues: list[Issue]) -> list[Issue]:
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for issue in issues:
        key = (
            issue.code,
            issue.node_id,
            issue.edge_id,
            issue.field,
            repr(sorted(issue.params.items(), key=str)),
        )
        if key not in seen:
            seen.add(key)
            unique.append(issue)
    # Stable sort: errors before warnings, otherwise in the order the checks found them.
    return sorted(unique, key=lambda i: _SEVERITY_ORDER.get(i.severity, 2))


def field_issues(spec: FlowSpec, fields: Mapping[str, FieldInfo]) -> list[Issue]:
    """Return issues of field rights, required fields at the start, and fields named in configs."""
    issues: list[Issue] = []
    for node in spec.nodes:
        for key, right in field_rights(node).items():
            if key not in fields:
                issues.append(
                    make_issue("field_right_unknown_field", node_id=node.id, field=key, node=node.label)
                )
            elif right not in FIELD_RIGHTS:
                issues.append(
                    make_issue(
                        "field_right_invalid", node_id=node.id, field=key, node=node.label, right=right
                    )
                )
        if node.type in PEOPLE_NODE_TYPES and not node.name:
            issues.append(make_issue("node_name_missing", node_id=node.id, node=node.label))
        if config_ok(node):
            issues += _config_field_refs(node.id, node.label, node.type, spec, fields)
    start = spec.start
    if start is not None:
        issues += _required_at_start(start.id, field_rights(start), fields)
    return issues


def _config_field_refs(
    node_id: str, label: str, node_type: str, spec: FlowSpec, fields: Mapping[str, FieldInfo]
) -> list[Issue]:
    issues = []
    for path, key, kinds in node_type_registry.get(node_type).field_refs(spec.node(node_id)):
        info = fields.get(key)
        people = path.startswith(("assignees", "recipients"))
        deadline = path.startswith("deadline")
        if info is None:
            code = ("assignee_field_unknown" if people else "deadline_field_unknown" if deadline
                    else "mapping_field_unknown")
            issues.append(make_issue(code, node_id=node_id, field=key, node=label, path=path))
        elif kinds is not None and info.value_kind not in kinds:
            code = ("assignee_field_wrong_kind" if people else "deadline_field_wrong_kind" if deadline
                    else "delay_field_wrong_kind")
            issues.append(make_issue(code, node_id=node_id, field=key, node=label, kind=info.value_kind))
    return issues


def _required_at_start(
    start_id: str, rights: Mapping[str, str], fields: Mapping[str, FieldInfo]
) -> list[Issue]:
    issues = []
    for key, info in fields.items():
        if not (info.required or info.required_if is not None) or info.compute is not None:
            continue  # computed fields fill themselves in
        right = rights.get(key) or (rights.get(info.parent) if info.parent else None) or "editable"
        if right in ("hidden", "read_only"):
            # Always required: the form can never be submitted. Required by a rule: only
            # when the rule holds, which the verifier cannot rule out.
            issues.append(
                make_issue(
                    "required_field_not_editable_at_start",
                    node_id=start_id,
                    field=key,
                    severity=ERROR if info.required else WARNING,
                    right=right,
                    required="always" if info.required else "by_rule",
                )
            )
    return issues
