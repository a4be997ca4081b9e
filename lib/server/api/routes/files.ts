import type { Context } from "hono";
import type { ApiEnv } from "../types";

const BINARY = { schema: { type: "string" as const, format: "binary" } };

/** OpenAPI content for stored image bytes. */
export const binaryContent = (description: string) => ({
  content: { "image/png": BINARY, "image/jpeg": BINARY, "image/webp": BINARY },
  description,
});

/**
 * Stored bytes with their real content type. The bytes at a file URL never change, so clients may
 * cache them for good; `private` because they are served to their owner only. `nosniff` keeps a
 * browser from treating them as anything but the declared image type.
 */
export function fileResponse(
  c: Context<ApiEnv>,
  bytes: Buffer,
  contentType: string,
  filename: string,
): Response {
  return c.body(new Uint8Array(bytes), 200, {
    "Content-Type": contentType,
    "Content-Length": String(bytes.length),
    "Cache-Control": "private, max-age=31536000, immutable",
    "Content-Disposition": `inline; filename="${filename}"`,
    "X-Content-Type-Options": "nosniff",
  });
}
