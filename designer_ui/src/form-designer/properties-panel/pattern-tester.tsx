import { CheckCircleFilled, CloseCircleFilled } from "@ant-design/icons";
import { Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/** A regular expression with a live test box (the server checks patterns for safety on publish). */
export function PatternTester({ pattern, onChange }: { pattern: string | undefined; onChange: (pattern: string | undefined) => void }) {
  const { t } = useTranslation("designer");
  const [sample, setSample] = useState("");
  let regex: RegExp | null = null;
  let invalid = false;
  if (pattern) {
    try {
      regex = new RegExp(pattern, "u");
    } catch {
      invalid = true;
    }
  }
  const matches = regex && sample ? regex.test(sample) : null;
  return (
    <div className="fd-pattern">
      <Input
        value={pattern ?? ""}
        placeholder="^1[3-9]\d{9}$"
        className="fd-mono"
        status={invalid ? "error" : undefined}
        onChange={(event) => onChange(event.target.value || undefined)}
        aria-label={t("props.pattern")}
        data-testid="pattern-input"
      />
      {invalid && <div className="fd-issue-text">{t("props.patternInvalid")}</div>}
      <Input
        value={sample}
        onChange={(event) => setSample(event.target.value)}
        placeholder={t("props.patternSample")}
        aria-label={t("props.patternSample")}
        disabled={!regex}
        data-testid="pattern-sample"
        suffix={
          matches === null ? null : matches ? (
            <span className="fd-pattern-ok"><CheckCircleFilled /> {t("props.patternMatch")}</span>
          ) : (
            <span className="fd-pattern-bad"><CloseCircleFilled /> {t("props.patternNoMatch")}</span>
          )
        }
      />
    </div>
  );
}
