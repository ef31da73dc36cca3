// The simulation panel: fill a sample request with the real form renderer, choose who
// submits it, and the server's simulator (POST /apps/{key}/simulate/, on the draft) tells
// the path, the people found at each node and how each condition evaluated. The canvas
// highlights the path (see SimOverlay).
import { CheckCircleFilled, CloseCircleFilled, PlayCircleOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { Alert, Button, Drawer, Empty, Space, Switch, Tag, Timeline, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { FormRenderer } from "../../form-renderer";
import { localized } from "../../i18n";
import { describeRule } from "../../lib/conditions";
import { UserPicker } from "../../pages/apps/components/org-pickers";
import type { FormDocument } from "../../schema/form";
import type { SimOverlay } from "../context";
import { useFlowEnv } from "../context";

interface SimPerson {
  id: string;
  name: string;
  active: boolean;
}

interface SimStep {
  node_id: string;
  type: string;
  name: { zh?: string; en?: string };
  status: string;
  mode: string | null;
  approvers: { users: string[]; people?: SimPerson[] } | null;
  gateway: {
    evaluations: Array<{ edge_id: string; target: string; order: number; rule: unknown; values?: Record<string, unknown>; result?: boolean; missing?: string[] }>;
    taken: string | null;
    target: string | null;
    reason: string | null;
  } | null;
  notes: unknown[];
}

export interface SimResult {
  path: string[];
  steps: SimStep[];
  outcome: string | null;
  blocked: boolean;
  blocking: Array<{ code: string; message: string; node_id?: string | null }>;
  submission: { valid: boolean; errors: Array<{ message: string; field?: string }> };
}

/** What the canvas shows for a result: the nodes visited (in order, with people) and the edges taken. */
export function overlayOf(result: SimResult, edges: Array<{ id: string; source: string; target: string }>): SimOverlay {
  const nodes: SimOverlay["nodes"] = {};
  result.steps.forEach((step, index) => {
    nodes[step.node_id] = {
      status: step.status,
      people: (step.approvers?.people ?? []).map((person) => person.name),
      order: index + 1,
    };
  });
  const visited = new Set(result.steps.map((step) => step.node_id));
  const gateways = new Map(result.steps.flatMap((step) => (step.gateway ? [[step.node_id, step.gateway.taken] as const] : [])));
  const taken = new Set<string>();
  for (const edge of edges) {
    if (!visited.has(edge.source) || !visited.has(edge.target)) continue;
    if (gateways.has(edge.source) && gateways.get(edge.source) !== edge.id) continue;
    taken.add(edge.id);
  }
  return { nodes, edges: taken };
}

const STATUS_COLOR: Record<string, string> = {
  approved: "success", handled: "success", auto_approved: "success", copied: "cyan", decided: "processing", submitted: "blue",
  split: "processing", joined: "processing", ended: "default", blocked: "error", rejected: "error", skipped_urgent: "warning", skipped_empty: "warning",
};

export function SimulationPanel({ appKey, form, open, onClose, result, onResult, saveFirst }: {
  appKey: string;
  form: FormDocument;
  open: boolean;
  onClose: () => void;
  /** The last result (the page clears it when the flow is edited). */
  result: SimResult | null;
  onResult: (result: SimResult | null) => void;
  /** Save pending edits: the server simulates the saved draft. */
  saveFirst: () => Promise<boolean>;
}) {
  const { t } = useTranslation("flow");
  const { t: td } = useTranslation("designer");
  const env = useFlowEnv();
  const [data, setData] = useState<Record<string, unknown>>({});
  const [initiator, setInitiator] = useState<number | null>(null);
  const [urgent, setUrgent] = useState(false);
  const run = useMutation({
    mutationFn: async () => {
      if (!(await saveFirst())) throw new Error(t("simulate.unsaved"));
      return (await unwrap(api.POST("/api/v1/apps/{key}/simulate/", {
        params: { path: { key: appKey } },
        body: { data, initiator: String(initiator), urgent, version: "draft" } as never,
      }))) as unknown as SimResult;
    },
    onSuccess: (value) => onResult(value),
  });
  const nameOf = (id: string) => localized(env.store.getState().doc.nodes.find((node) => node.id === id)?.name) || id;
  return (
    <Drawer open={open} onClose={onClose} mask={false} title={t("simulate.title")} size={460} placement="right"
      extra={result && <Button size="small" onClick={() => onResult(null)}>{t("simulate.clear")}</Button>}
      data-testid="simulation-panel" className="fl-sim-drawer">
      <Space orientation="vertical" size={12} className="fl-full">
        <Typography.Paragraph type="secondary" className="fl-sim-intro">{t("simulate.intro")}</Typography.Paragraph>
        <div>
          <div className="fl-row-label">{t("simulate.initiator")}</div>
          <UserPicker mode="single" value={initiator} onChange={setInitiator} placeholder={t("simulate.initiatorPlaceholder")} ariaLabel={t("simulate.initiator")} testId="sim-initiator" />
        </div>
        <Space>
          <Switch checked={urgent} onChange={setUrgent} aria-label={t("simulate.urgent")} data-testid="sim-urgent" />
          <span>{t("simulate.urgent")}</span>
        </Space>
        <div className="fl-sim-form" data-testid="sim-form">
          <FormRenderer document={form} value={data} onChange={setData} dictionary={env.dictionary} device="phone" />
        </div>
        <Button type="primary" icon={<PlayCircleOutlined />} block disabled={initiator === null} loading={run.isPending}
          onClick={() => run.mutate()} data-testid="sim-run">
          {t("simulate.run")}
        </Button>
        {initiator === null && <Typography.Text type="secondary">{t("simulate.needInitiator")}</Typography.Text>}
        {run.error && <Alert type="error" showIcon title={errorMessage(run.error, t("simulate.failed"))} />}
        {result && (
          <div data-testid="sim-result">
            {result.blocked ? (
              <Alert type="error" showIcon title={t("simulate.blocked")} description={result.blocking.map((issue) => issue.message).join("；")} />
            ) : (
              <Alert type={result.outcome === "rejected" ? "warning" : "success"} showIcon
                title={t("simulate.outcome", { outcome: t(`simulate.outcomes.${result.outcome ?? "none"}`), count: result.steps.length })} />
            )}
            {result.submission && !result.submission.valid && result.submission.errors.length > 0 && (
              <Alert type="info" showIcon className="fl-gap-top" title={t("simulate.sampleIncomplete")}
                description={result.submission.errors.slice(0, 5).map((error) => {
                  const key = (error.field ?? "").split(".")[0] ?? "";
                  const label = localized(env.form.fields[key]?.["x-label"]);
                  return label ? `${label}：${error.message}` : error.message;
                }).join("；")} />
            )}
            <Timeline className="fl-sim-steps" items={result.steps.map((step, index) => ({
              key: `${step.node_id}-${index}`,
              color: step.status === "blocked" ? "red" : "green",
              content: (
                <div className="fl-sim-step" data-testid={`sim-step-${step.node_id}`}>
                  <div className="fl-sim-step-head">
                    <strong>{localized(step.name) || step.node_id}</strong>
                    <Tag color={STATUS_COLOR[step.status] ?? "default"}>{t(`simulate.status.${step.status}`, { defaultValue: step.status })}</Tag>
                  </div>
                  {step.approvers?.people && step.approvers.people.length > 0 && (
                    <div className="fl-sim-people-line">{step.approvers.people.map((person) => person.name).join("、")}</div>
                  )}
                  {step.gateway && (
                    <ul className="fl-sim-evals">
                      {step.gateway.evaluations.map((evaluation) => (
                        <li key={evaluation.edge_id}>
                          {evaluation.result ? <CheckCircleFilled className="fl-ok" /> : <CloseCircleFilled className="fl-no" />}{" "}
                          → {nameOf(evaluation.target)}：{evaluation.rule == null ? t("edge.noCondition") : describeRule(evaluation.rule, env.form, td, env.dictionary)}
                          {evaluation.values && Object.keys(evaluation.values).length > 0 && (
                            <span className="fl-sim-values">（{Object.entries(evaluation.values).map(([path, value]) => `${path.replace(/^form\./, "")} = ${JSON.stringify(value)}`).join("，")}）</span>
                          )}
                        </li>
                      ))}
                      {step.gateway.reason === "default" && <li><CheckCircleFilled className="fl-ok" /> → {nameOf(step.gateway.target ?? "")}：{t("edge.default")}</li>}
                    </ul>
                  )}
                </div>
              ),
            }))} />
          </div>
        )}
        {!result && !run.isPending && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("simulate.empty")} />}
      </Space>
    </Drawer>
  );
}
