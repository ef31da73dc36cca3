// The import report of POST /api/v1/apps/import/ (runtime/definitions/services.py app_import).
export interface Unmapped {
  kind: string;
  value: string;
  where: string;
}

export interface ImportReport {
  key: string;
  requestedKey: string;
  keyChanged: boolean;
  unmapped: Unmapped[];
  restrictedToImporter: boolean;
  dictionary: {
    reused: string[];
    created: string[];
    missingEntries: string[];
    missingCodes: { entry: string; codes: string[]; added: string[] }[];
    labelDifferences: { entry: string; code: string }[];
  };
  errors: number;
  warnings: number;
}

function list<T>(value: unknown, map: (item: unknown) => T | null): T[] {
  return Array.isArray(value) ? value.map(map).filter((item): item is T => item !== null) : [];
}

const str = (value: unknown): string => (typeof value === "string" ? value : value == null ? "" : String(value));
const strings = (value: unknown): string[] => list(value, (item) => (item == null ? null : str(item)));

/** Read the report defensively: every part is optional on the wire. */
export function readImportReport(raw: unknown): ImportReport {
  const report = (raw && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const dictionary = (report.dictionary && typeof report.dictionary === "object" ? report.dictionary : {}) as Record<
    string,
    unknown
  >;
  const verification = (report.verification && typeof report.verification === "object"
    ? report.verification
    : {}) as Record<string, unknown>;
  return {
    key: str(report.key),
    requestedKey: str(report.requested_key),
    keyChanged: report.key_changed === true,
    unmapped: list(report.unmapped, (item) => {
      if (!item || typeof item !== "object") return null;
      const entry = item as Record<string, unknown>;
      return { kind: str(entry.kind), value: str(entry.value), where: str(entry.where) };
    }),
    restrictedToImporter: report.visibility_restricted_to_importer === true,
    dictionary: {
      reused: strings(dictionary.reused),
      created: strings(dictionary.created),
      missingEntries: strings(dictionary.missing_entries),
      missingCodes: list(dictionary.missing_codes, (item) => {
        if (!item || typeof item !== "object") return null;
        const entry = item as Record<string, unknown>;
        return { entry: str(entry.entry), codes: strings(entry.codes), added: strings(entry.added) };
      }),
      labelDifferences: list(dictionary.label_differences, (item) => {
        if (!item || typeof item !== "object") return null;
        const entry = item as Record<string, unknown>;
        return { entry: str(entry.entry), code: str(entry.code) };
      }),
    },
    errors: typeof verification.errors === "number" ? verification.errors : 0,
    warnings: typeof verification.warnings === "number" ? verification.warnings : 0,
  };
}

/** True when the report has nothing the importer needs to look at. */
export function importIsClean(report: ImportReport): boolean {
  const d = report.dictionary;
  return (
    !report.keyChanged &&
    report.unmapped.length === 0 &&
    !report.restrictedToImporter &&
    d.missingEntries.length === 0 &&
    d.missingCodes.every((item) => item.codes.length === item.added.length) &&
    d.labelDifferences.length === 0 &&
    report.errors === 0 &&
    report.warnings === 0
  );
}
