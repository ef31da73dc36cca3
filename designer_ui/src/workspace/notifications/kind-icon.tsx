import {
  AuditOutlined,
  BellOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  FieldTimeOutlined,
  MailOutlined,
  RiseOutlined,
  RollbackOutlined,
  SwapOutlined,
  ThunderboltOutlined,
  UndoOutlined,
  UserSwitchOutlined,
  WarningOutlined,
} from "@ant-design/icons";
import type { ReactNode } from "react";

import type { NotificationKind } from "./use-notifications";

interface KindStyle {
  icon: ReactNode;
  color: string;
  background: string;
}

// One icon and tint per kind (runtime/notifications NotificationKind); unknown kinds get a bell,
// so a kind added on the server shows up before the UI learns it.
const KINDS: Record<NotificationKind, KindStyle> = {
  new_task: { icon: <AuditOutlined />, color: "#1f6feb", background: "#e8f1fe" },
  reminder: { icon: <ClockCircleOutlined />, color: "#d46b08", background: "#fff4e6" },
  overdue: { icon: <FieldTimeOutlined />, color: "#e03131", background: "#fdecec" },
  escalated: { icon: <RiseOutlined />, color: "#d4380d", background: "#fff1eb" },
  approved: { icon: <CheckCircleOutlined />, color: "#2f9e44", background: "#ebf7ee" },
  rejected: { icon: <CloseCircleOutlined />, color: "#e03131", background: "#fdecec" },
  returned: { icon: <RollbackOutlined />, color: "#d46b08", background: "#fff4e6" },
  cc: { icon: <MailOutlined />, color: "#0c8599", background: "#e6f6f8" },
  urged: { icon: <ThunderboltOutlined />, color: "#c2255c", background: "#fcebf2" },
  transferred: { icon: <SwapOutlined />, color: "#7048e8", background: "#f1edfd" },
  withdrawn: { icon: <UndoOutlined />, color: "#646a73", background: "#f0f1f3" },
  error: { icon: <WarningOutlined />, color: "#e03131", background: "#fdecec" },
  handed_over: { icon: <UserSwitchOutlined />, color: "#7048e8", background: "#f1edfd" },
};

const OTHER: KindStyle = { icon: <BellOutlined />, color: "#646a73", background: "#f0f1f3" };

export function isKnownKind(kind: string): kind is NotificationKind {
  return Object.prototype.hasOwnProperty.call(KINDS, kind);
}

/** The round icon in front of a notification (decorative: the kind is also written out). */
export function KindIcon({ kind }: { kind: string }) {
  const style = isKnownKind(kind) ? KINDS[kind] : OTHER;
  return (
    <span className="qb-notif-icon" style={{ color: style.color, background: style.background }} aria-hidden="true" data-kind={kind}>
      {style.icon}
    </span>
  );
}
