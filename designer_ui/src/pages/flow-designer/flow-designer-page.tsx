// The flow designer page (/app/apps/<key>/flow): palette, canvas and properties panel over
// the app's draft flow, with autosave, live verification (issues on the canvas; publishing
// is disabled while errors remain), simulation, auto-layout and BPMN export.
import {
  ApartmentOutlined,
  CloudUploadOutlined,
  CodeOutlined,
  DownloadOutlined,
  ExperimentOutlined,
  LeftOutlined,
  RedoOutlined,
  SafetyCertificateOutlined,
  UndoOutlined,
} from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useStore } from "zustand";
import { Alert, App as AntApp, Badge, Button, Drawer, Grid, Input, Modal, Result, Segmented, Skeleton, Space, Tag, Tooltip, Typography } from "antd";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";

import { api, downloadResponse, rawFetch, unwrap } from "../../api/client";
import { ApiError, errorMessage } from "../../api/errors";
import type { AppInfo, Issue } from "../../api/types";
import { hasPermission } from "../../app/boot";
import { useBoot } from "../../app/boot-context";
import { QueryState } from "../../components/query-state";
import { fromDocument } from "../../form-designer/model";
import { SaveIndicator, useLeaveGuard } from "../../form-designer/save-indicator";
import { useAutosave } from "../../form-designer/use-autosave";
import { useDictionarySnapshot } from "../../form-designer/use-dictionary-snapshot";
import { FlowCanvas } from "../../flow-designer/canvas/flow-canvas";
import { FlowDesignerContext, useFlow, type FlowDesignerEnv, type SimOverlay } from "../../flow-designer/context";
import { autoLayout } from "../../flow-designer/lib/layout";
import { FlowPalette } from "../../flow-designer/palette/palette";
import { FlowPropertiesPanel } from "../../flow-designer/properties-panel/properties-panel";
import { overlayOf, SimulationPanel, type SimResult } from "../../flow-designer/simulation/simulation-panel";
import { createFlowStore, type FlowStore } from "../../flow-designer/store";
import { useFlowShortcuts } from "../../flow-designer/use-flow-shortcuts";
import { useOrgNames } from "../../flow-designer/use-org-names";
import { localized } from "../../i18n";
import { describeRule } from "../../lib/conditions";
import type { FormDocument } from "../../schema/form";
import "./flow-designer-page.css";

