// user / department pickers. The lists come from the API; in the designer's preview
// there may be no server (or no permission): failures are quiet and ids stay shown.
import { Select, Spin } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../api/client";
import type { WidgetProps } from "./types";
import { usePlaceholder } from "./use-placeholder";

interface Person {
  id: string;
  label: string;
}

/** Names seen so far (ids → labels), shared by every picker on the page. */
export const userNames = new Map<string, string>();
export const departmentNames = new Map<string, string>();
let departmentsLoad: Promise<Person[]> | null = null;

/** Search users by name (quiet: an empty list when the server is unavailable). */
export async function searchUsers(search: string, role?: string): Promise<Person[]> {
  try {
    const query: Record<string, unknown> = { search, page_size: 20, is_active: true };
    if (role) query.role = role;
    const page = await unwrap(api.GET("/api/v1/users/", { params: { query: query as never } }));
    return page.results.map((user) => {
      const id = String(user.id);
      const label = user.name || user.username;
      userNames.set(id, label);
      return { id, label };
    });
  } catch {
    return [];
  }
}

/** Departments, loaded once per page (quiet on failure; retried next time). */
export function loadDepartments(): Promise<Person[]> {
  departmentsLoad ??= unwrap(api.GET("/api/v1/departments/", { params: { query: { page_size: 500, is_active: true } as never } }))
    .then((page) =>
      page.results.map((department) => {
        const id = String(department.id);
        departmentNames.set(id, department.name);
        return { id, label: department.name };
      }),
    )
    .catch(() => {
      departmentsLoad = null;
      return [];
    });
  return departmentsLoad;
}

/** Look up the names of users not seen yet (quiet on failure: the ids stay shown). */
export async function loadUserNames(wanted: string[]): Promise<void> {
  const missing = [...new Set(wanted)].filter((id) => !userNames.has(id) && /^\d+$/.test(id)).slice(0, 100);
  if (!missing.length) return;
  try {
    const page = await unwrap(api.GET("/api/v1/users/", { params: { query: { ids: missing.join(","), page_size: 100 } as never } }));
    for (const user of page.results) userNames.set(String(user.id), user.name || user.username);
  } catch {
    // no server or no permission (the designer's preview): ids stay shown
  }
}

/**
 * Read-only person and department values show names: fetch the ones not known yet and
 * re-render when they arrive (returns a counter that changes then).
 */
export function useOrgNames(kind: string | undefined, value: unknown): number {
  const [loaded, setLoaded] = useState(0);
  const key = ids(value).join(",");
  useEffect(() => {
    if ((kind !== "user" && kind !== "department") || !key) return;
    const wanted = key.split(",");
    const names = kind === "user" ? userNames : departmentNames;
    if (wanted.every((id) => names.has(id))) return;
    let live = true;
    const load = kind === "user" ? loadUserNames(wanted) : loadDepartments().then(() => undefined);
    void load.then(() => {
      if (live) setLoaded((count) => count + 1);
    });
    return () => {
      live = false;
    };
  }, [kind, key]);
  return loaded;
}

function ids(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" && value ? [value] : [];
}

/** A searchable user picker (value: id string, or ids when `multiple`). */
export function UserPicker({
  id,
  value,
  onChange,
  multiple,
  role,
  placeholder,
  status,
  ariaLabel,
}: {
  id?: string;
  value: unknown;
  onChange: (value: unknown) => void;
  multiple: boolean;
  role?: string;
  placeholder?: string;
  status?: "error";
  ariaLabel?: string;
}) {
  const { t } = useTranslation("renderer");
  const [options, setOptions] = useState<Person[]>([]);
  const [loading, setLoading] = useState(false);
  const ticket = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (text: string) => {
    clearTimeout(timer.current);
    const mine = ++ticket.current;
    setLoading(true);
    timer.current = setTimeout(() => {
      void searchUsers(text, role).then((found) => {
        if (mine !== ticket.current) return;
        setOptions(found);
        setLoading(false);
      });
    }, 250);
  };

  const selected = ids(value);
  const merged = useMemo(() => {
    const out = [...options];
    for (const person of selected) if (!out.some((o) => o.id === person)) out.push({ id: person, label: userNames.get(person) ?? person });
    return out.map((o) => ({ value: o.id, label: o.label }));
  }, [options, selected]);

  return (
    <Select
      id={id}
      className="qb-fr-select"
      mode={multiple ? "multiple" : undefined}
      value={multiple ? selected : selected[0]}
      onChange={(next: string | string[] | undefined) => onChange(next)}
      options={merged}
      status={status}
      aria-label={ariaLabel}
      placeholder={placeholder ?? t("placeholder.searchUser")}
      allowClear
      showSearch={{ filterOption: false, onSearch: search }}
      onOpenChange={(open) => {
        if (open && options.length === 0) search("");
      }}
      notFoundContent={loading ? <Spin size="small" /> : t("org.noResults")}
    />
  );
}

export function UserWidget({ id, field, ui, value, onChange, status, ariaLabel }: WidgetProps) {
  const placeholder = usePlaceholder(ui, "select");
  return (
    <UserPicker
      id={id}
      value={value}
      onChange={onChange}
      multiple={field["x-multiple"] === true}
      placeholder={placeholder}
      status={status}
      ariaLabel={ariaLabel}
    />
  );
}

export function DepartmentWidget({ id, field, ui, value, onChange, status, ariaLabel }: WidgetProps) {
  const { t } = useTranslation("renderer");
  const placeholder = usePlaceholder(ui, "department");
  const [options, setOptions] = useState<Person[] | null>(null);
  const multiple = field["x-multiple"] === true;
  const selected = ids(value);
  const open = () => {
    if (options === null) void loadDepartments().then(setOptions);
  };
  const merged = [...(options ?? [])];
  for (const item of selected) if (!merged.some((o) => o.id === item)) merged.push({ id: item, label: departmentNames.get(item) ?? item });
  return (
    <Select
      id={id}
      className="qb-fr-select"
      mode={multiple ? "multiple" : undefined}
      value={multiple ? selected : selected[0]}
      onChange={(next: string | string[] | undefined) => onChange(next)}
      options={merged.map((o) => ({ value: o.id, label: o.label }))}
      status={status}
      aria-label={ariaLabel}
      placeholder={placeholder}
      allowClear
      showSearch={{ optionFilterProp: "label" }}
      onOpenChange={(isOpen) => isOpen && open()}
      onFocus={open}
      notFoundContent={options === null ? <Spin size="small" /> : t("org.noResults")}
    />
  );
}
