import { createContext, useContext } from "react";
import { useStore } from "zustand";

import type { Issue } from "../api/types";
import type { PaletteEntry } from "./commands";
import type { DesignerState, DesignerStore } from "./store";

export interface DesignerEnv {
  store: DesignerStore;
  palette: PaletteEntry[];
  /** Verifier issues by field path ("budget", "companions.phone"). */
  issues: Map<string, Issue[]>;
}

export const DesignerContext = createContext<DesignerEnv | null>(null);

export function useDesignerEnv(): DesignerEnv {
  const env = useContext(DesignerContext);
  if (!env) throw new Error("useDesignerEnv outside the designer");
  return env;
}

export function useDesigner<T>(selector: (state: DesignerState) => T): T {
  return useStore(useDesignerEnv().store, selector);
}

export function paletteEntry(palette: PaletteEntry[], type: string): PaletteEntry | undefined {
  return palette.find((entry) => entry.type === type);
}
