import { and, eq } from "drizzle-orm";
import type { Upload } from "@/lib/api/contract/uploads.schema";
import { getDb } from "../db/client";
import { uploads } from "../db/schema";
import { DomainError } from "../errors";
import { newId } from "../ids";
import { getStore } from "../storage/store";
import { decodeImage, type ImageContentType } from "./decode";
import { uploadContentPath } from "./urls";

export type UploadRow = typeof uploads.$inferSelect;

const EXTENSIONS: Record<ImageContentType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
};

export function toUploadDto(row: UploadRow, origin: string): Upload {
  return {
    id: row.id,
    url: `${origin}${uploadContentPath(row.id)}`,
    content_type: row.contentType as ImageContentType,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
  };
}

/** Decodes the bytes (invalid_image), stores them, and records the upload for the customer. */
export async function storeUpload(customerId: string, bytes: Buffer, field = "file"): Promise<UploadRow> {
  const image = await decodeImage(bytes, field);
  const id = newId("upl");
  const storageKey = `uploads/${id}.${EXTENSIONS[image.contentType]}`;
  await getStore().put(storageKey, bytes);
  const db = await getDb();
  const [row] = await db
    .insert(uploads)
    .values({
      id,
      customerId,
      contentType: image.contentType,
      width: image.width,
      height: image.height,
      bytes: image.bytes,
      storageKey,
    })
    .returning();
  return row!;
}

/** The customer's upload; another customer's is not_found, exactly like a missing one. */
export async function getUploadOrThrow(customerId: string, id: string): Promise<UploadRow> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, id), eq(uploads.customerId, customerId)));
  if (!row) throw new DomainError("not_found", { message: `No upload ${id}.` });
  return row;
}
