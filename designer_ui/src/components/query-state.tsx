import { Alert, Button, Skeleton } from "antd";
import { useTranslation } from "react-i18next";

import { errorMessage } from "../api/errors";

/** Loading skeleton or a readable error with Retry, for a react-query result. */
export function QueryState({
  isLoading,
  error,
  onRetry,
  rows = 4,
}: {
  isLoading: boolean;
  error: unknown;
  onRetry?: () => void;
  rows?: number;
}) {
  const { t } = useTranslation();
  if (isLoading) return <Skeleton active paragraph={{ rows }} />;
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        title={t("errors.loadFailed")}
        description={errorMessage(error, t("errors.loadFailed"))}
        action={
          onRetry && (
            <Button size="small" onClick={onRetry}>
              {t("actions.retry")}
            </Button>
          )
        }
      />
    );
  }
  return null;
}
