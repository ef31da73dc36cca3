// The side panel: what the selection is and every setting it has. Node settings are
// grouped in tabs (approvers, field rights, deadline and timers); a branch of a condition
// gateway edits its condition with the builder (react-querybuilder → JsonLogic) or as raw
// JsonLogic.
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { Alert, Button, Checkbox, Empty, Input, InputNumber, Radio, Select, Space, Switch, Tabs, Tag, Typography } from "antd";
import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";

import type { Issue } from "../../api/types";
import { localized } from "../../i18n";
import { describeRule } from "../../lib/conditions";
import { ConditionModal } from "../../lib/conditions/condition-modal";
import { UserPicker } from "../../pages/apps/components/org-pickers";
import { useAllApps } from "../../pages/apps/use-apps";
import type { JsonLogic } from "../../schema/form";
import type { ApprovalMode, FlowEdge, FlowNode, FlowNodeOf, NodeConfigs, NodeType, TaskConfig } from "../../schema/flow";
import { NodeIcon } from "../canvas/node-icons";
import { useFlow, useFlowEnv } from "../context";
import { branchOrder, nodeById, removeElements, setBranchOrder, updateEdge, updateNode } from "../lib/graph";
import { APPROVAL_MODE_ORDER, nodeTypeUi } from "../nodes/registry";
import { AssigneeEditor } from "./assignee-editor";
import { DeadlineEditor } from "./deadline-editor";
import { FieldRightsEditor } from "./field-rights";
import { TimersEditor } from "./timers-editor";

function Row({ label, children, hint }: { label: ReactNode; children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="fl-row">
      <div className="fl-row-label">{label}</div>
      <div className="fl-row-body">{children}</div>
      {hint && <div className="fl-row-hint">{hint}</div>}
    </div>
  );
}

function IssuesOf({ issues }: { issues: Issue[] }) {
  if (!issues.length) return null;
  return (
    <div className="fl-panel-issues">
      {issues.map((issue, index) => (
        <Alert key={index} type={issue.severity === "error" ? "error" : "warning"} showIcon title={issue.message} />
      ))}
    </div>
  );
}

/** Edit one node's config: `patch` merges into the config (undefined removes a key). */
function useNodeEditor<T extends NodeType>(node: FlowNodeOf<T>) {
  const { store } = useFlowEnv();
  const patch = (changes: Partial<NodeConfigs[T]>, mergeKey?: string) =>
    store.getState().run("edit", (doc) =>
      updateNode(doc, node.id, (current) => {
        const config = { ...(current.config as Record<string, unknown>) };
        for (const [key, value] of Object.entries(changes)) {
          if (value === undefined) delete config[key];
          else config[key] = value;
        }
        return { ...current, config } as FlowNode;
      }),
      mergeKey ? { mergeKey: `${node.id}:${mergeKey}` } : undefined,
    );
  return patch;
}

function NameEditor({ node }: { node: FlowNode }) {
  const { t } = useTranslation("flow");
  const { store, readOnly } = useFlowEnv();
  const set = (language: "zh" | "en", text: string) =>
    store.getState().run("rename", (doc) => updateNode(doc, node.id, (current) => {
      const name = { ...current.name, [language]: text };
      if (!text) delete name[language]; // an empty name is no name: the verifier then says so
      return { ...current, name };
    }),
      { mergeKey: `${node.id}:name:${language}` });
  return (
    <Row label={t("panel.name")}>
      <Input value={node.name.zh ?? ""} onChange={(event) => set("zh", event.target.value)} prefix={<span className="fl-lang">中</span>} maxLength={60}
        disabled={readOnly} aria-label={t("panel.nameZh")} data-testid="node-name-zh" />
      <Input value={node.name.en ?? ""} onChange={(event) => set("en", event.target.value)} prefix={<span className="fl-lang">EN</span>} maxLength={60}
        disabled={readOnly} aria-label={t("panel.nameEn")} data-testid="node-name-en" className="fl-gap-top" />
    </Row>
  );
}

