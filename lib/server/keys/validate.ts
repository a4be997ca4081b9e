import { DomainError } from "../errors";
import type { EntryResult } from "./entry-result";
import { parseIpEntry } from "./ips";
import { parseOriginEntry } from "./origins";

type FieldIssue = { path: string; message: string };

function normaliseList(
  field: string,
  list: readonly string[] | undefined,
  parse: (entry: string) => EntryResult,
  issues: FieldIssue[],
): string[] | undefined {
  if (list === undefined) return undefined;
  const out: string[] = [];
  list.forEach((entry, i) => {
    const result = parse(entry);
    if (!result.ok) issues.push({ path: `${field}.${i}`, message: result.message });
    else if (!out.includes(result.value)) out.push(result.value);
  });
  return out;
}

/**
 * Normalises both allowlists, or throws one `invalid_request` naming every bad entry by its path
 * (`allowed_ips.2`), so a form can mark each one.
 */
export function normaliseAllowlists(input: {
  allowed_origins?: readonly string[];
  allowed_ips?: readonly string[];
}) {
  const issues: FieldIssue[] = [];
  const allowedOrigins = normaliseList("allowed_origins", input.allowed_origins, parseOriginEntry, issues);
  const allowedIps = normaliseList("allowed_ips", input.allowed_ips, parseIpEntry, issues);
  if (issues.length) {
    throw new DomainError("invalid_request", {
      message: "Some allowlist entries are not valid.",
      details: { fields: issues },
    });
  }
  return { allowedOrigins, allowedIps };
}

export function invalidField(path: string, message: string): DomainError {
  return new DomainError("invalid_request", { details: { fields: [{ path, message }] } });
}
