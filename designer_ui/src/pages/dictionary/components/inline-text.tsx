import { EditOutlined, LoadingOutlined } from "@ant-design/icons";
import { App, Input, type InputRef } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * Text that turns into an input when clicked (or Enter/Space on it): Enter or leaving the
 * field saves, Esc cancels. Required texts refuse to become empty.
 */
export function InlineText({
  value,
  onSave,
  label,
  required = false,
  maxLength = 200,
  placeholder,
  testId,
}: {
  value: string;
  onSave: (next: string) => Promise<void>;
  label: string;
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
  testId?: string;
}) {
  const { t } = useTranslation("dictionary");
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [saving, setSaving] = useState(false);
  const input = useRef<InputRef>(null);
  const button = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (editing) input.current?.focus({ cursor: "all" });
    else if (returnFocus.current) {
      returnFocus.current = false;
      button.current?.focus();
    }
  }, [editing]);

  const start = () => {
    setDraft(value);
    setEditing(true);
  };

  const finish = async (keepFocus: boolean) => {
    if (saving) return;
    const next = draft.trim();
    returnFocus.current = keepFocus;
    if (next === value) {
      setEditing(false);
      return;
    }
    if (required && !next) {
      message.warning(t("validation.labelRequired"));
      setEditing(false);
      return;
    }
    setSaving(true);
    try {
      await onSave(next);
      setEditing(false);
    } catch {
      // onSave showed the reason; keep the text so it can be fixed
      input.current?.focus();
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <Input
        ref={input}
        size="small"
        value={draft}
        maxLength={maxLength}
        aria-label={label}
        disabled={saving}
        suffix={saving ? <LoadingOutlined /> : <span />}
        onChange={(event) => setDraft(event.target.value)}
        onPressEnter={() => void finish(true)}
        onBlur={() => void finish(false)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.stopPropagation();
            returnFocus.current = true;
            setEditing(false);
          }
        }}
        data-testid={testId ? `${testId}-input` : undefined}
        className="qb-dict-inline-input"
      />
    );
  }
  return (
    <button
      ref={button}
      type="button"
      className="qb-dict-inline"
      onClick={start}
      aria-label={`${label}: ${value || t("options.empty")} — ${t("options.clickToEdit")}`}
      title={t("options.clickToEdit")}
      data-testid={testId}
    >
      <span className={value ? "qb-dict-inline-text" : "qb-dict-inline-text qb-dict-muted"}>{value || placeholder || "—"}</span>
      <EditOutlined className="qb-dict-inline-icon" aria-hidden="true" />
    </button>
  );
}
