// The assignee rules of a task (or the recipients of a cc): a list of rule cards, each
// with the pickers its rule needs, fed by the org API.
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Dropdown, Input, InputNumber, Select, Space, Switch, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { localized } from "../../i18n";
import { UserPicker } from "../../pages/apps/components/org-pickers";
import { useRoles } from "../../pages/apps/use-apps";
import type { AssigneeRule, AssigneeRuleName } from "../../schema/flow";
import { useFlowEnv } from "../context";
import { ASSIGNEE_RULE_ORDER } from "../nodes/registry";
import { usePositions } from "../use-org-names";

function newRule(name: AssigneeRuleName): AssigneeRule {
  switch (name) {
    case "user":
      return { rule: "user", users: [] };
    case "role":
      return { rule: "role", role: "" };
    case "position":
      return { rule: "position", position: "" };
    case "dept_head":
      return { rule: "dept_head", levels: 1 };
    case "manager_chain":
      return { rule: "manager_chain", levels: 1 };
    case "form_field":
      return { rule: "form_field", field: "" };
    case "initiator_picks":
      return { rule: "initiator_picks", multiple: false };
    case "initiator":
      return { rule: "initiator" };
    case "previous_approver_manager":
      return { rule: "previous_approver_manager" };
    case "dynamic":
      return { rule: "dynamic", candidates: [], select: { var: "form.approver" } };
  }
}

export function RoleSelect({ value, onChange, testId, allowClear, placeholder }: {
  value?: string; onChange: (value: string | undefined) => void; testId: string; allowClear?: boolean; placeholder?: string;
}) {
  const { t, i18n } = useTranslation("flow");
  const roles = useRoles();
  const options = (roles.data ?? []).map((role) => ({ value: role.code, label: i18n.language === "en" && role.name_en ? role.name_en : role.name }));
  if (value && !options.some((option) => option.value === value)) options.push({ value, label: value });
  return (
    <Select showSearch={{ optionFilterProp: "label" }} value={value || undefined} onChange={onChange} options={options}
      loading={roles.isLoading} placeholder={placeholder ?? t("assignee.pickRole")} aria-label={placeholder ?? t("assignee.pickRole")}
      data-testid={testId} allowClear={allowClear}
      className="fl-full" />
  );
}

function PositionSelect({ value, onChange, testId }: { value?: string; onChange: (value: string) => void; testId: string }) {
  const { t, i18n } = useTranslation("flow");
  const positions = usePositions();
  const options = (positions.data ?? []).map((position) => ({
    value: position.code, label: i18n.language === "en" && position.name_en ? position.name_en : position.name,
  }));
  if (value && !options.some((option) => option.value === value)) options.push({ value, label: value });
  return (
    <Select showSearch={{ optionFilterProp: "label" }} value={value || undefined} onChange={onChange} options={options}
      loading={positions.isLoading} placeholder={t("assignee.pickPosition")} aria-label={t("assignee.pickPosition")} data-testid={testId} className="fl-full" />
  );
}

