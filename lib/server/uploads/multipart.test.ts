// @vitest-environment node
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { boundaryOf, readMultipartFile } from "./multipart";

const BOUNDARY = "xYz-boundary-42";

function body(parts: { name: string; filename?: string; data: Buffer }[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [Buffer.from("preamble to ignore\r\n")];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ""}`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
    );
    chunks.push(p.data, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** A stream that hands the bytes over in pieces of the given sizes (cycled). */
function streamOf(bytes: Buffer, sizes: number[]): ReadableStream<Uint8Array> & { pulled: () => number } {
  let offset = 0;
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      const size = sizes[i++ % sizes.length]!;
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + size)));
      offset += size;
    },
  });
  return Object.assign(stream, { pulled: () => Math.min(offset, bytes.length) });
}

// A payload full of near-delimiters: CRLF, dashes and a prefix of the boundary itself.
const tricky = Buffer.concat([
  Buffer.from(`\r\n--${BOUNDARY.slice(0, 8)}\r\n-\r\n--`),
  Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256)),
  Buffer.from("\r\n--xYz"),
]);

describe("readMultipartFile", () => {
  for (const sizes of [[1], [2, 3, 5], [7, 64], [100_000]]) {
    it(`finds the file field whatever the chunking (${sizes.join(",")})`, async () => {
      const bytes = body([
        { name: "note", data: Buffer.from("a small text field") },
        { name: "file", filename: "x.bin", data: tricky },
      ]);
      const part = await readMultipartFile(streamOf(bytes, sizes), BOUNDARY, "file", 10_000);
      expect(part.bytes.equals(tricky)).toBe(true);
      expect(part.filename).toBe("x.bin");
      expect(part.contentType).toBe("application/octet-stream");
    });
  }

  it("stops at the cap with image_too_large and the bytes seen, leaving the rest unread", async () => {
    const data = Buffer.alloc(1_000_000, 9);
    const stream = streamOf(body([{ name: "file", data }]), [4096]);
    const error = await readMultipartFile(stream, BOUNDARY, "file", 50_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("image_too_large");
    const details = (error as DomainError).details as { max_bytes: number; bytes: number };
    expect(details.max_bytes).toBe(50_000);
    expect(details.bytes).toBeGreaterThan(50_000);
    expect(details.bytes).toBeLessThan(60_000);
    expect(stream.pulled()).toBeLessThan(70_000);
  });

  it("accepts exactly the cap", async () => {
    const data = Buffer.alloc(50_000, 3);
    const part = await readMultipartFile(
      streamOf(body([{ name: "file", data }]), [999]),
      BOUNDARY,
      "file",
      50_000,
    );
    expect(part.bytes.length).toBe(50_000);
  });

  it("invalid_request without the field, or for a body that is not multipart", async () => {
    const noFile = body([{ name: "other", data: Buffer.from("x") }]);
    await expect(readMultipartFile(streamOf(noFile, [10]), BOUNDARY, "file", 100)).rejects.toMatchObject({
      code: "invalid_request",
      details: { fields: [{ path: "file", message: "Required" }] },
    });
    await expect(
      readMultipartFile(streamOf(Buffer.from("just text"), [3]), BOUNDARY, "file", 100),
    ).rejects.toMatchObject({ code: "invalid_request" });
    const cut = body([{ name: "file", data: Buffer.from("abc") }]).subarray(0, 120);
    await expect(readMultipartFile(streamOf(cut, [10]), BOUNDARY, "file", 100)).rejects.toMatchObject({
      code: "invalid_request",
    });
  });
});

describe("boundaryOf", () => {
  it("reads plain and quoted boundaries, and refuses other content types", () => {
    expect(boundaryOf(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(BOUNDARY);
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b;c"')).toBe("a b;c");
    for (const type of [undefined, "application/json", "multipart/form-data", "text/plain; boundary=x"]) {
      expect(() => boundaryOf(type)).toThrow(DomainError);
    }
  });
});
