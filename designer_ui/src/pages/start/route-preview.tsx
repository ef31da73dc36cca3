// Who will handle the request (审批流程预览): the server simulates the published flow for
// the person filling the form, as they type (debounced), and says who approves at each step.
import { ApartmentOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Skeleton, Steps, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { localized } from "../../i18n";
import { useDebounced } from "../../lib/use-debounced";

interface PreviewStep {
  node_id: string;
  type: string;
  name: { zh?: string; en?: string };
  mode: string | null;
  people: Array<{ id: string; name: string }>;
  auto_approved: boolean;
}

interface Preview {
  steps: PreviewStep[];
  complete: boolean;
  needs_more: boolean;
  blocked: boolean;
  message: string | null;
}

export function RoutePreview({ appKey, data, urgent, picks }: {
  appKey: string;
  data: Record<string, unknown>;
  urgent: boolean;
  picks: Record<string, string[]>;
}) {
  const { t, i18n } = useTranslation("start");
  const body = useDebounced(JSON.stringify({ data, urgent, picks }), 700);
  const preview = useQuery({
    queryKey: ["route-preview", appKey, body],
    queryFn: async () =>
      (await unwrap(api.POST("/api/v1/apps/{key}/route-preview/", { params: { path: { key: appKey } }, body: JSON.parse(body) as never }))) as unknown as Preview,
    placeholderData: (previous) => previous,
    staleTime: 30_000,
  });
  const result = preview.data;
  return (
    <Card className="qb-start-card" size="small" data-testid="route-preview"
      title={<span><ApartmentOutlined /> {t("route.title")}</span>}>
      {preview.isLoading && <Skeleton active paragraph={{ rows: 2 }} title={false} />}
      {preview.error && !result && <Typography.Text type="secondary">{errorMessage(preview.error, t("route.failed"))}</Typography.Text>}
      {result && (
        <>
          {result.steps.length > 0 ? (
            <Steps
              orientation="vertical"
              size="small"
              current={-1}
              className="qb-route-steps"
              items={result.steps.map((step) => ({
                title: localized(step.name, i18n.language) || step.node_id,
                description: (
                  <span data-testid={`route-step-${step.node_id}`}>
                    {step.people.length ? step.people.map((person) => person.name).join("、") : t("route.nobody")}
                    {step.type === "cc" && <Typography.Text type="secondary">（{t("route.cc")}）</Typography.Text>}
                    {step.auto_approved && <Typography.Text type="secondary">（{t("route.auto")}）</Typography.Text>}
                  </span>
                ),
              }))}
            />
          ) : (
            <Typography.Text type="secondary">{t("route.none")}</Typography.Text>
          )}
          {result.needs_more && <Typography.Paragraph type="secondary" className="qb-route-more">{t("route.needsMore")}</Typography.Paragraph>}
          {result.blocked && <Alert type="warning" showIcon title={t("route.blocked")} description={result.message ?? undefined} />}
        </>
      )}
    </Card>
  );
}
