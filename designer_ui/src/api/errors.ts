// The API answers every failure as {"error": {"code", "message", "details"}} (DESIGN.md).
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = "ApiError";
    this.status = status;
    this.code = body.code;
    this.details = body.details;
  }

  /** Field-level problems when details is {"field": ["message", ...]} (DRF validation). */
  fieldProblems(): FieldProblem[] {
    const details = this.details;
    if (!details || typeof details !== "object" || Array.isArray(details)) return [];
    return Object.entries(details as Record<string, unknown>).flatMap(([field, value]) => {
      if (Array.isArray(value)) return [{ field, messages: value.map((item) => messageOf(item)) }];
      if (typeof value === "string") return [{ field, messages: [value] }];
      return [];
    });
  }
}

function messageOf(item: unknown): string {
  if (typeof item === "string") return item;
  if (item && typeof item === "object" && "message" in item) return String((item as { message: unknown }).message);
  return JSON.stringify(item);
}

export function toApiError(status: number, payload: unknown, fallbackMessage: string): ApiError {
  if (payload && typeof payload === "object" && "error" in payload) {
    const error = (payload as { error: Partial<ApiErrorBody> }).error;
    return new ApiError(status, {
      code: error.code ?? "error",
      message: error.message ?? fallbackMessage,
      details: error.details,
    });
  }
  return new ApiError(status, { code: status === 0 ? "network_error" : "http_" + status, message: fallbackMessage });
}

/** A readable sentence for any thrown value (for message.error / Alert). */
export function errorMessage(error: unknown, fallback: string): string {
  if (error instanceof ApiError) return error.message || fallback;
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}
