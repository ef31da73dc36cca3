// Pure edits of a flow document (STYLE.md 21): each takes the document and returns a new
// one (or the same object when nothing changes), so the store can put any of them on the
// undo stack. Positions live in `layout`, never in the nodes.
import type { FlowDocument, FlowEdge, FlowNode, NodeType, Position } from "../../schema/flow";
import { NODE_TYPES } from "../nodes/registry";

export type ConnectRefusal = "source_is_end" | "target_is_start" | "duplicate" | "unknown_node";

function ids(doc: FlowDocument): Set<string> {
  return new Set([...doc.nodes.map((node) => node.id), ...doc.edges.map((edge) => edge.id)]);
}

/** A fresh id: prefix + the smallest number not used by any node or edge. */
export function freshId(doc: FlowDocument, prefix: string, taken: Set<string> = ids(doc)): string {
  for (let n = 1; ; n += 1) {
    const id = `${prefix}${n}`;
    if (!taken.has(id)) return id;
  }
}

export function nodeById(doc: FlowDocument, id: string): FlowNode | undefined {
  return doc.nodes.find((node) => node.id === id);
}

export function outgoing(doc: FlowDocument, id: string): FlowEdge[] {
  return doc.edges.filter((edge) => edge.source === id);
}

export function incoming(doc: FlowDocument, id: string): FlowEdge[] {
  return doc.edges.filter((edge) => edge.target === id);
}

/** Exclusive-gateway branches in the order the engine tries them (priority, then drawing order). */
export function branchOrder(doc: FlowDocument, gatewayId: string): FlowEdge[] {
  const edges = outgoing(doc, gatewayId);
  const numbered = edges.filter((edge) => !edge.is_default && edge.priority !== null).sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
  const unnumbered = edges.filter((edge) => !edge.is_default && edge.priority === null);
  const defaults = edges.filter((edge) => edge.is_default);
  return [...numbered, ...unnumbered, ...defaults];
}

export function addNode(doc: FlowDocument, type: NodeType, position: Position, options?: { id?: string }): { doc: FlowDocument; id: string } {
  const ui = NODE_TYPES[type];
  const id = options?.id ?? freshId(doc, type === "exclusive_gateway" || type.startsWith("parallel") ? "gw" : type === "end" ? "end" : "n");
  const node = { id, type, name: { ...ui.name }, config: ui.defaultConfig() } as FlowNode;
  return {
    doc: { ...doc, nodes: [...doc.nodes, node], layout: { ...doc.layout, [id]: { x: Math.round(position.x), y: Math.round(position.y) } } },
    id,
  };
}

/** Why an edge source → target may not be drawn, or null. */
export function connectRefusal(doc: FlowDocument, source: string, target: string): ConnectRefusal | null {
  const from = nodeById(doc, source);
  const to = nodeById(doc, target);
  if (!from || !to) return "unknown_node";
  if (NODE_TYPES[from.type].outgoing === 0) return "source_is_end";
  if (!NODE_TYPES[to.type].incoming) return "target_is_start";
  if (doc.edges.some((edge) => edge.source === source && edge.target === target)) return "duplicate";
  return null;
}

/**
 * Draw source → target. A node with one way out moves its edge (the old one is replaced;
 * never for a loop back into the node itself, which the verifier refuses anyway, so a slip
 * of the mouse does not cost the node its exit); a condition branch gets the next priority.
 */
export function connect(doc: FlowDocument, source: string, target: string): { doc: FlowDocument; id: string | null; replaced: string | null } {
  if (connectRefusal(doc, source, target)) return { doc, id: null, replaced: null };
  const from = nodeById(doc, source);
  if (!from) return { doc, id: null, replaced: null };
  const id = freshId(doc, "e");
  let edges = doc.edges;
  let replaced: string | null = null;
  if (NODE_TYPES[from.type].outgoing === 1 && source !== target) {
    const old = edges.find((edge) => edge.source === source);
    if (old) {
      replaced = old.id;
      edges = edges.filter((edge) => edge !== old);
    }
  }
  let priority: number | null = null;
  if (from.type === "exclusive_gateway") {
    const numbers = outgoing(doc, source).map((edge) => edge.priority ?? 0);
    priority = (numbers.length ? Math.max(...numbers) : 0) + 1;
  }
  const edge: FlowEdge = { id, source, target, condition: null, is_default: false, priority };
  return { doc: { ...doc, edges: [...edges, edge] }, id, replaced };
}

