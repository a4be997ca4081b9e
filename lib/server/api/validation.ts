import type { ZodError } from "zod";
import { DomainError } from "../errors";

/** zod issues → `invalid_request` with one `{path, message}` per failed field (`allowed_ips.2`). */
export function validationError(error: ZodError, target?: string): DomainError {
  const fields = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || (target === "json" ? "body" : (target ?? "")),
    message: issue.message,
  }));
  return new DomainError("invalid_request", { details: { fields } });
}

const NUL_MESSAGE = "Must not contain the NUL character (\\u0000).";

/**
 * Validated input that Postgres cannot store: text with a NUL character (U+0000) anywhere, in a path
 * id, a query value or a JSON string. Refused as invalid_request, field by field, before any query.
 */
export function unstorableTextError(data: unknown, target?: string): DomainError | null {
  const fields: { path: string; message: string }[] = [];
  const walk = (value: unknown, path: string[], depth: number) => {
    if (fields.length >= 20 || depth > 64) return;
    if (typeof value === "string") {
      if (value.includes("\u0000")) {
        fields.push({
          path: path.join(".") || (target === "json" ? "body" : (target ?? "")),
          message: NUL_MESSAGE,
        });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, String(i)], depth + 1));
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k], depth + 1);
    }
  };
  walk(data, [], 0);
  return fields.length ? new DomainError("invalid_request", { details: { fields } }) : null;
}

/** The same refusal when text with a NUL reached the database anyway (SQLSTATE 22021). */
export function unstorableTextFromDatabase(): DomainError {
  return new DomainError("invalid_request", {
    message: "Text in this request cannot be stored: it contains the NUL character (\\u0000).",
    details: { fields: [{ path: "", message: NUL_MESSAGE }] },
  });
}
