import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ErrorEnvelopeSchema } from "@/lib/api/contract/common.schema";
import {
  CreateJobBodySchema,
  JobExportQuerySchema,
  JobListQuerySchema,
  JobListSchema,
  JobSchema,
} from "@/lib/api/contract/jobs.schema";
import { env } from "../../env";
import { cancelJob, retryJob } from "../../jobs/actions";
import { createJob, type JobActor, prepareJob } from "../../jobs/create";
import { toJobDto } from "../../jobs/dto";
import { exportJobsCsv } from "../../jobs/export";
import { getJobRowOrThrow, jobNotFound, listJobs } from "../../jobs/list";
import { notifyJobQueued } from "../../jobs/signal";
import type { StoredOutput } from "../../jobs/dto";
import { getStore } from "../../storage/store";
import { appOrigin } from "../../auth/origin";
import { AUTH_ERRORS, customerIdOf, requireAuth } from "../middleware/auth";
import { errorResponses, idempotencyHeaders, jsonContent, SECURITY } from "../openapi-helpers";
import { idempotencyClaim, idempotent } from "../idempotent";
import type { ApiEnv } from "../types";
import { binaryContent, fileResponse } from "./files";

export const jobRoutes = new OpenAPIHono<ApiEnv>();

const IdempotencyHeaders = idempotencyHeaders("body replays the first response");

/** Who acts: the customer, the key (null for a console session), the request. */
function jobActorOf(c: Context<ApiEnv>): JobActor {
  const auth = c.get("auth");
  return {
    customerId: customerIdOf(c),
    keyId: auth?.kind === "key" ? auth.keyId : null,
    requestId: c.get("requestId"),
  };
}

const JobIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "job_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V" }),
});

jobRoutes.openapi(
  createRoute({
    method: "post",
    path: "/jobs",
    tags: ["Jobs"],
    summary: "Create a generation job",
    description:
      "Debits the product's price atomically and queues the job. Checks, in order: invalid_request, " +
      "invalid_product, product_paused, source_image_required, invalid_image / image_too_large (for the " +
      "referenced image; image_too_large with details.reason storage_quota past UPLOAD_QUOTA_BYTES; 503 " +
      "service_unavailable when MAX_CONCURRENT_REMOTE_FETCHES image URLs are being fetched for longer than " +
      "the 10 s fetch deadline), service_unavailable (502, the backend cannot take work), insufficient_balance, " +
      "queue_full (key-authenticated requests: MAX_UNFINISHED_JOBS_PER_KEY queued+running jobs per key).",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: {
      headers: IdempotencyHeaders,
      body: { content: { "application/json": { schema: CreateJobBodySchema } }, required: true },
    },
    responses: {
      201: jsonContent(JobSchema, "The queued job"),
      ...errorResponses(
        ...AUTH_ERRORS.any,
        "invalid_request",
        "invalid_product",
        "source_image_required",
        "invalid_image",
        "image_too_large",
        "insufficient_balance",
        "product_paused",
        "idempotency_conflict",
        "queue_full",
        "service_unavailable",
      ),
      502: jsonContent(
        ErrorEnvelopeSchema,
        "service_unavailable: the generation backend cannot take work now",
      ),
    },
  }),
  async (c) => {
    const actor = jobActorOf(c);
    const body = c.req.valid("json");
    const claim = idempotencyClaim(c, body);
    const input = {
      body,
      prepared: await prepareJob(actor, body, claim),
      origin: appOrigin(c.req.raw),
      queueLimit: env().MAX_UNFINISHED_JOBS_PER_KEY,
    };
    // Without an Idempotency-Key, no transaction around it: createJob commits on its own.
    const job = claim
      ? await idempotent(c, claim, 201, (tx) => createJob(tx, actor, input))
      : await createJob(null, actor, input);
    c.set("jobId", job.id);
    notifyJobQueued();
    return c.json(job, 201);
  },
);

jobRoutes.openapi(
  createRoute({
    method: "get",
    path: "/jobs",
    tags: ["Jobs"],
    summary: "List jobs, newest first",
    description: "Keyset-paginated: pass `next_cursor` back as `cursor`. Filters combine with AND.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { query: JobListQuerySchema },
    responses: {
      200: jsonContent(JobListSchema, "A page of jobs"),
      ...errorResponses(...AUTH_ERRORS.any, "invalid_request", "not_found"),
    },
  }),
  async (c) => c.json(await listJobs(customerIdOf(c), c.req.valid("query"), appOrigin(c.req.raw)), 200),
);

