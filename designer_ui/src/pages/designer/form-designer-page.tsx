import {
  CloudUploadOutlined,
  CodeOutlined,
  DesktopOutlined,
  EyeOutlined,
  LeftOutlined,
  MobileOutlined,
  PlusOutlined,
  RedoOutlined,
  SafetyCertificateOutlined,
  UndoOutlined,
} from "@ant-design/icons";
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  pointerWithin,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App as AntApp, Button, Drawer, Grid, Input, Modal, Result, Segmented, Skeleton, Space, Tag, Tooltip, Typography } from "antd";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { ApiError, errorMessage } from "../../api/errors";
import type { AppInfo, Issue } from "../../api/types";
import { hasPermission } from "../../app/boot";
import { useBoot } from "../../app/boot-context";
import { QueryState } from "../../components/query-state";
import { Canvas } from "../../form-designer/canvas/canvas";
import { addField, addColumn, type PaletteEntry } from "../../form-designer/commands";
import { DesignerContext, useDesigner, useDesignerEnv, type DesignerEnv } from "../../form-designer/context";
import type { DragData, DropData } from "../../form-designer/dnd";
import { applyDrop } from "../../form-designer/drop";
import { fieldTypeUi } from "../../form-designer/field-types";
import { FieldTypeIcon } from "../../form-designer/field-types/icons";
import { issuePath } from "../../form-designer/issues";
import { sectionOf, type FieldRef } from "../../form-designer/model";
import { Palette } from "../../form-designer/palette/palette";
import { PropertiesPanel } from "../../form-designer/properties-panel/properties-panel";
import { createDesignerStore } from "../../form-designer/store";
import { SaveIndicator, useLeaveGuard } from "../../form-designer/save-indicator";
import { useAutosave, type SaveState } from "../../form-designer/use-autosave";
import { useDictionarySnapshot } from "../../form-designer/use-dictionary-snapshot";
import { useShortcuts } from "../../form-designer/use-shortcuts";
import { FormRenderer } from "../../form-renderer";
import { localized } from "../../i18n";
import "./form-designer-page.css";

// Pointer first (dropping into a sub-table or an empty section), then the closest item. Only
// palette items and columns may land in a sub-table's column strip.
const collision: CollisionDetection = (args) => {
  const within = pointerWithin(args);
  const kind = (args.active.data.current as DragData | undefined)?.kind;
  const inTable = (entry: { id: unknown }) => String(entry.id).startsWith("table:") || String(entry.id).startsWith("column:");
  const table = kind === "field" ? undefined : within.find(inTable);
  if (table) return [table];
  if (kind === "column") return [];
  if (kind === "field") {
    const others = within.filter((entry) => !inTable(entry));
    const field = others.find((entry) => String(entry.id).startsWith("field:"));
    if (field) return [field];
    if (others.length) return others;
    return closestCenter(args).filter((entry) => !inTable(entry));
  }
  const field = within.find((entry) => String(entry.id).startsWith("field:"));
  if (field) return [field];
  if (within.length) return within;
  return closestCenter(args);
};

function Preview({ env, onClose }: { env: DesignerEnv; onClose: () => void }) {
  const { t } = useTranslation("designer");
  const [device, setDevice] = useState<"desktop" | "phone">("desktop");
  const [value, setValue] = useState<Record<string, unknown>>({});
  const document = useMemo(() => env.store.getState().document(), [env.store]);
  const model = useMemo(() => env.store.getState().model, [env.store]);
  const dictionary = useDictionarySnapshot(model);
  return (
    <Drawer
      open
      onClose={onClose}
      title={t("preview.title")}
      size="min(1040px, 100vw)"
      extra={
        <Segmented
          value={device}
          onChange={(next) => setDevice(next as "desktop" | "phone")}
          options={[
            { value: "desktop", label: t("preview.desktop"), icon: <DesktopOutlined /> },
            { value: "phone", label: t("preview.phone"), icon: <MobileOutlined /> },
          ]}
          data-testid="preview-device"
        />
      }
      styles={{ body: { background: "#f2f3f5" } }}
    >
      <div className={device === "phone" ? "fd-preview-phone" : "fd-preview-desktop"} data-testid={`preview-${device}`}>
        <div className="fd-preview-title">{localized(model.title)}</div>
        <FormRenderer document={document} value={value} onChange={setValue} dictionary={dictionary} device={device} />
      </div>
    </Drawer>
  );
}

