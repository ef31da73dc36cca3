import { act, renderHook } from "@testing-library/react";

import { addField, type PaletteEntry } from "./commands";
import { createDesignerStore } from "./store";
import { useAutosave } from "./use-autosave";

const TEXT: PaletteEntry = {
  type: "text",
  label: { zh: "文本", en: "Text" },
  value_kind: "string",
  schema: { "x-type": "text", type: "string", "x-label": { zh: "文本", en: "Text" } },
  ui: {},
  capabilities: { keywords: [], column_allowed: true, has_value: true, accepts_required_if: true, accepts_default: true },
};

function edit(store: ReturnType<typeof createDesignerStore>) {
  store.getState().run("add", (model) => addField(model, TEXT, { sectionId: model.sections[0]?.id ?? "", index: 0 }).model);
}

describe("autosave", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("never sends two saves with the same revision, however many callers", async () => {
    const sent: number[] = [];
    let revision = 1;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (request: Request) => {
        const body = (await request.json()) as { expected_revision: number };
        sent.push(body.expected_revision);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (body.expected_revision !== revision) {
          return new Response(JSON.stringify({ error: { code: "draft_conflict", message: "conflict" } }), { status: 409 });
        }
        revision += 1;
        return new Response(JSON.stringify({ form: {}, flow: {}, revision }), { status: 200, headers: { "Content-Type": "application/json" } });
      }),
    );
    const store = createDesignerStore();
    store.getState().load(null, 1);
    const { result } = renderHook(() => useAutosave(store, "trip", false));
    edit(store);
    let outcomes: boolean[] = [];
    await act(async () => {
      const first = result.current.saveNow();
      edit(store);
      outcomes = await Promise.all([first, result.current.saveNow(), result.current.saveNow()]);
    });
    expect(outcomes).toEqual([true, true, true]);
    expect(sent).toEqual([1, 2]);
    expect(result.current.state).toBe("saved");
  });

  it("stops saving after a conflict until the page is reloaded", async () => {
    const fetchMock = vi.fn(async () =>
      new Response(JSON.stringify({ error: { code: "draft_conflict", message: "conflict" } }), { status: 409 }),
    );
    vi.stubGlobal("fetch", fetchMock);
    const store = createDesignerStore();
    store.getState().load(null, 1);
    const { result } = renderHook(() => useAutosave(store, "trip", false));
    edit(store);
    await act(async () => {
      expect(await result.current.saveNow()).toBe(false);
    });
    expect(result.current.state).toBe("conflict");
    edit(store);
    await act(async () => {
      expect(await result.current.saveNow()).toBe(false);
    });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
