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
  /** The key's public prefix (`sk_live_ab12`), never its secret; without it, "one of your keys". */
  keyPrefix?: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Under /api/v1, with the ids filled in: `/jobs`, `/jobs/job_01…/retry`. */
  path: string;
  /** A JSON body (POST, PATCH). */
  body?: Record<string, unknown>;
  /** For a POST: one key per logical call, reused by its retries. */
  idempotencyKey?: string;
  /**
   * A local image to upload first (POST /uploads, multipart `file`); the upload's `url` becomes
   * `body[field]` (a job's `source_image_url` or `start_image_url`).
   */
  upload?: { fileName: string; field: string };
};

/** Where the upload's url goes in a body, until each language writes its own expression there. */
const UPLOAD_URL = "<url of the upload>";

const ENV = "GENMEDIA_API_KEY";

const whichKey = (request: SnippetRequest) =>
  request.keyPrefix ? `the secret of key ${request.keyPrefix}…` : "the secret of one of your keys";

const uploadsUrl = (request: SnippetRequest) => `${request.baseUrl.replace(/\/+$/, "")}/api/v1/uploads`;

export function snippet(language: SnippetLanguage, given: SnippetRequest): string {
  const request =
    given.upload && given.body
      ? { ...given, body: { ...given.body, [given.upload.field]: UPLOAD_URL } }
      : given;
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
  const auth = `-H "Authorization: Bearer $${ENV}"`;
  const steps: string[] = [];
  if (request.upload) {
    steps.push(
      `# 1. Upload the image; put the "url" of its answer where the body says ${UPLOAD_URL}.`,
      [
        `curl -X POST ${shellQuote(uploadsUrl(request))}`,
        auth,
        `-F ${shellQuote(`file=@${request.upload.fileName}`)}`,
      ].join(" \\\n  "),
      "",
      "# 2. Create the job.",
    );
  }
  const lines = [`curl -X ${request.method} ${shellQuote(url)}`, auth];
  if (idempotencyKey) lines.push(`-H ${shellQuote(`Idempotency-Key: ${idempotencyKey}`)}`);
  if (request.body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`);
    lines.push(`-d ${shellQuote(JSON.stringify(request.body))}`);
  }
  return [`# ${ENV}: ${whichKey(request)}`, ...steps, lines.join(" \\\n  ")].join("\n");
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
  const upload = request.upload;
  return [
    ...(upload ? ['import { openAsBlob } from "node:fs";'] : []),
    `import { Genmedia, GenmediaError${generic ? ", unwrap" : ""} } from "@genmedia/sdk";`,
    "",
    `// ${ENV}: ${whichKey(request)}`,
    `const genmedia = new Genmedia({ apiKey: process.env.${ENV}!, baseUrl: ${baseUrl} });`,
    "",
    "try {",
    ...(upload
      ? [
          `  const file = ${js(upload.fileName)};`,
          "  const upload = await genmedia.uploads.create(await openAsBlob(file), file);",
        ]
      : []),
    `  const result = await ${call!.replaceAll(js(UPLOAD_URL), "upload.url").replaceAll("\n", "\n  ")};`,
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
  const auth = `"Authorization": f"Bearer {os.environ['${ENV}']}",`;
  const headers = [
    `        ${auth}  # ${request.keyPrefix ? `key ${request.keyPrefix}…` : "one of your keys"}`,
  ];
  if (idempotencyKey) headers.push(`        "Idempotency-Key": ${py(idempotencyKey)},`);
  const args = [`    ${py(url)},`, `    headers={\n${headers.join("\n")}\n    },`];
  if (request.body !== undefined) {
    args.push(`    json=${py(request.body, 4).replaceAll(py(UPLOAD_URL), 'upload["url"]')},`);
  }
  args.push("    timeout=30,");
  const upload = request.upload
    ? [
        `with open(${py(request.upload.fileName)}, "rb") as image:`,
        "    upload = answer(",
        "        requests.post(",
        `            ${py(uploadsUrl(request))},`,
        `            headers={${auth.slice(0, -1)}},`,
        '            files={"file": image},',
        "            timeout=30,",
        "        )",
        "    )",
        "",
      ]
    : [];
  return [
    "import os",
    "",
    "import requests",
    "",
    "",
    "def answer(response):",
    "    if not response.ok:",
    "        # The error envelope: retry 429 and 503 after Retry-After, with the same Idempotency-Key.",
    '        error = response.json()["error"]',
    "        raise SystemExit(f\"{error['code']} ({error['request_id']}): {error['message']}\")",
    "    return response.json()",
    "",
    "",
    ...upload,
    `response = requests.request(\n    ${py(request.method)},\n${args.join("\n")}\n)`,
    "print(answer(response))",
  ].join("\n");
}