function IssuesList({ issues, onPick }: { issues: Issue[]; onPick: (issue: Issue) => void }) {
  const { t } = useTranslation("designer");
  const errors = issues.filter((issue) => issue.severity === "error");
  const warnings = issues.filter((issue) => issue.severity !== "error");
  return (
    <div className="fd-issues" data-testid="verify-issues">
      {errors.length === 0 ? (
        <Alert type="success" showIcon title={t("verify.ok", { warnings: warnings.length })} />
      ) : (
        <Alert type="error" showIcon title={t("verify.errors", { count: errors.length })} />
      )}
      <ul>
        {issues.map((issue, index) => (
          <li key={index} className={issue.severity === "error" ? "fd-issue-error" : "fd-issue-warning"}>
            <Tag color={issue.severity === "error" ? "error" : "warning"}>{t(`verify.${issue.severity}`)}</Tag>
            <span>{issue.message}</span>
            {(issue.field || issue.pointer) && issue.source === "form" && (
              <Button size="small" type="link" onClick={() => onPick(issue)}>
                {t("verify.show")}
              </Button>
            )}
            {issue.source === "flow" && <Typography.Text type="secondary"> · {t("verify.flow")}</Typography.Text>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function FormDesignerPage() {
  const { key = "" } = useParams();
  const { t } = useTranslation("designer");
  const { message } = AntApp.useApp();
  const { user } = useBoot();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [store] = useState(createDesignerStore);
  const [loaded, setLoaded] = useState(false);
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [preview, setPreview] = useState(false);
  const [json, setJson] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [note, setNote] = useState("");
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [dragging, setDragging] = useState<DragData | null>(null);
  const canDesign = hasPermission(user, "apps.design");
  const canPublish = hasPermission(user, "apps.publish");

  const app = useQuery({
    queryKey: ["apps", key],
    queryFn: () => unwrap(api.GET("/api/v1/apps/{key}/", { params: { path: { key } } })) as Promise<AppInfo>,
    enabled: canDesign,
  });
  const draft = useQuery({
    queryKey: ["apps", key, "draft"],
    queryFn: () => unwrap(api.GET("/api/v1/apps/{key}/draft/", { params: { path: { key } } })),
    enabled: canDesign,
    // Always the server's latest draft when the designer opens (autosave moves the revision on).
    staleTime: 0,
    gcTime: 0,
    refetchOnMount: "always",
  });
  const palette = useQuery({
    queryKey: ["field-types"],
    queryFn: async () => (await unwrap(api.GET("/api/v1/field-types/"))) as unknown as PaletteEntry[],
    staleTime: Infinity,
    enabled: canDesign,
  });

  useEffect(() => {
    if (draft.data && !loaded) {
      store.getState().load(draft.data.form as never, draft.data.revision ?? 1);
      setLoaded(true);
    }
  }, [draft.data, loaded, store]);

  const autosave = useAutosave(store, key, loaded);
  const saveNow = useCallback(() => void autosave.saveNow(), [autosave]);
  const onDeleted = useCallback(
    (_ref: FieldRef, readers: string[]) => {
      if (readers.length) void message.warning(t("canvas.deletedReferenced", { fields: readers.join("、") }));
    },
    [message, t],
  );
  useShortcuts(store, saveNow, loaded, onDeleted);

  useLeaveGuard(store, autosave.saveNow);

  const issueMap = useMemo(() => {
    const map = new Map<string, Issue[]>();
    for (const issue of issues ?? []) {
      if (issue.source !== "form") continue;
      const path = issuePath(issue);
      if (!path) continue;
      map.set(path, [...(map.get(path) ?? []), issue]);
    }
    return map;
  }, [issues]);
  const env = useMemo<DesignerEnv>(() => ({ store, palette: palette.data ?? [], issues: issueMap }), [store, palette.data, issueMap]);

  const pick = (issue: Issue) => {
    const path = issuePath(issue);
    if (!path) return;
    const [fieldKey, column] = path.split(".");
    if (!fieldKey) return;
    const ref: FieldRef = column ? { key: fieldKey, column } : { key: fieldKey };
    store.getState().select({ kind: "field", ref });
    document.querySelector(`[data-field-key="${CSS.escape(fieldKey)}"]`)?.scrollIntoView({ block: "center", behavior: "smooth" });
  };

  const verify = useMutation({
    mutationFn: async () => {
      if (!(await autosave.saveNow())) throw new Error(t("save.error"));
      return unwrap(api.POST("/api/v1/apps/{key}/verify/", { params: { path: { key } } }));
    },
    onSuccess: (result) => setIssues(result.issues as Issue[]),
    onError: (error) => void message.error(errorMessage(error, t("verify.failed"))),
  });

  const publish = useMutation({
    mutationFn: async () => {
      if (!(await autosave.saveNow())) throw new Error(t("save.error"));
      return unwrap(
        api.POST("/api/v1/apps/{key}/publish/", {
          params: { path: { key } },
          body: { note, expected_revision: store.getState().revision },
        }),
      );
    },
    onSuccess: (version) => {
      setPublishing(false);
      setNote("");
      setIssues((version.warnings as Issue[] | undefined) ?? []);
      void message.success(t("publish.done", { number: version.number }));
      void queryClient.invalidateQueries({ queryKey: ["apps"] });
    },
    onError: (error) => {
      setPublishing(false);
      if (error instanceof ApiError && error.code === "publish_refused" && Array.isArray(error.details)) {
        setIssues(error.details as Issue[]);
        void message.error(t("publish.refused"));
        const first = (error.details as Issue[]).find((issue) => issue.severity === "error" && issue.source === "form");
        if (first) pick(first);
      } else {
        void message.error(errorMessage(error, t("publish.failed")));
      }
    },
  });

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const onDragStart = (event: DragStartEvent) => setDragging((event.active.data.current as DragData | undefined) ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    setDragging(null);
    const active = event.active.data.current as DragData | undefined;
    const over = event.over?.data.current as DropData | undefined;
    if (!active || !over || !event.over) return;
    const translated = event.active.rect.current.translated;
    const overRect = event.over.rect;
    const horizontal = over.kind === "column";
    const model = store.getState().model;
    const keyboard = event.activatorEvent instanceof KeyboardEvent;
    const sameSection = active.kind === "field" && over.kind === "field" && active.sectionId === over.sectionId;
    const sectionFields = model.sections.find((section) => section.id === (over as { sectionId?: string }).sectionId)?.fields ?? [];
    const after = keyboard && sameSection
      ? sectionFields.indexOf(active.key) < sectionFields.indexOf(over.key)
      : translated
      ? horizontal
        ? translated.left + translated.width / 2 > overRect.left + overRect.width / 2
        : translated.top + translated.height / 2 > overRect.top + overRect.height / 2
      : false;
    const state = store.getState();
    const result = applyDrop(state.model, active, over, after, env.palette);
    if (!result) return;
    if (result.refused) {
      void message.warning(t("canvas.notAColumn"));
      return;
    }
    state.run(active.kind === "palette" ? "add" : "move", () => result.model, {
      select: result.select ? { kind: "field", ref: result.select } : undefined,
    });
  };

  // Click or Enter on a palette item: after the selected field, into the selected section or
  // table, else at the end of the form.
  const addFromPalette = (type: string) => {
    const entry = env.palette.find((candidate) => candidate.type === type);
    if (!entry) return;
    const state = store.getState();
    const selection = state.selection;
    let select: FieldRef | null = null;
    state.run("add", (model) => {
      if (selection?.kind === "field" && model.fields[selection.ref.key]?.["x-type"] === "table" && entry.capabilities.column_allowed) {
        const result = addColumn(model, selection.ref.key, entry);
        select = { key: selection.ref.key, column: result.column };
        return result.model;
      }
      let sectionId = model.sections[model.sections.length - 1]?.id ?? "";
      let index = Number.MAX_SAFE_INTEGER;
      if (selection?.kind === "field") {
        const section = sectionOf(model, selection.ref.key);
        if (section) {
          sectionId = section.id;
          index = section.fields.indexOf(selection.ref.key) + 1;
        }
      } else if (selection?.kind === "section") {
        sectionId = selection.id;
      }
      const result = addField(model, entry, { sectionId, index });
      select = { key: result.key };
      return result.model;
    });
    if (select) store.getState().select({ kind: "field", ref: select });
    setPaletteOpen(false);
  };

  if (!canDesign) return <Result status="403" title={t("forbidden")} />;
  const loading = app.isLoading || draft.isLoading || palette.isLoading;
  const failed = app.error ?? draft.error ?? palette.error;
  if (loading || failed) {
    return (
      <div className="fd-page-state">
        {loading ? <Skeleton active paragraph={{ rows: 8 }} /> : <QueryState isLoading={false} error={failed} onRetry={() => { void app.refetch(); void draft.refetch(); void palette.refetch(); }} />}
      </div>
    );
  }
  const appName = app.data ? (localized({ zh: app.data.name, en: app.data.name_en || app.data.name }) || key) : key;

  return (
    <DesignerContext.Provider value={env}>
      <DesignerToolbar
        appKey={key}
        appName={appName}
        saveState={autosave.state}
        onRetrySave={saveNow}
        onVerify={() => verify.mutate()}
        verifying={verify.isPending}
        onPreview={() => setPreview(true)}
        onJson={() => setJson(true)}
        onPublish={() => setPublishing(true)}
        canPublish={canPublish}
        narrow={narrow}
        onPalette={() => setPaletteOpen(true)}
      />
      {autosave.state === "conflict" && (
        <Alert
          type="error"
          banner
          title={t("save.conflictDetail")}
          action={
            <Button size="small" danger onClick={() => window.location.reload()}>
              {t("save.reload")}
            </Button>
          }
        />
      )}
      <DndContext sensors={sensors} collisionDetection={collision} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
        <div className={narrow ? "fd-body fd-body-narrow" : "fd-body"}>
          {!narrow && <Palette palette={env.palette} onAdd={addFromPalette} />}
          <Canvas phone={!screens.md} />
          {!narrow && <PropertiesPanel />}
        </div>
        {narrow && <PropertiesPanel />}
        <DragOverlay dropAnimation={null}>
          {dragging?.kind === "palette" ? (
            <div className="fd-drag-ghost">
              <FieldTypeIcon name={fieldTypeUi(dragging.type).icon} />
              {localized(env.palette.find((entry) => entry.type === dragging.type)?.label)}
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
      {issues && issues.length > 0 && (
        <Drawer open={issues.length > 0} mask={false} placement="bottom" size={220} title={t("verify.title")} onClose={() => setIssues(null)}>
          <IssuesList issues={issues} onPick={pick} />
        </Drawer>
      )}
      <Drawer open={paletteOpen} onClose={() => setPaletteOpen(false)} title={t("palette.title")} placement="left" size={300}>
        <Palette palette={env.palette} onAdd={addFromPalette} />
      </Drawer>
      {preview && <Preview env={env} onClose={() => setPreview(false)} />}
      <Drawer open={json} onClose={() => setJson(false)} title={t("json.title")} size="min(720px, 100vw)">
        {json && (
          <>
            <Typography.Paragraph type="secondary">{t("json.readOnly")}</Typography.Paragraph>
            <pre className="fd-json" data-testid="json-view">{JSON.stringify(store.getState().document(), null, 2)}</pre>
          </>
        )}
      </Drawer>
      <Modal
        open={publishing}
        title={t("publish.title", { name: appName })}
        okText={t("publish.ok")}
        cancelText={t("publish.cancel")}
        confirmLoading={publish.isPending}
        onOk={() => publish.mutate()}
        onCancel={() => setPublishing(false)}
      >
        <Typography.Paragraph>{t("publish.explain")}</Typography.Paragraph>
        <Input.TextArea value={note} onChange={(event) => setNote(event.target.value)} maxLength={500} placeholder={t("publish.notePlaceholder")}
          autoSize={{ minRows: 2, maxRows: 5 }} aria-label={t("publish.note")} data-testid="publish-note" />
      </Modal>
    </DesignerContext.Provider>
  );
}

function DesignerToolbar(props: {
  appKey: string;
  appName: string;
  saveState: SaveState;
  onRetrySave: () => void;
  onVerify: () => void;
  verifying: boolean;
  onPreview: () => void;
  onJson: () => void;
  onPublish: () => void;
  canPublish: boolean;
  narrow: boolean;
  onPalette: () => void;
}) {
  const { t } = useTranslation("designer");
  const navigate = useNavigate();
  return (
    <div className="fd-toolbar">
      <Link to={`/apps/${props.appKey}`} className="fd-back" aria-label={t("toolbar.back")}>
        <LeftOutlined />
      </Link>
      <div className="fd-toolbar-title">
        <span className="fd-app-name">{props.appName}</span>
        <span className="fd-toolbar-sub">{t("toolbar.formDesign")}</span>
      </div>
      <Segmented size="small" value="form" onChange={(value) => value === "flow" && navigate(`/apps/${props.appKey}/flow`)} data-testid="designer-switch"
        options={[{ value: "form", label: t("flow:toolbar.form") }, { value: "flow", label: t("flow:toolbar.flow") }]} />
      <SaveIndicator state={props.saveState} onRetry={props.onRetrySave} />
      <div className="fd-toolbar-spacer" />
      <Space size={4} wrap className="fd-toolbar-actions">
        {props.narrow && (
          <Button icon={<PlusOutlined />} onClick={props.onPalette}>
            {t("toolbar.addField")}
          </Button>
        )}
        <UndoRedo />
        <Tooltip title={t("toolbar.verifyHint")}>
          <Button icon={<SafetyCertificateOutlined />} onClick={props.onVerify} loading={props.verifying} data-testid="verify">
            {!props.narrow && t("toolbar.verify")}
          </Button>
        </Tooltip>
        <Button icon={<EyeOutlined />} onClick={props.onPreview} data-testid="preview">
          {!props.narrow && t("toolbar.preview")}
        </Button>
        <Tooltip title={t("toolbar.json")}>
          <Button icon={<CodeOutlined />} onClick={props.onJson} aria-label={t("toolbar.json")} data-testid="json" />
        </Tooltip>
        {props.canPublish && (
          <Button type="primary" icon={<CloudUploadOutlined />} onClick={props.onPublish} data-testid="publish">
            {t("toolbar.publish")}
          </Button>
        )}
      </Space>
    </div>
  );
}

function UndoRedo() {
  const { t } = useTranslation("designer");
  const { store } = useDesignerEnv();
  const canUndo = useDesigner((state) => state.past.length > 0);
  const canRedo = useDesigner((state) => state.future.length > 0);
  const undoLabel = t("toolbar.undo");
  const redoLabel = t("toolbar.redo");
  return (
    <>
      <Tooltip title={`${undoLabel} (Ctrl+Z)`}>
        <Button icon={<UndoOutlined />} disabled={!canUndo} onClick={() => store.getState().undo()} aria-label={undoLabel} data-testid="undo" />
      </Tooltip>
      <Tooltip title={`${redoLabel} (Ctrl+Shift+Z)`}>
        <Button icon={<RedoOutlined />} disabled={!canRedo} onClick={() => store.getState().redo()} aria-label={redoLabel} data-testid="redo" />
      </Tooltip>
    </>
  );
}
