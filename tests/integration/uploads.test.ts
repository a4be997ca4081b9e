import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { Upload } from "@/lib/api/contract/uploads.schema";
import { getApiApp } from "@/lib/server/api/app";
import { api, json, ORIGIN } from "../support/api";
import { expectError, newAccount, openDatabase, pngBytes, upload } from "../support/jobs";

// POST /uploads: streamed multipart, decoded with sharp, served back at a stable URL.

beforeAll(openDatabase);

process.env.MAX_UPLOAD_BYTES = "100000";

async function expectUpload(res: Response): Promise<Upload> {
  const body = await json<Upload>(res);
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body;
}

const path = (url: string) => new URL(url).pathname.replace("/api/v1", "");

describe("POST /uploads", () => {
  it("stores PNG, JPEG and WebP, decoded (not trusted by name or type), at a stable URL", async () => {
    const acct = await newAccount("up", 0);
    const caller = acct.keyCaller!;
    const base = sharp({ create: { width: 50, height: 20, channels: 3, background: "#3366cc" } });
    const cases: [Buffer, string][] = [
      [await base.clone().png().toBuffer(), "image/png"],
      [await base.clone().jpeg().toBuffer(), "image/jpeg"],
      [await base.clone().webp().toBuffer(), "image/webp"],
    ];
    for (const [bytes, type] of cases) {
      // Misnamed and mistyped on purpose: the decoder decides.
      const up = await expectUpload(await upload(caller, bytes, "photo.gif", "application/octet-stream"));
      expect(up).toMatchObject({ content_type: type, width: 50, height: 20, bytes: bytes.length });
      expect(up.id).toMatch(/^upl_/);
      expect(up.url).toBe(`${ORIGIN}/api/v1/uploads/${up.id}/content`);

      const file = await api(path(up.url), { headers: caller.headers });
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe(type);
      expect(file.headers.get("x-content-type-options")).toBe("nosniff");
      expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);

      const meta = await api(`/uploads/${up.id}`, { headers: caller.headers });
      expect(await json(meta)).toEqual(up);
    }
  });

  // @code:invalid_image
  it("invalid_image for bytes that do not decode: garbage, truncated, empty, GIF", async () => {
    const acct = await newAccount("up-bad", 0);
    const png = await pngBytes(64, 64);
    const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
    for (const bytes of [
      Buffer.from("definitely not an image"),
      png.subarray(0, png.length - 30),
      Buffer.alloc(0),
      gif,
    ]) {
      await expectError(await upload(acct.keyCaller!, bytes), 400, "invalid_image");
    }
  });

  // @code:image_too_large
  it("image_too_large while streaming: stops reading past MAX_UPLOAD_BYTES", async () => {
    const acct = await newAccount("up-big", 0);
    const boundary = "----jobs-test-boundary";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    const total = 5_000_000;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(head));
      },
      pull(controller) {
        if (sent >= total) {
          controller.enqueue(new Uint8Array(Buffer.from(`\r\n--${boundary}--\r\n`)));
          controller.close();
          return;
        }
        const chunk = new Uint8Array(16_384).fill(1);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`${ORIGIN}/api/v1/uploads`, {
      method: "POST",
      headers: { ...acct.keyCaller!.headers, "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    const res = await getApiApp().fetch(request);
    const err = await expectError(res, 400, "image_too_large");
    expect(err.details!.max_bytes).toBe(100_000);
    expect(err.details!.bytes).toBeGreaterThan(100_000);
    // Reading stopped near the cap: most of the 5 MB was never pulled.
    expect(sent).toBeLessThan(500_000);
  });

  it("accepts an image of exactly MAX_UPLOAD_BYTES and refuses one byte more", async () => {
    const acct = await newAccount("up-edge", 0);
    const png = await pngBytes(32, 32);
    // Trailing bytes after IEND are ignored by decoders: pad a real PNG to the exact size.
    const exact = Buffer.concat([png, Buffer.alloc(100_000 - png.length)]);
    await expectUpload(await upload(acct.keyCaller!, exact));
    const over = await expectError(
      await upload(acct.keyCaller!, Buffer.concat([exact, Buffer.alloc(1)])),
      400,
      "image_too_large",
    );
    expect(over.details).toEqual({ max_bytes: 100_000, bytes: 100_001 });
  });

  it("invalid_request without a multipart body or without the file field", async () => {
    const acct = await newAccount("up-form", 0);
    const h = acct.keyCaller!.headers;
    const notMultipart = await expectError(
      await api("/uploads", { method: "POST", headers: h, json: { file: "x" } }),
      400,
      "invalid_request",
    );
    expect(notMultipart.details!.fields).toEqual([{ path: "file", message: expect.any(String) }]);
    const form = new FormData();
    form.set("image", new Blob([new Uint8Array(await pngBytes())], { type: "image/png" }), "a.png");
    const wrongField = await expectError(
      await api("/uploads", { method: "POST", headers: h, body: form }),
      400,
      "invalid_request",
    );
    expect(wrongField.details!.fields).toEqual([{ path: "file", message: "Required" }]);
  });

  it("another customer's upload is not_found", async () => {
    const owner = await newAccount("up-owner", 0);
    const stranger = await newAccount("up-stranger", 0);
    const up = await expectUpload(await upload(owner.keyCaller!, await pngBytes()));
    await expectError(await api(path(up.url), { headers: stranger.keyCaller!.headers }), 404, "not_found");
    await expectError(
      await api(`/uploads/${up.id}`, { headers: stranger.keyCaller!.headers }),
      404,
      "not_found",
    );
  });

  it("needs authentication", async () => {
    await expectError(
      await api("/uploads", { method: "POST", body: new FormData() }),
      401,
      "authentication_failed",
    );
  });
});

describe("POST /uploads from the console (cookie)", () => {
  it("accepts multipart from the console's own origin, and refuses it from another site", async () => {
    const acct = await newAccount("up-session", 0);
    const bytes = await pngBytes(20, 10);
    const up = await expectUpload(await upload(acct.session, bytes));
    expect(up).toMatchObject({ content_type: "image/png", width: 20, height: 10 });

    const foreign = await upload({ headers: { cookie: acct.cookie, origin: "https://evil.example" } }, bytes);
    await expectError(foreign, 403, "origin_not_allowed");
    const noOrigin = await upload({ headers: { cookie: acct.cookie } }, bytes);
    await expectError(noOrigin, 403, "origin_not_allowed");
  });

  it("still refuses JSON-only routes sent as multipart", async () => {
    const acct = await newAccount("up-csrf", 0);
    const form = new FormData();
    form.set("low_balance_credits", "5");
    const res = await api("/billing/settings", {
      method: "PATCH",
      headers: acct.session.headers,
      body: form,
    });
    await expectError(res, 403, "origin_not_allowed");
  });
});
