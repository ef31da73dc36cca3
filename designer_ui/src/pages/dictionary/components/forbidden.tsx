import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

/** Shown to people without dictionary.manage who open the dictionary manager. */
export function Forbidden() {
  const { t } = useTranslation("dictionary");
  return (
    <Result
      status="403"
      title={t("forbidden.title")}
      subTitle={t("forbidden.hint")}
      extra={
        <Link to="/">
          <Button type="primary">{t("common:errors.backHome")}</Button>
        </Link>
      }
      data-testid="dictionary-forbidden"
    />
  );
}
