import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import { decodeTime } from "ulid";
import type { CreateJobBody, Job, JobInputs } from "@/lib/api/contract/jobs.schema";
import { PRODUCT_NEEDS } from "@/lib/api/contract/products.schema";
import { chargeNewJob, spendLimitError } from "../billing/ledger";
import { getDb, type Db, type Tx } from "../db/client";
import { customers, idempotencyKeys, uploads } from "../db/schema";
import { DomainError, isDomainError } from "../errors";
import { IDEMPOTENCY_TTL_HOURS, type IdempotencyClaim } from "../idempotency/idempotency";
import { newId } from "../ids";
import { resolveImageUrl } from "../uploads/resolve";
import { type JobRow, toJobDto } from "./dto";
import { assertBackendAvailable, assertProductActive } from "./product-checks";
import { forgetProducts, productForJob, type ProductRow } from "../products/products";

/** Who acts: the customer, the key (null for a console session), the request. */
export type JobActor = { customerId: string; keyId: string | null; requestId: string | null };

/** The referenced image, resolved before the transaction (fetching a URL must not hold one open). */
export type PreparedImage = { uploadId: string } | { error: DomainError } | null;

/** What job creation knows before its transaction: the product as this process knows it, and the image. */
export type PreparedJob = { product: ProductRow | undefined; image: PreparedImage };

/**
 * POST /jobs: a job to create. `origin` is the public origin its DTO's URLs use; `queueLimit` the
 * key's MAX_UNFINISHED_JOBS_PER_KEY.
 */
export type CreateJobInput = {
  body: CreateJobBody;
  prepared: PreparedJob;
  origin: string;
  queueLimit: number;
};

/**
 * The first half of POST /jobs, outside any transaction: the product, and the referenced image
 * resolved (fetched, decoded, stored) — unless the request holds an Idempotency-Key whose response is
 * already stored: a replay must not fetch the image again (or fail on it). Only a product that takes
 * an image has anything to fetch.
 */
export async function prepareJob(
  actor: JobActor,
  body: CreateJobBody,
  claim: IdempotencyClaim | null,
): Promise<PreparedJob> {
  const product = await productForJob(body.product);
  const replay = claim !== null && !!product?.needs && (await hasStoredResponse(claim.scope, claim.key));
  const image = replay ? null : await prepareImage(actor.customerId, body, product);
  return { product, image };
}

/**
 * POST /jobs. Checks in the contract's order — invalid_request (zod, before this runs), invalid_product,
 * product_paused, source_image_required, invalid_image / image_too_large, service_unavailable (502),
 * insufficient_balance, queue_full — with the debit, the queue slot and the job row written together:
 * any refusal leaves nothing behind. In `tx` (with the Idempotency-Key claim) when there is one;
 * without, one statement committed on its own (no transaction to open, hold and close around it) —
 * except for a job on an upload, which holds the upload (FOR SHARE, against the sweeper) until the job
 * row commits.
 */
export async function createJob(tx: Tx | null, actor: JobActor, input: CreateJobInput): Promise<Job> {
  const { body, prepared, queueLimit } = input;
  const { product, image } = prepared;
  let row: JobRow;
  if (tx) row = await insertJob(tx, actor, body, image, queueLimit, product);
  else {
    const db = await getDb();
    row = product?.needs
      ? await db.transaction((t) => insertJob(t, actor, body, image, queueLimit, product))
      : await insertJob(db, actor, body, image, queueLimit, product);
  }
  return toJobDto(row, input.origin);
}

/** Resolves the product's input image when the request is otherwise well-formed; errors are kept for their turn. */
export async function prepareImage(
  customerId: string,
  body: CreateJobBody,
  product: ProductRow | undefined,
): Promise<PreparedImage> {
  if (!product || product.status !== "active" || !product.needs) return null;
  const db = await getDb();
  const url = body[product.needs];
  if (!url) return null;
  // The balance first: a customer who cannot pay must not make us fetch and store an image (disk and
  // outbound requests for free). The debit in the transaction stays the authoritative check.
  const [customer] = await db
    .select({ credits: customers.credits })
    .from(customers)
    .where(eq(customers.id, customerId));
  if (customer && customer.credits < product.priceCredits) {
    return {
      error: new DomainError("insufficient_balance", {
        message: `This needs ${product.priceCredits} credits; the balance is ${customer.credits}.`,
        details: { required: product.priceCredits, available: customer.credits },
      }),
    };
  }
  try {
    return { uploadId: await resolveImageUrl(customerId, url, product.needs) };
  } catch (error) {
    if (isDomainError(error)) return { error };
    throw error;
  }
}

