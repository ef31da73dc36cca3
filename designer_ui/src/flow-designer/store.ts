// The flow designer's store (STYLE.md 21): the flow document, the selection, and one undo
// stack. Each entry keeps the document before and after the edit, so undo and redo are
// exact; consecutive edits of one property (typing a name) merge into one step.
import { create } from "zustand";

import { normalizeFlow, type FlowDocument } from "../schema/flow";
import { starterFlow, type Clipboard } from "./lib/graph";
import { autoLayout } from "./lib/layout";

export interface Selection {
  nodes: string[];
  edges: string[];
}

const NOTHING: Selection = { nodes: [], edges: [] };

interface HistoryEntry {
  label: string;
  before: FlowDocument;
  after: FlowDocument;
  mergeKey?: string;
  at: number;
}

const HISTORY_LIMIT = 200;
const MERGE_WINDOW_MS = 1500;

export interface FlowDesignerState {
  doc: FlowDocument;
  selection: Selection;
  past: HistoryEntry[];
  future: HistoryEntry[];
  /** Bumped by every change of the document (edit, undo, redo): autosave watches it. */
  version: number;
  savedVersion: number;
  revision: number;
  clipboard: Clipboard | null;
  load(document: unknown, revision: number): void;
  run(label: string, command: (doc: FlowDocument) => FlowDocument, options?: { mergeKey?: string; select?: Selection }): void;
  undo(): void;
  redo(): void;
  select(selection: Selection): void;
  setClipboard(clip: Clipboard | null): void;
  markSaved(version: number, revision: number): void;
  document(): FlowDocument;
}

/** Keep the selection to what the document still has. */
function keep(selection: Selection, doc: FlowDocument): Selection {
  const nodes = selection.nodes.filter((id) => doc.nodes.some((node) => node.id === id));
  const edges = selection.edges.filter((id) => doc.edges.some((edge) => edge.id === id));
  return nodes.length === selection.nodes.length && edges.length === selection.edges.length ? selection : { nodes, edges };
}

/** An empty draft becomes start → end; nodes without a position are laid out. */
function prepare(document: unknown): FlowDocument {
  const raw = normalizeFlow(document);
  const doc = raw.nodes.length ? raw : starterFlow();
  if (doc.nodes.every((node) => doc.layout[node.id])) return doc;
  const placed = autoLayout(doc);
  return { ...doc, layout: { ...placed, ...doc.layout } };
}

export const createFlowStore = () =>
  create<FlowDesignerState>((set, get) => ({
    doc: starterFlow(),
    selection: NOTHING,
    past: [],
    future: [],
    version: 0,
    savedVersion: 0,
    revision: 0,
    clipboard: null,
    load(document, revision) {
      set({ doc: prepare(document), selection: NOTHING, past: [], future: [], version: 0, savedVersion: 0, revision });
    },
    run(label, command, options) {
      const state = get();
      const before = state.doc;
      const after = command(before);
      if (after === before) {
        if (options?.select) set({ selection: options.select });
        return;
      }
      const last = state.past[state.past.length - 1];
      const now = Date.now();
      const merge = options?.mergeKey && last?.mergeKey === options.mergeKey && now - last.at < MERGE_WINDOW_MS;
      const past = merge && last
        ? [...state.past.slice(0, -1), { ...last, after, at: now }]
        : [...state.past, { label, before, after, mergeKey: options?.mergeKey, at: now }].slice(-HISTORY_LIMIT);
      set({
        doc: after,
        past,
        future: [],
        version: state.version + 1,
        selection: keep(options?.select ?? state.selection, after),
      });
    },
    undo() {
      const state = get();
      const entry = state.past[state.past.length - 1];
      if (!entry) return;
      set({
        doc: entry.before,
        past: state.past.slice(0, -1),
        future: [...state.future, { ...entry, mergeKey: undefined }],
        version: state.version + 1,
        selection: keep(state.selection, entry.before),
      });
    },
    redo() {
      const state = get();
      const entry = state.future[state.future.length - 1];
      if (!entry) return;
      set({
        doc: entry.after,
        past: [...state.past, { ...entry, mergeKey: undefined }],
        future: state.future.slice(0, -1),
        version: state.version + 1,
        selection: keep(state.selection, entry.after),
      });
    },
    select(selection) {
      const current = get().selection;
      const same = current.nodes.join() === selection.nodes.join() && current.edges.join() === selection.edges.join();
      if (!same) set({ selection });
    },
    setClipboard(clip) {
      set({ clipboard: clip });
    },
    markSaved(version, revision) {
      set({ savedVersion: version, revision });
    },
    document() {
      return get().doc;
    },
  }));

export type FlowStore = ReturnType<typeof createFlowStore>;