function IssuesList({ issues, onPick, appKey }: { issues: Issue[]; onPick: (issue: Issue) => void; appKey: string }) {
  const { t } = useTranslation("flow");
  const errors = issues.filter((issue) => issue.severity === "error");
  return (
    <div className="fl-issues" data-testid="flow-issues">
      {errors.length === 0 ? (
        <Alert type="success" showIcon title={t("verify.ok", { warnings: issues.length })} />
      ) : (
        <Alert type="error" showIcon title={t("verify.errors", { count: errors.length })} />
      )}
      <ul>
        {issues.map((issue, index) => (
          <li key={index}>
            <Tag color={issue.severity === "error" ? "error" : "warning"}>{t(`verify.${issue.severity}`)}</Tag>
            {issue.source === "form" && <Tag>{t("verify.form")}</Tag>}
            <span data-testid="flow-issue-text" data-code={issue.code}>{issue.message}</span>
            {issue.source === "flow" && (issue.node_id || issue.edge_id) && (
              <Button size="small" type="link" onClick={() => onPick(issue)}>{t("verify.show")}</Button>
            )}
            {issue.source === "form" && <Link to={`/apps/${appKey}/form`}>{t("verify.openForm")}</Link>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function UndoRedo({ store }: { store: FlowStore }) {
  const { t } = useTranslation("designer");
  const canUndo = useFlow((state) => state.past.length > 0);
  const canRedo = useFlow((state) => state.future.length > 0);
  return (
    <>
      <Tooltip title={`${t("toolbar.undo")} (Ctrl+Z)`}>
        <Button icon={<UndoOutlined />} disabled={!canUndo} onClick={() => store.getState().undo()} aria-label={t("toolbar.undo")} data-testid="undo" />
      </Tooltip>
      <Tooltip title={`${t("toolbar.redo")} (Ctrl+Shift+Z)`}>
        <Button icon={<RedoOutlined />} disabled={!canRedo} onClick={() => store.getState().redo()} aria-label={t("toolbar.redo")} data-testid="redo" />
      </Tooltip>
    </>
  );
}

export function FlowDesignerPage() {
  const { user } = useBoot();
  const { t } = useTranslation("flow");
  const canDesign = hasPermission(user, "apps.design");
  if (!canDesign) return <Result status="403" title={t("forbidden")} />;
  return (
    <ReactFlowProvider>
      <FlowDesigner />
    </ReactFlowProvider>
  );
}

function FlowDesigner() {
  const { key = "" } = useParams();
  const { t } = useTranslation("flow");
  const { t: td } = useTranslation("designer");
  const { message } = AntApp.useApp();
  const { user } = useBoot();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const flow = useReactFlow();
  const [store] = useState(createFlowStore);
  const [loaded, setLoaded] = useState(false);
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [showIssues, setShowIssues] = useState(false);
  const [simOpen, setSimOpen] = useState(false);
  const [sim, setSim] = useState<SimResult | null>(null);
  const [json, setJson] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [note, setNote] = useState("");
  const [panelOpen, setPanelOpen] = useState(false);
  const canPublish = hasPermission(user, "apps.publish");

  const app = useQuery({
    queryKey: ["apps", key],
    queryFn: () => unwrap(api.GET("/api/v1/apps/{key}/", { params: { path: { key } } })) as Promise<AppInfo>,
  });
  const draft = useQuery({
    queryKey: ["apps", key, "draft"],
    queryFn: () => unwrap(api.GET("/api/v1/apps/{key}/draft/", { params: { path: { key } } })),
    staleTime: 0,
    gcTime: 0,
    refetchOnMount: "always",
  });

  useEffect(() => {
    if (draft.data && !loaded) {
      store.getState().load(draft.data.flow, draft.data.revision ?? 1);
      setLoaded(true);
    }
  }, [draft.data, loaded, store]);

  const formDocument = useMemo(
    () => (draft.data?.form ?? { schema: { type: "object", properties: {} }, ui_schema: {} }) as unknown as FormDocument,
    [draft.data?.form],
  );
  const form = useMemo(() => fromDocument(formDocument), [formDocument]);
  const dictionary = useDictionarySnapshot(form);
  const doc = useStore(store, (state) => state.doc);
  const names = useOrgNames(doc, form);

  const autosave = useAutosave(store, key, loaded, "flow");
  const { saveNow: flushSave } = autosave;
  const saveNow = useCallback(() => void flushSave(), [flushSave]);
  useFlowShortcuts(store, saveNow, loaded, false);

  // Verification follows the draft: after each save (and once on opening) the server checks
  // it. Answers are numbered so that a slow answer never replaces a newer one.
  const verifySeq = useRef(0);
  const verify = useMutation({
    mutationFn: async () => {
      const seq = ++verifySeq.current;
      if (!(await flushSave())) throw new Error(td("save.error"));
      const result = await unwrap(api.POST("/api/v1/apps/{key}/verify/", { params: { path: { key } } }));
      return { seq, issues: result.issues as Issue[] };
    },
    onSuccess: ({ seq, issues: found }) => {
      if (seq === verifySeq.current) setIssues(found);
    },
  });
  const { mutate: runVerify } = verify;
  useEffect(() => {
    if (!loaded || autosave.state !== "saved") return undefined;
    const timer = setTimeout(() => runVerify(), 250);
    return () => clearTimeout(timer);
  }, [loaded, autosave.state, runVerify, doc]);
  // A simulation describes the document it ran on: an edit clears its highlight.
  useEffect(() => setSim(null), [doc]);

  useLeaveGuard(store, flushSave);

  const flowIssues = useMemo(() => (issues ?? []).filter((issue) => issue.source === "flow"), [issues]);
  const issuesByNode = useMemo(() => group(flowIssues, "node_id"), [flowIssues]);
  const issuesByEdge = useMemo(() => group(flowIssues, "edge_id"), [flowIssues]);
  const errorCount = (issues ?? []).filter((issue) => issue.severity === "error").length;
  const overlay = useMemo<SimOverlay | null>(() => (sim ? overlayOf(sim, doc.edges) : null), [sim, doc.edges]);

  const env = useMemo<FlowDesignerEnv>(
    () => ({ store, names, form, dictionary, issuesByNode, issuesByEdge, sim: overlay, readOnly: false }),
    [store, names, form, dictionary, issuesByNode, issuesByEdge, overlay],
  );

  const describeCondition = useCallback((condition: unknown) => describeRule(condition, form, td, dictionary, 40), [form, td, dictionary]);

  const pick = (issue: Issue) => {
    if (issue.node_id) {
      store.getState().select({ nodes: [issue.node_id], edges: [] });
      void flow.fitView({ nodes: [{ id: issue.node_id }], duration: 300, maxZoom: 1.1 });
    } else if (issue.edge_id) {
      store.getState().select({ nodes: [], edges: [issue.edge_id] });
    }
    if (narrow) setPanelOpen(true);
  };

  const publish = useMutation({
    mutationFn: async () => {
      if (!(await autosave.saveNow())) throw new Error(td("save.error"));
      return unwrap(api.POST("/api/v1/apps/{key}/publish/", { params: { path: { key } }, body: { note, expected_revision: store.getState().revision } }));
    },
    onSuccess: (version) => {
      setPublishing(false);
      setNote("");
      setIssues((version.warnings as Issue[] | undefined) ?? []);
      void message.success(td("publish.done", { number: version.number }));
      void queryClient.invalidateQueries({ queryKey: ["apps"] });
    },
    onError: (error) => {
      setPublishing(false);
      if (error instanceof ApiError && error.code === "publish_refused" && Array.isArray(error.details)) {
        setIssues(error.details as Issue[]);
        setShowIssues(true);
        void message.error(td("publish.refused"));
      } else {
        void message.error(errorMessage(error, td("publish.failed")));
      }
    },
  });

  const layout = () => {
    store.getState().run("layout", (current) => ({ ...current, layout: { ...current.layout, ...autoLayout(current) } }));
    window.setTimeout(() => void flow.fitView({ padding: 0.2, duration: 300, maxZoom: 1 }), 50);
  };

  const exportBpmn = async () => {
    if (!(await autosave.saveNow())) return void message.error(td("save.error"));
    try {
      const response = await rawFetch(`/api/v1/apps/${encodeURIComponent(key)}/bpmn/?version=draft`);
      await downloadResponse(response, `${key}-draft.bpmn`);
    } catch (error) {
      void message.error(errorMessage(error, t("bpmn.failed")));
    }
  };

  if (app.isLoading || draft.isLoading || !loaded) {
    if (app.error || draft.error) {
      return <div className="fl-page-state"><QueryState isLoading={false} error={app.error ?? draft.error} onRetry={() => { void app.refetch(); void draft.refetch(); }} /></div>;
    }
    return <div className="fl-page-state"><Skeleton active paragraph={{ rows: 8 }} /></div>;
  }
  const appName = app.data ? localized({ zh: app.data.name, en: app.data.name_en || app.data.name }) || key : key;

  return (
    <FlowDesignerContext.Provider value={env}>
      <div className="fd-toolbar fl-toolbar">
        <Link to={`/apps/${key}`} className="fd-back" aria-label={td("toolbar.back")}><LeftOutlined /></Link>
        <div className="fd-toolbar-title">
          <span className="fd-app-name">{appName}</span>
          <span className="fd-toolbar-sub">{t("toolbar.flowDesign")}</span>
        </div>
        <Segmented size="small" value="flow" onChange={(value) => value === "form" && navigate(`/apps/${key}/form`)} data-testid="designer-switch"
          options={[{ value: "form", label: t("toolbar.form") }, { value: "flow", label: t("toolbar.flow") }]} />
        <SaveIndicator state={autosave.state} onRetry={saveNow} />
        <div className="fd-toolbar-spacer" />
        <Space size={4} wrap className="fd-toolbar-actions">
          <UndoRedo store={store} />
          <Tooltip title={t("toolbar.layoutHint")}>
            <Button icon={<ApartmentOutlined />} onClick={layout} data-testid="auto-layout">{!narrow && t("toolbar.layout")}</Button>
          </Tooltip>
          <Badge count={errorCount} size="small" offset={[-4, 2]}>
            <Button icon={<SafetyCertificateOutlined />} onClick={() => { setShowIssues(true); verify.mutate(); }} loading={verify.isPending}
              data-testid="verify" danger={errorCount > 0}>
              {!narrow && t("toolbar.verify")}
            </Button>
          </Badge>
          <Button icon={<ExperimentOutlined />} onClick={() => setSimOpen(true)} data-testid="simulate">{!narrow && t("toolbar.simulate")}</Button>
          <Tooltip title={t("toolbar.bpmnHint")}>
            <Button icon={<DownloadOutlined />} onClick={() => void exportBpmn()} data-testid="export-bpmn" aria-label={t("toolbar.bpmn")}>{!narrow && "BPMN"}</Button>
          </Tooltip>
          <Tooltip title={td("toolbar.json")}>
            <Button icon={<CodeOutlined />} onClick={() => setJson(true)} aria-label={td("toolbar.json")} data-testid="json" />
          </Tooltip>
          {canPublish && (
            <Tooltip title={errorCount > 0 ? t("toolbar.publishBlocked", { count: errorCount }) : undefined}>
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => setPublishing(true)} disabled={errorCount > 0 || issues === null}
                data-testid="publish">
                {td("toolbar.publish")}
              </Button>
            </Tooltip>
          )}
        </Space>
      </div>
      {autosave.state === "conflict" && (
        <Alert type="error" banner title={td("save.conflictDetail")}
          action={<Button size="small" danger onClick={() => window.location.reload()}>{td("save.reload")}</Button>} />
      )}
      {errorCount > 0 && !showIssues && (
        <Alert type="error" banner showIcon data-testid="flow-error-banner"
          title={t("verify.banner", { count: errorCount })}
          action={<Button size="small" onClick={() => setShowIssues(true)}>{t("verify.showList")}</Button>} />
      )}
      <div className="fl-body">
        {!narrow && <FlowPalette />}
        <FlowCanvas describeCondition={describeCondition} compact={!screens.md} />
        {!narrow && <FlowPropertiesPanel />}
      </div>
      {narrow && (
        <>
          <Button className="fl-panel-toggle" type="primary" onClick={() => setPanelOpen(true)}>{t("panel.title")}</Button>
          <Drawer open={panelOpen} onClose={() => setPanelOpen(false)} placement="bottom" size="70vh" title={t("panel.title")}>
            <FlowPalette />
            <FlowPropertiesPanel />
          </Drawer>
        </>
      )}
      <Drawer open={showIssues && issues !== null} mask={false} placement="bottom" size={240} title={t("verify.title")} onClose={() => setShowIssues(false)}>
        {issues && <IssuesList issues={issues} onPick={pick} appKey={key} />}
      </Drawer>
      <SimulationPanel appKey={key} form={formDocument} open={simOpen} onClose={() => setSimOpen(false)} result={sim} onResult={setSim}
        saveFirst={flushSave} />
      <Drawer open={json} onClose={() => setJson(false)} title={td("json.title")} size="min(720px, 100vw)">
        {json && (
          <>
            <Typography.Paragraph type="secondary">{td("json.readOnly")}</Typography.Paragraph>
            <pre className="fd-json" data-testid="json-view">{JSON.stringify(store.getState().document(), null, 2)}</pre>
          </>
        )}
      </Drawer>
      <Modal open={publishing} title={td("publish.title", { name: appName })} okText={td("publish.ok")} cancelText={td("publish.cancel")}
        confirmLoading={publish.isPending} onOk={() => publish.mutate()} onCancel={() => setPublishing(false)}>
        <Typography.Paragraph>{td("publish.explain")}</Typography.Paragraph>
        <Input.TextArea value={note} onChange={(event) => setNote(event.target.value)} maxLength={500} placeholder={td("publish.notePlaceholder")}
          autoSize={{ minRows: 2, maxRows: 5 }} aria-label={td("publish.note")} data-testid="publish-note" />
      </Modal>
    </FlowDesignerContext.Provider>
  );
}

function group(issues: Issue[], key: "node_id" | "edge_id"): Map<string, Issue[]> {
  const map = new Map<string, Issue[]>();
  for (const issue of issues) {
    const id = issue[key];
    if (id) map.set(id, [...(map.get(id) ?? []), issue]);
  }
  return map;
}
