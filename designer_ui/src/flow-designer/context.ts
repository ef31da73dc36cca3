// What the flow designer's parts share: the store, names for ids, verification issues and
// the simulation overlay, and the form the conditions and field rights read.
import { createContext, useContext } from "react";
import { useStore } from "zustand";

import type { Issue } from "../api/types";
import type { DesignerModel } from "../form-designer/model";
import type { DictionarySnapshot } from "../schema/form";
import type { Names } from "./lib/summary";
import type { FlowDesignerState, FlowStore } from "./store";

export interface SimOverlay {
  /** Node id → status and the people found (names). */
  nodes: Record<string, { status: string; people: string[]; order: number; current?: boolean }>;
  /** Edges the simulated request travels along. */
  edges: Set<string>;
}

export interface FlowDesignerEnv {
  store: FlowStore;
  names: Names;
  form: DesignerModel;
  dictionary: DictionarySnapshot;
  issuesByNode: Map<string, Issue[]>;
  issuesByEdge: Map<string, Issue[]>;
  sim: SimOverlay | null;
  readOnly: boolean;
}

export const FlowDesignerContext = createContext<FlowDesignerEnv | null>(null);

export function useFlowEnv(): FlowDesignerEnv {
  const env = useContext(FlowDesignerContext);
  if (!env) throw new Error("useFlowEnv outside FlowDesignerContext");
  return env;
}

export function useFlow<T>(selector: (state: FlowDesignerState) => T): T {
  return useStore(useFlowEnv().store, selector);
}