function TaskSettings({ node }: { node: FlowNodeOf<"approval"> | FlowNodeOf<"handle"> }) {
  const { t } = useTranslation("flow");
  const patch = useNodeEditor(node as FlowNodeOf<"approval">);
  const config: TaskConfig = node.config;
  const mode = config.mode ?? "single";
  const approvers = (
    <>
      <Row label={t("panel.assignees")}>
        <AssigneeEditor value={config.assignees ?? []} onChange={(assignees) => patch({ assignees })} testId="assignees" emptyText={t("assignee.empty")} />
      </Row>
      <Row label={t("panel.mode")} hint={t(`modeHint.${mode}`)}>
        <Radio.Group value={mode} onChange={(event) => patch({ mode: event.target.value as ApprovalMode, threshold: event.target.value === "percentage" ? (config.threshold ?? 50) : undefined })}
          optionType="button" size="small" className="fl-mode" data-testid="approval-mode"
          options={APPROVAL_MODE_ORDER.map((value) => ({ value, label: t(`mode.${value}`) }))} />
        {mode === "percentage" && (
          <InputNumber min={1} max={100} value={config.threshold ?? 50} onChange={(threshold) => patch({ threshold: threshold ?? 50 }, "threshold")}
            suffix="%" className="fl-gap-top" aria-label={t("panel.threshold")} style={{ width: 120 }} />
        )}
      </Row>
      <Row label={t("panel.onEmpty")}>
        <Select value={config.on_empty ?? "admin"} onChange={(on_empty) => patch({ on_empty, admin: on_empty === "admin" ? config.admin : undefined })}
          className="fl-full" aria-label={t("panel.onEmpty")} data-testid="on-empty"
          options={(["admin", "skip", "error"] as const).map((value) => ({ value, label: t(`onEmpty.${value}`) }))} />
        {(config.on_empty ?? "admin") === "admin" && (
          <div className="fl-gap-top">
            <UserPicker mode="single" value={config.admin && /^\d+$/.test(config.admin) ? Number(config.admin) : null}
              onChange={(id) => patch({ admin: id == null ? undefined : String(id) })} placeholder={t("onEmpty.adminPlaceholder")} ariaLabel={t("onEmpty.adminPlaceholder")} testId="fallback-admin" />
          </div>
        )}
      </Row>
      <Row label={t("panel.dedupe")}>
        <Checkbox checked={Boolean(config.dedupe?.initiator)} onChange={(event) => patch({ dedupe: { ...config.dedupe, initiator: event.target.checked } })}>
          {t("dedupe.initiator")}
        </Checkbox>
        <Checkbox checked={Boolean(config.dedupe?.consecutive)} onChange={(event) => patch({ dedupe: { ...config.dedupe, consecutive: event.target.checked } })}>
          {t("dedupe.consecutive")}
        </Checkbox>
      </Row>
      <Row label={t("panel.urgent")}>
        <Space>
          <Switch checked={Boolean(config.skippable_when_urgent)} onChange={(on) => patch({ skippable_when_urgent: on || undefined })}
            data-testid="skippable-urgent" aria-label={t("summary.urgentSkip")} />
          <span>{t("panel.urgentHint")}</span>
        </Space>
      </Row>
    </>
  );
  return (
    <Tabs size="small" className="fl-tabs" items={[
      { key: "people", label: node.type === "handle" ? t("panel.tabHandlers") : t("panel.tabApprovers"), children: approvers },
      { key: "rights", label: t("panel.tabRights"), children: <FieldRightsEditor value={config.fields ?? {}} onChange={(fields) => patch({ fields })} start={false} /> },
      { key: "timers", label: t("panel.tabTimers"), children: (
        <>
          <Row label={t("deadline.label")}>
            <DeadlineEditor value={config.deadline} onChange={(deadline, mergeKey) => patch({ deadline }, mergeKey)} />
          </Row>
          <TimersEditor value={config.timers ?? []} onChange={(timers) => patch({ timers: timers.length ? timers : undefined })} />
        </>
      ) },
    ]} />
  );
}