/**
 * The checks and the write of job creation (also used directly by the concurrency tests): the checks
 * in the contract's order on the product as this process knows it, then chargeNewJob — one statement
 * that re-reads the product's status and price, debits, takes the key's queue slot and writes the
 * ledger and job rows, or writes nothing. `db` may be the database (the statement commits on its own)
 * or a transaction.
 */
export async function insertJob(
  db: Db | Tx,
  actor: JobActor,
  body: CreateJobBody,
  image: PreparedImage,
  queueLimit: number,
  known?: ProductRow,
): Promise<JobRow> {
  const product = known ?? (await productForJob(body.product, db));
  if (!product) throw invalidProduct(body.product);
  assertProductActive(product);
  checkFields(product, body);
  let uploadId: string | undefined;
  if (product.needs) {
    if (image && "error" in image) throw image.error;
    if (!image) throw sourceImageRequired(product.needs);
    uploadId = image.uploadId;
    // Held until the job row commits (callers run this in a transaction when there is an upload): the
    // sweeper of unreferenced uploads skips a locked upload, and one it deleted first is gone here.
    const [held] = await db
      .select({ id: uploads.id })
      .from(uploads)
      .where(eq(uploads.id, uploadId))
      .for("share");
    if (!held) {
      throw new DomainError("invalid_image", {
        message: `${product.needs} names no upload or job output of this account.`,
        details: { field: product.needs, reason: "not_found" },
      });
    }
  }
  assertBackendAvailable(product, body.prompt, body.params ?? {});

  const id = newId("job");
  const inputs: JobInputs = {
    ...(body.source_image_url !== undefined && { source_image_url: body.source_image_url }),
    ...(body.start_image_url !== undefined && { start_image_url: body.start_image_url }),
    ...(uploadId !== undefined && { upload_id: uploadId }),
    ...(body.params !== undefined && { params: body.params }),
  };
  const charged = await chargeNewJob(db, {
    jobId: id,
    customerId: actor.customerId,
    keyId: actor.keyId,
    productId: product.id,
    prompt: body.prompt,
    inputs,
    requestId: actor.requestId,
    // The id's own time: created_at filters can then be served by the (customer, id) keyset indexes.
    createdAt: new Date(decodeTime(id.slice(4))),
    queueLimit,
  });
  if ("job" in charged) return charged.job;
  switch (charged.reason) {
    case "no_product":
      throw invalidProduct(body.product);
    case "product_paused": {
      // Paused since this process last read the catalog: the refusal names it as it is now.
      forgetProducts();
      const current = await productForJob(body.product, db);
      if (!current) throw invalidProduct(body.product);
      assertProductActive(current);
      throw new DomainError("product_paused", { details: { product: product.id } });
    }
    case "insufficient_balance":
      throw new DomainError("insufficient_balance", {
        message: `This needs ${charged.required} credits; the balance is ${charged.available}.`,
        details: { required: charged.required, available: charged.available },
      });
    case "spend_limit":
      throw spendLimitError(charged);
    case "queue_full":
      throw new DomainError("queue_full", {
        message: `This key has ${charged.unfinished} unfinished jobs, the most it may have. Wait for some to finish.`,
        details: { unfinished: charged.unfinished, limit: charged.limit },
        retryAfter: 2,
      });
  }
}

function invalidProduct(id: string): DomainError {
  return new DomainError("invalid_product", {
    message: `No product ${id}. GET /products lists them.`,
    details: { product: id },
  });
}

function sourceImageRequired(needs: string): DomainError {
  return new DomainError("source_image_required", {
    message: `This product needs ${needs}: the URL of an upload of yours, or a public http(s) image URL.`,
    details: { field: needs },
  });
}

/** Fields that do not fit the product: an image it does not take, video params on an image product. */
function checkFields(product: ProductRow, body: CreateJobBody): void {
  if (product.needs && body[product.needs] === undefined) throw sourceImageRequired(product.needs);
  const fields: { path: string; message: string }[] = [];
  for (const field of PRODUCT_NEEDS) {
    if (body[field] === undefined || field === product.needs) continue;
    fields.push({
      path: field,
      message: product.needs
        ? `${product.id} takes ${product.needs}, not ${field}.`
        : `${product.id} takes no input image.`,
    });
  }
  if (product.kind !== "video" && body.params?.frames !== undefined) {
    fields.push({ path: "params.frames", message: "frames applies to video products only." });
  }
  if (fields.length) throw new DomainError("invalid_request", { details: { fields } });
}

async function hasStoredResponse(scope: string, key: string): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .select({ key: idempotencyKeys.key })
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.customerId, scope),
        eq(idempotencyKeys.key, key),
        isNotNull(idempotencyKeys.responseStatus),
        gt(
          idempotencyKeys.createdAt,
          sql`now() - interval '${sql.raw(String(IDEMPOTENCY_TTL_HOURS))} hours'`,
        ),
      ),
    );
  return rows.length > 0;
}
