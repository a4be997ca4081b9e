import sharp, { type Metadata } from "sharp";
import type { UPLOAD_CONTENT_TYPES } from "@/lib/api/contract/uploads.schema";
import { DomainError } from "../errors";

export type ImageContentType = (typeof UPLOAD_CONTENT_TYPES)[number];
export type DecodedImage = { contentType: ImageContentType; width: number; height: number; bytes: number };

const FORMATS: Record<string, ImageContentType> = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

/** Above this many pixels an image is refused before decoding (a small file can expand to gigabytes). */
export const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Decodes the bytes for real (never trusting an extension or a declared type): a PNG, JPEG or WebP
 * that decodes whole, else invalid_image. `field` names the request field in the error's details.
 */
export async function decodeImage(bytes: Buffer, field = "file"): Promise<DecodedImage> {
  const fail = (message: string) => new DomainError("invalid_image", { message, details: { field } });
  if (bytes.length === 0) throw fail("The image is empty.");
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw fail("The image could not be decoded as PNG, JPEG or WebP.");
  }
  const contentType = meta.format ? FORMATS[meta.format] : undefined;
  if (!contentType) throw fail("Only PNG, JPEG and WebP images are accepted.");
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!width || !height) throw fail("The image has no dimensions.");
  if (width * (meta.height ?? height) > MAX_INPUT_PIXELS) {
    throw fail(`The image has more than ${MAX_INPUT_PIXELS} pixels.`);
  }
  try {
    // A full decode (first frame, streamed into a thumbnail) catches truncated or corrupt data the header hides.
    await sharp(bytes, { failOn: "warning", limitInputPixels: MAX_INPUT_PIXELS })
      .resize(256, 256, { fit: "inside" })
      .raw()
      .toBuffer();
  } catch {
    throw fail("The image is corrupt or truncated.");
  }
  return { contentType, width, height, bytes: bytes.length };
}