function GatewayBranches({ node }: { node: FlowNode }) {
  const { t } = useTranslation("designer");
  const { t: tf } = useTranslation("flow");
  const env = useFlowEnv();
  const doc = useFlow((state) => state.doc);
  const branches = branchOrder(doc, node.id);
  const conditional = branches.filter((edge) => !edge.is_default);
  const move = (index: number, delta: number) => {
    const ids = conditional.map((edge) => edge.id);
    const [item] = ids.splice(index, 1);
    if (item === undefined) return;
    ids.splice(index + delta, 0, item);
    env.store.getState().run("reorder", (current) => setBranchOrder(current, node.id, ids));
  };
  if (!branches.length) return <div className="fl-empty-hint">{tf("gateway.noBranches")}</div>;
  return (
    <Row label={tf("gateway.branches")} hint={tf("gateway.orderHint")}>
      <ol className="fl-branches" data-testid="gateway-branches">
        {branches.map((edge) => {
          const target = nodeById(doc, edge.target);
          const index = conditional.indexOf(edge);
          return (
            <li key={edge.id} className="fl-branch-row">
              <button type="button" className="fl-link" onClick={() => env.store.getState().select({ nodes: [], edges: [edge.id] })}>
                <span className="fl-branch-target">→ {localized(target?.name) || edge.target}</span>
                <span className="fl-branch-cond">
                  {edge.is_default ? <Tag color="default">{tf("edge.default")}</Tag>
                    : edge.condition == null ? <Tag color="warning">{tf("edge.noCondition")}</Tag>
                    : describeRule(edge.condition, env.form, t, env.dictionary)}
                </span>
              </button>
              {!edge.is_default && !env.readOnly && (
                <Space size={0}>
                  <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, -1)} aria-label={tf("gateway.up")} />
                  <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === conditional.length - 1} onClick={() => move(index, 1)} aria-label={tf("gateway.down")} />
                </Space>
              )}
            </li>
          );
        })}
      </ol>
    </Row>
  );
}

