import { CheckCircleFilled, CloseCircleFilled, WarningFilled } from "@ant-design/icons";
import { Input } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

type Verdict = "match" | "no_match" | "invalid" | "too_slow" | null;

const TIMEOUT_MS = 250;
const DEBOUNCE_MS = 200;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern); // same flags as the renderer's check (none)
    return true;
  } catch {
    return false;
  }
}

/** Test a pattern in a worker with a time limit: a catastrophic pattern cannot hang the page. */
function usePatternVerdict(pattern: string | undefined, sample: string): Verdict {
  const [verdict, setVerdict] = useState<Verdict>(null);
  const worker = useRef<Worker | null>(null);
  const sequence = useRef(0);
  useEffect(() => {
    if (!pattern || !sample || !compiles(pattern)) {
      setVerdict(null);
      return undefined;
    }
    const id = ++sequence.current;
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const debounce = setTimeout(() => {
      if (typeof Worker === "undefined") return;
      worker.current ??= new Worker(new URL("./pattern-worker.ts", import.meta.url), { type: "module" });
      const current = worker.current;
      current.onmessage = (event: MessageEvent<{ id: number; result: Verdict }>) => {
        if (event.data.id !== sequence.current) return;
        clearTimeout(timeout);
        setVerdict(event.data.result);
      };
      timeout = setTimeout(() => {
        current.terminate(); // stuck in backtracking: start a fresh worker next time
        if (worker.current === current) worker.current = null;
        if (id === sequence.current) setVerdict("too_slow");
      }, TIMEOUT_MS);
      current.postMessage({ id, pattern, sample });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(debounce);
      clearTimeout(timeout);
    };
  }, [pattern, sample]);
  useEffect(() => () => worker.current?.terminate(), []);
  return verdict;
}

/** A regular expression with a live test box (the server checks patterns for safety on publish). */
export function PatternTester({ pattern, onChange }: { pattern: string | undefined; onChange: (pattern: string | undefined) => void }) {
  const { t } = useTranslation("designer");
  const [sample, setSample] = useState("");
  const invalid = Boolean(pattern) && !compiles(pattern ?? "");
  const verdict = usePatternVerdict(pattern, sample);
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
        disabled={!pattern || invalid}
        data-testid="pattern-sample"
        suffix={
          verdict === "match" ? (
            <span className="fd-pattern-ok"><CheckCircleFilled /> {t("props.patternMatch")}</span>
          ) : verdict === "no_match" ? (
            <span className="fd-pattern-bad"><CloseCircleFilled /> {t("props.patternNoMatch")}</span>
          ) : verdict === "too_slow" ? (
            <span className="fd-pattern-bad"><WarningFilled /> {t("props.patternTooSlow")}</span>
          ) : null
        }
      />
    </div>
  );
}
