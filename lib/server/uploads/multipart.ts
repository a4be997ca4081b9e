import { DomainError } from "../errors";
import { imageTooLarge } from "./image-errors";

export type FilePart = { bytes: Buffer; filename: string | null; contentType: string | null };

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_PARTS = 20;

function invalid(message: string): DomainError {
  return new DomainError("invalid_request", { message, details: { fields: [{ path: "file", message }] } });
}

/** The boundary of a `multipart/form-data` Content-Type, or an invalid_request. */
export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/form-data\s*;.*?\bboundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(
    contentType ?? "",
  );
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw invalid("Send the image as multipart/form-data with a field named `file`.");
  return boundary;
}

/**
 * Reads one file field from a multipart body as it streams, and stops reading the moment that file
 * passes `maxBytes` (image_too_large with the bytes seen so far) — nothing past the cap is buffered.
 * Other fields are skipped (each capped small).
 */
export async function readMultipartFile(
  body: ReadableStream<Uint8Array> | null,
  boundary: string,
  field: string,
  maxBytes: number,
): Promise<FilePart> {
  if (!body) throw invalid("The request has no body.");
  const reader = body.getReader();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // A leading CRLF lets the first boundary match the same delimiter as the rest.
  let buf: Buffer = Buffer.from("\r\n");
  let done = false;

  const pull = async (): Promise<boolean> => {
    if (done) return false;
    const chunk = await reader.read();
    if (chunk.done) {
      done = true;
      return false;
    }
    buf = buf.length ? Buffer.concat([buf, chunk.value]) : Buffer.from(chunk.value);
    return true;
  };

  try {
    // Preamble up to the first delimiter.
    for (;;) {
      const at = buf.indexOf(delimiter);
      if (at >= 0) {
        buf = buf.subarray(at + delimiter.length);
        break;
      }
      if (buf.length > MAX_HEADER_BYTES) throw invalid("Malformed multipart body.");
      if (!(await pull())) throw invalid("Malformed multipart body: no boundary found.");
    }

    for (let part = 0; part < MAX_PARTS; part++) {
      // After a delimiter: "--" ends the body, CRLF starts a part.
      while (buf.length < 2) if (!(await pull())) throw invalid("Malformed multipart body.");
      if (buf[0] === 0x2d && buf[1] === 0x2d) break;
      if (!buf.subarray(0, 2).equals(CRLF)) throw invalid("Malformed multipart body.");
      buf = buf.subarray(2);

      let headerEnd: number;
      while ((headerEnd = buf.indexOf(HEADER_END)) < 0) {
        if (buf.length > MAX_HEADER_BYTES) throw invalid("Malformed multipart body: part headers too long.");
        if (!(await pull())) throw invalid("Malformed multipart body.");
      }
      const headers = parseHeaders(buf.subarray(0, headerEnd).toString("latin1"));
      buf = buf.subarray(headerEnd + HEADER_END.length);
      const isFile = headers.name === field;
      const cap = isFile ? maxBytes : MAX_FIELD_BYTES;

      const chunks: Buffer[] = [];
      let size = 0;
      for (;;) {
        const at = buf.indexOf(delimiter);
        if (at >= 0) {
          size += at;
          if (size > cap) throw tooLarge(isFile, maxBytes, size);
          if (isFile) chunks.push(buf.subarray(0, at));
          buf = buf.subarray(at + delimiter.length);
          break;
        }
        // Keep a tail that could be the start of a delimiter split across chunks.
        const safe = Math.max(0, buf.length - delimiter.length + 1);
        if (safe > 0) {
          size += safe;
          if (size > cap) throw tooLarge(isFile, maxBytes, size);
          if (isFile) chunks.push(Buffer.from(buf.subarray(0, safe)));
          buf = buf.subarray(safe);
        }
        if (!(await pull())) throw invalid("Malformed multipart body: it ends inside a part.");
      }
      if (isFile) {
        return { bytes: Buffer.concat(chunks), filename: headers.filename, contentType: headers.contentType };
      }
    }
    throw new DomainError("invalid_request", {
      message: `Send the image in a multipart field named \`${field}\`.`,
      details: { fields: [{ path: field, message: "Required" }] },
    });
  } finally {
    // Stop the upload here: whatever the client still sends is never read.
    await reader.cancel().catch(() => {});
  }
}

function tooLarge(isFile: boolean, maxBytes: number, bytes: number): DomainError {
  if (!isFile) return invalid("A non-file field of the multipart body is too large.");
  return imageTooLarge(maxBytes, bytes);
}

function parseHeaders(block: string): {
  name: string | null;
  filename: string | null;
  contentType: string | null;
} {
  let name: string | null = null;
  let filename: string | null = null;
  let contentType: string | null = null;
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-disposition") {
      name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? /\bname=([^;\s]+)/i.exec(value)?.[1] ?? null;
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1] ?? null;
    } else if (key === "content-type") {
      contentType = value;
    }
  }
  return { name, filename, contentType };
}