function RuleFields({ rule, onChange, testId }: { rule: AssigneeRule; onChange: (rule: AssigneeRule) => void; testId: string }) {
  const { t } = useTranslation("flow");
  const { form } = useFlowEnv();
  const [selectText, setSelectText] = useState(() => (rule.rule === "dynamic" ? JSON.stringify(rule.select) : ""));
  const [selectError, setSelectError] = useState(false);
  switch (rule.rule) {
    case "user":
      return (
        <UserPicker mode="multiple" value={rule.users.filter((id) => /^\d+$/.test(id)).map(Number)}
          onChange={(ids) => onChange({ ...rule, users: ids.map(String) })} placeholder={t("assignee.pickUsers")} ariaLabel={t("assignee.pickUsers")} testId={`${testId}-users`} />
      );
    case "role":
      return <RoleSelect value={rule.role} onChange={(role) => onChange({ ...rule, role: role ?? "" })} testId={`${testId}-role`} />;
    case "position":
      return <PositionSelect value={rule.position} onChange={(position) => onChange({ ...rule, position })} testId={`${testId}-position`} />;
    case "dept_head":
      return (
        <Space wrap size={8}>
          <span>{t("assignee.levelsUp")}</span>
          <InputNumber min={1} max={10} precision={0} value={rule.levels ?? 1} onChange={(levels) => onChange({ ...rule, levels: levels ?? 1 })}
            data-testid={`${testId}-levels`} aria-label={t("assignee.levelsUp")} style={{ width: 72 }} />
          <Select value={rule.vacant ?? "empty"} onChange={(vacant) => onChange({ ...rule, vacant })} style={{ width: 220 }}
            options={[{ value: "empty", label: t("assignee.vacantEmpty") }, { value: "up", label: t("assignee.vacantUp") }]}
            aria-label={t("assignee.vacant")} />
        </Space>
      );
    case "manager_chain":
      return (
        <Space orientation="vertical" size={6} className="fl-full">
          <Space size={8}>
            <span>{t("assignee.levels")}</span>
            <InputNumber min={1} max={20} precision={0} value={rule.levels ?? 1} onChange={(levels) => onChange({ ...rule, levels: levels ?? 1 })}
              aria-label={t("assignee.levels")} style={{ width: 72 }} data-testid={`${testId}-levels`} />
          </Space>
          <RoleSelect value={rule.until_role} allowClear placeholder={t("assignee.untilRole")}
            onChange={(role) => onChange(role ? { ...rule, until_role: role } : { rule: "manager_chain", levels: rule.levels })} testId={`${testId}-until`} />
        </Space>
      );
    case "form_field": {
      const options = Object.entries(form.fields)
        .filter(([, field]) => field["x-type"] === "user" || field["x-type"] === "department")
        .map(([key, field]) => ({ value: key, label: localized(field["x-label"]) || key }));
      const isDepartment = form.fields[rule.field]?.["x-type"] === "department";
      return (
        <Space orientation="vertical" size={6} className="fl-full">
          <Select value={rule.field || undefined} onChange={(field) => onChange({ ...rule, field })} options={options}
            placeholder={t("assignee.pickField")} aria-label={t("assignee.pickField")} notFoundContent={t("assignee.noPeopleFields")} data-testid={`${testId}-field`} className="fl-full" />
          {isDepartment && (
            <Space size={8}>
              <span>{t("assignee.levelsUp")}</span>
              <InputNumber min={1} max={10} precision={0} value={rule.levels ?? 1} onChange={(levels) => onChange({ ...rule, levels: levels ?? 1 })}
                aria-label={t("assignee.levelsUp")} style={{ width: 72 }} />
            </Space>
          )}
        </Space>
      );
    }
    case "initiator_picks":
      return (
        <Space orientation="vertical" size={6} className="fl-full">
          <Space size={8}>
            <Switch size="small" checked={Boolean(rule.multiple)} onChange={(multiple) => onChange({ ...rule, multiple })} aria-label={t("assignee.multiple")} />
            <span>{t("assignee.multiple")}</span>
          </Space>
          <RoleSelect value={rule.role} allowClear placeholder={t("assignee.picksRole")}
            onChange={(role) => onChange(role ? { ...rule, role } : { rule: "initiator_picks", multiple: rule.multiple })} testId={`${testId}-picks-role`} />
        </Space>
      );
    case "initiator":
      return <Typography.Text type="secondary">{t("assignee.initiatorHint")}</Typography.Text>;
    case "previous_approver_manager":
      return <Typography.Text type="secondary">{t("assignee.previousManagerHint")}</Typography.Text>;
    case "dynamic":
      return (
        <Space orientation="vertical" size={6} className="fl-full">
          <UserPicker mode="multiple" value={rule.candidates.filter((id) => /^\d+$/.test(id)).map(Number)}
            onChange={(ids) => onChange({ ...rule, candidates: ids.map(String) })} placeholder={t("assignee.candidates")} ariaLabel={t("assignee.candidates")} testId={`${testId}-candidates`} />
          <Input.TextArea value={selectText} autoSize={{ minRows: 2, maxRows: 6 }} status={selectError ? "error" : undefined}
            aria-label={t("assignee.selectRule")} placeholder='{"var": "form.approver"}' className="fl-mono"
            onChange={(event) => {
              setSelectText(event.target.value);
              try {
                onChange({ ...rule, select: JSON.parse(event.target.value) });
                setSelectError(false);
              } catch {
                setSelectError(true);
              }
            }} />
          {selectError && <Typography.Text type="danger">{t("assignee.selectInvalid")}</Typography.Text>}
        </Space>
      );
  }
}

