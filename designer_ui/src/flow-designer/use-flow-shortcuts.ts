// Keyboard: Delete removes the selection, Ctrl+C / Ctrl+V copy and paste nodes, Ctrl+Z /
// Ctrl+Shift+Z (or Ctrl+Y) undo and redo, Ctrl+A selects everything, Ctrl+S saves now.
// Typing in an input or a dialog is left alone.
import { useEffect } from "react";

import { copyElements, pasteElements, removeElements } from "./lib/graph";
import type { FlowStore } from "./store";

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest(".ant-modal, .ant-drawer, .ant-select-dropdown, .ant-dropdown")) return true;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function useFlowShortcuts(store: FlowStore, saveNow: () => void, enabled: boolean, readOnly: boolean) {
  useEffect(() => {
    if (!enabled) return undefined;
    let pastes = 0;
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target)) return;
      const state = store.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === "s") {
        event.preventDefault();
        saveNow();
        return;
      }
      if (readOnly) return;
      if ((event.key === "Delete" || event.key === "Backspace") && (state.selection.nodes.length || state.selection.edges.length)) {
        event.preventDefault();
        state.run("delete", (doc) => removeElements(doc, state.selection.nodes, state.selection.edges), { select: { nodes: [], edges: [] } });
      } else if (mod && key === "z" && !event.shiftKey) {
        event.preventDefault();
        state.undo();
      } else if (mod && ((key === "z" && event.shiftKey) || key === "y")) {
        event.preventDefault();
        state.redo();
      } else if (mod && key === "c") {
        const clip = copyElements(state.doc, state.selection.nodes);
        if (clip) {
          state.setClipboard(clip);
          pastes = 0;
        }
      } else if (mod && key === "v" && state.clipboard) {
        event.preventDefault();
        pastes += 1;
        let pasted: string[] = [];
        const clip = state.clipboard;
        state.run("paste", (doc) => {
          const result = pasteElements(doc, clip, { x: 40 * pastes, y: 40 * pastes });
          pasted = result.ids;
          return result.doc;
        });
        state.select({ nodes: pasted, edges: [] });
      } else if (mod && key === "a") {
        event.preventDefault();
        state.select({ nodes: state.doc.nodes.map((node) => node.id), edges: state.doc.edges.map((edge) => edge.id) });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, saveNow, enabled, readOnly]);
}
