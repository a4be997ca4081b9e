import { type BrowserContext, type Page, test as base, type TestInfo } from "@playwright/test";

export { expect } from "@playwright/test";

/**
 * The console specs' `test`: Playwright's, plus a check that fails a test whose pages logged a
 * `console.error`, threw (`pageerror`), had a request fail, or got an answer ≥ 400 — unless the test
 * declared it. Each problem is one line, and a declaration is a RegExp matched against that line:
 *
 *   409 POST /api/v1/jobs/job_1/retry (fetch)      an answer ≥ 400 (status, method, path, resource type)
 *   requestfailed net::ERR_FAILED GET /x (script)   a request with no answer
 *   console.error: <text> [on /path]                a console error (on the page at that URL)
 *   pageerror: <message> [on /path]                 an uncaught exception
 *
 * Declare with `expectErrors(/^409 POST \/api\/v1\/jobs\/[^/]+\/retry /)` in the test, or for a whole
 * file or describe with `test.use({ expectedErrors: [/…/] })`. The browser's own "Failed to load
 * resource" line for an answer ≥ 400 is the same problem as the answer's line: only the answer's is
 * reported (and declared). Aborted requests (a navigation or an AbortController cancelling a fetch,
 * net::ERR_ABORTED) are not problems.
 *
 * It watches the test's `context` (so `page`) by itself; a context the test makes with
 * `browser.newContext()` is watched once passed to `watchErrors(context)`.
 */
export const test = base.extend<{ expectedErrors: RegExp[]; errorGuard: ErrorGuard }>({
  expectedErrors: [[], { option: true }],
  errorGuard: [
    async ({ expectedErrors }, use, testInfo) => {
      const guard = new ErrorGuard(expectedErrors);
      guards.set(testInfo, guard);
      await use(guard);
      guards.delete(testInfo);
      guard.check();
    },
    { auto: true },
  ],
  context: async ({ context, errorGuard }, use) => {
    errorGuard.watch(context);
    await use(context);
  },
});

/** With JavaScript off (`javaScriptEnabled: false`), the browser refuses the page's scripts. */
export const SCRIPTS_BLOCKED = /^requestfailed csp GET \/_next\/static\/\S+ \(script\)$/;

/** Declares problems this test provokes on purpose (see `test` above for what a pattern matches). */
export function expectErrors(...patterns: RegExp[]): void {
  guardOf(test.info()).expected.push(...patterns);
}

/** Watches a context the test made itself (`browser.newContext()`) like the test's own. */
export function watchErrors(context: BrowserContext): BrowserContext {
  guardOf(test.info()).watch(context);
  return context;
}

const guards = new WeakMap<TestInfo, ErrorGuard>();

function guardOf(testInfo: TestInfo): ErrorGuard {
  const guard = guards.get(testInfo);
  if (!guard) throw new Error("expectErrors/watchErrors: import `test` from e2e/support/test.ts");
  return guard;
}

const FAILED_TO_LOAD = /^Failed to load resource: the server responded with a status of \d+/;

class ErrorGuard {
  readonly expected: RegExp[];
  private readonly problems: string[] = [];
  /** URLs answered ≥ 400: the console's "Failed to load resource" for them repeats the answer's line. */
  private readonly failedUrls = new Set<string>();
  private readonly consoleLines: { text: string; url: string; page: string }[] = [];

  constructor(expected: RegExp[]) {
    this.expected = [...expected];
  }

  watch(context: BrowserContext) {
    context.on("console", (msg) => {
      if (msg.type() !== "error") return;
      this.consoleLines.push({ text: msg.text(), url: msg.location().url, page: pageOf(msg.page()) });
    });
    context.on("weberror", (error) => {
      this.problems.push(`pageerror: ${error.error().message}${pageOf(error.page())}`);
    });
    context.on("requestfailed", (request) => {
      const failure = request.failure()?.errorText ?? "unknown";
      if (failure.includes("ERR_ABORTED")) return;
      this.failedUrls.add(request.url());
      this.problems.push(
        `requestfailed ${failure} ${request.method()} ${pathOf(request.url())} (${request.resourceType()})`,
      );
    });
    context.on("response", (response) => {
      if (response.status() < 400) return;
      const request = response.request();
      this.failedUrls.add(response.url());
      this.problems.push(
        `${response.status()} ${request.method()} ${pathOf(response.url())} (${request.resourceType()})`,
      );
    });
  }

  check() {
    const lines = [
      ...this.problems,
      ...this.consoleLines
        .filter((line) => !(FAILED_TO_LOAD.test(line.text) && this.failedUrls.has(line.url)))
        // Which resource failed to load is in the location, not in the text.
        .map(
          (line) =>
            `console.error: ${line.text}${FAILED_TO_LOAD.test(line.text) ? ` (${pathOf(line.url)})` : line.page}`,
        ),
    ];
    const unexpected = lines.filter((line) => !this.expected.some((pattern) => pattern.test(line)));
    if (unexpected.length === 0) return;
    throw new Error(
      `The page had ${unexpected.length} unexpected problem(s):\n  ${unexpected.join("\n  ")}\n` +
        "A real bug: fix the app. Provoked on purpose: declare it with expectErrors(/pattern/) " +
        "(e2e/support/test.ts).",
    );
  }
}

/** Where a console line or an exception happened: " [on /path]", if a page is known. */
function pageOf(page: Page | null): string {
  return page ? ` [on ${pathOf(page.url())}]` : "";
}

/** A same-origin URL as its path and query (the lines and the patterns stay short); others whole. */
function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.hostname === "localhost" || u.hostname === "127.0.0.1" ? `${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}
