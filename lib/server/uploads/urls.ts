const API_BASE = "/api/v1";

/** Stable URL paths of stored bytes: an upload, and a job's output. */
export const uploadContentPath = (uploadId: string) => `${API_BASE}/uploads/${uploadId}/content`;
export const jobOutputPath = (jobId: string) => `${API_BASE}/jobs/${jobId}/output`;

const OWN_FILE = new RegExp(
  `^${API_BASE}/(?:uploads/(upl_[0-9A-Z]{26})/content|jobs/(job_[0-9A-Z]{26})/output)$`,
);

export type OwnFileRef = { kind: "upload"; uploadId: string } | { kind: "output"; jobId: string };

/**
 * A URL naming bytes we store (an upload or a job output), matched by path: the same file is reachable
 * under every host this API answers on (mounted, standalone, behind a proxy). Ownership is checked by
 * the caller, so a foreign host with our path shape gains nothing.
 */
export function parseOwnFileUrl(url: string): OwnFileRef | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const match = OWN_FILE.exec(parsed.pathname);
  if (!match) return null;
  return match[1] ? { kind: "upload", uploadId: match[1] } : { kind: "output", jobId: match[2]! };
}
