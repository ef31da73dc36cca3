"""Graph checks of a flow: starts and ends, reachability, loops, gateways, parallel joins."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from runtime.flows.issues import Issue, make_issue
from runtime.flows.registries import node_type_registry
from runtime.flows.rule_checks import conditions_exhaustive
from runtime.flows.spec import FlowSpec, NodeSpec

_END = "<end>"
_OPEN = "<not joined>"


def graph_issues(spec: FlowSpec) -> list[Issue]:
    """Return every structural problem of the graph."""
    issues = _start_end(spec)
    issues += _edges(spec)
    issues += _gateways(spec)
    issues += _reachability(spec)
    issues += _parallel(spec)
    return issues


def _label(spec: FlowSpec, node_id: str) -> str:
    return spec.node(node_id).label if spec.has_node(node_id) else node_id


def _start_end(spec: FlowSpec) -> list[Issue]:
    issues = []
    starts, ends = spec.nodes_of_type("start"), spec.nodes_of_type("end")
    if not starts:
        issues.append(make_issue("start_missing"))
    elif len(starts) > 1:
        for start in starts[1:]:
            issues.append(make_issue("start_multiple", node_id=start.id, count=len(starts)))
    if not ends:
        issues.append(make_issue("end_missing"))
    for start in starts:
        for edge in spec.incoming(start.id):
            issues.append(
                make_issue(
                    "start_has_incoming", node_id=start.id, edge_id=edge.id, source=_label(spec, edge.source)
                )
            )
    for end in ends:
        for edge in spec.outgoing(end.id):
            issues.append(make_issue("end_has_outgoing", node_id=end.id, edge_id=edge.id, node=end.label))
    return issues


def _edges(spec: FlowSpec) -> list[Issue]:
    issues = []
    for node in spec.nodes:
        if node.type not in node_type_registry:
            continue
        node_type = node_type_registry.get(node.type)
        out = spec.outgoing(node.id)
        if node_type.max_outgoing == 1 and len(out) > 1:
            issues.append(
                make_issue("multiple_outgoing_edges", node_id=node.id, node=node.label, count=len(out))
            )
        if not out and node_type.max_outgoing != 0:
            issues.append(make_issue("node_dead_end", node_id=node.id, node=node.label))
    for edge in spec.edges:
        source = spec.node(edge.source)
        if source.type != "exclusive_gateway":
            if edge.condition is not None:
                issues.append(
                    make_issue("condition_not_allowed", node_id=source.id, edge_id=edge.id, edge=edge.id)
                )
            if edge.is_default:
                issues.append(
                    make_issue("default_not_allowed", node_id=source.id, edge_id=edge.id, edge=edge.id)
                )
        if edge.source == edge.target:
            issues.append(
                make_issue("self_loop", node_id=source.id, edge_id=edge.id, edge=edge.id, node=source.label)
            )
    return issues


def _gateways(spec: FlowSpec) -> list[Issue]:
    issues = []
    for node in spec.nodes_of_type("exclusive_gateway"):
        out = spec.outgoing(node.id)
        defaults = [e for e in out if e.is_default]
        branches = [e for e in out if not e.is_default]
        if len(defaults) > 1:
            issues.append(
                make_issue("gateway_multiple_defaults", node_id=node.id, node=node.label, count=len(defaults))
            )
        for edge in defaults:
            if edge.condition is not None:
                issues.append(
                    make_issue("default_edge_has_condition", node_id=node.id, edge_id=edge.id, edge=edge.id)
                )
        for edge in branches:
            if edge.condition is None:
                issues.append(
                    make_issue(
                        "gateway_branch_without_condition",
                        node_id=node.id,
                        edge_id=edge.id,
                        edge=edge.id,
                        node=node.label,
                    )
                )
        if len(out) == 1:
            issues.append(make_issue("gateway_single_branch", node_id=node.id, node=node.label))
        conditions = [e.condition for e in branches if e.condition is not None]
        if out and not defaults and not conditions_exhaustive(conditions):
            issues.append(make_issue("gateway_no_default", node_id=node.id, node=node.label))
        by_priority: dict[int, list[str]] = {}
        for edge in branches:
            if edge.priority is not None:
                by_priority.setdefault(edge.priority, []).append(edge.id)
        for priority, edge_ids in by_priority.items():
            if len(edge_ids) > 1:
                issues.append(
                    make_issue(
                        "gateway_priority_tie",
                        node_id=node.id,
                        node=node.label,
                        edges=", ".join(edge_ids),
                        priority=priority,
                    )
                )
    return issues


def _successors(spec: FlowSpec, node_id: str) -> list[str]:
    return [e.target for e in spec.outgoing(node_id)]


def _bfs(starts: Iterable[str], step: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for nxt in step.get(queue.popleft(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def strongly_connected(spec: FlowSpec) -> list[list[str]]:
    """Return the strongly connected components (Tarjan, iterative), each in discovery order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in (n.id for n in spec.nodes):
        if root in index:
            continue
        work = [(root, iter(_successors(spec, root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(_successors(spec, child))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component[::-1])
    return result


def _reachability(spec: FlowSpec) -> list[Issue]:
    issues: list[Issue] = []
    forward = {n.id: _successors(spec, n.id) for n in spec.nodes}
    backward: dict[str, list[str]] = {n.id: [] for n in spec.nodes}
    for edge in spec.edges:
        backward[edge.target].append(edge.source)
    start = spec.start
    if start is not None:
        reached = _bfs([start.id], forward)
        for node in spec.nodes:
            if node.id not in reached:
                issues.append(make_issue("node_unreachable", node_id=node.id, node=node.label))
    ends = [n.id for n in spec.nodes_of_type("end")]
    reaches_end = _bfs(ends, backward) if ends else set()
    reported: set[str] = set()
    for component in strongly_connected(spec):
        looping = len(component) > 1 or component[0] in forward[component[0]]
        if not looping:
            continue
        members = set(component)
        labels = ", ".join(f"“{_label(spec, m)}”" for m in component)
        has_exit = any(t not in members for m in component for t in forward[m])
        if ends and not has_exit:
            issues.append(
                make_issue("cycle_without_exit", node_id=component[0], nodes=labels, node_ids=component)
            )
            reported |= members
        known = all(spec.node(m).type in node_type_registry for m in component)
        if known and not any(
            node_type_registry.get(spec.node(m).type).waits_at(spec.node(m)) for m in component
        ):
            issues.append(
                make_issue("cycle_without_wait_state", node_id=component[0], nodes=labels, node_ids=component)
            )
    if ends:
        for node in spec.nodes:
            dead_end = not forward[node.id] and node.type != "end"
            if node.id not in reaches_end and node.id not in reported and not dead_end:
                issues.append(make_issue("node_cannot_reach_end", node_id=node.id, node=node.label))
    return issues


def _parallel(spec: FlowSpec) -> list[Issue]:
    issues: list[Issue] = []
    matched: dict[str, str | None] = {}
    problems: dict[str, str] = {}
    for split in spec.nodes_of_type("parallel_split"):
        _match_join(spec, split, matched, problems, set())
    for split in spec.nodes_of_type("parallel_split"):
        out = spec.outgoing(split.id)
        if len(out) == 1:
            issues.append(make_issue("parallel_split_single_branch", node_id=split.id, node=split.label))
        if matched.get(split.id) is None and out:
            issues.append(
                make_issue(
                    "parallel_split_not_joined",
                    node_id=split.id,
                    node=split.label,
                    detail=problems.get(split.id, ""),
                )
            )
    joined = {j for j in matched.values() if j is not None}
    for join in spec.nodes_of_type("parallel_join"):
        if join.id not in joined:
            issues.append(make_issue("parallel_join_without_split", node_id=join.id, node=join.label))
        n = join.config.get("n")
        arriving = len(spec.incoming(join.id))
        if join.config.get("join") == "first_n" and isinstance(n, int) and n > arriving:
            issues.append(
                make_issue(
                    "parallel_join_n_invalid", node_id=join.id, node=join.label, n=n, branches=arriving
                )
            )
    return issues


def _match_join(
    spec: FlowSpec,
    split: NodeSpec,
    matched: dict[str, str | None],
    problems: dict[str, str],
    active: set[str],
) -> str | None:
    """Return the join where every branch of ``split`` meets (memoised), else None."""
    if split.id in matched:
        return matched[split.id]
    if split.id in active:  # a split inside its own branch: a loop around the split
        return None
    active.add(split.id)
    reached: dict[str, set[str]] = {}
    for edge in spec.outgoing(split.id):
        reached[edge.id] = _first_joins(spec, edge.target, matched, problems, active, set())
    active.discard(split.id)
    all_joins = set().union(*reached.values()) if reached else set()
    result: str | None = None
    if len(all_joins) == 1 and not all_joins & {_END, _OPEN}:
        result = next(iter(all_joins))
    else:
        parts = []
        for edge_id, joins in reached.items():
            if _END in joins:
                parts.append(f"branch {edge_id} reaches an end first")
            if _OPEN in joins:
                parts.append(f"branch {edge_id} contains a split that is not joined")
        names = sorted(_label(spec, j) for j in all_joins - {_END, _OPEN})
        if len(names) > 1:
            parts.append("branches meet at different joins: " + ", ".join(names))
        if not all_joins:
            parts.append("no branch reaches a join")
        problems[split.id] = "; ".join(parts)
    matched[split.id] = result
    return result


def _first_joins(
    spec: FlowSpec,
    node_id: str,
    matched: dict[str, str | None],
    problems: dict[str, str],
    active: set[str],
    visited: set[str],
) -> set[str]:
    """Return the first joins (or markers) reached from ``node_id`` along every path."""
    if node_id in visited:
        return set()  # a loop inside the branch adds no new way out
    visited.add(node_id)
    node = spec.node(node_id)
    if node.type == "parallel_join":
        return {node.id}
    if node.type == "end":
        return {_END}
    targets = _successors(spec, node_id)
    if node.type == "parallel_split":
        inner = _match_join(spec, node, matched, problems, active)
        if inner is None:
            return {_OPEN}
        targets = _successors(spec, inner)
    found: set[str] = set()
    for target in targets:
        found |= _first_joins(spec, target, matched, problems, active, visited)
    return found
