// An edge: a rounded elbow line with an arrow; a condition branch shows its condition in
// words ("金额 > 5000"), its priority, or "默认"; every edge has a "+" to insert a node.
import { PlusOutlined } from "@ant-design/icons";
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type Edge, type EdgeProps } from "@xyflow/react";
import { Dropdown, Tooltip } from "antd";
import { useTranslation } from "react-i18next";

import type { FlowEdge, NodeType } from "../../schema/flow";
import { useFlowEnv } from "../context";
import { NODE_TYPE_ORDER, nodeTypeUi } from "../nodes/registry";
import { NodeIcon } from "./node-icons";

export type EdgeData = {
  edge: FlowEdge;
  /** Set on edges leaving an exclusive gateway. */
  branch: { label: string; order: number } | null;
  onInsert: (edgeId: string, type: NodeType) => void;
};
export type CanvasEdge = Edge<EdgeData, "condition">;

const INSERTABLE = NODE_TYPE_ORDER.filter((type) => type !== "start" && type !== "end");

export function ConditionEdge(props: EdgeProps<CanvasEdge>) {
  const { t } = useTranslation("flow");
  const env = useFlowEnv();
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, selected, data, source, target } = props;
  const issues = env.issuesByEdge.get(id) ?? [];
  const error = issues.some((issue) => issue.severity === "error");
  const taken = env.sim?.edges.has(id) ?? false;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (source === target) {
    // A loop back into the same node: go out to the right and come back in at the top.
    const right = Math.max(sourceX, targetX) + 150;
    path = `M ${sourceX} ${sourceY} C ${sourceX} ${sourceY + 50}, ${right} ${sourceY + 50}, ${right} ${(sourceY + targetY) / 2} S ${targetX} ${targetY - 50}, ${targetX} ${targetY}`;
    labelX = right;
    labelY = (sourceY + targetY) / 2;
  } else if (data?.branch && targetY - sourceY > 110) {
    // A branch turns right under its gateway and carries its label just above its target,
    // so the labels of sibling branches never sit on top of each other.
    [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 10, offset: 24, centerY: sourceY + 26 });
    labelX = targetX;
    labelY = targetY - 34;
  } else {
    [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, borderRadius: 10, offset: 24 });
  }
  const stroke = error ? "#f5222d" : taken ? "#15a86b" : selected ? "#1677ff" : "#a3abb8";
  const branch = data?.branch;
  const edge = data?.edge;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} interactionWidth={18}
        style={{ stroke, strokeWidth: selected || taken || error ? 2.4 : 1.6, strokeDasharray: env.sim && !taken ? "5 4" : undefined }} />
      <EdgeLabelRenderer>
        <div className="fl-edge-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`flow-edge-${id}`} data-edge-error={error ? "true" : undefined}>
          {branch && !(env.readOnly && !edge?.is_default) && (
            <Tooltip title={issues.length ? issues.map((issue) => issue.message).join("\n") : undefined}>
              <span className={`fl-branch ${edge?.is_default ? "fl-branch-default" : ""} ${error ? "fl-branch-error" : ""} ${taken ? "fl-branch-taken" : ""}`}
                onClick={() => env.store.getState().select({ nodes: [], edges: [id] })}>
                {!edge?.is_default && <span className="fl-branch-order">{branch.order}</span>}
                <span className="fl-branch-text">{branch.label}</span>
              </span>
            </Tooltip>
          )}
          {!branch && error && (
            <Tooltip title={issues.map((issue) => issue.message).join("\n")}>
              <span className="fl-branch fl-branch-error" onClick={() => env.store.getState().select({ nodes: [], edges: [id] })}>!</span>
            </Tooltip>
          )}
          {!env.readOnly && data && (
            <Dropdown
              trigger={["click"]}
              menu={{
                items: INSERTABLE.map((type) => ({
                  key: type,
                  icon: <NodeIcon name={nodeTypeUi(type).icon} />,
                  label: t(`nodeTypes.${type}`),
                  "data-testid": `insert-${type}`,
                })),
                onClick: ({ key }) => data.onInsert(id, key as NodeType),
              }}
            >
              <button type="button" className="fl-insert" aria-label={t("canvas.insert")} title={t("canvas.insert")} data-testid={`insert-on-${id}`}>
                <PlusOutlined />
              </button>
            </Dropdown>
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const edgeComponents = { condition: ConditionEdge };
