// What a node card and the properties panel say about a node in words: "部门负责人 ×2 级",
// "会签", "截止：截止日期", "24 小时提醒 · 3 个工作日升级", "紧急可跳过".
import type { TFunction } from "i18next";

import type { AssigneeRule, Deadline, FlowNode, TaskConfig, Timer } from "../../schema/flow";

/** Display names for the ids a flow stores (roles and positions by code, users by id, form fields by key). */
export interface Names {
  role(code: string): string;
  position(code: string): string;
  user(id: string): string;
  field(key: string): string;
}

export const plainNames: Names = {
  role: (code) => code,
  position: (code) => code,
  user: (id) => id,
  field: (key) => key,
};

export function describeAssignee(rule: AssigneeRule, names: Names, t: TFunction): string {
  switch (rule.rule) {
    case "user": {
      const people = (rule.users ?? []).map((id) => names.user(id));
      if (!people.length) return t("assignee.userNone");
      return people.length > 3 ? t("assignee.usersMore", { names: people.slice(0, 3).join("、"), count: people.length }) : people.join("、");
    }
    case "role":
      return rule.role ? t("assignee.roleOf", { name: names.role(rule.role) }) : t("assignee.roleNone");
    case "position":
      return rule.position ? t("assignee.positionOf", { name: names.position(rule.position) }) : t("assignee.positionNone");
    case "dept_head": {
      const levels = rule.levels ?? 1;
      return levels > 1 ? t("assignee.deptHeadLevels", { count: levels }) : t("assignee.deptHead");
    }
    case "manager_chain": {
      const levels = rule.levels ?? 1;
      const base = levels > 1 ? t("assignee.managerLevels", { count: levels }) : t("assignee.manager");
      return rule.until_role ? t("assignee.managerUntil", { base, role: names.role(rule.until_role) }) : base;
    }
    case "form_field":
      return rule.field ? t("assignee.formField", { name: names.field(rule.field) }) : t("assignee.formFieldNone");
    case "initiator_picks":
      return rule.multiple ? t("assignee.initiatorPicksMany") : t("assignee.initiatorPicks");
    case "initiator":
      return t("assignee.initiator");
    case "previous_approver_manager":
      return t("assignee.previousManager");
    case "dynamic":
      return t("assignee.dynamic");
    default:
      return t("assignee.unknown");
  }
}

export function describeAssignees(rules: AssigneeRule[] | undefined, names: Names, t: TFunction): string {
  if (!rules?.length) return "";
  return rules.map((rule) => describeAssignee(rule, names, t)).join(" + ");
}

export function describeMode(config: TaskConfig, t: TFunction): string {
  const mode = config.mode ?? "single";
  if (mode === "percentage") return t("mode.percentageOf", { threshold: config.threshold ?? 50 });
  return t(`mode.${mode}`);
}

function wait(timer: { after_hours?: number; after_working_days?: number }, t: TFunction): string {
  if (timer.after_working_days !== undefined) return t("timer.workingDays", { count: timer.after_working_days });
  return t("timer.hours", { count: timer.after_hours ?? 0 });
}

export function describeTimer(timer: Timer, names: Names, t: TFunction): string {
  switch (timer.kind) {
    case "remind":
      return t("timer.remindSummary", { wait: wait(timer, t) });
    case "escalate":
      return t("timer.escalateSummary", { wait: wait(timer, t), to: timer.to === "manager" ? t("timer.toManager") : names.role(timer.to) });
    case "auto_transfer":
      return t("timer.transferSummary", { wait: wait(timer, t) });
    case "timeout":
      return t(`timer.timeoutSummary.${timer.action}`, { wait: wait(timer, t) });
    default:
      return "";
  }
}

/** "截止：截止日期" and, with a reminder, "截止前 24 小时提醒". */
export function describeDeadline(deadline: Deadline | undefined, names: Names, t: TFunction): string[] {
  if (!deadline?.field) return [];
  const lines = [t("deadline.summary", { field: names.field(deadline.field) })];
  if (deadline.remind_before_hours) lines.push(t("deadline.remindSummary", { wait: t("timer.hours", { count: deadline.remind_before_hours }) }));
  return lines;
}

/** The short lines under a node's name on the canvas. */
export function nodeSummary(node: FlowNode, names: Names, t: TFunction): { main: string; badges: string[] } {
  switch (node.type) {
    case "approval":
    case "handle": {
      const config = node.config;
      const who = describeAssignees(config.assignees, names, t) || t("summary.noAssignee");
      const badges = [
        describeMode(config, t),
        ...describeDeadline(config.deadline, names, t),
        ...(config.timers ?? []).map((timer) => describeTimer(timer, names, t)),
      ];
      if (config.skippable_when_urgent) badges.push(t("summary.urgentSkip"));
      return { main: who, badges };
    }
    case "cc":
      return { main: describeAssignees(node.config.recipients, names, t) || t("summary.noRecipient"), badges: [] };
    case "parallel_join":
      return { main: node.config.join === "first_n" ? t("summary.joinFirstN", { count: node.config.n ?? 1 }) : t("summary.joinAll"), badges: [] };
    case "service":
      return { main: node.config.connector ? `${node.config.connector}${node.config.operation ? ` · ${node.config.operation}` : ""}` : t("summary.noConnector"), badges: node.config.on_error === "continue" ? [t("summary.continueOnError")] : [] };
    case "delay":
      if (node.config.until) return { main: t("summary.delayUntil", { field: names.field(node.config.until) }), badges: [] };
      return { main: t("summary.delayFor", { wait: wait(node.config, t) }), badges: [] };
    case "subprocess":
      return { main: node.config.app ? t("summary.subprocessApp", { app: node.config.app }) : t("summary.noApp"), badges: node.config.wait === false ? [t("summary.noWait")] : [] };
    case "end":
      return { main: node.config.outcome === "rejected" ? t("summary.endRejected") : t("summary.endApproved"), badges: [] };
    default:
      return { main: "", badges: [] };
  }
}
