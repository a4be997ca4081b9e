// @vitest-environment node
/**
 * Catalog coverage: every code of the error catalog (the 20 public codes and internal_error) has
 *   (a) a server test that produces it — tests/integration/** (vitest) or e2e/api/** (Playwright), and
 *   (b) a console e2e spec that reaches its UI state — e2e/console*\/** (Playwright).
 *
 * The convention, one for both runners: a comment line directly above the test that names the codes the
 * test produces (server) or whose UI state it reaches (console), as `@code:<code>` tokens:
 *
 *     // @code:insufficient_balance
 *     it("refuses a debit beyond the balance …", async () => { … });
 *
 *     // @code:invalid_request @code:invalid_product
 *     test(`${c.code} → the message on ${c.field}`, async ({ page }) => { … });
 *
 * `grep -rn @code:queue_full tests e2e` lists a code's tests. A marker must name catalog codes only and
 * must sit on a test (the next line opens a test call), and the tagged file must mention the code
 * itself — so a marker can't drift away from what it claims.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG_CODES, ERROR_CODE_LIST, isErrorCode } from "@/lib/api/contract/error-codes";

const ROOT = path.resolve(import.meta.dirname, "../..");

type Marker = { file: string; line: number; codes: string[]; test: string };

function filesUnder(dir: string, match: (name: string) => boolean): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && match(d.name))
    .map((d) => path.relative(ROOT, path.join(d.parentPath, d.name)));
}

const MARKER = /^\s*\/\/\s*((?:@code:\S+\s*)+)$/;
// it(…) / test(…) / test.describe… no: a test call, possibly through a wrapper (simulatedIp = it.skipIf(…)).
const TEST_CALL =
  /^\s*(?:it|test|[a-z][A-Za-z]*)(?:\.(?:only|skip|fixme|fail|skipIf\([^)]*\)|runIf\([^)]*\)))*\(/;

function markersIn(file: string): Marker[] {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const out: Marker[] = [];
  lines.forEach((text, i) => {
    const m = MARKER.exec(text);
    if (!m) return;
    const codes = m[1]!
      .trim()
      .split(/\s+/)
      .map((t) => t.replace(/^@code:/, ""));
    out.push({ file, line: i + 1, codes, test: lines[i + 1] ?? "" });
  });
  return out;
}

const spec = (name: string) => /\.(test|spec)\.tsx?$/.test(name);
const SERVER = [...filesUnder("tests/integration", spec), ...filesUnder("e2e/api", spec)];
const CONSOLE = fs
  .readdirSync(path.join(ROOT, "e2e"))
  .filter((d) => d.startsWith("console"))
  .flatMap((d) => filesUnder(`e2e/${d}`, spec));
const serverMarkers = SERVER.flatMap(markersIn);
const consoleMarkers = CONSOLE.flatMap(markersIn);

const coverage = (markers: Marker[]) => {
  const byCode = new Map<string, string[]>();
  for (const m of markers)
    for (const c of m.codes) byCode.set(c, [...(byCode.get(c) ?? []), `${m.file}:${m.line}`]);
  return byCode;
};

describe("the error catalog is covered end to end", () => {
  it("has 20 public codes and internal_error", () => {
    expect(CATALOG_CODES).toHaveLength(20);
    expect(ERROR_CODE_LIST).toEqual([...CATALOG_CODES, "internal_error"]);
  });

  it("markers name catalog codes, sit on a test, and the file mentions each code", () => {
    const problems: string[] = [];
    for (const m of [...serverMarkers, ...consoleMarkers]) {
      const where = `${m.file}:${m.line}`;
      for (const code of m.codes) {
        if (!isErrorCode(code)) problems.push(`${where}: @code:${code} is not in the catalog`);
        const text = fs.readFileSync(path.join(ROOT, m.file), "utf8").replaceAll(`@code:${code}`, "");
        if (!text.includes(code))
          problems.push(`${where}: the file never mentions ${code} besides its marker`);
      }
      if (!TEST_CALL.test(m.test))
        problems.push(`${where}: the marker is not directly above a test: ${m.test.trim()}`);
    }
    expect(problems).toEqual([]);
  });

  it("every code has a server test that produces it (tests/integration, e2e/api)", () => {
    const covered = coverage(serverMarkers);
    const missing = ERROR_CODE_LIST.filter((c) => !covered.has(c));
    expect(missing, "codes without a server test marked // @code:<code>").toEqual([]);
  });

  it("every code has a console e2e spec that reaches its UI state (e2e/console*)", () => {
    const covered = coverage(consoleMarkers);
    const missing = ERROR_CODE_LIST.filter((c) => !covered.has(c));
    expect(missing, "codes without a console spec marked // @code:<code>").toEqual([]);
  });
});
