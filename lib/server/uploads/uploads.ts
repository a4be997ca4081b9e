import { and, eq, sql, sum } from "drizzle-orm";
import type { Upload } from "@/lib/api/contract/uploads.schema";
import { getDb, type Tx } from "../db/client";
import { env } from "../env";
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

/**
 * Decodes the bytes (invalid_image), checks the customer's storage quota (image_too_large with
 * details.reason "storage_quota"), records the upload and stores the bytes — in `tx` when given (the
 * route's idempotency claim shares it), else in a transaction of its own.
 */
export async function storeUpload(
  customerId: string,
  bytes: Buffer,
  field = "file",
  tx?: Tx,
): Promise<UploadRow> {
  const image = await decodeImage(bytes, field);
  if (tx) return insertUpload(tx, customerId, bytes, image);
  return (await getDb()).transaction((own) => insertUpload(own, customerId, bytes, image));
}

async function insertUpload(
  tx: Tx,
  customerId: string,
  bytes: Buffer,
  image: Awaited<ReturnType<typeof decodeImage>>,
): Promise<UploadRow> {
  const quota = env().UPLOAD_QUOTA_BYTES;
  // One upload per customer at a time past this point, so parallel uploads cannot both fit the quota.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`uploads:${customerId}`}))`);
  const [held] = await tx
    .select({ bytes: sum(uploads.bytes).mapWith(Number) })
    .from(uploads)
    .where(eq(uploads.customerId, customerId));
  const used = held?.bytes ?? 0;
  if (used + image.bytes > quota) throw storageQuotaExceeded(quota, used, image.bytes);
  const id = newId("upl");
  const storageKey = `uploads/${id}.${EXTENSIONS[image.contentType]}`;
  const [row] = await tx
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
  await getStore().put(storageKey, bytes);
  return row!;
}

function storageQuotaExceeded(quota: number, used: number, bytes: number): DomainError {
  return new DomainError("image_too_large", {
    message:
      `This image (${bytes} bytes) does not fit the account's ${quota}-byte storage quota ` +
      `(${used} bytes in use). Uploads no job uses are deleted after a while.`,
    details: { reason: "storage_quota", quota_bytes: quota, used_bytes: used, bytes },
  });
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
