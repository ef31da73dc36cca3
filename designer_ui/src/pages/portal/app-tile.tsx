import { StarFilled, StarOutlined } from "@ant-design/icons";
import { Button, Tooltip } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { AppIcon } from "../../components/app-icon";
import { appName, type PortalApp } from "./lib/portal";

/**
 * One app of the portal: a link to its start page, and (when ``onStar`` is given) a star
 * beside it — a sibling of the link, never inside it, so both stay separate touch targets.
 */
export function AppTile({
  app,
  testId,
  starred,
  onStar,
  showCategory = false,
}: {
  app: PortalApp;
  testId: string;
  starred?: boolean;
  onStar?: (on: boolean) => void;
  showCategory?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const name = appName(app, i18n.language);
  const starLabel = starred ? t("home.unstar", { name }) : t("home.star", { name });
  return (
    <div className="qb-app-tile-wrap">
      <Link to={`/start/${app.key}`} className="qb-app-tile" data-testid={testId}>
        <AppIcon icon={app.icon} name={app.name} />
        <span className="qb-app-tile-name">{name}</span>
        {showCategory && app.category && <span className="qb-app-tile-category">{app.category}</span>}
      </Link>
      {onStar && (
        <Tooltip title={starLabel}>
          <Button
            type="text"
            className={`qb-app-star${starred ? " is-starred" : ""}`}
            aria-label={starLabel}
            aria-pressed={starred ? "true" : "false"}
            data-testid={`star-${app.key}`}
            icon={starred ? <StarFilled /> : <StarOutlined />}
            onClick={() => onStar(!starred)}
          />
        </Tooltip>
      )}
    </div>
  );
}
