// The request's history: who did what at which step, with comments, times and how long
// each decision took. Entries come from the server already filtered for the viewer.
import { Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { duration, fullTime, type TimelineEntry } from "../lib";

const COLORS: Record<string, string> = {
  submitted: "blue", resubmitted: "blue", task_approved: "green", task_auto_approved: "green", completed: "green",
  task_rejected: "red", routing_blocked: "red", node_failed: "red", returned: "orange", withdrawn: "gray",
  urged: "orange", task_transferred: "purple", signer_added: "purple", cc_sent: "cyan", commented: "gray",
};

/** Entries that only say the engine moved on are left out (the next entry says it better). */
const QUIET = new Set(["gateway_decided", "node_skipped"]);

export function InstanceTimeline({ entries }: { entries: TimelineEntry[] }) {
  const { t } = useTranslation("workspace");
  const shown = entries.filter((entry) => !QUIET.has(entry.type));
  return (
    <Timeline
      className="ws-timeline"
      data-testid="timeline"
      items={shown.map((entry) => {
        const people = ((entry.details.assignees as Array<{ name?: string }> | undefined) ?? []).map((person) => person.name).filter(Boolean);
        const to = entry.details.to as { name?: string } | string | undefined;
        const users = ((entry.details.users as Array<{ name?: string } | string> | undefined) ?? []).map((user) => (typeof user === "string" ? user : user.name)).filter(Boolean);
        const text = t(`timeline.${entry.type}`, {
          actor: entry.actor?.name ?? t("timeline.system"),
          node: entry.node_name ?? "",
          people: people.join("、"),
          to: typeof to === "string" ? to : (to?.name ?? ""),
          users: users.join("、"),
          defaultValue: entry.type,
        });
        return {
          key: entry.seq,
          color: COLORS[entry.type] ?? "blue",
          content: (
            <div className="ws-tl-item" data-testid={`timeline-${entry.type}`}>
              <div className="ws-tl-head">
                <span className="ws-tl-text">{text}</span>
                <span className="ws-tl-time">{fullTime(entry.at)}</span>
              </div>
              {entry.node_name && entry.type !== "node_activated" && <div className="ws-tl-node">{entry.node_name}</div>}
              {entry.comment && <div className="ws-tl-comment">{entry.comment}</div>}
              {entry.duration_seconds != null && (
                <Typography.Text type="secondary" className="ws-tl-duration">{t("timeline.took", { time: duration(entry.duration_seconds, t) })}</Typography.Text>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
