import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";

import { initI18n } from "../i18n";
import type { FormDocument, SubmissionIssue } from "../schema/form";
import { FormRenderer, type FormRendererProps } from "./index";
import { dictionary, form, travelForm } from "./lib/test-forms";

// jsdom does not implement getComputedStyle(element, pseudoElement) (antd's table asks for it).
const computedStyle = window.getComputedStyle.bind(window);

beforeAll(() => {
  initI18n("zh-Hans");
  window.getComputedStyle = (element: Element) => computedStyle(element);
});
afterAll(() => {
  window.getComputedStyle = computedStyle;
});

function Harness(props: Omit<FormRendererProps, "value" | "onChange"> & { initial?: Record<string, unknown>; spy?: (v: Record<string, unknown>) => void }) {
  const { initial, spy, ...rest } = props;
  const [value, setValue] = useState<Record<string, unknown>>(initial ?? {});
  return (
    <FormRenderer
      {...rest}
      value={value}
      onChange={(next) => {
        spy?.(next);
        setValue(next);
      }}
    />
  );
}

describe("FormRenderer", { timeout: 20_000 }, () => {
  it("renders labels, help, options and descriptions as text, never HTML", () => {
    const doc = form({
      intro: { "x-type": "description", "x-label": { zh: "<i>说明</i>" }, "x-content": { zh: "<script>alert(1)</script>\n第二行" } },
      name: { "x-type": "text", type: "string", "x-label": { zh: "<b>x</b>" }, "x-help": { zh: "<em>帮助</em>" } },
      kind: { "x-type": "radio", type: "string", "x-label": { zh: "类型" }, "x-options": [{ code: "a", label: { zh: "<u>甲</u>" } }] },
    });
    const { container } = render(<Harness document={doc} />);
    expect(screen.getByText("<b>x</b>")).toBeTruthy();
    expect(screen.getByText("<em>帮助</em>")).toBeTruthy();
    expect(screen.getByText("<u>甲</u>")).toBeTruthy();
    expect(screen.getByText("<i>说明</i>")).toBeTruthy();
    expect(container.querySelector("b, em, u, i, script")).toBeNull();
  });

  it("shows sections with their titles and the computed days", () => {
    render(<Harness document={travelForm} dictionary={dictionary} initial={{ trip_dates: { start: "2026-12-01", end: "2026-12-04" } }} />);
    const headings = [...document.querySelectorAll("h3.qb-fr-section-title")].map((h) => h.textContent);
    expect(headings).toEqual(["行程", "费用", "其他"]);
    expect(within(screen.getByTestId("field-days")).getByText("4 天")).toBeTruthy();
  });

  it("puts the required marker on a required-if field when its condition holds", () => {
    const doc = form({
      kind: { "x-type": "radio", type: "string", "x-label": { zh: "类型" }, "x-options": [{ code: "a", label: { zh: "甲" } }, { code: "b", label: { zh: "乙" } }] },
      budget: { "x-type": "money", type: "number", "x-currency": "CNY", "x-label": { zh: "预算" }, "x-required-if": { "==": [{ var: "form.kind" }, "a"] } },
    });
    render(<Harness document={doc} />);
    const budgetLabel = () => screen.getByText("预算").closest("label");
    expect(budgetLabel()?.className).not.toContain("required");
    fireEvent.click(screen.getByLabelText("甲"));
    expect(budgetLabel()?.className).toContain("ant-form-item-required");
    fireEvent.click(screen.getByLabelText("乙"));
    expect(budgetLabel()?.className).not.toContain("ant-form-item-required");
  });

  it("hides a field whose visibility rule is false", () => {
    const doc = form({
      urgent: { "x-type": "checkbox", type: "boolean", "x-label": { zh: "加急" } },
      why: { "x-type": "text", type: "string", "x-label": { zh: "加急原因" }, "x-visible-if": { var: "form.urgent" } },
    });
    render(<Harness document={doc} />);
    expect(screen.queryByText("加急原因")).toBeNull();
    fireEvent.click(screen.getByRole("checkbox"));
    expect(screen.getByText("加急原因")).toBeTruthy();
  });

  it("adds and removes sub-table rows within min/max", () => {
    const doc: FormDocument = form({
      items: {
        "x-type": "table",
        type: "array",
        "x-label": { zh: "明细" },
        minItems: 1,
        maxItems: 2,
        items: { type: "object", properties: { title: { "x-type": "text", type: "string", "x-label": { zh: "名称" } } }, required: ["title"] },
      },
    });
    const spy = vi.fn();
    render(<Harness document={doc} initial={{ items: [{}] }} spy={spy} device="desktop" />);
    const add = screen.getByTestId("add-row-qb-field-items") as HTMLButtonElement;
    expect((screen.getByTestId("remove-row-0") as HTMLButtonElement).disabled).toBe(true); // at the minimum
    fireEvent.click(add);
    expect(spy).toHaveBeenLastCalledWith({ items: [{}, {}] });
    expect(add.disabled).toBe(true); // at the maximum
    expect((screen.getByTestId("remove-row-1") as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByTestId("remove-row-1"));
    expect(spy).toHaveBeenLastCalledWith({ items: [{}] });
    expect(add.disabled).toBe(false);
  });

  it("shows sub-table rows as cards on a phone", () => {
    render(<Harness document={travelForm} dictionary={dictionary} initial={{ companions: [{ name: "张三" }] }} device="phone" />);
    expect(document.querySelector('section[aria-label="第 1 行"]')).not.toBeNull();
    expect(document.querySelector(".qb-form-renderer.is-phone")).not.toBeNull();
  });

  it("shows errors after a submit attempt and server issues at their fields", () => {
    const issues: SubmissionIssue[] = [
      { pointer: "/companions/0/phone", field: "companions.phone", code: "invalid_format", message: "Enter a value in the required format.", params: {} },
    ];
    const { rerender } = render(
      <FormRenderer document={travelForm} dictionary={dictionary} value={{ expense_type: "air", companions: [{ name: "a", phone: "1" }] }} device="desktop" />,
    );
    expect(screen.queryByText("此项为必填项。")).toBeNull();
    rerender(
      <FormRenderer document={travelForm} dictionary={dictionary} value={{ expense_type: "air", companions: [{ name: "a", phone: "1" }] }} device="desktop" showAllErrors issues={issues} />,
    );
    expect(within(screen.getByTestId("field-budget")).getByText("此项为必填项。")).toBeTruthy();
    expect(screen.getAllByText("请按要求的格式输入。").length).toBe(1);
  });

  it("renders read-only values as text and drops hidden fields", () => {
    render(
      <FormRenderer
        document={travelForm}
        dictionary={dictionary}
        value={{ destination: "<b>上海</b>", expense_type: "air", budget: 1234.5 }}
        fieldRights={{ destination: "read_only", reason: "hidden" }}
        readOnly={false}
      />,
    );
    expect(within(screen.getByTestId("field-destination")).getByText("<b>上海</b>")).toBeTruthy();
    expect(screen.queryByTestId("field-reason")).toBeNull();
    expect(screen.getByText("¥")).toBeTruthy();
  });

  it("shows a whole read-only form with option labels and money", () => {
    render(<FormRenderer document={travelForm} dictionary={dictionary} value={{ expense_type: "air", budget: 1234.5 }} readOnly />);
    expect(screen.getByText("机票")).toBeTruthy();
    expect(screen.getByText("¥1,234.50")).toBeTruthy();
  });

  it("offers disabled dictionary options only when already chosen", async () => {
    const { container } = render(<FormRenderer document={travelForm} dictionary={dictionary} value={{ expense_type: "taxi" }} />);
    expect(container.textContent).toContain("出租车（已停用）");
    await act(async () => undefined);
  });
});
