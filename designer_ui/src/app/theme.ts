import type { ThemeConfig } from "antd";

// global.css declares the same values as CSS variables (--qb-*) for our own stylesheets: change
// both together. theme.test.ts checks the contrast ratios.
export const ACCENT = "#1f6feb";
// Secondary text (descriptions, hints, meta lines, placeholders): Feishu's secondary grey,
// 4.5:1 or more on white and on the light greys we use as backgrounds (WCAG 2 AA). antd's
// default, rgba(0, 0, 0, 0.45), only reaches 3.4:1.
export const TEXT_SECONDARY = "#646a73";
// Danger text and buttons: antd's #ff4d4f is 3.3:1 on white.
export const DANGER = "#d83931";
// Status text in our own stylesheets (--qb-success-text, --qb-warning-text, --qb-danger-text):
// the usual status colours (#15a86b, #d46b08, #e5484d) are 3.2 to 3.9:1 on white. The danger
// text is a shade darker than DANGER so that it also reads on the pale red behind a field
// with a problem.
export const SUCCESS_TEXT = "#0b7a4b";
export const WARNING_TEXT = "#ad4e00";
export const DANGER_TEXT = "#c8302a";

// One accent colour and the system CJK fonts, close to what Feishu and DingTalk users know.
export const theme: ThemeConfig = {
  token: {
    colorPrimary: ACCENT,
    colorInfo: ACCENT,
    colorError: DANGER,
    colorTextTertiary: TEXT_SECONDARY,
    colorTextDescription: TEXT_SECONDARY,
    colorTextPlaceholder: TEXT_SECONDARY,
    // Icons (close, clear, expand) stay as light as before: they are not text.
    colorIcon: "rgba(0, 0, 0, 0.45)",
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif',
  },
  components: {
    Layout: { headerBg: "#ffffff", headerHeight: 56, headerPadding: "0 16px", bodyBg: "#f5f6f8" },
    // Status and preset tags write their label in the status colour on its pale tint; the
    // base colours are too light for 12px text there, so tags use a darker shade of each.
    Tag: { colorInfo: "#1052c4", colorSuccess: "#237804", colorWarning: "#874d00", colorError: "#b32320", orange7: "#ad4e00" },
  },
};
