// Keyboard shortcuts of the designer (listed in the toolbar's help):
// Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z or Ctrl+Y redo, Ctrl/⌘+S save, Ctrl/⌘+D copy the selected
// field, Delete/Backspace delete it, Escape clears the selection. Typing in inputs is left alone
// except for save.
import { useEffect } from "react";

import { duplicateField, removeField } from "./commands";
import type { FieldRef } from "./model";
import { fieldsReading } from "./references";
import type { DesignerStore } from "./store";

/** A dialog or a masked drawer is open (closed antd dialogs stay in the DOM, hidden). */
function overlayOpen(): boolean {
  return [...document.querySelectorAll(".ant-modal-wrap, .ant-drawer-mask")].some(
    (element) => element.getClientRects().length > 0,
  );
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest(".ant-select") !== null;
}

export function useShortcuts(store: DesignerStore, save: () => void, enabled: boolean, onDeleted?: (ref: FieldRef, readers: string[]) => void) {
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === "s") {
        event.preventDefault();
        save();
        return;
      }
      if (typing(event.target) || overlayOpen()) return;
      const state = store.getState();
      if (mod && key === "z" && !event.shiftKey) {
        event.preventDefault();
        state.undo();
      } else if ((mod && key === "z" && event.shiftKey) || (mod && key === "y")) {
        event.preventDefault();
        state.redo();
      } else if (state.selection?.kind === "field" && (event.key === "Delete" || event.key === "Backspace")) {
        event.preventDefault();
        const ref = state.selection.ref;
        const readers = fieldsReading(state.model, ref);
        state.run("delete", (model) => removeField(model, ref), { select: null });
        onDeleted?.(ref, readers);
      } else if (state.selection?.kind === "field" && mod && key === "d") {
        event.preventDefault();
        const ref = state.selection.ref;
        let next: FieldRef = ref;
        state.run("copy", (model) => {
          const result = duplicateField(model, ref);
          next = result.ref;
          return result.model;
        });
        store.getState().select({ kind: "field", ref: next });
      } else if (event.key === "Escape") {
        state.select(null);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store, save, enabled, onDeleted]);
}
