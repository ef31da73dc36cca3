import { theme as antdTheme } from "antd";
import { describe, expect, it } from "vitest";

import { ACCENT, DANGER, DANGER_TEXT, SUCCESS_TEXT, TEXT_SECONDARY, WARNING_TEXT, theme } from "./theme";

// WCAG 2 relative luminance and contrast ratio of two #rrggbb colours.
function channel(hex: string, at: number): number {
  const c = parseInt(hex.slice(at, at + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

// White cards and the light greys used as page, row and read-only field backgrounds.
const BACKGROUNDS = ["#ffffff", "#f5f6f8", "#f5f7fa", "#f2f3f5", "#f0f1f3", "#eef0f3"];

describe("theme colours", () => {
  it("secondary text reaches 4.5:1 (WCAG 2 AA) on white and our light greys", () => {
    for (const background of BACKGROUNDS) expect(contrast(TEXT_SECONDARY, background)).toBeGreaterThanOrEqual(4.5);
  });

  it("antd's grey text tokens use the secondary text colour", () => {
    const { colorTextTertiary, colorTextDescription, colorTextPlaceholder } = theme.token ?? {};
    expect([colorTextTertiary, colorTextDescription, colorTextPlaceholder]).toEqual([
      TEXT_SECONDARY, TEXT_SECONDARY, TEXT_SECONDARY,
    ]);
  });

  it("accent and danger text reach 4.5:1 on white", () => {
    expect(contrast(ACCENT, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    expect(contrast(DANGER, "#ffffff")).toBeGreaterThanOrEqual(4.5);
  });

  it("status text reaches 4.5:1 on white, our light greys and its own tint; white on it too", () => {
    // The tints: a taken branch, a pending assignee rule, a field with a problem.
    const pairs: [string, string][] = [[SUCCESS_TEXT, "#e8f8f0"], [WARNING_TEXT, "#fffbe6"], [DANGER_TEXT, "#fff6f6"]];
    for (const [text, tint] of pairs) {
      for (const background of [...BACKGROUNDS, tint]) expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);
      expect(contrast("#ffffff", text)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("status tag labels reach 4.5:1 on their tints", () => {
    const token = antdTheme.getDesignToken(theme);
    const tag = theme.components?.Tag ?? {};
    const pairs: [string | undefined, string][] = [
      [tag.colorInfo, token.colorInfoBg], [tag.colorSuccess, token.colorSuccessBg],
      [tag.colorWarning, token.colorWarningBg], [tag.colorError, token.colorErrorBg], [tag.orange7, token.orange1],
    ];
    for (const [text, tint] of pairs) expect(contrast(text ?? "#ffffff", tint)).toBeGreaterThanOrEqual(4.5);
  });
});
