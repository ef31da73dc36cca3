// The request's flow as a picture: the flow designer's canvas, read-only, with the steps
// already passed in green and the current one in blue (with who has it now).
import { ReactFlowProvider } from "@xyflow/react";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { FlowCanvas } from "../../flow-designer/canvas/flow-canvas";
import { FlowDesignerContext, type FlowDesignerEnv, type SimOverlay } from "../../flow-designer/context";
import { plainNames } from "../../flow-designer/lib/summary";
import { createFlowStore } from "../../flow-designer/store";
import { fromDocument } from "../../form-designer/model";
import type { InstanceView } from "./use-instance";
import "../../pages/flow-designer/flow-designer-page.css";

const DONE = new Set(["submitted", "resubmitted", "task_approved", "task_auto_approved", "task_rejected", "node_skipped", "gateway_decided", "cc_sent", "completed", "node_activated"]);

/** Steps passed (with who acted) and the current ones (with who has them). */
export function progressOverlay(view: Pick<InstanceView, "timeline" | "current_tasks" | "status">, edges: Array<{ id: string; source: string; target: string }>): SimOverlay {
  const nodes: SimOverlay["nodes"] = {};
  let order = 0;
  for (const entry of view.timeline) {
    if (!entry.node_id || !DONE.has(entry.type)) continue;
    const slot = (nodes[entry.node_id] ??= { status: entry.type, people: [], order: ++order });
    const actor = entry.actor?.name;
    if (actor && (entry.type === "task_approved" || entry.type === "task_rejected" || entry.type === "submitted" || entry.type === "resubmitted") && !slot.people.includes(actor)) {
      slot.people.push(actor);
    }
  }
  const running = view.status === "running" || view.status === "blocked";
  for (const task of running ? view.current_tasks : []) {
    const slot = (nodes[task.node_id] ??= { status: "current", people: [], order: ++order });
    slot.current = true;
    slot.people = [...new Set(view.current_tasks.filter((item) => item.node_id === task.node_id).map((item) => item.assignee.name))];
  }
  const taken = new Set(edges.filter((edge) => nodes[edge.source] && nodes[edge.target]).map((edge) => edge.id));
  return { nodes, edges: taken };
}

export function FlowDiagram({ view }: { view: InstanceView }) {
  const { t } = useTranslation("workspace");
  const diagram = (view as InstanceView & { diagram?: unknown }).diagram;
  const [store] = useState(() => {
    const created = createFlowStore();
    created.getState().load(diagram ?? null, 0);
    return created;
  });
  const form = useMemo(() => fromDocument(null), []);
  const overlay = useMemo(() => progressOverlay(view, store.getState().doc.edges), [view, store]);
  const env = useMemo<FlowDesignerEnv>(
    () => ({ store, names: plainNames, form, dictionary: {}, issuesByNode: new Map(), issuesByEdge: new Map(), sim: overlay, readOnly: true }),
    [store, form, overlay],
  );
  if (!diagram) return <div className="ws-diagram-empty">{t("instance.noDiagram")}</div>;
  return (
    <div className="ws-diagram" data-testid="flow-diagram">
      <ReactFlowProvider>
        <FlowDesignerContext.Provider value={env}>
          <FlowCanvas describeCondition={() => ""} compact />
        </FlowDesignerContext.Provider>
      </ReactFlowProvider>
    </div>
  );
}
