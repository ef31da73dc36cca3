import type { DictionaryUsage } from "../../../api/types";
import { UsageLines } from "./usage-panel";

/** The body of a refused delete: the server's (or our) sentence and where it is used. */
export function InUseNotice({ text, usage, hint }: { text: string; usage?: DictionaryUsage | null; hint: string }) {
  return (
    <div className="qb-dict-in-use" data-testid="in-use-notice">
      <p>{text}</p>
      {usage && <UsageLines usage={usage} />}
      <p className="qb-dict-usage-hint">{hint}</p>
    </div>
  );
}
