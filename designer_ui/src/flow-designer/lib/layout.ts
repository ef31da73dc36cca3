// Auto-layout, top to bottom (dagre). Positions are the top-left corners of the canvas
// cards, whose sizes are fixed per shape (the canvas CSS uses the same numbers).
import { Graph, layout } from "@dagrejs/dagre";

import type { FlowDocument, Position } from "../../schema/flow";
import { nodeTypeUi, type NodeShape } from "../nodes/registry";
import { branchOrder } from "./graph";

export const NODE_SIZE: Record<NodeShape, { width: number; height: number }> = {
  task: { width: 220, height: 84 },
  gateway: { width: 64, height: 64 },
  event: { width: 140, height: 44 },
};

/** The card's size on the canvas. */
export function sizeOf(type: string): { width: number; height: number } {
  return NODE_SIZE[nodeTypeUi(type).shape];
}

/** Positions for every node, ranks top to bottom, branches left to right in priority order. */
export function autoLayout(doc: FlowDocument): Record<string, Position> {
  const graph = new Graph({ multigraph: true });
  // Gateway labels sit beside the diamond and edge labels between ranks: leave room.
  graph.setGraph({ rankdir: "TB", nodesep: 60, ranksep: 70, edgesep: 20, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of doc.nodes) graph.setNode(node.id, { ...sizeOf(node.type) });
  const seen = new Set<string>();
  const add = (source: string, target: string, id: string, minlen: number) => {
    if (seen.has(id) || !graph.hasNode(source) || !graph.hasNode(target)) return;
    seen.add(id);
    // Branch edges reserve room for their label, which also keeps a long edge (a default
    // branch running past other nodes) clear of the cards beside it.
    graph.setEdge(source, target, minlen > 1 ? { minlen, weight: 1, width: 120, height: 24, labelpos: "c" } : { minlen, weight: 1 }, id);
  };
  for (const node of doc.nodes) {
    const edges = node.type === "exclusive_gateway" ? branchOrder(doc, node.id) : doc.edges.filter((edge) => edge.source === node.id);
    // Conditional branches carry a label: give them an extra rank of height.
    for (const edge of edges) add(edge.source, edge.target, edge.id, node.type === "exclusive_gateway" ? 2 : 1);
  }
  // Keep branches in priority order (left to right) rather than dagre's crossing heuristic.
  layout(graph, { disableOptimalOrderHeuristic: true });
  const positions: Record<string, Position> = {};
  for (const node of doc.nodes) {
    const placed = graph.node(node.id) as { x: number; y: number } | undefined;
    if (!placed) continue;
    const size = sizeOf(node.type);
    positions[node.id] = { x: Math.round(placed.x - size.width / 2), y: Math.round(placed.y - size.height / 2) };
  }
  return positions;
}
