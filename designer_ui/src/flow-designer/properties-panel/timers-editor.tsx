// Reminder, escalation, auto-transfer and timeout of a task node: one row per kind, each
// switched on by a checkbox; waits in hours or working days (Chinese working calendar).
import { Checkbox, InputNumber, Select, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Timer, TimerKind, TimerWait } from "../../schema/flow";
import { TIMER_KINDS } from "../nodes/registry";
import { RoleSelect } from "./assignee-editor";

function defaults(kind: TimerKind): Timer {
  switch (kind) {
    case "remind":
      return { kind, after_hours: 24 };
    case "escalate":
      return { kind, after_working_days: 3, to: "manager" };
    case "auto_transfer":
      return { kind, after_hours: 48, to: "backup" };
    case "timeout":
      return { kind, after_working_days: 5, action: "notify_admin" };
  }
}

function WaitInput({ timer, onChange, testId }: { timer: TimerWait; onChange: (wait: TimerWait) => void; testId: string }) {
  const { t } = useTranslation("flow");
  const unit = timer.after_working_days !== undefined ? "days" : "hours";
  const amount = unit === "days" ? timer.after_working_days : timer.after_hours;
  const set = (value: number, nextUnit: string) =>
    onChange(nextUnit === "days" ? { after_working_days: value, after_hours: undefined } : { after_hours: value, after_working_days: undefined });
  return (
    <Space.Compact>
      <InputNumber min={1} max={9999} value={amount} onChange={(value) => set(value ?? 1, unit)} style={{ width: 84 }}
        data-testid={`${testId}-after`} aria-label={t("timer.after")} />
      <Select value={unit} onChange={(next) => set(amount ?? 1, next)} style={{ width: 108 }} data-testid={`${testId}-unit`}
        aria-label={t("timer.unit")}
        options={[{ value: "hours", label: t("timer.unitHours") }, { value: "days", label: t("timer.unitWorkingDays") }]} />
    </Space.Compact>
  );
}

/** Escalate to the manager or a role; the role is written only once one is picked. */
function EscalateTarget({ to, onChange, testId }: { to: string; onChange: (to: string) => void; testId: string }) {
  const { t } = useTranslation("flow");
  const [roleMode, setRoleMode] = useState(to !== "manager");
  return (
    <>
      <Select value={roleMode ? "role" : "manager"} style={{ width: 130 }} aria-label={t("timer.escalateTo")}
        onChange={(next) => {
          setRoleMode(next === "role");
          if (next === "manager") onChange("manager");
        }}
        options={[{ value: "manager", label: t("timer.toManager") }, { value: "role", label: t("timer.toRole") }]} />
      {roleMode && (
        <div className="fl-full">
          <RoleSelect value={to === "manager" ? undefined : to} onChange={(role) => role && onChange(role)} testId={`${testId}-role`} />
          {to === "manager" && <div className="fl-rule-hint">{t("assignee.pickRole")}</div>}
        </div>
      )}
    </>
  );
}

/** Drop undefined keys so the saved document has only what is set. */
function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

export function TimersEditor({ value, onChange }: { value: Timer[]; onChange: (timers: Timer[]) => void }) {
  const { t } = useTranslation("flow");
  const byKind = new Map(value.map((timer) => [timer.kind, timer]));
  const put = (timer: Timer) => onChange(TIMER_KINDS.map((kind) => (kind === timer.kind ? clean(timer) : byKind.get(kind))).filter((item): item is Timer => Boolean(item)));
  const drop = (kind: TimerKind) => onChange(value.filter((timer) => timer.kind !== kind));
  return (
    <div className="fl-timers">
      {TIMER_KINDS.map((kind) => {
        const timer = byKind.get(kind);
        const testId = `timer-${kind}`;
        return (
          <div key={kind} className={timer ? "fl-timer fl-timer-on" : "fl-timer"}>
            <Checkbox checked={Boolean(timer)} onChange={(event) => (event.target.checked ? put(defaults(kind)) : drop(kind))}
              data-testid={`${testId}-enabled`}>
              <span className="fl-timer-title">{t(`timer.kind.${kind}`)}</span>
            </Checkbox>
            <div className="fl-timer-hint">{t(`timer.hint.${kind}`)}</div>
            {timer?.kind === "remind" && (
              <Space wrap size={8} className="fl-timer-body">
                <span>{t("timer.after")}</span>
                <InputNumber min={1} max={9999} value={timer.after_hours} onChange={(hours) => put({ ...timer, after_hours: hours ?? 1 })}
                  suffix={t("timer.unitHours")} style={{ width: 140 }} data-testid={`${testId}-after`} aria-label={t("timer.after")} />
                <span>{t("timer.repeatEvery")}</span>
                <InputNumber min={1} max={9999} value={timer.repeat_hours} placeholder="—"
                  onChange={(hours) => put(hours ? { ...timer, repeat_hours: hours, max: timer.max ?? 3 } : { kind: "remind", after_hours: timer.after_hours })}
                  suffix={t("timer.unitHours")} style={{ width: 140 }} data-testid={`${testId}-repeat`} aria-label={t("timer.repeatEvery")} />
                {timer.repeat_hours !== undefined && (
                  <>
                    <span>{t("timer.atMost")}</span>
                    <InputNumber min={1} max={10} precision={0} value={timer.max} onChange={(max) => put({ ...timer, max: max ?? 1 })}
                      suffix={t("timer.times")} style={{ width: 120 }} aria-label={t("timer.atMost")} />
                  </>
                )}
              </Space>
            )}
            {timer && timer.kind !== "remind" && (
              <Space wrap size={8} className="fl-timer-body">
                <span>{t("timer.after")}</span>
                <WaitInput timer={timer} testId={testId} onChange={(wait) => put({ ...timer, ...wait } as Timer)} />
                {timer.kind === "escalate" && (
                  <>
                    <span>{t("timer.escalateTo")}</span>
                    <EscalateTarget to={timer.to} testId={testId} onChange={(to) => put({ ...timer, to })} />
                  </>
                )}
                {timer.kind === "auto_transfer" && (
                  <>
                    <span>{t("timer.transferTo")}</span>
                    <Select value={timer.to} style={{ width: 150 }} onChange={(to) => put({ ...timer, to })} aria-label={t("timer.transferTo")}
                      options={[{ value: "backup", label: t("timer.toBackup") }, { value: "manager", label: t("timer.toManager") }]} />
                  </>
                )}
                {timer.kind === "timeout" && (
                  <>
                    <span>{t("timer.then")}</span>
                    <Select value={timer.action} style={{ width: 150 }} onChange={(action) => put({ ...timer, action })} aria-label={t("timer.then")}
                      options={(["approve", "reject", "notify_admin"] as const).map((action) => ({ value: action, label: t(`timer.action.${action}`) }))} />
                  </>
                )}
              </Space>
            )}
          </div>
        );
      })}
    </div>
  );
}