function NodeSettings({ node }: { node: FlowNode }) {
  const { t } = useTranslation("flow");
  const patch = useNodeEditor(node as never) as (changes: Record<string, unknown>, mergeKey?: string) => void;
  const apps = useAllApps(node.type === "subprocess");
  const { key: appKey } = useParams();
  const { form } = useFlowEnv();
  switch (node.type) {
    case "approval":
    case "handle":
      return <TaskSettings node={node} />;
    case "cc":
      return (
        <Tabs size="small" className="fl-tabs" items={[
          { key: "people", label: t("panel.tabRecipients"), children: (
            <AssigneeEditor value={node.config.recipients ?? []} onChange={(recipients) => patch({ recipients })} testId="recipients" emptyText={t("assignee.emptyCc")} />
          ) },
          { key: "rights", label: t("panel.tabRights"), children: <FieldRightsEditor value={node.config.fields ?? {}} onChange={(fields) => patch({ fields })} start={false} /> },
        ]} />
      );
    case "start":
      return (
        <Tabs size="small" className="fl-tabs" items={[
          { key: "rights", label: t("panel.tabRights"), children: <FieldRightsEditor value={node.config.fields ?? {}} onChange={(fields) => patch({ fields })} start /> },
          { key: "withdraw", label: t("panel.tabWithdraw"), children: (
            <Row label={t("panel.withdraw")}>
              <Radio.Group value={node.config.withdraw ?? "before_first_approval"} onChange={(event) => patch({ withdraw: event.target.value })}
                options={(["before_first_approval", "always", "never"] as const).map((value) => ({ value, label: t(`withdraw.${value}`) }))}
                className="fl-vertical-radios" />
            </Row>
          ) },
        ]} />
      );
    case "end":
      return (
        <Row label={t("panel.outcome")}>
          <Radio.Group value={node.config.outcome ?? "approved"} onChange={(event) => patch({ outcome: event.target.value })} optionType="button"
            options={[{ value: "approved", label: t("summary.endApproved") }, { value: "rejected", label: t("summary.endRejected") }]} />
        </Row>
      );
    case "exclusive_gateway":
      return <GatewayBranches node={node} />;
    case "parallel_split":
      return <Typography.Paragraph type="secondary">{t("gateway.splitHint")}</Typography.Paragraph>;
    case "parallel_join":
      return (
        <Row label={t("panel.join")}>
          <Radio.Group value={node.config.join ?? "all"} onChange={(event) => patch({ join: event.target.value, n: event.target.value === "first_n" ? (node.config.n ?? 1) : undefined })}
            options={[{ value: "all", label: t("summary.joinAll") }, { value: "first_n", label: t("panel.joinFirstN") }]} className="fl-vertical-radios" />
          {node.config.join === "first_n" && (
            <InputNumber min={1} max={20} precision={0} value={node.config.n ?? 1} onChange={(n) => patch({ n: n ?? 1 })} className="fl-gap-top"
              aria-label={t("panel.joinFirstN")} />
          )}
        </Row>
      );
    case "service":
      return <ServiceSettings node={node} patch={patch} />;
    case "delay": {
      const kind = node.config.until !== undefined ? "until" : node.config.after_working_days !== undefined ? "days" : "hours";
      const dateFields = Object.entries(form.fields).filter(([, field]) => field["x-type"] === "date" || field["x-type"] === "datetime");
      return (
        <Row label={t("panel.delay")}>
          <Radio.Group value={kind} className="fl-vertical-radios" onChange={(event) => {
            const next = event.target.value as string;
            patch({ after_hours: next === "hours" ? 24 : undefined, after_working_days: next === "days" ? 1 : undefined, until: next === "until" ? dateFields[0]?.[0] : undefined });
          }} options={[{ value: "hours", label: t("delay.hours") }, { value: "days", label: t("delay.days") },
            { value: "until", label: dateFields.length ? t("delay.until") : t("delay.untilNoField"), disabled: !dateFields.length }]} />
          <div className="fl-gap-top">
            {kind === "hours" && <InputNumber min={1} value={node.config.after_hours} onChange={(value) => patch({ after_hours: value ?? 1 })} suffix={t("timer.unitHours")} aria-label={t("delay.hours")} />}
            {kind === "days" && <InputNumber min={1} value={node.config.after_working_days} onChange={(value) => patch({ after_working_days: value ?? 1 })} suffix={t("timer.unitWorkingDays")} aria-label={t("delay.days")} />}
            {kind === "until" && (
              <Select className="fl-full" value={node.config.until || undefined} onChange={(until) => patch({ until })} placeholder={t("delay.pickField")} aria-label={t("delay.pickField")}
                options={dateFields.map(([key, field]) => ({ value: key, label: localized(field["x-label"]) || key }))} />
            )}
          </div>
        </Row>
      );
    }
    case "subprocess":
      return (
        <>
          <Row label={t("panel.subprocessApp")}>
            <Select className="fl-full" showSearch={{ optionFilterProp: "label" }} value={node.config.app || undefined} onChange={(app) => patch({ app })}
              loading={apps.isLoading} placeholder={t("panel.pickApp")} aria-label={t("panel.subprocessApp")}
              options={(apps.data ?? []).filter((app) => app.key !== appKey).map((app) => ({ value: app.key, label: `${localized({ zh: app.name, en: app.name_en || app.name })} (${app.key})` }))} />
          </Row>
          <Row label={t("panel.wait")}>
            <Switch checked={node.config.wait !== false} onChange={(wait) => patch({ wait })} aria-label={t("panel.wait")} />
          </Row>
          <MappingEditor label={t("panel.inputMap")} value={node.config.input ?? {}} onChange={(input) => patch({ input: Object.keys(input).length ? input : undefined })} kind="input" />
          <MappingEditor label={t("panel.outputMapChild")} value={node.config.output ?? {}} onChange={(output) => patch({ output: Object.keys(output).length ? output : undefined })} kind="output" />
        </>
      );
    default:
      return null;
  }
}

