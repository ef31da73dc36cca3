import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

/** Shown to people without apps.design / apps.publish who open an app-management address. */
export function Forbidden() {
  const { t } = useTranslation("apps");
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
      data-testid="apps-forbidden"
    />
  );
}