/**
 * Put a new node in the middle of an edge: source → new node keeps the edge's condition,
 * default flag and priority; new node → target is a plain edge (the default when the new
 * node is a condition branch, so the flow stays valid).
 */
export function insertOnEdge(doc: FlowDocument, edgeId: string, type: NodeType, position: Position): { doc: FlowDocument; id: string | null } {
  const edge = doc.edges.find((candidate) => candidate.id === edgeId);
  if (!edge || type === "start" || type === "end") return { doc, id: null };
  const added = addNode(doc, type, position);
  const taken = ids(added.doc);
  const tail: FlowEdge = {
    id: freshId(added.doc, "e", taken),
    source: added.id,
    target: edge.target,
    condition: null,
    is_default: type === "exclusive_gateway",
    priority: null,
  };
  const edges = added.doc.edges.map((candidate) => (candidate.id === edgeId ? { ...candidate, target: added.id } : candidate));
  // Move what sits below the insertion point down to make room.
  const layout = { ...added.doc.layout };
  const anchor = position.y;
  for (const [id, place] of Object.entries(layout)) {
    if (id !== added.id && place.y >= anchor - 10) layout[id] = { ...place, y: place.y + 120 };
  }
  return { doc: { ...added.doc, edges: [...edges, tail], layout }, id: added.id };
}

/**
 * Delete nodes and edges (and the edges of deleted nodes). Deleting one node that sits
 * in a straight line (one edge in, one out, not a branch) reconnects its neighbours, as
 * DingTalk's designer does, so the flow does not fall apart.
 */
export function removeElements(doc: FlowDocument, nodeIds: string[], edgeIds: string[]): FlowDocument {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (!nodes.size && !edges.size) return doc;
  let heal: FlowEdge | null = null;
  const [only] = nodes;
  if (nodes.size === 1 && !edges.size && only !== undefined) {
    const ins = incoming(doc, only);
    const outs = outgoing(doc, only);
    const into = ins[0];
    const out = outs[0];
    if (ins.length === 1 && outs.length === 1 && into && out && into.source !== only && out.target !== only) {
      const candidate = { ...into, target: out.target };
      if (!doc.edges.some((edge) => edge.source === candidate.source && edge.target === candidate.target)) heal = candidate;
    }
  }
  const keptEdges = doc.edges.filter((edge) => !edges.has(edge.id) && !nodes.has(edge.source) && !nodes.has(edge.target));
  if (heal) keptEdges.push(heal);
  const layout = Object.fromEntries(Object.entries(doc.layout).filter(([id]) => !nodes.has(id)));
  const changed = keptEdges.length !== doc.edges.length || heal !== null || nodes.size > 0;
  if (!changed) return doc;
  return { ...doc, nodes: doc.nodes.filter((node) => !nodes.has(node.id)), edges: keptEdges, layout };
}

export function moveNodes(doc: FlowDocument, positions: Record<string, Position>): FlowDocument {
  const entries = Object.entries(positions).filter(([id, place]) => {
    const old = doc.layout[id];
    return !old || Math.round(old.x) !== Math.round(place.x) || Math.round(old.y) !== Math.round(place.y);
  });
  if (!entries.length) return doc;
  const layout = { ...doc.layout };
  for (const [id, place] of entries) layout[id] = { ...layout[id], x: Math.round(place.x), y: Math.round(place.y) };
  return { ...doc, layout };
}

