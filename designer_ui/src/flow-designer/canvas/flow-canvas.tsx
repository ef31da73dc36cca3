// The canvas (@xyflow/react). The document in the store is the truth: React Flow gets
// nodes and edges derived from it on every render; a drag moves a local copy and commits
// one "move" command when it ends, so undo restores the old positions in one step.
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { App as AntApp } from "antd";
import { useCallback, useMemo, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import type { NodeType, Position } from "../../schema/flow";
import { useFlow, useFlowEnv } from "../context";
import { addNode, branchOrder, connect, connectRefusal, insertOnEdge, moveNodes } from "../lib/graph";
import { sizeOf } from "../lib/layout";
import { nodeTypeUi } from "../nodes/registry";
import { edgeComponents, type CanvasEdge } from "./condition-edge";
import { nodeComponents, type CanvasNode } from "./nodes";

export const PALETTE_MIME = "application/x-qiaoban-node";

export function FlowCanvas({ describeCondition, compact = false }: { describeCondition: (condition: unknown) => string; compact?: boolean }) {
  const { t } = useTranslation("flow");
  const { message } = AntApp.useApp();
  const env = useFlowEnv();
  const { store, readOnly } = env;
  const doc = useFlow((state) => state.doc);
  const selection = useFlow((state) => state.selection);
  const flow = useReactFlow();
  const [dragging, setDragging] = useState<Record<string, Position>>({});

  const onInsert = useCallback(
    (edgeId: string, type: NodeType) => {
      const state = store.getState();
      const edge = state.doc.edges.find((candidate) => candidate.id === edgeId);
      if (!edge) return;
      const target = state.doc.layout[edge.target] ?? { x: 0, y: 0 };
      const size = sizeOf(type);
      const targetSize = sizeOf(state.doc.nodes.find((node) => node.id === edge.target)?.type ?? "approval");
      const position = { x: target.x + targetSize.width / 2 - size.width / 2, y: target.y };
      let added: string | null = null;
      state.run("insert", (current) => {
        const result = insertOnEdge(current, edgeId, type, position);
        added = result.id;
        return result.doc;
      });
      if (added) state.select({ nodes: [added], edges: [] });
    },
    [store],
  );

  const nodes = useMemo<CanvasNode[]>(
    () =>
      doc.nodes.map((node) => {
        const shape = nodeTypeUi(node.type).shape;
        const size = sizeOf(node.type);
        return {
          id: node.id,
          type: shape,
          position: dragging[node.id] ?? doc.layout[node.id] ?? { x: 0, y: 0 },
          data: { node },
          selected: selection.nodes.includes(node.id),
          width: size.width,
          height: size.height,
          ariaLabel: localized(node.name) || node.id,
        };
      }),
    [doc.nodes, doc.layout, dragging, selection.nodes],
  );

  const edges = useMemo<CanvasEdge[]>(() => {
    const gatewayRank = new Map<string, number>();
    for (const node of doc.nodes) {
      if (node.type !== "exclusive_gateway") continue;
      branchOrder(doc, node.id).forEach((edge, index) => gatewayRank.set(edge.id, index + 1));
    }
    const gateways = new Set(doc.nodes.filter((node) => node.type === "exclusive_gateway").map((node) => node.id));
    return doc.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      type: "condition" as const,
      selected: selection.edges.includes(edge.id),
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18, color: "#8a94a6" },
      data: {
        edge,
        onInsert,
        branch: gateways.has(edge.source)
          ? {
              order: gatewayRank.get(edge.id) ?? 0,
              label: edge.is_default ? t("edge.default") : edge.condition == null ? t("edge.noCondition") : describeCondition(edge.condition),
            }
          : null,
      },
    }));
  }, [doc, selection.edges, onInsert, describeCondition, t]);

  // Selection lives in the store: React Flow reports clicks and box selection as changes.
  const applySelect = useCallback(
    (changes: Array<{ type: string; id?: string; selected?: boolean }>, kind: "nodes" | "edges") => {
      const picks = changes.filter((change): change is { type: "select"; id: string; selected: boolean } => change.type === "select");
      if (!picks.length) return;
      const current = store.getState().selection;
      const chosen = new Set(current[kind]);
      for (const change of picks) {
        if (change.selected) chosen.add(change.id);
        else chosen.delete(change.id);
      }
      store.getState().select({ ...current, [kind]: [...chosen] });
    },
    [store],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<CanvasEdge>[]) => applySelect(changes, "edges"), [applySelect]);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    applySelect(changes, "nodes");
    setDragging((current) => {
      let next = current;
      for (const change of changes) {
        if (change.type === "position" && change.position && change.dragging) {
          if (next === current) next = { ...current };
          next[change.id] = change.position;
        }
      }
      return next;
    });
  }, [applySelect]);

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: CanvasNode, moved: CanvasNode[]) => {
      const positions = Object.fromEntries(moved.map((node) => [node.id, node.position]));
      setDragging({});
      if (!readOnly) store.getState().run("move", (current) => moveNodes(current, positions));
    },
    [store, readOnly],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      const state = store.getState();
      const refusal = connectRefusal(state.doc, connection.source, connection.target);
      if (refusal) {
        void message.warning(t(`connect.${refusal}`));
        return;
      }
      let edgeId: string | null = null;
      state.run("connect", (current) => {
        const result = connect(current, connection.source, connection.target);
        edgeId = result.id;
        if (result.replaced) void message.info(t("connect.replaced"));
        if (connection.source === connection.target) void message.warning(t("connect.selfLoop"));
        return result.doc;
      });
      if (edgeId) state.select({ nodes: [], edges: [edgeId] });
    },
    [store, message, t],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME) as NodeType;
      if (!type || readOnly) return;
      event.preventDefault();
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const size = sizeOf(type);
      const state = store.getState();
      if (type === "start" && state.doc.nodes.some((node) => node.type === "start")) {
        void message.warning(t("connect.oneStart"));
        return;
      }
      let added = "";
      state.run("add", (current) => {
        const result = addNode(current, type, { x: point.x - size.width / 2, y: point.y - size.height / 2 });
        added = result.id;
        return result.doc;
      });
      state.select({ nodes: [added], edges: [] });
    },
    [flow, store, readOnly, message, t],
  );

  return (
    <div className="fl-canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="flow-canvas">
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeComponents}
        edgeTypes={edgeComponents}
        onNodesChange={onNodesChange}
        onNodeDragStop={onNodeDragStop}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onPaneClick={() => store.getState().select({ nodes: [], edges: [] })}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable={!readOnly}
        zoomOnScroll={!readOnly}
        preventScrolling={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        connectionLineType={ConnectionLineType.SmoothStep}
        connectionRadius={36}
        snapToGrid
        snapGrid={[10, 10]}
        minZoom={0.2}
        maxZoom={2}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={{ "controls.ariaLabel": t("canvas.controls") }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1.2} color="#cfd5de" />
        <Controls showInteractive={false} position="bottom-left" />
        {!compact && <MiniMap pannable zoomable position="bottom-right" nodeColor={(node) => nodeTypeUi((node.data as { node: { type: string } }).node.type).color}
          maskColor="rgba(240, 242, 245, 0.7)" ariaLabel={t("canvas.minimap")} />}
      </ReactFlow>
    </div>
  );
}
