const PROBE_ORIGIN = "https://next.invalid";

function sameOrigin(target: string): URL | null {
  try {
    const url = new URL(target, PROBE_ORIGIN);
    return url.origin === PROBE_ORIGIN ? url : null;
  } catch {
    return null;
  }
}

/**
 * A safe post-sign-in target: a same-site path only, never another origin. Prefix checks miss what
 * browsers do (strip tab/CR/LF, read `\\` as `/`), so the target is resolved the way a browser would
 * and kept only if it stays on our origin; its decoded form must too, in case a proxy decodes it.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/")) return "/";
  const url = sameOrigin(next);
  if (!url) return "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return "/";
  }
  if (!sameOrigin(decoded)) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
