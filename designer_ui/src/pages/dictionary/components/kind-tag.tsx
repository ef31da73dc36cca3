import { ApartmentOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Tag } from "antd";
import { useTranslation } from "react-i18next";

export function KindTag({ kind }: { kind: string }) {
  const { t } = useTranslation("dictionary");
  return kind === "tree" ? (
    <Tag color="purple" icon={<ApartmentOutlined />} className="qb-dict-tag">
      {t("kind.tree")}
    </Tag>
  ) : (
    <Tag icon={<UnorderedListOutlined />} className="qb-dict-tag">
      {t("kind.flat")}
    </Tag>
  );
}

export function DisabledTag() {
  const { t } = useTranslation("dictionary");
  return (
    <Tag className="qb-dict-tag" color="default">
      {t("state.disabled")}
    </Tag>
  );
}
