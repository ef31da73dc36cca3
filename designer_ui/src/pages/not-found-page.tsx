import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t("errors.notFound")}
      subTitle={t("errors.notFoundHint")}
      extra={
        <Link to="/">
          <Button type="primary">{t("errors.backHome")}</Button>
        </Link>
      }
    />
  );
}
