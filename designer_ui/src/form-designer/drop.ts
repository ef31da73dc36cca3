// Where a drop lands, as a command: pure, so it is tested without a browser.
import { addColumn, addField, moveColumn, moveField, type PaletteEntry } from "./commands";
import type { DragData, DropData } from "./dnd";
import { columnsOf, type DesignerModel, type FieldRef } from "./model";

export interface DropResult {
  model: DesignerModel;
  select?: FieldRef;
  refused?: "not_a_column";
}

/** Apply dropping `active` on `over`; `after` is true when it lands on the lower/right half. */
export function applyDrop(
  model: DesignerModel,
  active: DragData,
  over: DropData,
  after: boolean,
  palette: PaletteEntry[],
): DropResult | null {
  if (active.kind === "palette") {
    const entry = palette.find((candidate) => candidate.type === active.type);
    if (!entry) return null;
    if (over.kind === "table" || over.kind === "column") {
      if (!entry.capabilities.column_allowed) return { model, refused: "not_a_column" };
      const columns = Object.keys(columnsOf(model.fields[over.table]));
      const index = over.kind === "column" ? columns.indexOf(over.column) + (after ? 1 : 0) : columns.length;
      const result = addColumn(model, over.table, entry, index);
      return { model: result.model, select: { key: over.table, column: result.column } };
    }
    const section = model.sections.find((candidate) => candidate.id === over.sectionId);
    if (!section) return null;
    const index = over.kind === "field" ? section.fields.indexOf(over.key) + (after ? 1 : 0) : section.fields.length;
    const result = addField(model, entry, { sectionId: section.id, index });
    return { model: result.model, select: { key: result.key } };
  }
  if (active.kind === "field") {
    if (over.kind === "field") {
      if (over.key === active.key) return null;
      const section = model.sections.find((candidate) => candidate.id === over.sectionId);
      if (!section) return null;
      const index = section.fields.indexOf(over.key) + (after ? 1 : 0);
      return { model: moveField(model, active.key, { sectionId: section.id, index }), select: { key: active.key } };
    }
    if (over.kind === "section") {
      const section = model.sections.find((candidate) => candidate.id === over.sectionId);
      if (!section) return null;
      return { model: moveField(model, active.key, { sectionId: section.id, index: section.fields.length }), select: { key: active.key } };
    }
    return null;
  }
  if (active.kind === "column" && over.kind === "column" && over.table === active.table && over.column !== active.column) {
    const columns = Object.keys(columnsOf(model.fields[active.table]));
    const index = columns.indexOf(over.column) + (after ? 1 : 0);
    return { model: moveColumn(model, active.table, active.column, index), select: { key: active.table, column: active.column } };
  }
  return null;
}
