import { and, eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { jobs, uploads } from "../db/schema";
import { DomainError } from "../errors";
import { imageTooLarge } from "./image-errors";
import { env } from "../env";
import { getStore } from "../storage/store";
import { fetchRemoteImage } from "./remote";
import { storeUpload } from "./uploads";
import { parseOwnFileUrl } from "./urls";

/**
 * Turns a job's image URL into one of the customer's uploads, applying the upload checks
 * (image_too_large, invalid_image): our own upload is used as it is, our own job output is copied
 * into an upload, and any other http(s) URL is fetched (SSRF-safe, same size cap) and stored.
 * Returns the upload id.
 */
export async function resolveImageUrl(customerId: string, url: string, field: string): Promise<string> {
  const maxBytes = env().MAX_UPLOAD_BYTES;
  const own = parseOwnFileUrl(url);
  const missing = () =>
    new DomainError("invalid_image", {
      message: `${field} names no upload or job output of this account.`,
      details: { field, reason: "not_found" },
    });
  if (own?.kind === "upload") {
    const db = await getDb();
    const [row] = await db
      .select()
      .from(uploads)
      .where(and(eq(uploads.id, own.uploadId), eq(uploads.customerId, customerId)));
    if (!row) throw missing();
    if (row.bytes > maxBytes) throw imageTooLarge(maxBytes, row.bytes);
    return row.id;
  }
  if (own?.kind === "output") {
    const db = await getDb();
    const [job] = await db
      .select({ output: jobs.output })
      .from(jobs)
      .where(and(eq(jobs.id, own.jobId), eq(jobs.customerId, customerId), eq(jobs.status, "succeeded")));
    const key = (job?.output as { storage_key?: string } | null)?.storage_key;
    const bytes = key ? await getStore().get(key) : null;
    if (!bytes) throw missing();
    if (bytes.length > maxBytes) throw imageTooLarge(maxBytes, bytes.length);
    return (await storeUpload(customerId, bytes, field)).id;
  }
  const bytes = await fetchRemoteImage(url, field, maxBytes);
  return (await storeUpload(customerId, bytes, field)).id;
}
