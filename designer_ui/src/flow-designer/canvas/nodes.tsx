// The node cards: tasks are cards with who/how in words, gateways diamonds, start and end
// pills. Verification issues turn a card red with a count; a simulation run marks the
// path and shows the people found.
import { ExclamationCircleFilled, ThunderboltOutlined } from "@ant-design/icons";
import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { Tooltip } from "antd";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";

import type { Issue } from "../../api/types";
import { localized } from "../../i18n";
import type { FlowNode } from "../../schema/flow";
import { useFlowEnv } from "../context";
import { nodeSummary } from "../lib/summary";
import { nodeTypeUi } from "../nodes/registry";
import { NodeIcon } from "./node-icons";

export type FlowNodeData = { node: FlowNode };
export type CanvasNode = Node<FlowNodeData, "task" | "gateway" | "event">;

function IssueBadge({ issues }: { issues: Issue[] }) {
  if (!issues.length) return null;
  const errors = issues.filter((issue) => issue.severity === "error").length;
  return (
    <Tooltip title={<ul className="fl-issue-tip">{issues.map((issue, index) => <li key={index}>{issue.message}</li>)}</ul>}>
      <span className={errors ? "fl-issue-badge fl-issue-badge-error" : "fl-issue-badge fl-issue-badge-warning"} data-testid="node-issue-badge">
        <ExclamationCircleFilled /> {issues.length}
      </span>
    </Tooltip>
  );
}

function useOverlay(id: string) {
  const env = useFlowEnv();
  const issues = env.issuesByNode.get(id) ?? [];
  const sim = env.sim?.nodes[id];
  const classes = [
    issues.some((issue) => issue.severity === "error") ? "fl-has-error" : issues.length ? "fl-has-warning" : "",
    env.sim ? (sim ? (sim.current ? "fl-sim-on fl-current" : "fl-sim-on") : "fl-sim-off") : "",
  ].filter(Boolean);
  return { issues, sim, classes: classes.join(" ") };
}

function SimPeople({ id }: { id: string }) {
  const { t } = useTranslation("flow");
  const { sim } = useOverlay(id);
  if (!sim) return null;
  return (
    <div className="fl-sim-people" data-testid={`sim-people-${id}`}>
      <span className="fl-sim-order">{sim.order}</span>
      {sim.people.length ? sim.people.join("、") : t(`simulate.status.${sim.status}`, { defaultValue: sim.status })}
    </div>
  );
}

function Handles({ type }: { type: string }) {
  const ui = nodeTypeUi(type);
  return (
    <>
      {ui.incoming && <Handle type="target" position={Position.Top} className="fl-handle" />}
      {ui.outgoing !== 0 && <Handle type="source" position={Position.Bottom} className="fl-handle" />}
    </>
  );
}

export function TaskNode({ id, data, selected }: NodeProps<CanvasNode>) {
  const { t } = useTranslation("flow");
  const { names, readOnly } = useFlowEnv();
  const { issues, classes } = useOverlay(id);
  const node = data.node;
  const ui = nodeTypeUi(node.type);
  // A read-only picture (a request's progress) has no configs: the card shows only its name.
  const summary = readOnly ? { main: t(`nodeTypes.${node.type}`), badges: [] } : nodeSummary(node, names, t);
  const urgent = (node.type === "approval" || node.type === "handle") && node.config.skippable_when_urgent;
  return (
    <div
      className={`fl-node fl-task ${selected ? "fl-selected" : ""} ${classes}`}
      style={{ "--fl-accent": ui.color } as CSSProperties}
      data-testid={`flow-node-${id}`}
      data-node-type={node.type}
    >
      <Handles type={node.type} />
      <div className="fl-task-head">
        <span className="fl-task-icon"><NodeIcon name={ui.icon} /></span>
        <span className="fl-task-name">{localized(node.name) || id}</span>
        {urgent && (
          <Tooltip title={t("summary.urgentSkip")}>
            <ThunderboltOutlined className="fl-urgent" aria-label={t("summary.urgentSkip")} />
          </Tooltip>
        )}
        <IssueBadge issues={issues} />
      </div>
      <div className="fl-task-main" title={summary.main}>{summary.main}</div>
      {summary.badges.length > 0 && (
        <div className="fl-task-badges" title={summary.badges.join(" · ")}>
          {summary.badges.map((badge, index) => <span key={index} className="fl-badge">{badge}</span>)}
        </div>
      )}
      <SimPeople id={id} />
    </div>
  );
}

export function GatewayNode({ id, data, selected }: NodeProps<CanvasNode>) {
  const { issues, classes } = useOverlay(id);
  const node = data.node;
  const ui = nodeTypeUi(node.type);
  return (
    <div className={`fl-node fl-gateway ${selected ? "fl-selected" : ""} ${classes}`} style={{ "--fl-accent": ui.color } as CSSProperties}
      data-testid={`flow-node-${id}`} data-node-type={node.type}>
      <Handles type={node.type} />
      <div className="fl-diamond"><span className="fl-diamond-icon"><NodeIcon name={ui.icon} /></span></div>
      <div className="fl-gateway-label">
        <span>{localized(node.name) || id}</span>
        <IssueBadge issues={issues} />
      </div>
      <SimPeople id={id} />
    </div>
  );
}

export function EventNode({ id, data, selected }: NodeProps<CanvasNode>) {
  const { issues, classes } = useOverlay(id);
  const node = data.node;
  const ui = nodeTypeUi(node.type);
  const rejected = node.type === "end" && node.config.outcome === "rejected";
  return (
    <div className={`fl-node fl-event fl-event-${node.type} ${rejected ? "fl-event-rejected" : ""} ${selected ? "fl-selected" : ""} ${classes}`}
      style={{ "--fl-accent": ui.color } as CSSProperties} data-testid={`flow-node-${id}`} data-node-type={node.type}>
      <Handles type={node.type} />
      <NodeIcon name={ui.icon} />
      <span className="fl-event-name">{localized(node.name) || id}</span>
      <IssueBadge issues={issues} />
    </div>
  );
}

export const nodeComponents = { task: TaskNode, gateway: GatewayNode, event: EventNode };
