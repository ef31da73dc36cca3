import type { ThemeConfig } from "antd";

// One accent colour and the system CJK fonts, close to what Feishu and DingTalk users know.
export const theme: ThemeConfig = {
  token: {
    colorPrimary: "#1f6feb",
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif',
  },
  components: {
    Layout: { headerBg: "#ffffff", headerHeight: 56, headerPadding: "0 16px", bodyBg: "#f5f6f8" },
  },
};
