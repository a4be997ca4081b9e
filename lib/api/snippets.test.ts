// @vitest-environment node
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { snippet, SNIPPET_LANGUAGES, type SnippetRequest } from "./snippets";

const createJob: SnippetRequest = {
  baseUrl: "https://gm.example.com/",
  keyPrefix: "sk_live_ab12",
  method: "POST",
  path: "/jobs",
  body: { product: "text-to-image", prompt: `it's $HOME "quoted" \`x\` é 😀`, params: { width: 64 } },
  idempotencyKey: "idem-1",
};

/** The arguments the shell hands curl, one a line (curl replaced by printf): the quoting for real. */
function curlArguments(text: string, env: Record<string, string> = {}): string[] {
  const run = spawnSync("sh", ["-c", text.replace(/^curl /gm, "printf '%s\\n' ")], {
    env: { ...process.env, GENMEDIA_API_KEY: "sk_live_the-secret", ...env },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split("\n").slice(0, -1);
}

describe("snippets", () => {
  it("curl: the shell passes the body byte for byte (no expansion), the key from the environment", () => {
    const text = snippet("curl", createJob);
    expect(text.split("\n")[0]).toBe("# GENMEDIA_API_KEY: the secret of key sk_live_ab12…");
    const argv = curlArguments(text);
    expect(argv.slice(0, 7)).toEqual([
      "-X",
      "POST",
      "https://gm.example.com/api/v1/jobs",
      "-H",
      "Authorization: Bearer sk_live_the-secret",
      "-H",
      "Idempotency-Key: idem-1",
    ]);
    expect(argv.slice(7, 9)).toEqual(["-H", "Content-Type: application/json"]);
    expect(argv[9]).toBe("-d");
    expect(JSON.parse(argv[10]!)).toEqual(createJob.body);
    expect(argv).toHaveLength(11);
  });

  it("an Idempotency-Key on POSTs only; no body, no Content-Type", () => {
    const get = { ...createJob, method: "GET" as const, path: "/jobs/job_1", body: undefined };
    expect(curlArguments(snippet("curl", get))).toEqual([
      "-X",
      "GET",
      "https://gm.example.com/api/v1/jobs/job_1",
      "-H",
      "Authorization: Bearer sk_live_the-secret",
    ]);
    expect(snippet("sdk", get)).toContain('await genmedia.jobs.get("job_1");');
    const python = snippet("python", get);
    expect(python).not.toContain('"Idempotency-Key":');
    expect(python).not.toContain("json=");
  });

  it("sdk: the SDK's own method, with the Idempotency-Key as an option", () => {
    const text = snippet("sdk", createJob);
    expect(text).toContain('import { Genmedia, GenmediaError } from "@genmedia/sdk";');
    expect(text).toContain(
      'new Genmedia({ apiKey: process.env.GENMEDIA_API_KEY!, baseUrl: "https://gm.example.com" })',
    );
    expect(text).toContain("// GENMEDIA_API_KEY: the secret of key sk_live_ab12…");
    const call = /await genmedia\.jobs\.create\(([\s\S]*), \{ idempotencyKey: "idem-1" \}\);/.exec(text);
    expect(call).not.toBeNull();
    // The body is a JavaScript object literal with the same value.
    expect(new Function(`return (${call![1]});`)()).toEqual(createJob.body);
    expect(snippet("sdk", { ...createJob, path: "/jobs/job_1/retry", body: undefined })).toContain(
      'await genmedia.jobs.retry("job_1", { idempotencyKey: "idem-1" });',
    );
  });

  it("sdk: any other path through the generated client, unwrapped", () => {
    const text = snippet("sdk", { ...createJob, path: "/top-ups", body: { pack: "pack_starter" } });
    expect(text).toContain('import { Genmedia, GenmediaError, unwrap } from "@genmedia/sdk";');
    expect(text).toContain('await unwrap(genmedia.api.POST("/api/v1/top-ups", {');
    expect(text).toContain('params: { header: { "idempotency-key": "idem-1" } },');
  });

  it("python requests: the body as a Python literal, the key from os.environ", () => {
    const text = snippet("python", {
      ...createJob,
      body: { ...createJob.body, list: [1, "a"], flags: { on: true, off: false, none: null }, empty: {} },
    });
    expect(text).toContain(
      `"Authorization": f"Bearer {os.environ['GENMEDIA_API_KEY']}",  # key sk_live_ab12…`,
    );
    expect(text).toContain('"Idempotency-Key": "idem-1",');
    expect(text).toContain('"prompt": "it\'s $HOME \\"quoted\\" `x` é 😀",');
    expect(text).toContain(
      '"flags": {\n            "on": True,\n            "off": False,\n            "none": None,\n        },',
    );
    expect(text).toContain('"list": [\n            1,\n            "a",\n        ],');
    expect(text).toContain('"empty": {},');
    expect(text).toMatch(
      /^response = requests\.request\(\n {4}"POST",\n {4}"https:\/\/gm\.example\.com\/api\/v1\/jobs",$/m,
    );
    expect(text).toMatch(/^print\(answer\(response\)\)$/m);
  });

  const withUpload: SnippetRequest = {
    ...createJob,
    body: { product: "image-to-image", prompt: "redder" },
    upload: { fileName: "it's.png", field: "source_image_url" },
  };

  it("an image is uploaded first, and its url goes into the body (curl)", () => {
    const argv = curlArguments(snippet("curl", withUpload));
    // Both commands, as the shell hands them over: the upload, then the job.
    expect(argv.slice(0, 7)).toEqual([
      "-X",
      "POST",
      "https://gm.example.com/api/v1/uploads",
      "-H",
      "Authorization: Bearer sk_live_the-secret",
      "-F",
      "file=@it's.png",
    ]);
    expect(argv[9]).toBe("https://gm.example.com/api/v1/jobs");
    expect(JSON.parse(argv.at(-1)!)).toEqual({ ...withUpload.body, source_image_url: "<url of the upload>" });
  });

  it("an image is uploaded first, and its url goes into the body (SDK, Python)", () => {
    const sdk = snippet("sdk", withUpload);
    expect(sdk).toContain('import { openAsBlob } from "node:fs";');
    expect(sdk).toContain("const upload = await genmedia.uploads.create(await openAsBlob(file), file);");
    expect(sdk).toContain("source_image_url: upload.url");
    expect(sdk.indexOf("uploads.create")).toBeLessThan(sdk.indexOf("jobs.create"));
    const python = snippet("python", withUpload);
    expect(python).toContain('with open("it\'s.png", "rb") as image:');
    expect(python).toContain('files={"file": image},');
    expect(python).toContain('"source_image_url": upload["url"],');
    expect(python.indexOf("/api/v1/uploads")).toBeLessThan(python.indexOf("/api/v1/jobs"));
  });

  it("without a key prefix, names no key", () => {
    for (const language of SNIPPET_LANGUAGES) {
      const text = snippet(language, { ...createJob, keyPrefix: undefined });
      expect(text).not.toMatch(/sk_|undefined/);
      expect(text).toContain("one of your keys");
    }
  });

  it("never holds more of the key than its prefix", () => {
    for (const language of SNIPPET_LANGUAGES) {
      const text = snippet(language, createJob);
      expect(text).toContain("sk_live_ab12…");
      expect(text.match(/sk_live_\w+/g)).toEqual(["sk_live_ab12"]);
    }
  });
});
