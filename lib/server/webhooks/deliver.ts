import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { performance } from "node:perf_hooks";
import type { Resolved } from "./address";

/** What one HTTP attempt came to. */
export type SendOutcome = {
  statusCode: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
  responseHeaders: Record<string, string> | null;
  responseExcerpt: string | null;
};

export const RESPONSE_EXCERPT_BYTES = 4096;

/** A lookup that answers the one address already resolved and checked: no second DNS query. */
function pinnedLookup(target: Resolved): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
}

/**
 * POSTs `body` to `url`, connecting to `target` (the checked address) whatever DNS says now; TLS still
 * verifies the certificate against the URL's host (SNI). Redirects are not followed (a 3xx is a
 * failure). At most `timeoutMs` from the first byte sent to the last one read; the response body is
 * kept up to 4 KiB.
 */
export function postWebhook(
  url: URL,
  target: Resolved,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<SendOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      headers: { ...headers, "content-length": Buffer.byteLength(body) },
      agent: false,
      lookup: pinnedLookup(target),
      ...(url.protocol === "https:" && !isIP(hostname) ? { servername: hostname } : {}),
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`No complete answer within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    request.on("error", (error) =>
      finish({
        statusCode: null,
        ok: false,
        error: error.message || String(error),
        responseHeaders: null,
        responseExcerpt: null,
      }),
    );
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const status = response.statusCode ?? 0;
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers))
        if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
      const done = () => {
        const excerpt = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString("utf8");
        const ok = status >= 200 && status < 300;
        finish({
          statusCode: status,
          ok,
          error: ok ? null : `The receiver answered ${status}.`,
          responseHeaders,
          responseExcerpt: excerpt,
        });
        response.destroy();
      };
      response.on("data", (chunk: Buffer) => {
        if (kept < RESPONSE_EXCERPT_BYTES) chunks.push(chunk);
        kept += chunk.length;
        if (kept >= RESPONSE_EXCERPT_BYTES) done();
      });
      response.on("end", done);
      response.on("error", done);
    });
    request.end(body);
  });
}