function ServiceSettings({ node, patch }: { node: FlowNodeOf<"service">; patch: (changes: Record<string, unknown>, mergeKey?: string) => void }) {
  const { t } = useTranslation("flow");
  return (
    <>
      <Row label={t("panel.connector")} hint={t("panel.connectorHint")}>
        <Input value={node.config.connector ?? ""} onChange={(event) => patch({ connector: event.target.value || undefined }, "connector")} placeholder="erp"
          aria-label={t("panel.connector")} data-testid="service-connector" />
      </Row>
      <Row label={t("panel.operation")}>
        <Input value={node.config.operation ?? ""} onChange={(event) => patch({ operation: event.target.value || undefined }, "operation")} placeholder="create_purchase_order"
          aria-label={t("panel.operation")} />
      </Row>
      <MappingEditor label={t("panel.inputMap")} value={node.config.input ?? {}} onChange={(input) => patch({ input: Object.keys(input).length ? input : undefined })} kind="input" />
      <MappingEditor label={t("panel.outputMap")} value={node.config.output ?? {}} onChange={(output) => patch({ output: Object.keys(output).length ? output : undefined })} kind="output" />
      <Row label={t("panel.onError")}>
        <Radio.Group value={node.config.on_error ?? "fail"} onChange={(event) => patch({ on_error: event.target.value })}
          options={[{ value: "fail", label: t("panel.onErrorFail") }, { value: "continue", label: t("panel.onErrorContinue") }]} />
      </Row>
    </>
  );
}

/**
 * Mappings. Inputs: parameter name → a form field (stored as JSON-logic {"var": "form.x"}).
 * Outputs: a form field ← a result path or the child app's field (text). Rows missing
 * either side stay here and are not written to the flow.
 */
