// Keyboard: Delete removes the selection, Ctrl+C / Ctrl+V copy and paste nodes, Ctrl+Z /
// Ctrl+Shift+Z (or Ctrl+Y) undo and redo, Ctrl+A selects everything, Ctrl+S saves now.
// Typing in an input or a dialog is left alone.
import { useEffect, useRef } from "react";

import { copyElements, pasteElements, removeElements } from "./lib/graph";
import type { FlowStore } from "./store";

/** Delete, copy, paste and select-all act on the canvas only (not after clicking a switch in the panel). */
function onCanvas(target: EventTarget | null): boolean {
  return !(target instanceof HTMLElement) || target === document.body || target.closest(".fl-canvas") !== null;
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest(".ant-modal, .ant-drawer, .ant-select-dropdown, .ant-dropdown")) return true;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function useFlowShortcuts(store: FlowStore, saveNow: () => void, enabled: boolean, readOnly: boolean) {
  // Each paste of the same copy lands a step further down and right.
  const pastes = useRef(0);
  useEffect(() => {
    if (!enabled) return undefined;
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
      const canvas = onCanvas(event.target);
      if (canvas && (event.key === "Delete" || event.key === "Backspace") && (state.selection.nodes.length || state.selection.edges.length)) {
        event.preventDefault();
        state.run("delete", (doc) => removeElements(doc, state.selection.nodes, state.selection.edges), { select: { nodes: [], edges: [] } });
      } else if (mod && key === "z" && !event.shiftKey) {
        event.preventDefault();
        state.undo();
      } else if (mod && ((key === "z" && event.shiftKey) || key === "y")) {
        event.preventDefault();
        state.redo();
      } else if (canvas && mod && key === "c") {
        const clip = copyElements(state.doc, state.selection.nodes);
        if (clip) {
          state.setClipboard(clip);
          pastes.current = 0;
        }
      } else if (canvas && mod && key === "v" && state.clipboard) {
        event.preventDefault();
        pastes.current += 1;
        const shift = 40 * pastes.current;
        let pasted: string[] = [];
        const clip = state.clipboard;
        state.run("paste", (doc) => {
          const result = pasteElements(doc, clip, { x: shift, y: shift });
          pasted = result.ids;
          return result.doc;
        });
        state.select({ nodes: pasted, edges: [] });
      } else if (canvas && mod && key === "a") {
        event.preventDefault();
        state.select({ nodes: state.doc.nodes.map((node) => node.id), edges: state.doc.edges.map((edge) => edge.id) });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, saveNow, enabled, readOnly]);
}
