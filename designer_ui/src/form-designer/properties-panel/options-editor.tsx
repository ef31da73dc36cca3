import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Input, Radio, Select, Switch, Tag, Tooltip } from "antd";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../api/client";
import type { DictionaryEntry, DictionaryOption } from "../../api/types";
import { localized } from "../../i18n";
import type { FieldSchema, OptionDef } from "../../schema/form";

export function useDictionaryEntries() {
  return useQuery({
    queryKey: ["dictionary", "entries", "all"],
    queryFn: async () => {
      const page = await unwrap(api.GET("/api/v1/dictionary/entries/", { params: { query: { page_size: 200 } } }));
      return page.results as DictionaryEntry[];
    },
    staleTime: 60_000,
  });
}

export function useDictionaryOptions(entryKey: string | undefined) {
  return useQuery({
    queryKey: ["dictionary", "options", entryKey],
    enabled: Boolean(entryKey),
    queryFn: async () => {
      const data = await unwrap(
        api.GET("/api/v1/dictionary/entries/{entry_key}/options/", {
          params: { path: { entry_key: entryKey ?? "" }, query: { page_size: 200 } as never },
        }),
      );
      const list = Array.isArray(data) ? data : (data as { results?: DictionaryOption[] }).results ?? [];
      return list as DictionaryOption[];
    },
    staleTime: 60_000,
  });
}

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;

function nextCode(options: OptionDef[]): string {
  for (let n = options.length + 1; ; n += 1) {
    const code = `option${n}`;
    if (!options.some((option) => option.code === code)) return code;
  }
}

/** Options of a choice field: inline codes with zh/en labels, or a data-dictionary entry. */
export function OptionsEditor({ field, onChange }: { field: FieldSchema; onChange: (update: (field: FieldSchema) => FieldSchema) => void }) {
  const { t } = useTranslation("designer");
  const entries = useDictionaryEntries();
  const fromDictionary = field["x-dictionary"] !== undefined;
  const dictionaryOptions = useDictionaryOptions(field["x-dictionary"]);
  const options = field["x-options"] ?? [];
  const setOptions = (next: OptionDef[]) => onChange((current) => ({ ...current, "x-options": next, enum: undefined }));
  const duplicates = new Set(options.map((option) => option.code).filter((code, index, all) => all.indexOf(code) !== index));

  return (
    <div className="fd-options">
      <Radio.Group
        value={fromDictionary ? "dictionary" : "inline"}
        optionType="button"
        size="small"
        onChange={(event) =>
          onChange((current) =>
            event.target.value === "dictionary"
              ? { ...current, "x-options": undefined, enum: undefined, "x-dictionary": entries.data?.[0]?.key ?? "" }
              : {
                  ...current,
                  "x-dictionary": undefined,
                  enum: undefined,
                  "x-options": [
                    { code: "option1", label: { zh: "选项1", en: "Option 1" } },
                    { code: "option2", label: { zh: "选项2", en: "Option 2" } },
                  ],
                },
          )
        }
        options={[
          { value: "inline", label: t("props.options.inline") },
          { value: "dictionary", label: t("props.options.dictionary") },
        ]}
      />
      {fromDictionary ? (
        <div className="fd-options-dictionary">
          <Select
            showSearch
            value={field["x-dictionary"] || undefined}
            placeholder={t("props.options.pickEntry")}
            loading={entries.isLoading}
            optionFilterProp="label"
            onChange={(key: string) => onChange((current) => ({ ...current, "x-dictionary": key }))}
            options={(entries.data ?? []).map((entry) => ({
              value: entry.key,
              label: `${entry.name} (${entry.key})`,
            }))}
            aria-label={t("props.options.pickEntry")}
            data-testid="dictionary-select"
            style={{ width: "100%" }}
          />
          {entries.error && <Alert type="error" showIcon title={t("props.options.entriesFailed")} />}
          <div className="fd-options-preview">
            {(dictionaryOptions.data ?? []).slice(0, 12).map((option) => (
              <Tag key={option.code} color={option.enabled === false ? undefined : "blue"}>
                {localized({ zh: option.label, en: option.label_en || option.label })} · {option.code}
              </Tag>
            ))}
            {dictionaryOptions.data && dictionaryOptions.data.length > 12 && (
              <span className="fd-muted">{t("props.options.more", { count: dictionaryOptions.data.length - 12 })}</span>
            )}
          </div>
        </div>
      ) : (
        <div className="fd-options-list">
          {options.map((option, index) => {
            const codeInvalid = !CODE.test(option.code) || duplicates.has(option.code);
            const update = (patch: Partial<OptionDef>) =>
              setOptions(options.map((candidate, position) => (position === index ? { ...candidate, ...patch } : candidate)));
            return (
              <div key={index} className="fd-option-row">
                <Input
                  size="small"
                  value={option.code}
                  status={codeInvalid ? "error" : undefined}
                  onChange={(event) => update({ code: event.target.value.trim() })}
                  aria-label={t("props.options.code")}
                  placeholder={t("props.options.code")}
                  className="fd-option-code"
                />
                <Input size="small" value={option.label.zh ?? ""} placeholder="中文"
                  onChange={(event) => update({ label: { ...option.label, zh: event.target.value } })} aria-label={t("props.options.labelZh")} />
                <Input size="small" value={option.label.en ?? ""} placeholder="English"
                  onChange={(event) => update({ label: { ...option.label, en: event.target.value } })} aria-label={t("props.options.labelEn")} />
                <Tooltip title={t("props.options.enabled")}>
                  <Switch size="small" checked={option.enabled !== false} onChange={(checked) => update({ enabled: checked ? undefined : false })}
                    aria-label={t("props.options.enabled")} />
                </Tooltip>
                <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={index === 0} aria-label={t("props.options.up")}
                  onClick={() => { const next = [...options]; const [moved] = next.splice(index, 1); if (moved) next.splice(index - 1, 0, moved); setOptions(next); }} />
                <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={index === options.length - 1} aria-label={t("props.options.down")}
                  onClick={() => { const next = [...options]; const [moved] = next.splice(index, 1); if (moved) next.splice(index + 1, 0, moved); setOptions(next); }} />
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("props.options.remove")}
                  onClick={() => setOptions(options.filter((_, position) => position !== index))} />
              </div>
            );
          })}
          {duplicates.size > 0 && <div className="fd-issue-text">{t("props.options.duplicate")}</div>}
          <Button size="small" type="dashed" icon={<PlusOutlined />}
            onClick={() => setOptions([...options, { code: nextCode(options), label: { zh: `选项${options.length + 1}`, en: `Option ${options.length + 1}` } }])}>
            {t("props.options.add")}
          </Button>
        </div>
      )}
    </div>
  );
}