// Registered before /jobs/{id}, which would otherwise take "export.csv" for an id.
jobRoutes.openapi(
  createRoute({
    method: "get",
    path: "/jobs/export.csv",
    tags: ["Jobs"],
    summary: "Export jobs as CSV",
    description:
      "The whole filtered set (same filters as GET /jobs), newest first, streamed. Cells a spreadsheet " +
      "would run as formulas (starting = + - @, after any leading spaces) are prefixed with an apostrophe; " +
      "cells holding a ; are quoted.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { query: JobExportQuerySchema },
    responses: {
      200: {
        content: { "text/csv": { schema: { type: "string" as const } } },
        description: "CSV with a header row",
      },
      ...errorResponses(...AUTH_ERRORS.any, "invalid_request", "not_found"),
    },
  }),
  (c) => {
    const stream = exportJobsCsv(customerIdOf(c), c.req.valid("query"), appOrigin(c.req.raw));
    return c.body(stream, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="jobs.csv"',
      "Cache-Control": "no-store",
    });
  },
);

jobRoutes.openapi(
  createRoute({
    method: "get",
    path: "/jobs/{id}",
    tags: ["Jobs"],
    summary: "A job",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { params: JobIdParams },
    responses: {
      200: jsonContent(JobSchema, "The job"),
      ...errorResponses(...AUTH_ERRORS.any, "not_found"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    c.set("jobId", id);
    const row = await getJobRowOrThrow(customerIdOf(c), id);
    return c.json(toJobDto(row, appOrigin(c.req.raw)), 200);
  },
);

jobRoutes.openapi(
  createRoute({
    method: "get",
    path: "/jobs/{id}/output",
    tags: ["Jobs"],
    summary: "A succeeded job's output bytes",
    description:
      "The stable URL in `output.url`. Served with the output's content type (image/png, or image/webp " +
      "for video products: an animated WebP); immutable once the job has succeeded.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { params: JobIdParams },
    responses: {
      200: binaryContent("The output image"),
      ...errorResponses(...AUTH_ERRORS.any, "not_found"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    c.set("jobId", id);
    const row = await getJobRowOrThrow(customerIdOf(c), id);
    const output = row.output as StoredOutput | null;
    const bytes = output ? await getStore().get(output.storage_key) : null;
    if (!output || !bytes) throw jobNotFound(`${id}/output`);
    return fileResponse(c, bytes, output.content_type, `${id}.${output.storage_key.split(".").pop()}`);
  },
);

jobRoutes.openapi(
  createRoute({
    method: "post",
    path: "/jobs/{id}/retry",
    tags: ["Jobs"],
    summary: "Retry a failed job",
    description: "Only from `failed` (else 409 invalid_state). Debits the price again and re-queues the job.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { params: JobIdParams, headers: IdempotencyHeaders },
    responses: {
      200: jsonContent(JobSchema, "The re-queued job"),
      ...errorResponses(
        ...AUTH_ERRORS.any,
        "invalid_request",
        "not_found",
        "invalid_state",
        "insufficient_balance",
        "product_paused",
        "queue_full",
        "idempotency_conflict",
        "service_unavailable",
      ),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    c.set("jobId", id);
    const actor = jobActorOf(c);
    const origin = appOrigin(c.req.raw);
    const limit = env().MAX_UNFINISHED_JOBS_PER_KEY;
    const job = await idempotent(c, idempotencyClaim(c, {}), 200, async (tx) =>
      toJobDto(await retryJob(tx, actor, id, limit), origin),
    );
    notifyJobQueued();
    return c.json(job, 200);
  },
);

jobRoutes.openapi(
  createRoute({
    method: "post",
    path: "/jobs/{id}/cancel",
    tags: ["Jobs"],
    summary: "Cancel a queued job",
    description: "Only from `queued` (else 409 invalid_state). Refunds the job's charge.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { params: JobIdParams, headers: IdempotencyHeaders },
    responses: {
      200: jsonContent(JobSchema, "The canceled job"),
      ...errorResponses(
        ...AUTH_ERRORS.any,
        "invalid_request",
        "not_found",
        "invalid_state",
        "idempotency_conflict",
      ),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    c.set("jobId", id);
    const actor = jobActorOf(c);
    const origin = appOrigin(c.req.raw);
    const job = await idempotent(c, idempotencyClaim(c, {}), 200, async (tx) =>
      toJobDto(await cancelJob(tx, actor, id), origin),
    );
    return c.json(job, 200);
  },
);
