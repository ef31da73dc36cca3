import type { DictionarySnapshot, FieldSchema, FieldUi } from "../../schema/form";

/** The current user, for signatures (from the BootContext or the renderer's prop). */
export interface RendererUser {
  id: string;
  name?: string;
}

/** What every widget receives. */
export interface WidgetProps {
  /** Element id (labels point at it). */
  id: string;
  field: FieldSchema;
  ui: FieldUi;
  value: unknown;
  onChange: (value: unknown) => void;
  dictionary?: DictionarySnapshot;
  device: "desktop" | "phone";
  status?: "error";
  /** Inside a sub-table cell: compact, no placeholder noise. */
  compact?: boolean;
  currentUser?: RendererUser | null;
  /** Accessible name when the visible label is elsewhere (table cells). */
  ariaLabel?: string;
}
