import {
  AccountBookOutlined,
  AppstoreOutlined,
  AuditOutlined,
  CarOutlined,
  CalendarOutlined,
  FileTextOutlined,
  SendOutlined,
  ScheduleOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  ToolOutlined,
  WalletOutlined,
} from "@ant-design/icons";
import type { ComponentType } from "react";

// App icons are names from this fixed set (stored in App.icon, e.g. "calendar"); unknown names fall back.
export const APP_ICONS: Record<string, ComponentType> = {
  app: AppstoreOutlined,
  "shopping-cart": ShoppingCartOutlined,
  calendar: CalendarOutlined,
  plane: SendOutlined,
  car: CarOutlined,
  "account-book": AccountBookOutlined,
  wallet: WalletOutlined,
  "file-text": FileTextOutlined,
  audit: AuditOutlined,
  team: TeamOutlined,
  tool: ToolOutlined,
  schedule: ScheduleOutlined,
};

const COLORS = ["#1f6feb", "#0fa968", "#f5a623", "#7b61ff", "#e5484d", "#0ea5e9", "#d946ef"];

export function AppIcon({ icon, name, size = 40 }: { icon?: string | null; name: string; size?: number }) {
  const Icon = APP_ICONS[icon ?? ""] ?? APP_ICONS.app ?? AppstoreOutlined;
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const background = COLORS[hash % COLORS.length];
  return (
    <span
      aria-hidden="true"
      style={{
        display: "inline-flex",
        alignItems: "center",
        justifyContent: "center",
        width: size,
        height: size,
        borderRadius: size / 4,
        background,
        color: "#fff",
        fontSize: size * 0.5,
        flex: "none",
      }}
    >
      <Icon />
    </span>
  );
}