function MappingEditor({ label, value, onChange, kind }: {
  label: string; value: Record<string, unknown>; onChange: (value: Record<string, unknown>) => void; kind: "input" | "output";
}) {
  const { t } = useTranslation("flow");
  const { form } = useFlowEnv();
  const toRows = (map: Record<string, unknown>) => Object.entries(map).map(([key, item]) => ({ key, text: kind === "input" ? JSON.stringify(item) : String(item) }));
  const [rows, setRows] = useState(() => toRows(value));
  const emitted = useRef(JSON.stringify(value));
  useEffect(() => {
    const incoming = JSON.stringify(value);
    if (incoming !== emitted.current) {
      emitted.current = incoming;
      setRows(toRows(value));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- toRows only reads `kind`, fixed per editor
  }, [value]);
  const commit = (next: { key: string; text: string }[]) => {
    setRows(next);
    const out: Record<string, unknown> = {};
    for (const row of next) {
      const key = row.key.trim();
      const text = row.text.trim();
      if (!key || !text) continue;
      out[key] = kind === "input" ? (JSON.parse(text) as unknown) : text;
    }
    const serial = JSON.stringify(out);
    if (serial !== emitted.current) {
      emitted.current = serial;
      onChange(out);
    }
  };
  const fieldOptions = (asRule: boolean) =>
    Object.entries(form.fields).map(([key, field]) => ({ value: asRule ? JSON.stringify({ var: `form.${key}` }) : key, label: localized(field["x-label"]) || key }));
  const set = (index: number, patch: Partial<{ key: string; text: string }>) => commit(rows.map((item, at) => (at === index ? { ...item, ...patch } : item)));
  return (
    <Row label={label}>
      {rows.map((row, index) => (
        <Space.Compact key={index} className="fl-full fl-map-row">
          {kind === "input" ? (
            <>
              <Input value={row.key} placeholder={t("panel.param")} onChange={(event) => set(index, { key: event.target.value })}
                aria-label={t("panel.param")} style={{ width: "42%" }} />
              <Select value={row.text || undefined} showSearch={{ optionFilterProp: "label" }} options={fieldOptions(true)} placeholder={t("panel.fromField")}
                onChange={(text: string) => set(index, { text })} style={{ width: "48%" }} aria-label={t("panel.fromField")} />
            </>
          ) : (
            <>
              <Select value={row.key || undefined} showSearch={{ optionFilterProp: "label" }} options={fieldOptions(false)} placeholder={t("panel.formField")}
                onChange={(key: string) => set(index, { key })} style={{ width: "45%" }} aria-label={t("panel.formField")} />
              <Input value={row.text} placeholder={t("panel.resultPath")} onChange={(event) => set(index, { text: event.target.value })}
                aria-label={t("panel.resultPath")} style={{ width: "45%" }} />
            </>
          )}
          <Button icon={<DeleteOutlined />} onClick={() => commit(rows.filter((_, at) => at !== index))} aria-label={t("assignee.remove")} />
        </Space.Compact>
      ))}
      <Button size="small" type="dashed" onClick={() => setRows([...rows, { key: "", text: "" }])}>{t("panel.addMapping")}</Button>
    </Row>
  );
}

function EdgeSettings({ edge }: { edge: FlowEdge }) {
  const { t } = useTranslation("flow");
  const { t: td } = useTranslation("designer");
  const env = useFlowEnv();
  const doc = useFlow((state) => state.doc);
  const [editing, setEditing] = useState(false);
  const source = nodeById(doc, edge.source);
  const target = nodeById(doc, edge.target);
  const branch = source?.type === "exclusive_gateway";
  const patch = (changes: Partial<Pick<FlowEdge, "condition" | "is_default" | "priority">>) => env.store.getState().run("edge", (current) => updateEdge(current, edge.id, changes));
  return (
    <div data-testid="edge-panel">
      <Row label={t("panel.edgeFromTo")}>
        <span className="fl-edge-ends">{localized(source?.name) || edge.source} → {localized(target?.name) || edge.target}</span>
      </Row>
      {!branch && <Typography.Paragraph type="secondary">{t("edge.plainHint")}</Typography.Paragraph>}
      {branch && (
        <>
          <Row label={t("edge.defaultBranch")} hint={t("edge.defaultHint")}>
            <Switch checked={edge.is_default} onChange={(is_default) => patch({ is_default })} disabled={env.readOnly} data-testid="edge-default"
              aria-label={t("edge.defaultBranch")} />
          </Row>
          {!edge.is_default && (
            <>
              <Row label={t("edge.condition")}>
                <div className="fl-condition" data-testid="edge-condition-summary">
                  {edge.condition == null ? <Typography.Text type="warning">{t("edge.noConditionLong")}</Typography.Text>
                    : describeRule(edge.condition, env.form, td, env.dictionary, 400)}
                </div>
                <Space size={4} className="fl-gap-top">
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} disabled={env.readOnly} data-testid="edge-condition-edit">
                    {edge.condition == null ? t("edge.setCondition") : t("edge.editCondition")}
                  </Button>
                  {edge.condition != null && (
                    <Button size="small" type="text" danger onClick={() => patch({ condition: null })} disabled={env.readOnly}>{t("edge.clearCondition")}</Button>
                  )}
                </Space>
              </Row>
              <Row label={t("edge.priority")} hint={t("edge.priorityHint")}>
                <InputNumber min={1} max={99} precision={0} value={edge.priority} onChange={(priority) => patch({ priority: priority ?? null })}
                  disabled={env.readOnly} aria-label={t("edge.priority")} data-testid="edge-priority" />
              </Row>
            </>
          )}
          {editing && (
            <ConditionModal
              title={t("edge.conditionTitle", { target: localized(target?.name) || edge.target })}
              value={edge.condition ?? undefined}
              model={env.form}
              fieldKey={null}
              dictionary={env.dictionary}
              testId="edge-rule"
              onCancel={() => setEditing(false)}
              onSave={(rule: JsonLogic | undefined) => {
                patch({ condition: rule === undefined ? null : rule });
                setEditing(false);
              }}
            />
          )}
        </>
      )}
      <IssuesOf issues={env.issuesByEdge.get(edge.id) ?? []} />
      {!env.readOnly && (
        <Button danger type="text" icon={<DeleteOutlined />} className="fl-gap-top" data-testid="delete-edge"
          onClick={() => env.store.getState().run("delete", (current) => removeElements(current, [], [edge.id]), { select: { nodes: [], edges: [] } })}>
          {t("panel.deleteEdge")}
        </Button>
      )}
    </div>
  );
}

