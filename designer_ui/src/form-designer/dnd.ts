// What is dragged and where it may land (dnd-kit `data` of draggables and droppables).
export type DragData =
  | { kind: "palette"; type: string }
  | { kind: "field"; key: string; sectionId: string }
  | { kind: "column"; table: string; column: string };

export type DropData =
  | { kind: "field"; key: string; sectionId: string }
  | { kind: "section"; sectionId: string }
  | { kind: "table"; table: string }
  | { kind: "column"; table: string; column: string };

export const paletteId = (type: string) => `palette:${type}`;
export const fieldId = (key: string) => `field:${key}`;
export const sectionId = (id: string) => `section:${id}`;
export const tableId = (key: string) => `table:${key}`;
export const columnId = (table: string, column: string) => `column:${table}.${column}`;
