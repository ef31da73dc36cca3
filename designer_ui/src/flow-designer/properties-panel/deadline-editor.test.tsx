import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { App as AntApp } from "antd";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router-dom";

import { fromDocument } from "../../form-designer/model";
import { initI18n } from "../../i18n";
import type { FieldSchema } from "../../schema/form";
import { emptyFormDocument } from "../../schema/form";
import type { FlowNodeOf } from "../../schema/flow";
import { FlowDesignerContext, type FlowDesignerEnv } from "../context";
import { addNode } from "../lib/graph";
import { plainNames } from "../lib/summary";
import { createFlowStore } from "../store";
import { FlowPropertiesPanel } from "./properties-panel";

// The condition builder's antd controls import antd internals by a path only a bundler
// resolves (see condition-modal.test.tsx); the panel imports them for edges only.
vi.mock("@react-querybuilder/antd", () => ({ QueryBuilderAntD: ({ children }: { children: ReactNode }) => children }));

beforeAll(() => {
  initI18n("zh-Hans");
});
beforeEach(() => {
  // The people pickers ask the org API; an empty page answers them all.
  vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ count: 0, next: null, previous: null, results: [] }), {
    status: 200, headers: { "Content-Type": "application/json" },
  })));
});
afterEach(() => vi.unstubAllGlobals());

/** A flow with one approval node, selected, over a form with the given fields. */
function renderPanel(fields: Record<string, FieldSchema>) {
  const store = createFlowStore();
  store.getState().load({ schema_version: 1, nodes: [], edges: [], layout: {} }, 1);
  let id = "";
  store.getState().run("add", (doc) => {
    const result = addNode(doc, "approval", { x: 0, y: 100 });
    id = result.id;
    return result.doc;
  }, { select: { nodes: [], edges: [] } });
  store.getState().select({ nodes: [id], edges: [] });
  const document = emptyFormDocument();
  document.schema.properties = fields;
  const env: FlowDesignerEnv = {
    store, names: plainNames, form: fromDocument(document), dictionary: {},
    issuesByNode: new Map(), issuesByEdge: new Map(), sim: null, readOnly: false,
  };
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <AntApp>
          <FlowDesignerContext.Provider value={env}>
            <FlowPropertiesPanel />
          </FlowDesignerContext.Provider>
        </AntApp>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  fireEvent.click(screen.getByRole("tab", { name: "提醒与超时" }));
  const config = () => (store.getState().doc.nodes.find((node) => node.id === id) as FlowNodeOf<"approval">).config;
  return { store, config };
}

async function pick(testId: string, option: string) {
  fireEvent.mouseDown(within(screen.getByTestId(testId)).getByRole("combobox"));
  const items = await screen.findAllByTitle(option);
  // The dropdown just opened is the last one in the page (an earlier select's stays mounted).
  const item = items.filter((candidate) => candidate.classList.contains("ant-select-item-option")).at(-1);
  if (!item) throw new Error(`no option ${option}`);
  fireEvent.click(item);
}

const DATE_FIELDS: Record<string, FieldSchema> = {
  title: { "x-type": "text", type: "string", "x-label": { zh: "标题" } },
  due_date: { "x-type": "date", type: "string", format: "date", "x-label": { zh: "截止日期" } },
  trip: { "x-type": "date_range", type: "object", "x-label": { zh: "出差日期" } },
};

describe("DeadlineEditor in the properties panel", () => {
  it("sets the deadline field and reminder through the store, undoably, and clearing removes it", async () => {
    const { store, config } = renderPanel(DATE_FIELDS);
    expect(screen.getByTestId("deadline-hint").textContent).toContain("逾期");
    expect(screen.queryByTestId("deadline-remind")).toBeNull(); // no field yet, nothing to remind before
    await pick("deadline-field", "截止日期");
    expect(config().deadline).toEqual({ field: "due_date" });
    const remind = await screen.findByRole("spinbutton", { name: "提前提醒（小时）" });
    fireEvent.change(remind, { target: { value: "24" } });
    await waitFor(() => expect(config().deadline).toEqual({ field: "due_date", remind_before_hours: 24 }));
    await pick("deadline-field", "出差日期"); // a new field keeps the reminder
    expect(config().deadline).toEqual({ field: "trip", remind_before_hours: 24 });
    act(() => store.getState().undo());
    expect(config().deadline).toEqual({ field: "due_date", remind_before_hours: 24 });
    const clear = screen.getByTestId("deadline-field").querySelector(".ant-select-clear");
    expect(clear).toBeTruthy();
    fireEvent.mouseDown(clear!);
    fireEvent.click(clear!);
    await waitFor(() => expect(config().deadline).toBeUndefined());
    expect("deadline" in config()).toBe(false);
  }, 15_000);

  it("a planned start is another date field, kept when the reminder is cleared", async () => {
    const fields = { ...DATE_FIELDS, start: { "x-type": "date", type: "string", format: "date", "x-label": { zh: "开始日期" } } as FieldSchema };
    const { config } = renderPanel(fields);
    await pick("deadline-field", "截止日期");
    await pick("deadline-start", "开始日期");
    expect(config().deadline).toEqual({ field: "due_date", start_field: "start" });
    const remind = await screen.findByRole("spinbutton", { name: "提前提醒（小时）" });
    fireEvent.change(remind, { target: { value: "8" } });
    await waitFor(() => expect(config().deadline).toEqual({ field: "due_date", remind_before_hours: 8, start_field: "start" }));
    fireEvent.change(remind, { target: { value: "" } });
    await waitFor(() => expect(config().deadline).toEqual({ field: "due_date", start_field: "start" }));
  }, 15_000);

  it("explains what to do when the form has no date fields", () => {
    renderPanel({ title: DATE_FIELDS.title! });
    expect(screen.getByTestId("deadline-no-fields").textContent).toContain("日期");
    expect(screen.queryByTestId("deadline-field")).toBeNull();
  });
});