export function FlowPropertiesPanel() {
  const { t } = useTranslation("flow");
  const env = useFlowEnv();
  const selection = useFlow((state) => state.selection);
  const doc = useFlow((state) => state.doc);
  const count = selection.nodes.length + selection.edges.length;
  let body: ReactNode;
  if (count === 0) {
    body = (
      <div className="fl-panel-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("panel.nothing")} />
        <ul className="fl-tips">
          <li>{t("panel.tipDrag")}</li>
          <li>{t("panel.tipConnect")}</li>
          <li>{t("panel.tipInsert")}</li>
          <li>{t("panel.tipKeys")}</li>
        </ul>
      </div>
    );
  } else if (count > 1) {
    body = (
      <div className="fl-panel-empty">
        <Typography.Paragraph>{t("panel.many", { count })}</Typography.Paragraph>
        <Button danger icon={<DeleteOutlined />} disabled={env.readOnly}
          onClick={() => env.store.getState().run("delete", (current) => removeElements(current, selection.nodes, selection.edges))}>
          {t("panel.deleteSelected")}
        </Button>
      </div>
    );
  } else if (selection.nodes.length === 1) {
    const node = nodeById(doc, selection.nodes[0] ?? "");
    if (node) {
      const ui = nodeTypeUi(node.type);
      body = (
        <div data-testid="node-panel" data-node-id={node.id}>
          {/* The type's colour marks the icon, as on the canvas; the name itself is body text
              (most node colours are below 4.5:1 on white). */}
          <div className="fl-panel-title" style={{ "--fl-accent": ui.color } as CSSProperties}>
            <span className="fl-panel-icon" aria-hidden="true"><NodeIcon name={ui.icon} /></span>
            {t(`nodeTypes.${node.type}`)} <Typography.Text type="secondary" className="fl-panel-id">{node.id}</Typography.Text>
          </div>
          <IssuesOf issues={env.issuesByNode.get(node.id) ?? []} />
          <NameEditor node={node} />
          <NodeSettings key={node.id} node={node} />
          {!env.readOnly && (
            <Button danger type="text" icon={<DeleteOutlined />} className="fl-gap-top" data-testid="delete-node"
              onClick={() => env.store.getState().run("delete", (current) => removeElements(current, [node.id], []))}>
              {t("panel.deleteNode")}
            </Button>
          )}
        </div>
      );
    }
  } else {
    const edge = doc.edges.find((candidate) => candidate.id === selection.edges[0]);
    if (edge) body = <EdgeSettings key={edge.id} edge={edge} />;
  }
  return (
    <aside className="fl-panel" aria-label={t("panel.title")} data-testid="flow-panel">
      <fieldset disabled={env.readOnly} className="fl-panel-fields">{body}</fieldset>
    </aside>
  );
}
