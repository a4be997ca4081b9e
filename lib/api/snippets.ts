/**
 * Code snippets for one API call, in curl, the TypeScript SDK (@genmedia/sdk) and Python `requests`:
 * what the console shows next to a key and in the playground. Pure: the same request gives the same
 * text. A snippet never holds a secret: it reads the key from GENMEDIA_API_KEY and names the key by its
 * prefix in a comment, so a customer can tell which key to put there. Every POST carries the given
 * Idempotency-Key (the same on a retry, as the error catalog asks).
 */
export type SnippetLanguage = "curl" | "sdk" | "python";

export const SNIPPET_LANGUAGES: readonly SnippetLanguage[] = ["curl", "sdk", "python"];

export type SnippetRequest = {
  /** Where the API is served, e.g. `https://genmedia.example.com` (no /api/v1). */
  baseUrl: string;
  /** The key's public prefix (`sk_live_ab12`), never its secret. */
  keyPrefix: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Under /api/v1, with the ids filled in: `/jobs`, `/jobs/job_01…/retry`. */
  path: string;
  /** A JSON body (POST, PATCH). */
  body?: Record<string, unknown>;
  /** For a POST: one key per logical call, reused by its retries. */
  idempotencyKey?: string;
};

const ENV = "GENMEDIA_API_KEY";

export function snippet(language: SnippetLanguage, request: SnippetRequest): string {
  const url = `${request.baseUrl.replace(/\/+$/, "")}/api/v1${request.path}`;
  const idempotencyKey = request.method === "POST" ? request.idempotencyKey : undefined;
  switch (language) {
    case "curl":
      return curl(request, url, idempotencyKey);
    case "sdk":
      return sdk(request, idempotencyKey);
    case "python":
      return python(request, url, idempotencyKey);
  }
}

/** POSIX shell single quotes: nothing inside is expanded; a quote is closed, escaped and reopened. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function curl(request: SnippetRequest, url: string, idempotencyKey: string | undefined): string {
  const lines = [
    `# ${ENV}: the secret of key ${request.keyPrefix}…`,
    `curl -X ${request.method} ${shellQuote(url)}`,
  ];
  lines.push(`-H "Authorization: Bearer $${ENV}"`);
  if (idempotencyKey) lines.push(`-H ${shellQuote(`Idempotency-Key: ${idempotencyKey}`)}`);
  if (request.body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d ${shellQuote(JSON.stringify(request.body))}`);
  }
  return [lines[0], lines.slice(1).join(" \\\n  ")].join("\n");
}

const js = (value: unknown, indent = 0) =>
  JSON.stringify(value, null, 2)
    .replace(/"([A-Za-z_$][\w$]*)":/g, "$1:")
    .replaceAll("\n", `\n${" ".repeat(indent)}`);

const args = (...list: (string | null)[]) => list.filter((a) => a !== null).join(", ");

/** The SDK's own methods, by method and path; anything else goes through the generated client. */
const SDK_CALLS: [string, RegExp, (m: RegExpExecArray, body: string, options: string | null) => string][] = [
  ["POST", /^\/jobs$/, (_, body, o) => `genmedia.jobs.create(${args(body, o)})`],
  ["GET", /^\/jobs\/([^/?]+)$/, (m, _, o) => `genmedia.jobs.get(${args(js(m[1]), o)})`],
  ["POST", /^\/jobs\/([^/?]+)\/retry$/, (m, _, o) => `genmedia.jobs.retry(${args(js(m[1]), o)})`],
  ["POST", /^\/jobs\/([^/?]+)\/cancel$/, (m, _, o) => `genmedia.jobs.cancel(${args(js(m[1]), o)})`],
  ["GET", /^\/balance$/, (_, __, o) => `genmedia.balance.get(${args(o)})`],
  ["GET", /^\/products$/, (_, __, o) => `genmedia.products.list(${args(o)})`],
];

function sdk(request: SnippetRequest, idempotencyKey: string | undefined): string {
  const options = idempotencyKey ? `{ idempotencyKey: ${js(idempotencyKey)} }` : null;
  let call: string | undefined;
  for (const [method, path, make] of SDK_CALLS) {
    const match = method === request.method ? path.exec(request.path) : null;
    if (match) call = make(match, js(request.body ?? {}), options);
  }
  const generic = call === undefined;
  if (generic) {
    const init: string[] = [];
    if (request.body !== undefined) init.push(`body: ${js(request.body, 2)}`);
    if (idempotencyKey) init.push(`params: { header: { "idempotency-key": ${js(idempotencyKey)} } }`);
    const second = init.length ? `, {\n  ${init.join(",\n  ")},\n}` : "";
    call = `unwrap(genmedia.api.${request.method}(${js(`/api/v1${request.path}`)}${second}))`;
  }
  const baseUrl = js(request.baseUrl.replace(/\/+$/, ""));
  return [
    `import { Genmedia, GenmediaError${generic ? ", unwrap" : ""} } from "@genmedia/sdk";`,
    "",
    `// ${ENV}: the secret of key ${request.keyPrefix}…`,
    `const genmedia = new Genmedia({ apiKey: process.env.${ENV}!, baseUrl: ${baseUrl} });`,
    "",
    "try {",
    `  const result = await ${call!.replaceAll("\n", "\n  ")};`,
    "  console.log(result);",
    "} catch (error) {",
    "  // 429 and 503 were already retried, with the same Idempotency-Key.",
    "  if (error instanceof GenmediaError) console.error(error.code, error.requestId, error.details);",
    "  else throw error;",
    "}",
  ].join("\n");
}

/** A JSON value as a Python literal (True/False/None), indented like json.dumps(indent=4). */
function py(value: unknown, indent = 0): string {
  const pad = " ".repeat(indent + 4);
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "None";
  // A JSON string is a valid Python 3 string literal: the same escapes, and UTF-8 source.
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (!value.length) return "[]";
    return `[\n${value.map((v) => pad + py(v, indent + 4)).join(",\n")},\n${" ".repeat(indent)}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return "{}";
  return `{\n${entries.map(([k, v]) => `${pad}${py(k)}: ${py(v, indent + 4)}`).join(",\n")},\n${" ".repeat(indent)}}`;
}

function python(request: SnippetRequest, url: string, idempotencyKey: string | undefined): string {
  const headers = [`        "Authorization": f"Bearer {os.environ['${ENV}']}",  # key ${request.keyPrefix}…`];
  if (idempotencyKey) headers.push(`        "Idempotency-Key": ${py(idempotencyKey)},`);
  const args = [`    ${py(url)},`, `    headers={\n${headers.join("\n")}\n    },`];
  if (request.body !== undefined) args.push(`    json=${py(request.body, 4)},`);
  args.push("    timeout=30,");
  return [
    "import os",
    "",
    "import requests",
    "",
    `response = requests.request(\n    ${py(request.method)},\n${args.join("\n")}\n)`,
    "if not response.ok:",
    "    # The error envelope: retry 429 and 503 after Retry-After, with the same Idempotency-Key.",
    '    error = response.json()["error"]',
    "    raise SystemExit(f\"{error['code']} ({error['request_id']}): {error['message']}\")",
    "print(response.json())",
  ].join("\n");
}
