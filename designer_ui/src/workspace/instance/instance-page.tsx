// A request (/app/instances/<id>): the record with the viewer's field rights (fields
// editable at my step are editable), the timeline, a comment box, and the actions the
// viewer may take now. Every action asks first, is disabled while in flight (one
// request_id per attempt, so a retried click is idempotent) and shows the server's
// message on 400/403/409.
import {
  ArrowLeftOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  CloseOutlined,
  FireOutlined,
  MoreOutlined,
  RollbackOutlined,
  SendOutlined,
  SwapOutlined,
  UsergroupAddOutlined,
} from "@ant-design/icons";
import { App as AntApp, Button, Card, Dropdown, Empty, Form, Input, Modal, Radio, Result, Skeleton, Space, Tabs, Tag, Typography } from "antd";
import { useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { ApiError, errorMessage } from "../../api/errors";
import { useBoot } from "../../app/boot-context";
import { QueryState } from "../../components/query-state";
import { FormRenderer, UserPicker } from "../../form-renderer";
import { randomId } from "../../form-renderer/lib/ids";
import type { FieldRight } from "../../schema/flow";
import { dueState, fullTime, statusOf } from "../lib";
import { FlowDiagram } from "./flow-diagram";
import { InstanceTimeline } from "./timeline";
import { useInstance, useInstanceAction, usePublishedForm, type InstanceView } from "./use-instance";
import "./instance.css";

type Dialog =
  | { kind: "approve" | "reject" | "withdraw" | "urge" | "resubmit" }
  | { kind: "return" }
  | { kind: "transfer" }
  | { kind: "add_signer" }
  | { kind: "cc" };

function changed(before: Record<string, unknown>, after: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of keys) if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) patch[key] = after[key];
  return patch;
}

export function InstancePage() {
  const { id: raw = "" } = useParams();
  const id = Number(raw);
  const { t } = useTranslation("workspace");
  const detail = useInstance(id);
  if (!Number.isFinite(id) || id <= 0) return <Result status="404" title={t("instance.notFound")} />;
  if (detail.isLoading) return <div className="ws-page"><Skeleton active paragraph={{ rows: 10 }} /></div>;
  if (detail.error || !detail.data) {
    if (detail.error instanceof ApiError && detail.error.status === 404) {
      return <Result status="404" title={t("instance.notFound")} subTitle={t("instance.notFoundHint")} extra={<Link to="/inbox"><Button>{t("instance.backToInbox")}</Button></Link>} />;
    }
    return <div className="ws-page"><QueryState isLoading={false} error={detail.error} onRetry={() => void detail.refetch()} /></div>;
  }
  return <InstanceBody key={`${detail.data.id}`} view={detail.data} />;
}