/** A rule with every choice it needs made (only those are written to the flow). */
export function isComplete(rule: AssigneeRule): boolean {
  switch (rule.rule) {
    case "user":
      return rule.users.length > 0;
    case "role":
      return Boolean(rule.role);
    case "position":
      return Boolean(rule.position);
    case "form_field":
      return Boolean(rule.field);
    case "dynamic":
      return rule.candidates.length > 0 && rule.select !== undefined;
    default:
      return true;
  }
}

let cardCounter = 0;

/**
 * The rule cards. A card whose rule still lacks a choice (a role not picked yet) stays in
 * this editor and is not written to the flow, so the saved document is always one the
 * server accepts; undo and redo (a new `value` from outside) reset the cards.
 */
export function AssigneeEditor({ value, onChange, testId, emptyText }: {
  value: AssigneeRule[]; onChange: (rules: AssigneeRule[]) => void; testId: string; emptyText: string;
}) {
  const { t } = useTranslation("flow");
  const [cards, setCards] = useState(() => value.map((rule) => ({ key: ++cardCounter, rule })));
  const emitted = useRef(JSON.stringify(value));
  useEffect(() => {
    const incoming = JSON.stringify(value);
    if (incoming !== emitted.current) {
      emitted.current = incoming;
      setCards(value.map((rule) => ({ key: ++cardCounter, rule })));
    }
  }, [value]);
  const update = (next: Array<{ key: number; rule: AssigneeRule }>) => {
    setCards(next);
    const complete = next.map((card) => card.rule).filter(isComplete);
    const text = JSON.stringify(complete);
    if (text !== emitted.current) {
      emitted.current = text;
      onChange(complete);
    }
  };
  return (
    <div className="fl-assignees" data-testid={testId}>
      {cards.length === 0 && <div className="fl-empty-hint">{emptyText}</div>}
      {cards.map((card, index) => (
        <div className={isComplete(card.rule) ? "fl-rule-card" : "fl-rule-card fl-rule-pending"} key={card.key} data-testid={`${testId}-${index}`}>
          <div className="fl-rule-head">
            <Select value={card.rule.rule} size="small" variant="borderless" popupMatchSelectWidth={false} className="fl-rule-kind"
              onChange={(name: AssigneeRuleName) => update(cards.map((item) => (item.key === card.key ? { key: item.key, rule: newRule(name) } : item)))}
              options={ASSIGNEE_RULE_ORDER.map((name) => ({ value: name, label: t(`assigneeRule.${name}`) }))}
              data-testid={`${testId}-${index}-kind`} aria-label={t("assignee.kind")} />
            <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t("assignee.remove")}
              onClick={() => update(cards.filter((item) => item.key !== card.key))} />
          </div>
          <RuleFields key={card.rule.rule} rule={card.rule} testId={`${testId}-${index}`}
            onChange={(next) => update(cards.map((item) => (item.key === card.key ? { key: item.key, rule: next } : item)))} />
          {!isComplete(card.rule) && <div className="fl-rule-hint">{t("assignee.incomplete")}</div>}
        </div>
      ))}
      <Dropdown trigger={["click"]} menu={{
        items: ASSIGNEE_RULE_ORDER.map((name) => ({ key: name, label: t(`assigneeRule.${name}`), "data-testid": `${testId}-add-${name}` })),
        onClick: ({ key }) => update([...cards, { key: ++cardCounter, rule: newRule(key as AssigneeRuleName) }]),
      }}>
        <Button type="dashed" block icon={<PlusOutlined />} data-testid={`${testId}-add`}>{t("assignee.add")}</Button>
      </Dropdown>
    </div>
  );
}
