// One store per designer (STYLE.md 21): the model, the selection, and one undo stack of
// commands. Each entry keeps the model before and after the command, so undo and redo
// are exact; consecutive edits of the same property (typing) merge into one step.
import { create } from "zustand";

import type { FormDocument } from "../schema/form";
import { fromDocument, toDocument, type DesignerModel, type FieldRef } from "./model";

export type Selection = { kind: "field"; ref: FieldRef } | { kind: "section"; id: string } | { kind: "form" } | null;

interface HistoryEntry {
  label: string;
  before: DesignerModel;
  after: DesignerModel;
  mergeKey?: string;
  at: number;
}

const HISTORY_LIMIT = 200;
const MERGE_WINDOW_MS = 1500;

export interface DesignerState {
  model: DesignerModel;
  selection: Selection;
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** Bumped by every change of the model (edit, undo, redo): autosave watches it. */
  version: number;
  /** The version last saved to the server, and the draft revision it produced. */
  savedVersion: number;
  revision: number;
  /** Keys edited by hand keep their value; other keys follow the English label. */
  lockedKeys: Set<string>;
  load(document: FormDocument | null | undefined, revision: number): void;
  run(label: string, command: (model: DesignerModel) => DesignerModel, options?: { mergeKey?: string; select?: Selection }): void;
  undo(): void;
  redo(): void;
  select(selection: Selection): void;
  markSaved(version: number, revision: number): void;
  lockKey(path: string): void;
  document(): FormDocument;
}

function now(): number {
  return Date.now();
}

export const createDesignerStore = () =>
  create<DesignerState>((set, get) => ({
    model: fromDocument(null),
    selection: null,
    past: [],
    future: [],
    version: 0,
    savedVersion: 0,
    revision: 0,
    lockedKeys: new Set(),
    load(document, revision) {
      const model = fromDocument(document);
      const locked = new Set<string>();
      for (const [key, field] of Object.entries(model.fields)) {
        locked.add(key);
        if (field["x-type"] === "table") {
          const items = field.items as { properties?: Record<string, unknown> } | undefined;
          for (const column of Object.keys(items?.properties ?? {})) locked.add(`${key}.${column}`);
        }
      }
      set({ model, selection: null, past: [], future: [], version: 0, savedVersion: 0, revision, lockedKeys: locked });
    },
    run(label, command, options) {
      const state = get();
      const before = state.model;
      const after = command(before);
      if (after === before) return;
      const last = state.past[state.past.length - 1];
      const merge = options?.mergeKey && last?.mergeKey === options.mergeKey && now() - last.at < MERGE_WINDOW_MS;
      const past = merge && last
        ? [...state.past.slice(0, -1), { ...last, after, at: now() }]
        : [...state.past, { label, before, after, mergeKey: options?.mergeKey, at: now() }].slice(-HISTORY_LIMIT);
      set({
        model: after,
        past,
        future: [],
        version: state.version + 1,
        ...(options?.select !== undefined ? { selection: options.select } : {}),
      });
    },
    undo() {
      const state = get();
      const entry = state.past[state.past.length - 1];
      if (!entry) return;
      set({
        model: entry.before,
        past: state.past.slice(0, -1),
        future: [...state.future, { ...entry, mergeKey: undefined }],
        version: state.version + 1,
        selection: keepSelection(state.selection, entry.before),
      });
    },
    redo() {
      const state = get();
      const entry = state.future[state.future.length - 1];
      if (!entry) return;
      set({
        model: entry.after,
        past: [...state.past, { ...entry, mergeKey: undefined }],
        future: state.future.slice(0, -1),
        version: state.version + 1,
        selection: keepSelection(state.selection, entry.after),
      });
    },
    select(selection) {
      set({ selection });
    },
    markSaved(version, revision) {
      set({ savedVersion: version, revision });
    },
    lockKey(path) {
      const lockedKeys = new Set(get().lockedKeys);
      lockedKeys.add(path);
      set({ lockedKeys });
    },
    document() {
      return toDocument(get().model);
    },
  }));

/** Drop a selection that the restored model no longer has. */
function keepSelection(selection: Selection, model: DesignerModel): Selection {
  if (selection?.kind === "field") {
    const field = model.fields[selection.ref.key];
    if (!field) return null;
    if (selection.ref.column) {
      const items = field.items as { properties?: Record<string, unknown> } | undefined;
      if (!items?.properties?.[selection.ref.column]) return { kind: "field", ref: { key: selection.ref.key } };
    }
  }
  if (selection?.kind === "section" && !model.sections.some((section) => section.id === selection.id)) return null;
  return selection;
}

export type DesignerStore = ReturnType<typeof createDesignerStore>;

export function isDirty(state: Pick<DesignerState, "version" | "savedVersion">): boolean {
  return state.version !== state.savedVersion;
}
