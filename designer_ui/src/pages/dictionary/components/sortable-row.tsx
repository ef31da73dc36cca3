// A table row that dnd-kit can move; only its handle (DragHandle) starts a drag, so the
// inline editors and switches in the row keep working with mouse and keyboard.
import { HolderOutlined } from "@ant-design/icons";
import type { DraggableAttributes, DraggableSyntheticListeners } from "@dnd-kit/core";
import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Button } from "antd";
import { createContext, type CSSProperties, type HTMLAttributes, useContext, useMemo } from "react";

interface HandleProps {
  setActivatorNodeRef?: (element: HTMLElement | null) => void;
  listeners?: DraggableSyntheticListeners;
  attributes?: DraggableAttributes;
  disabled?: boolean;
}

const HandleContext = createContext<HandleProps>({});

export function SortableRow(props: HTMLAttributes<HTMLTableRowElement> & { "data-row-key"?: string }) {
  const id = props["data-row-key"] ?? "";
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id });
  const style: CSSProperties = {
    ...props.style,
    transform: CSS.Translate.toString(transform),
    transition,
    ...(isDragging ? { position: "relative", zIndex: 9, background: "#fff", boxShadow: "0 6px 16px rgba(15, 23, 42, 0.12)" } : {}),
  };
  const handle = useMemo(() => ({ setActivatorNodeRef, listeners, attributes }), [setActivatorNodeRef, listeners, attributes]);
  return (
    <HandleContext.Provider value={handle}>
      <tr {...props} ref={setNodeRef} style={style} />
    </HandleContext.Provider>
  );
}

export function DragHandle({ label, disabled }: { label: string; disabled?: boolean }) {
  const { setActivatorNodeRef, listeners, attributes } = useContext(HandleContext);
  return (
    <Button
      type="text"
      size="small"
      icon={<HolderOutlined />}
      className="qb-dict-handle"
      ref={setActivatorNodeRef}
      disabled={disabled}
      {...(disabled ? {} : attributes)}
      {...(disabled ? {} : listeners)}
      aria-label={label}
      title={label}
    />
  );
}
