import type { Issue } from "../api/types";

/** The field path ("budget", "companions.phone") a verifier issue is about, if any. */
export function issuePath(issue: Pick<Issue, "field" | "pointer">): string | null {
  if (issue.field) return issue.field;
  const pointer = issue.pointer ?? "";
  const match = /^\/schema\/properties\/([^/]+)(?:\/items\/properties\/([^/]+))?/.exec(pointer);
  if (!match?.[1]) {
    const layout = /^\/ui_schema\/fields\/([^/]+)/.exec(pointer);
    return layout?.[1] ? decodePointer(layout[1]) : null;
  }
  const key = decodePointer(match[1]);
  return match[2] ? `${key}.${decodePointer(match[2])}` : key;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}