export function updateNode(doc: FlowDocument, id: string, update: (node: FlowNode) => FlowNode): FlowDocument {
  let changed = false;
  const nodes = doc.nodes.map((node) => {
    if (node.id !== id) return node;
    const next = update(node);
    if (next !== node) changed = true;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
}

/** Change an edge. Making a branch the default clears its condition and the other defaults. */
export function updateEdge(doc: FlowDocument, id: string, patch: Partial<Pick<FlowEdge, "condition" | "is_default" | "priority">>): FlowDocument {
  const edge = doc.edges.find((candidate) => candidate.id === id);
  if (!edge) return doc;
  const next: FlowEdge = { ...edge, ...patch };
  if (patch.is_default) {
    next.condition = null;
    next.priority = null;
  }
  if (patch.is_default === false && edge.is_default && next.priority === null) {
    const numbers = outgoing(doc, edge.source).map((candidate) => candidate.priority ?? 0);
    next.priority = Math.max(0, ...numbers) + 1;
  }
  let nextPriority = Math.max(0, ...outgoing(doc, edge.source).map((candidate) => candidate.priority ?? 0)) + 1;
  const edges = doc.edges.map((candidate) => {
    if (candidate.id === id) return next;
    if (patch.is_default && candidate.source === edge.source && candidate.is_default) {
      // The old default becomes an ordinary branch, checked last.
      return { ...candidate, is_default: false, priority: candidate.priority ?? nextPriority++ };
    }
    return candidate;
  });
  return { ...doc, edges };
}

/** Number a gateway's conditional branches 1..n in the given order (the default stays last). */
export function setBranchOrder(doc: FlowDocument, gatewayId: string, edgeIds: string[]): FlowDocument {
  const rank = new Map(edgeIds.map((id, index) => [id, index + 1]));
  const edges = doc.edges.map((edge) =>
    edge.source === gatewayId && !edge.is_default && rank.has(edge.id) ? { ...edge, priority: rank.get(edge.id) ?? null } : edge,
  );
  return { ...doc, edges };
}

export interface Clipboard {
  nodes: FlowNode[];
  edges: FlowEdge[];
  layout: Record<string, Position>;
}

/** The selected nodes with the edges between them. */
export function copyElements(doc: FlowDocument, nodeIds: string[]): Clipboard | null {
  const chosen = new Set(nodeIds);
  const nodes = doc.nodes.filter((node) => chosen.has(node.id));
  if (!nodes.length) return null;
  return {
    nodes: structuredClone(nodes),
    edges: structuredClone(doc.edges.filter((edge) => chosen.has(edge.source) && chosen.has(edge.target))),
    layout: Object.fromEntries(nodes.map((node) => [node.id, doc.layout[node.id] ?? { x: 0, y: 0 }])),
  };
}

/** Paste copies with new ids, shifted by `offset`; a second start node is never pasted. */
export function pasteElements(doc: FlowDocument, clip: Clipboard, offset: Position): { doc: FlowDocument; ids: string[] } {
  const taken = ids(doc);
  const map = new Map<string, string>();
  const hasStart = doc.nodes.some((node) => node.type === "start");
  const nodes: FlowNode[] = [];
  const layout = { ...doc.layout };
  for (const node of clip.nodes) {
    if (node.type === "start" && hasStart) continue;
    const id = freshId(doc, node.type === "end" ? "end" : node.type.includes("gateway") || node.type.startsWith("parallel") ? "gw" : "n", taken);
    taken.add(id);
    map.set(node.id, id);
    nodes.push({ ...structuredClone(node), id });
    const place = clip.layout[node.id] ?? { x: 0, y: 0 };
    layout[id] = { x: Math.round(place.x + offset.x), y: Math.round(place.y + offset.y) };
  }
  const edges: FlowEdge[] = [];
  for (const edge of clip.edges) {
    const source = map.get(edge.source);
    const target = map.get(edge.target);
    if (!source || !target) continue;
    const id = freshId(doc, "e", taken);
    taken.add(id);
    edges.push({ ...structuredClone(edge), id, source, target });
  }
  if (!nodes.length) return { doc, ids: [] };
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges], layout }, ids: nodes.map((node) => node.id) };
}

/** A new flow: start → approval → end, laid out top to bottom. */
export function starterFlow(): FlowDocument {
  return {
    schema_version: 1,
    nodes: [
      { id: "start", type: "start", name: { ...NODE_TYPES.start.name }, config: {} },
      { id: "end", type: "end", name: { ...NODE_TYPES.end.name }, config: { outcome: "approved" } },
    ],
    edges: [{ id: "e1", source: "start", target: "end", condition: null, is_default: false, priority: null }],
    layout: { start: { x: 50, y: 0 }, end: { x: 50, y: 200 } },
  };
}
