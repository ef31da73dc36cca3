// /start/:key — fill in and submit a request of an app (the end user's side of the renderer).
import { useRulesCalendar } from "../../form-renderer/lib/calendar";
import { SaveOutlined, SendOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { Alert, App as AntApp, Button, Card, Form, Result, Skeleton, Switch, Typography } from "antd";
import { useCallback, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { ApiError, errorMessage } from "../../api/errors";
import { useBoot } from "../../app/boot-context";
import { QueryState } from "../../components/query-state";
import { FormRenderer, UserPicker, initialValue, issueText, validateForm } from "../../form-renderer";
import { randomId } from "../../form-renderer/lib/ids";
import { localized } from "../../i18n";
import { absoluteTimeText, relativeTimeText } from "../../workspace/notifications/relative-time";
import { useDeleteDraft, useForgetDraft, useRequestDraft, useSaveDraft, type RequestDraft } from "../portal/use-portal";
import type { RuleContext, SubmissionIssue } from "../../schema/form";
import { usePublishedForm, type PublishedForm } from "./use-published-form";
import "./start-page.css";
import { RoutePreview } from "./route-preview";
import { subscribeUploads, uploadsInFlight } from "../../form-renderer/lib/upload";

function isIssueList(details: unknown): details is SubmissionIssue[] {
  return Array.isArray(details) && details.every((item) => item && typeof item === "object" && "pointer" in item && "code" in item);
}

export function StartPage() {
  const { key = "" } = useParams();
  const { t } = useTranslation("start");
  const published = usePublishedForm(key);
  // The caller's saved draft of this app (null when none); a failure to read it never blocks the form.
  const draft = useRequestDraft(key);
  // A new page load (or "start another") is a new request: the id makes a double submit idempotent.
  const [requestId, setRequestId] = useState(() => randomId());
  const [done, setDone] = useState<{ id: number; title: string } | null>(null);

  if (published.isLoading || (draft.isLoading && !published.error)) {
    return (
      <div className="qb-start" aria-busy="true">
        <Skeleton.Input active className="qb-start-title-skeleton" />
        <Card className="qb-start-card">
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </div>
    );
  }
  if (published.error) {
    const status = published.error instanceof ApiError ? published.error.status : 0;
    if (status === 404 || status === 403) {
      return (
        <Result
          status={status === 404 ? "404" : "403"}
          title={status === 404 ? t("notFound") : t("forbidden")}
          subTitle={t("notFoundHint")}
          extra={
            <Link to="/">
              <Button type="primary">{t("backHome")}</Button>
            </Link>
          }
        />
      );
    }
    return (
      <div className="qb-start">
        <QueryState isLoading={false} error={published.error} onRetry={() => void published.refetch()} />
      </div>
    );
  }
  if (!published.data) return null;

  if (done) {
    return (
      <div className="qb-start">
        <Card className="qb-start-card">
          <Result
            status="success"
            title={t("success")}
            subTitle={
              <span data-testid="instance-id" data-instance-id={done.id}>
                {t("successDetail", { id: done.id })}
              </span>
            }
            extra={[
              <Link to={`/instances/${done.id}`} key="view">
                <Button type="primary" data-testid="view-request">{t("viewRequest")}</Button>
              </Link>,
              <Button
                key="again"
                onClick={() => {
                  setRequestId(randomId());
                  setDone(null);
                }}
              >
                {t("startAnother")}
              </Button>,
              <Link to="/" key="home">
                <Button>{t("backHome")}</Button>
              </Link>,
            ]}
          />
        </Card>
      </div>
    );
  }
  return (
    <StartForm
      key={requestId}
      published={published.data}
      draft={draft.data ?? null}
      requestId={requestId}
      onDone={setDone}
    />
  );
}

/** The form's starting values: the saved draft over the form's defaults (fields added since keep their defaults). */
function startingValues(form: PublishedForm["form"], draft: RequestDraft | null): Record<string, unknown> {
  const defaults = initialValue(form, { urgent: draft?.urgent ?? false });
  return draft ? { ...defaults, ...draft.data } : defaults;
}

/** The draft's chosen approvers, for the nodes that still let the initiator choose. */
function startingPicks(picks: PublishedForm["picks"], draft: RequestDraft | null): Record<string, string[]> {
  if (!draft) return {};
  return Object.fromEntries(picks.filter((pick) => draft.picks[pick.node_id]?.length).map((pick) => [pick.node_id, draft.picks[pick.node_id] ?? []]));
}

function StartForm({
  published,
  draft,
  requestId,
  onDone,
}: {
  published: PublishedForm;
  draft: RequestDraft | null;
  requestId: string;
  onDone: (done: { id: number; title: string }) => void;
}) {
  const { t, i18n } = useTranslation("start");
  const { message } = AntApp.useApp();
  const boot = useBoot();
  const { app, form, dictionary, field_rights: fieldRights, picks } = published;
  const [urgent, setUrgent] = useState(() => draft?.urgent ?? false);
  // The note "restored the draft saved …" (dismissible) and the time of the last save.
  const [restoredAt, setRestoredAt] = useState<string | null>(() => draft?.updated_at ?? null);
  const [savedAt, setSavedAt] = useState<string | null>(() => draft?.updated_at ?? null);
  // Clearing the draft remounts the renderer so no widget keeps text of the old values.
  const [formGeneration, setFormGeneration] = useState(0);
  const saveDraft = useSaveDraft(app.key);
  const deleteDraft = useDeleteDraft();
  const forgetDraft = useForgetDraft();
  const context: RuleContext = useMemo(
    () => ({
      urgent,
      initiator: { id: boot.user.id, username: boot.user.username, department: boot.user.department?.id ?? null },
    }),
    [urgent, boot.user],
  );
  const [value, setValue] = useState<Record<string, unknown>>(() => startingValues(form, draft));
  const [chosen, setChosen] = useState<Record<string, string[]>>(() => startingPicks(picks, draft));
  const [attempted, setAttempted] = useState(false);
  const [serverIssues, setServerIssues] = useState<SubmissionIssue[] | undefined>(undefined);
  const [highlight, setHighlight] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const actions = useRef<HTMLDivElement | null>(null);

  const calendar = useRulesCalendar();
  const clientIssues = useMemo(
    () => validateForm(form, value, { dictionary, fieldRights, context, calendar }),
    [form, value, dictionary, fieldRights, context, calendar],
  );
  const missingPicks = picks.filter((pick) => !(chosen[pick.node_id]?.length));
  // A file still uploading is not in the value yet: submitting now would leave it out.
  const uploading = useSyncExternalStore(subscribeUploads, uploadsInFlight);

  const flash = useCallback((field: string) => {
    setHighlight(null);
    requestAnimationFrame(() => setHighlight(field));
  }, []);

  const submit = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/instances/", {
          body: { app: app.key, data: value, urgent, picks: chosen, request_id: requestId },
        }),
      ),
    onSuccess: (instance) => {
      // The request is sent: the server deleted its draft in the same transaction.
      forgetDraft(app.key);
      onDone({ id: instance.id, title: instance.title });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "submission_invalid" && isIssueList(error.details)) {
        setServerIssues(error.details);
        setFailure(t("serverIssues"));
        const first = error.details[0];
        if (first) flash((first.field || first.pointer.split("/")[1] || "").split(".")[0] ?? "");
        return;
      }
      setFailure(errorMessage(error, t("submitFailed")));
    },
  });

  // A second click before React re-renders the button as loading must not send again.
  const sending = useRef(false);
  const onSubmit = () => {
    if (sending.current) return;
    setAttempted(true);
    setFailure(null);
    const first = clientIssues[0];
    if (first) {
      flash(first.field.split(".")[0] ?? first.field);
      return;
    }
    if (missingPicks.length) {
      actions.current?.scrollIntoView({ block: "center", behavior: "smooth" });
      return;
    }
    sending.current = true;
    submit.mutate(undefined, {
      onSettled: () => {
        sending.current = false;
      },
    });
  };

  const onSaveDraft = () => {
    saveDraft.mutate(
      { data: value, urgent, picks: chosen },
      {
        onSuccess: (saved) => {
          setSavedAt(saved.updated_at);
          void message.success(t("draftSavedAt", { time: absoluteTimeText(saved.updated_at) }));
        },
        onError: (error) => void message.error(errorMessage(error, t("draftSaveFailed"))),
      },
    );
  };

  const onClearDraft = () => {
    deleteDraft.mutate(app.key, {
      onSuccess: () => {
        setValue(startingValues(form, null));
        setUrgent(false);
        setChosen({});
        setRestoredAt(null);
        setSavedAt(null);
        setAttempted(false);
        setServerIssues(undefined);
        setFailure(null);
        setFormGeneration((generation) => generation + 1);
        void message.success(t("draftCleared"));
      },
      onError: (error) => void message.error(errorMessage(error, t("draftClearFailed"))),
    });
  };

  // Server issues of fields this user cannot see (hidden rights, unknown keys) are listed in the alert.
  const properties = form.schema.properties ?? {};
  const unplaced = (serverIssues ?? [])
    .filter((issue) => {
      const top = issue.pointer.split("/")[1] ?? "";
      return !(top in properties) || fieldRights[top] === "hidden";
    })
    .map((issue) => issueText(issue))
    .join(" ") || undefined;
  const appName = i18n.language === "en" && app.name_en ? app.name_en : app.name;
  const problems = attempted ? new Set(clientIssues.map((issue) => issue.field.split(".")[0])).size + missingPicks.length : 0;

  return (
    <div className="qb-start">
      <header className="qb-start-header">
        <Typography.Title level={3} className="qb-start-title">
          {appName}
        </Typography.Title>
        {app.description && <Typography.Paragraph type="secondary" className="qb-start-description">{app.description}</Typography.Paragraph>}
      </header>
      {restoredAt && (
        <Alert
          className="qb-start-alert"
          type="info"
          showIcon
          closable
          onClose={() => setRestoredAt(null)}
          data-testid="draft-restored"
          title={t("draftRestored", {
            time: relativeTimeText(restoredAt, { language: i18n.language, justNow: t("home.justNow", { ns: "common" }) }),
          })}
          action={
            <Button size="small" onClick={onClearDraft} loading={deleteDraft.isPending} data-testid="draft-clear">
              {t("clearDraft")}
            </Button>
          }
        />
      )}
      <Card className="qb-start-card">
        <FormRenderer
          key={formGeneration}
          document={form}
          value={value}
          onChange={(next) => {
            setValue(next);
            setFailure(null);
          }}
          dictionary={dictionary}
          fieldRights={fieldRights}
          issues={serverIssues}
          showAllErrors={attempted}
          context={context}
          highlight={highlight}
          currentUser={{ id: boot.user.id, name: boot.user.name }}
        />
      </Card>
      <RoutePreview appKey={app.key} data={value} urgent={urgent} picks={chosen} />
      <Card className="qb-start-card" title={t("options")} size="small">
        <div ref={actions}>
          <Form layout="vertical" component="div" colon={false}>
            <Form.Item label={t("urgent")} extra={t("urgentHelp")} htmlFor="qb-start-urgent">
              <Switch id="qb-start-urgent" checked={urgent} onChange={setUrgent} data-testid="urgent" />
            </Form.Item>
            {picks.length > 0 && (
              <>
                <Typography.Text type="secondary" className="qb-start-picks-help">
                  {t("picksHelp")}
                </Typography.Text>
                {picks.map((pick) => {
                  const name = localized(pick.name, i18n.language) || pick.node_id;
                  const missing = attempted && !(chosen[pick.node_id]?.length);
                  return (
                    <Form.Item
                      key={pick.node_id}
                      label={name}
                      required
                      htmlFor={`qb-pick-${pick.node_id}`}
                      validateStatus={missing ? "error" : undefined}
                      help={missing ? t("pickRequired", { node: name }) : undefined}
                    >
                      <UserPicker
                        id={`qb-pick-${pick.node_id}`}
                        value={pick.multiple ? (chosen[pick.node_id] ?? []) : chosen[pick.node_id]?.[0]}
                        onChange={(next) => {
                          const list = Array.isArray(next) ? next.map(String) : typeof next === "string" && next ? [next] : [];
                          setChosen((previous) => ({ ...previous, [pick.node_id]: list }));
                        }}
                        multiple={pick.multiple}
                        role={pick.role ?? undefined}
                        placeholder={t("pickPlaceholder")}
                        status={missing ? "error" : undefined}
                      />
                    </Form.Item>
                  );
                })}
              </>
            )}
          </Form>
        </div>
      </Card>
      {problems > 0 && !failure && (
        <Alert className="qb-start-alert" type="error" showIcon title={t("fixErrors", { count: problems })} data-testid="start-errors" />
      )}
      {failure && <Alert className="qb-start-alert" type="error" showIcon title={failure} description={unplaced} data-testid="start-failure" />}
      <div className="qb-start-actions">
        {savedAt && (
          <Typography.Text type="secondary" className="qb-start-saved" data-testid="draft-saved-at">
            {t("lastSaved", { time: absoluteTimeText(savedAt) })}
          </Typography.Text>
        )}
        <div className="qb-start-buttons">
          <Button
            size="large"
            icon={<SaveOutlined />}
            loading={saveDraft.isPending}
            disabled={submit.isPending}
            onClick={onSaveDraft}
            data-testid="save-draft"
            className="qb-start-save-draft"
          >
            {t("saveDraft")}
          </Button>
          <Button
            type="primary"
            size="large"
            icon={<SendOutlined />}
            loading={submit.isPending}
            disabled={uploading > 0}
            title={uploading > 0 ? t("waitForUploads") : undefined}
            onClick={onSubmit}
            data-testid="submit"
            className="qb-start-submit"
          >
            {t("submit")}
          </Button>
        </div>
      </div>
    </div>
  );
}
