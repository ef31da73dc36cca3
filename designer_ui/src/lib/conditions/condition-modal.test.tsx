import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";

import { initI18n } from "../../i18n";
import { ConditionModal } from "./condition-modal";
import { DICTIONARY, testModel } from "./conditions.fixture";

// The antd controls import antd internals by a path only a bundler resolves; the modal's
// logic does not depend on them, so the builder's plain controls stand in.
vi.mock("@react-querybuilder/antd", () => ({ QueryBuilderAntD: ({ children }: { children: ReactNode }) => children }));

const computedStyle = window.getComputedStyle.bind(window);

beforeAll(() => {
  initI18n("zh-Hans");
  window.getComputedStyle = (element: Element) => computedStyle(element);
});
afterAll(() => {
  window.getComputedStyle = computedStyle;
});

function wrap(node: ReactNode) {
  return <QueryClientProvider client={new QueryClient()}>{node}</QueryClientProvider>;
}

function open(value: unknown, onSave = vi.fn()) {
  render(
    wrap(
      <ConditionModal title="条件" value={value} model={testModel()} fieldKey={null} dictionary={DICTIONARY} testId="edge-rule" onCancel={() => undefined} onSave={onSave} />,
    ),
  );
  return onSave;
}

describe("ConditionModal", () => {
  it("opens a buildable rule in the builder and saves it unchanged", () => {
    const rule = { and: [{ ">": [{ var: "form.amount" }, 5000] }, { some: [{ var: "form.tags" }, { in: [{ var: "" }, ["air"]] }] }] };
    const onSave = open(rule);
    expect(screen.getByTestId("edge-rule-builder")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /确\s*定/ }));
    expect(onSave).toHaveBeenCalledWith(rule);
  });

  it.each([
    [{ "<=": [1000, { var: "form.amount" }, 5000] }, { "<=": [1000, { var: "form.amount" }, 5000] }],
    [{ "!": { or: [{ in: [{ var: "form.level" }, ["A", "007"]] }, { "==": [{ var: "form.urgent" }, false] }] } }, null],
    [{ "==": [{ var: "form.title" }, null] }, { missing: ["form.title"] }],
  ])("keeps %j through the live builder", (rule, saved) => {
    const onSave = open(rule);
    expect(screen.getByTestId("edge-rule-builder")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /确\s*定/ }));
    expect(onSave).toHaveBeenCalledWith(saved ?? rule);
  });

  it("opens what the builder cannot show as JSON, and refuses to switch", () => {
    const onSave = open({ ">": [{ "+": [{ var: "form.amount" }, 1] }, 2] });
    expect(screen.queryByTestId("edge-rule-builder")).toBeNull();
    expect((screen.getByTestId("edge-rule-json") as HTMLTextAreaElement).value).toContain('"+"');
    fireEvent.click(screen.getByText("条件构建器"));
    expect(screen.getByTestId("edge-rule-error").textContent).toContain("构建器不支持");
    fireEvent.click(screen.getByRole("button", { name: /确\s*定/ }));
    expect(onSave).toHaveBeenCalledWith({ ">": [{ "+": [{ var: "form.amount" }, 1] }, 2] });
  });

  it("checks JSON like the server before saving", () => {
    const onSave = open({ bogus: [1] });
    fireEvent.click(screen.getByRole("button", { name: /确\s*定/ }));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByTestId("edge-rule-error")).toBeTruthy();
  });

  it("saves nothing for an empty builder", () => {
    const onSave = open(undefined);
    fireEvent.click(screen.getByRole("button", { name: /确\s*定/ }));
    expect(onSave).toHaveBeenCalledWith(undefined);
  });
});
