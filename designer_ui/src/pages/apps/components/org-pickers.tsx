import { Select, TreeSelect } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { useDebounced } from "../../../lib/use-debounced";
import { useDepartmentTree, useRoles, useUserSearch, useUsersById, type DepartmentNode } from "../use-apps";

interface TreeOption {
  value: number;
  title: string;
  children: TreeOption[];
}

function toTree(nodes: DepartmentNode[], english: boolean): TreeOption[] {
  return nodes.map((node) => ({
    value: node.id,
    title: english && node.name_en ? node.name_en : node.name,
    children: toTree((node.children ?? []) as unknown as DepartmentNode[], english),
  }));
}

export function DepartmentPicker({ value, onChange, id }: { value?: number[]; onChange?: (value: number[]) => void; id?: string }) {
  const { t, i18n } = useTranslation("apps");
  const tree = useDepartmentTree();
  const data = useMemo(() => toTree(tree.data ?? [], i18n.language === "en"), [tree.data, i18n.language]);
  return (
    <TreeSelect<number[]>
      id={id}
      multiple
      allowClear
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      value={value ?? []}
      onChange={(next) => onChange?.(next ?? [])}
      treeData={data}
      loading={tree.isLoading}
      placeholder={t("visibility.departmentsPlaceholder")}
      notFoundContent={tree.isLoading ? t("common:state.loading") : t("common:state.empty")}
      data-testid="visibility-departments"
      className="qb-apps-full"
    />
  );
}

export function RolePicker({ value, onChange, id }: { value?: string[]; onChange?: (value: string[]) => void; id?: string }) {
  const { t, i18n } = useTranslation("apps");
  const roles = useRoles();
  const options = (roles.data ?? []).map((role) => ({
    value: role.code,
    label: i18n.language === "en" && role.name_en ? role.name_en : role.name,
  }));
  // Codes that are not roles here any more still show (as their code) so they can be removed.
  for (const code of value ?? []) if (!options.some((option) => option.value === code)) options.push({ value: code, label: code });
  return (
    <Select
      id={id}
      mode="multiple"
      allowClear
      value={value ?? []}
      onChange={(next: string[]) => onChange?.(next)}
      options={options}
      loading={roles.isLoading}
      optionFilterProp="label"
      placeholder={t("visibility.rolesPlaceholder")}
      data-testid="visibility-roles"
      className="qb-apps-full"
    />
  );
}

type UserValue<M> = M extends "multiple" ? number[] : number | null;

export function UserPicker<M extends "multiple" | "single">({
  value,
  onChange,
  mode,
  id,
  placeholder,
  testId,
  ariaLabel,
}: {
  value?: UserValue<M>;
  onChange?: (value: UserValue<M>) => void;
  mode: M;
  id?: string;
  placeholder: string;
  testId: string;
  /** The accessible name where no <label> points at the picker (outside a named Form.Item). */
  ariaLabel?: string;
}) {
  const { t } = useTranslation("apps");
  const [search, setSearch] = useState("");
  const deferred = useDebounced(search.trim());
  const found = useUserSearch(deferred);
  const chosenIds = useMemo(
    () => (Array.isArray(value) ? value : value != null ? [value as number] : []),
    [value],
  );
  const chosen = useUsersById(chosenIds);
  const options = new Map<number, { value: number; label: string }>();
  const labelOf = (user: { name: string; username: string; department?: { name: string } | null }) =>
    user.department ? `${user.name}（${user.department.name}）` : user.name || user.username;
  chosen.forEach((result, index) => {
    const id = chosenIds[index];
    if (id === undefined) return;
    options.set(id, { value: id, label: result.data ? labelOf(result.data) : result.isError ? `#${id}` : t("common:state.loading") });
  });
  for (const user of found.data ?? []) if (!options.has(user.id)) options.set(user.id, { value: user.id, label: labelOf(user) });
  return (
    <Select
      id={id}
      mode={mode === "multiple" ? "multiple" : undefined}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={(mode === "multiple" ? (value ?? []) : (value ?? undefined)) as never}
      onChange={(next: unknown) => onChange?.((mode === "multiple" ? (next ?? []) : (next ?? null)) as UserValue<M>)}
      onBlur={() => setSearch("")}
      options={[...options.values()]}
      loading={found.isFetching}
      placeholder={placeholder}
      notFoundContent={found.isFetching ? t("common:state.loading") : t("visibility.noUsers")}
      data-testid={testId}
      aria-label={ariaLabel}
      className="qb-apps-full"
    />
  );
}
