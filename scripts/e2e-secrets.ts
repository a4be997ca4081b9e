// After an e2e run (its servers stopped): no API key secret, password or session token may appear in
// the request log, the audit log, or a server's output. Reads each e2e server's data folder
// (scripts/e2e-server.mjs: `.data-e2e-<kind>-<port>`, with the server's output in `server.log`) and
// fails loudly, naming every place a secret turned up. `npm run test:e2e` runs it (tsx) after Playwright.
import fs from "node:fs";
import path from "node:path";
import { liveOwner } from "../lib/server/db/lock";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The data folders of this run's servers: the names scripts/e2e-server.mjs gives them. */
export function e2eDataDirs(env: Record<string, string | undefined> = process.env): string[] {
  const ports = {
    console: env.E2E_PORT ?? "3100",
    api: env.E2E_API_PORT ?? "3101",
    limits: env.E2E_LIMITS_PORT ?? "3102",
    "redis-down": env.E2E_REDIS_DOWN_PORT ?? "3103",
  };
  return Object.entries(ports).map(([kind, port]) => path.join(ROOT, `.data-e2e-${kind}-${port}`));
}

/** Full key secrets (the 12-character display prefix is not one: it is stored on purpose). */
const KEY_SECRET = /sk_live_[0-9A-Za-z]{38}/g;
/** A session cookie with its value, in any text. */
const SESSION_COOKIE = /genmedia\.session_token=[^;\s"'\\]{16,}/g;

/** Every password the e2e run types or the docs seed, read from the specs and docs themselves. */
export function knownPasswords(root = ROOT): string[] {
  const found = new Set<string>();
  const sources: string[] = [];
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (/\.(ts|tsx|mjs)$/.test(d.name)) sources.push(p);
    }
  };
  walk(path.join(root, "e2e"));
  for (const file of sources) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/password\w*\s*[:=]\s*["'`]([^"'`\s]{6,})["'`]/gi)) found.add(m[1]!);
    for (const m of text.matchAll(/getByLabel\(\s*["']Password["']\s*\)\.fill\(\s*["'`]([^"'`]{6,})["'`]/g)) {
      found.add(m[1]!);
    }
  }
  for (const doc of ["README.md", "../shared/API.md"]) {
    const file = path.join(root, doc);
    if (!fs.existsSync(file)) continue;
    for (const m of fs.readFileSync(file, "utf8").matchAll(/`([^`\s]*(?:-password|password-)[^`\s]*)`/g)) {
      found.add(m[1]!);
    }
  }
  return [...found];
}

/**
 * Where each secret appears: `sources` maps a place ("request_log row req_…", "server.log line 12") to
 * its text. Secrets: key-secret shapes and session cookies by pattern, plus the given literal values.
 */
export type Leak = { where: string; what: string; sample: string };

export function findLeaks(
  sources: [where: string, text: string][],
  literals: { value: string; what: string }[],
): Leak[] {
  const leaks: Leak[] = [];
  for (const [where, text] of sources) {
    for (const m of text.matchAll(KEY_SECRET)) leaks.push({ where, what: "an API key secret", sample: m[0] });
    for (const m of text.matchAll(SESSION_COOKIE))
      leaks.push({ where, what: "a session cookie", sample: m[0] });
    for (const { value, what } of literals) {
      if (value && text.includes(value)) leaks.push({ where, what, sample: value });
    }
  }
  return leaks;
}

/** Shows a secret's shape without printing all of it again. */
const redact = (s: string) => (s.length > 12 ? `${s.slice(0, 12)}…(${s.length} chars)` : `${s.slice(0, 3)}…`);

async function readDatabase(dir: string) {
  const owner = liveOwner(dir);
  if (owner) throw new Error(`${dir} is still open in process ${owner}: stop the e2e servers first`);
  const { PGlite } = await import("@electric-sql/pglite");
  const db = new PGlite(path.join(dir, "pglite"));
  try {
    const rows = async <T>(q: string) => (await db.query<T>(q)).rows;
    return {
      requestLog: await rows<{ id: string; text: string }>(
        `select request_id as id, r::text as text from request_log r`,
      ),
      auditLog: await rows<{ id: string; text: string }>(`select id, a::text as text from audit_log a`),
      // The run's own session tokens: they must not appear anywhere else.
      tokens: (await rows<{ token: string }>(`select token from sessions`)).map((r) => r.token),
    };
  } finally {
    await db.close();
  }
}

async function main() {
  const dirs = e2eDataDirs().filter((d) => fs.existsSync(d));
  if (!dirs.length) {
    console.error("✖ e2e secrets: no e2e data folders (.data-e2e-*) to check — did the e2e run happen?");
    process.exit(1);
  }
  const literals = [
    ...knownPasswords().map((value) => ({ value, what: "a password" })),
    { value: "e2e-only-secret-0123456789abcdef", what: "the e2e BETTER_AUTH_SECRET" },
  ];
  const sources: [string, string][] = [];
  let counts = { requestLog: 0, auditLog: 0, lines: 0, tokens: 0 };
  for (const dir of dirs) {
    const name = path.basename(dir);
    const log = path.join(dir, "server.log");
    if (!fs.existsSync(log)) throw new Error(`${log} is missing: scripts/e2e-server.mjs writes it`);
    const lines = fs.readFileSync(log, "utf8").split("\n");
    lines.forEach((line, i) => sources.push([`${name}/server.log line ${i + 1}`, line]));
    const db = fs.existsSync(path.join(dir, "pglite")) ? await readDatabase(dir) : null;
    for (const r of db?.requestLog ?? []) sources.push([`${name} request_log ${r.id}`, r.text]);
    for (const r of db?.auditLog ?? []) sources.push([`${name} audit_log ${r.id}`, r.text]);
    for (const token of db?.tokens ?? []) literals.push({ value: token, what: "a session token" });
    counts = {
      requestLog: counts.requestLog + (db?.requestLog.length ?? 0),
      auditLog: counts.auditLog + (db?.auditLog.length ?? 0),
      lines: counts.lines + lines.length,
      tokens: counts.tokens + (db?.tokens.length ?? 0),
    };
  }
  const leaks = findLeaks(sources, literals);
  if (leaks.length) {
    console.error(`\n✖ e2e secrets: ${leaks.length} leak(s) found`);
    for (const l of leaks.slice(0, 50)) console.error(`  ${l.what} in ${l.where}: ${redact(l.sample)}`);
    process.exit(1);
  }
  console.log(
    `✔ e2e secrets: no key secret, password (${knownPasswords().length} known) or session token ` +
      `(${counts.tokens}) in ${counts.requestLog} request-log rows, ${counts.auditLog} audit rows or ` +
      `${counts.lines} lines of server output (${dirs.map((d) => path.basename(d)).join(", ")})`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`✖ e2e secrets: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
