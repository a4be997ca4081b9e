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
