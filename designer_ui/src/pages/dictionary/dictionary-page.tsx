// 数据字典: entries on the left, the selected entry's options on the right. On phones the
// list (/dictionary) and the detail (/dictionary/:entryKey) are separate views.
import { PlusOutlined } from "@ant-design/icons";
import { Button, Empty, Grid } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";

import { hasPermission } from "../../app/boot";
import { useBoot } from "../../app/boot-context";
import { PageHeader } from "../../components/page-header";
import { EntryDetail } from "./components/entry-detail";
import { EntryFormModal } from "./components/entry-form-modal";
import { EntryList } from "./components/entry-list";
import { Forbidden } from "./components/forbidden";
import "./dictionary.css";

export function DictionaryPage() {
  const { t } = useTranslation("dictionary");
  const { user } = useBoot();
  const { entryKey } = useParams();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [creating, setCreating] = useState(false);

  if (!hasPermission(user, "dictionary.manage")) return <Forbidden />;

  const newButton = (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="entry-new">
      {t("entry.new")}
    </Button>
  );
  const modal = (
    <EntryFormModal
      open={creating}
      onClose={() => setCreating(false)}
      onCreated={(key) => {
        setCreating(false);
        navigate(`/dictionary/${key}`);
      }}
    />
  );

  if (phone && entryKey) {
    return (
      <div className="qb-dict qb-dict-phone" data-testid="dictionary-page">
        <EntryDetail entryKey={entryKey} phone onBack={() => navigate("/dictionary")} />
        {modal}
      </div>
    );
  }

  return (
    <div className="qb-dict" data-testid="dictionary-page">
      <PageHeader title={t("title")} extra={newButton}>
        {!phone && <span className="qb-dict-subtitle">{t("subtitle")}</span>}
      </PageHeader>
      <div className={phone ? "qb-dict-layout qb-dict-layout-phone" : "qb-dict-layout"}>
        <EntryList selected={entryKey} onCreate={() => setCreating(true)} />
        {!phone && (
          <section className="qb-dict-main" aria-label={t("detail.region")}>
            {entryKey ? (
              <EntryDetail entryKey={entryKey} phone={false} onBack={() => navigate("/dictionary")} />
            ) : (
              <div className="qb-dict-panel qb-dict-placeholder">
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("detail.pick")} />
              </div>
            )}
          </section>
        )}
      </div>
      {modal}
    </div>
  );
}
