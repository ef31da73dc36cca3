// The node palette: drag a node type onto the canvas (HTML drag and drop), or click it to
// add it in the middle of the view.
import { useReactFlow } from "@xyflow/react";
import { App as AntApp, Typography } from "antd";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";

import type { NodeType } from "../../schema/flow";
import { PALETTE_MIME } from "../canvas/flow-canvas";
import { NodeIcon } from "../canvas/node-icons";
import { useFlowEnv } from "../context";
import { addNode } from "../lib/graph";
import { sizeOf } from "../lib/layout";
import { NODE_TYPE_ORDER, nodeTypeUi, type PaletteGroup } from "../nodes/registry";

const GROUPS: PaletteGroup[] = ["people", "branch", "automation", "event"];

export function FlowPalette() {
  const { t } = useTranslation("flow");
  const { message } = AntApp.useApp();
  const { store, readOnly } = useFlowEnv();
  const flow = useReactFlow();

  const add = (type: NodeType) => {
    const state = store.getState();
    if (type === "start" && state.doc.nodes.some((node) => node.type === "start")) {
      void message.warning(t("connect.oneStart"));
      return;
    }
    const pane = document.querySelector(".fl-canvas")?.getBoundingClientRect();
    const center = pane ? flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 }) : { x: 0, y: 0 };
    const size = sizeOf(type);
    let id = "";
    state.run("add", (doc) => {
      const result = addNode(doc, type, { x: center.x - size.width / 2, y: center.y - size.height / 2 });
      id = result.id;
      return result.doc;
    });
    state.select({ nodes: [id], edges: [] });
  };

  return (
    <aside className="fl-palette" aria-label={t("palette.title")} data-testid="flow-palette">
      {GROUPS.map((group) => (
        <section key={group}>
          <Typography.Text type="secondary" className="fl-palette-group">{t(`palette.${group}`)}</Typography.Text>
          <div className="fl-palette-items">
            {NODE_TYPE_ORDER.filter((type) => nodeTypeUi(type).group === group).map((type) => (
              <button
                key={type}
                type="button"
                className="fl-palette-item"
                draggable={!readOnly}
                disabled={readOnly}
                onDragStart={(event) => {
                  event.dataTransfer.setData(PALETTE_MIME, type);
                  event.dataTransfer.effectAllowed = "copy";
                }}
                onClick={() => add(type)}
                title={t(`nodeTypes.${type}Hint`)}
                data-testid={`palette-${type}`}
                style={{ "--fl-accent": nodeTypeUi(type).color } as CSSProperties}
              >
                <span className="fl-palette-icon"><NodeIcon name={nodeTypeUi(type).icon} /></span>
                <span>{t(`nodeTypes.${type}`)}</span>
              </button>
            ))}
          </div>
        </section>
      ))}
      <Typography.Paragraph type="secondary" className="fl-palette-tip">{t("palette.tip")}</Typography.Paragraph>
    </aside>
  );
}
