import { PlusOutlined, SearchOutlined } from "@ant-design/icons";
import { Button, Empty, Input } from "antd";
import { useDeferredValue, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { QueryState } from "../../../components/query-state";
import { displayName } from "../lib/names";
import { useEntries } from "../use-dictionary";
import { DisabledTag, KindTag } from "./kind-tag";

export function EntryList({ selected, onCreate }: { selected?: string; onCreate: () => void }) {
  const { t, i18n } = useTranslation("dictionary");
  const [text, setText] = useState("");
  const search = useDeferredValue(text.trim());
  const entries = useEntries(search);
  const list = entries.data?.entries ?? [];

  return (
    <nav className="qb-dict-panel qb-dict-list" aria-label={t("list.region")} data-testid="entry-list">
      <div className="qb-dict-list-search">
        <Input
          allowClear
          prefix={<SearchOutlined className="qb-dict-muted" />}
          placeholder={t("list.search")}
          aria-label={t("list.search")}
          value={text}
          onChange={(event) => setText(event.target.value)}
          data-testid="entry-search"
        />
      </div>
      <QueryState isLoading={entries.isLoading} error={entries.error} onRetry={() => void entries.refetch()} />
      {entries.data && list.length === 0 && (
        <div className="qb-dict-list-empty">
          {search ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("list.noMatch", { search })} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("list.empty")}>
              <Button icon={<PlusOutlined />} onClick={onCreate}>
                {t("entry.new")}
              </Button>
            </Empty>
          )}
        </div>
      )}
      {list.length > 0 && (
        <ul className="qb-dict-entries">
          {list.map((entry) => {
            const name = displayName(entry.name, entry.name_en, i18n.language);
            const active = entry.key === selected;
            return (
              <li key={entry.key}>
                <Link
                  to={`/dictionary/${entry.key}`}
                  className={active ? "qb-dict-entry qb-dict-entry-active" : "qb-dict-entry"}
                  aria-current={active ? "page" : undefined}
                  data-testid={`entry-${entry.key}`}
                >
                  <span className="qb-dict-entry-top">
                    <span className="qb-dict-entry-name">{name}</span>
                    <span className="qb-dict-entry-count">{t("list.optionCount", { count: entry.option_count })}</span>
                  </span>
                  <span className="qb-dict-entry-bottom">
                    <code className="qb-dict-key">{entry.key}</code>
                    <KindTag kind={entry.kind} />
                    {entry.enabled === false && <DisabledTag />}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      {entries.data && entries.data.total > list.length && (
        <div className="qb-dict-list-more">{t("list.more", { shown: list.length, total: entries.data.total })}</div>
      )}
    </nav>
  );
}