function InstanceBody({ view }: { view: InstanceView }) {
  const { t } = useTranslation("workspace");
  const { message } = AntApp.useApp();
  const { user } = useBoot();
  const published = usePublishedForm(view.app.key, !view.form);
  const form = view.form ?? published.data?.form;
  const dictionary = view.dictionary ?? published.data?.dictionary;
  const action = useInstanceAction(view.id);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [comment, setComment] = useState("");
  const [target, setTarget] = useState("initiator");
  const [people, setPeople] = useState<string[]>([]);
  const [position, setPosition] = useState<"before" | "after">("before");
  const [note, setNote] = useState("");
  const requestId = useRef(randomId());
  const sending = useRef(false);

  const mine = view.my_tasks.find((task) => task.status === "pending");
  // A handle (办理) step is finished, not approved: its button and dialog say 完成.
  const handling = mine ? nodeType(view, mine.node_id) === "handle" : false;
  // The earliest due time of the open step (a deadline from the form, or an escalation's SLA).
  const currentDue = view.current_tasks.map((task) => task.due_at).filter((due): due is string => Boolean(due)).sort()[0];
  const initiator = String(view.initiator.id) === String(user.id);
  const running = view.status === "running" || view.status === "blocked";
  const returned = view.status === "returned" && initiator;
  const rights = view.field_rights as Record<string, FieldRight>;
  const editableKeys = Object.entries(rights).filter(([, right]) => right === "editable").map(([key]) => key);
  const canEdit = (Boolean(mine) && editableKeys.length > 0) || returned;
  const [value, setValue] = useState<Record<string, unknown>>(() => ({ ...view.data }));
  const status = statusOf(view);

  const returnTargets = useMemo(() => {
    const seen = new Map<string, string>();
    for (const entry of view.timeline) {
      if ((entry.type === "task_approved" || entry.type === "task_auto_approved") && entry.node_id && entry.node_id !== mine?.node_id) {
        seen.set(entry.node_id, entry.node_name ?? entry.node_id);
      }
    }
    return [...seen.entries()];
  }, [view.timeline, mine?.node_id]);

  const open = (next: Dialog) => {
    setComment("");
    setPeople([]);
    setTarget("initiator");
    setPosition("before");
    requestId.current = randomId();
    setDialog(next);
  };

  const run = (input: Parameters<typeof action.mutate>[0], done: string) => {
    if (sending.current) return;
    sending.current = true;
    action.mutate(input, {
      onSuccess: () => {
        setDialog(null);
        setNote("");
        void message.success(done);
      },
      onError: (error) => void message.error(errorMessage(error, t("actions.failed"))),
      onSettled: () => {
        sending.current = false;
      },
    });
  };

  const submitDialog = () => {
    if (!dialog) return;
    const base = { request_id: requestId.current, expected_version: view.version };
    const trimmed = comment.trim();
    switch (dialog.kind) {
      case "approve": {
        if (!mine) return;
        const patch = changed(view.data, value, editableKeys);
        return run({ kind: "task", taskId: mine.id, body: { ...base, action: "approve", comment: trimmed, ...(Object.keys(patch).length ? { form_patch: patch } : {}) } }, t(handling ? "done.complete" : "done.approve"));
      }
      case "reject":
        if (!mine) return;
        if (!trimmed) return void message.warning(t("actions.reasonRequired"));
        return run({ kind: "task", taskId: mine.id, body: { ...base, action: "reject", comment: trimmed } }, t("done.reject"));
      case "return":
        if (!mine) return;
        return run({ kind: "task", taskId: mine.id, body: { ...base, action: "return", target, comment: trimmed } }, t("done.return"));
      case "transfer":
        if (!mine) return;
        if (!people[0]) return void message.warning(t("actions.pickPerson"));
        return run({ kind: "task", taskId: mine.id, body: { ...base, action: "transfer", to_user: people[0], comment: trimmed } }, t("done.transfer"));
      case "add_signer":
        if (!mine) return;
        if (!people.length) return void message.warning(t("actions.pickPerson"));
        return run({ kind: "task", taskId: mine.id, body: { ...base, action: "add_signer", users: people, position, comment: trimmed } }, t("done.add_signer"));
      case "withdraw":
        return run({ kind: "instance", path: "withdraw", body: { ...base, comment: trimmed } }, t("done.withdraw"));
      case "urge":
        return run({ kind: "instance", path: "urge", body: { request_id: base.request_id, comment: trimmed } }, t("done.urge"));
      case "resubmit":
        return run({ kind: "instance", path: "resubmit", body: { ...base, data: value, comment: trimmed } }, t("done.resubmit"));
      case "cc":
        if (!people.length) return void message.warning(t("actions.pickPerson"));
        return run({ kind: "instance", path: "cc", body: { request_id: base.request_id, users: people, comment: trimmed } }, t("done.cc"));
    }
  };

  const sendNote = () => {
    const text = note.trim();
    if (!text) return;
    requestId.current = randomId();
    run({ kind: "instance", path: "comment", body: { request_id: requestId.current, comment: text } }, t("done.comment"));
  };

  const more: Array<{ key: string; label: string; icon: ReactNode; onClick: () => void }> = [];
  if (mine) {
    more.push({ key: "return", label: t("actions.return"), icon: <RollbackOutlined />, onClick: () => open({ kind: "return" }) });
    more.push({ key: "transfer", label: t("actions.transfer"), icon: <SwapOutlined />, onClick: () => open({ kind: "transfer" }) });
    more.push({ key: "add_signer", label: t("actions.addSigner"), icon: <UsergroupAddOutlined />, onClick: () => open({ kind: "add_signer" }) });
  }
  if (initiator && running) {
    more.push({ key: "urge", label: t("actions.urge"), icon: <FireOutlined />, onClick: () => open({ kind: "urge" }) });
    more.push({ key: "withdraw", label: t("actions.withdraw"), icon: <ArrowLeftOutlined />, onClick: () => open({ kind: "withdraw" }) });
  }
  if (initiator || mine) more.push({ key: "cc", label: t("actions.cc"), icon: <SendOutlined />, onClick: () => open({ kind: "cc" }) });

  const title = dialog ? t(`dialog.${dialog.kind === "approve" && handling ? "complete" : dialog.kind}`) : "";
  const busy = action.isPending;

  return (
    <div className="ws-page ws-instance">
      <div className="ws-instance-top">
        <Link to="/inbox" className="ws-back" aria-label={t("instance.backToInbox")}><ArrowLeftOutlined /></Link>
        <div className="ws-instance-title">
          <Typography.Title level={4} className="ws-instance-heading">{view.title}</Typography.Title>
          <Space size={6} wrap>
            <Tag color={status.color} data-testid="instance-status">{t(`status.${status.key}`)}</Tag>
            {view.urgent && <Tag color="red" icon={<FireOutlined />}>{t("inbox.urgent")}</Tag>}
            <Typography.Text type="secondary">{view.app.name} · #{view.id}</Typography.Text>
          </Space>
        </div>
      </div>
      <div className="ws-instance-grid">
        <Card className="ws-card" title={t("instance.form")}>
          <div className="ws-meta">
            <span>{t("instance.initiator")}：{view.initiator.name}{view.department ? `（${view.department}）` : ""}</span>
            <span>{t("instance.created")}：{fullTime(view.created_at)}</span>
            {mine && <span className="ws-meta-mine">{t("instance.myStep", { node: mine.node_name ?? mine.node_id })}</span>}
          </div>
          {form ? (
            <div data-testid="instance-form">
              <FormRenderer document={form} value={value} onChange={canEdit ? setValue : undefined} dictionary={dictionary}
                readOnly={!canEdit} fieldRights={rights} previous={view.data} />
            </div>
          ) : published.isLoading ? <Skeleton active /> : <Empty description={t("instance.noForm")} />}
        </Card>
        <Card className="ws-card" title={t("instance.progress")}>
          {view.current_tasks.length > 0 && running && (
            <div className="ws-current" data-testid="current-step">
              {t("instance.waitingFor", { people: view.current_tasks.map((task) => task.assignee.name).join("、"), node: view.current_tasks[0]?.node_name ?? "" })}
              {currentDue && (
                <Tag color={dueState(currentDue) === "overdue" ? "red" : dueState(currentDue) === "soon" ? "orange" : "default"}
                  icon={<ClockCircleOutlined />} className="ws-current-due" data-testid="current-due">
                  {t("inbox.due", { time: fullTime(currentDue) })}
                  {dueState(currentDue) === "overdue" ? ` · ${t("inbox.overdue")}` : ""}
                </Tag>
              )}
            </div>
          )}
          <Tabs size="small" items={[
            { key: "timeline", label: t("instance.timeline"), children: <InstanceTimeline entries={view.timeline} /> },
            { key: "diagram", label: t("instance.diagram"), children: <FlowDiagram view={view} /> },
          ]} />
          <div className="ws-note">
            <Input.TextArea value={note} onChange={(event) => setNote(event.target.value)} maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }}
              placeholder={t("actions.notePlaceholder")} aria-label={t("actions.note")} data-testid="note-input" />
            <Button onClick={sendNote} disabled={!note.trim() || busy} data-testid="note-send">{t("actions.send")}</Button>
          </div>
        </Card>
      </div>
      {(mine || returned || more.length > 0) && (
        <div className="ws-actionbar" data-testid="action-bar">
          {more.length > 0 && (
            <Dropdown trigger={["click"]} menu={{ items: more.map((item) => ({ key: item.key, label: item.label, icon: item.icon, "data-testid": `action-${item.key}` })), onClick: ({ key }) => more.find((item) => item.key === key)?.onClick() }}>
              <Button icon={<MoreOutlined />} className="ws-action-more" data-testid="action-more">{t("actions.more")}</Button>
            </Dropdown>
          )}
          <div className="ws-actionbar-spacer" />
          {mine && (
            <>
              <Button danger icon={<CloseOutlined />} onClick={() => open({ kind: "reject" })} disabled={busy} data-testid="action-reject">{t("actions.reject")}</Button>
              <Button type="primary" icon={<CheckOutlined />} onClick={() => open({ kind: "approve" })} disabled={busy} data-testid="action-approve">
                {t(handling ? "actions.complete" : "actions.approve")}
              </Button>
            </>
          )}
          {returned && (
            <Button type="primary" onClick={() => open({ kind: "resubmit" })} disabled={busy} data-testid="action-resubmit">{t("actions.resubmit")}</Button>
          )}
        </div>
      )}
      <Modal open={dialog !== null} title={title} onCancel={() => setDialog(null)} onOk={submitDialog} confirmLoading={busy}
        okText={dialog ? t(`dialog.ok.${dialog.kind === "approve" && handling ? "complete" : dialog.kind}`) : ""} cancelText={t("actions.cancel")}
        okButtonProps={{ danger: dialog?.kind === "reject" || dialog?.kind === "withdraw", "data-testid": "dialog-ok" } as never} destroyOnHidden>
        <Form layout="vertical" requiredMark={false}>
          {dialog?.kind === "return" && (
            <Form.Item label={t("dialog.returnTo")}>
              <Radio.Group value={target} onChange={(event) => setTarget(event.target.value as string)} className="ws-vertical" data-testid="return-target">
                <Radio value="initiator">{t("dialog.toInitiator")}</Radio>
                <Radio value="previous">{t("dialog.toPrevious")}</Radio>
                {returnTargets.map(([node, name]) => <Radio key={node} value={node}>{name}</Radio>)}
              </Radio.Group>
            </Form.Item>
          )}
          {(dialog?.kind === "transfer" || dialog?.kind === "add_signer" || dialog?.kind === "cc") && (
            <Form.Item label={dialog.kind === "transfer" ? t("dialog.transferTo") : dialog.kind === "cc" ? t("dialog.ccTo") : t("dialog.signers")} required>
              <div data-testid="dialog-people">
                <UserPicker multiple={dialog.kind !== "transfer"} value={dialog.kind === "transfer" ? (people[0] ?? null) : people}
                  onChange={(next) => setPeople(Array.isArray(next) ? next.map(String) : next ? [String(next)] : [])}
                  placeholder={t("dialog.searchPeople")} ariaLabel={t("dialog.searchPeople")} />
              </div>
            </Form.Item>
          )}
          {dialog?.kind === "add_signer" && (
            <Form.Item label={t("dialog.position")}>
              <Radio.Group value={position} onChange={(event) => setPosition(event.target.value as "before" | "after")} data-testid="signer-position">
                <Radio value="before">{t("dialog.before")}</Radio>
                <Radio value="after">{t("dialog.after")}</Radio>
              </Radio.Group>
            </Form.Item>
          )}
          {dialog && (dialog.kind === "withdraw" || dialog.kind === "urge") && <Typography.Paragraph>{t(`dialog.explain.${dialog.kind}`)}</Typography.Paragraph>}
          {dialog && (
            <Form.Item label={dialog.kind === "reject" ? t("dialog.reason") : t("actions.comment")} required={dialog.kind === "reject"}>
              <Input.TextArea value={comment} onChange={(event) => setComment(event.target.value)} maxLength={2000} autoSize={{ minRows: 3, maxRows: 6 }}
                placeholder={dialog.kind === "reject" ? t("dialog.reasonPlaceholder") : t("actions.commentPlaceholder")} data-testid="dialog-comment" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}

/** The type of a node of the request's flow diagram ("approval", "handle", ...), if the diagram has it. */
function nodeType(view: InstanceView, nodeId: string): string | undefined {
  const diagram = (view as InstanceView & { diagram?: { nodes?: Array<{ id?: string; type?: string }> } }).diagram;
  return diagram?.nodes?.find((node) => node.id === nodeId)?.type;
}
