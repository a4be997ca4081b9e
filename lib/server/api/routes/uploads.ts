import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { UploadSchema } from "@/lib/api/contract/uploads.schema";
import { createHash } from "node:crypto";
import { env } from "../../env";
import { DomainError } from "../../errors";
import { getStore } from "../../storage/store";
import { boundaryOf, readMultipartFile } from "../../uploads/multipart";
import { getUploadOrThrow, storeUpload, toUploadDto } from "../../uploads/uploads";
import { appOrigin } from "../../auth/origin";
import { AUTH_ERRORS, customerIdOf, requireAuth } from "../middleware/auth";
import { errorResponses, idempotencyHeaders, jsonContent, SECURITY } from "../openapi-helpers";
import { idempotencyClaim, idempotent } from "../idempotent";
import type { ApiEnv } from "../types";
import { binaryContent, fileResponse } from "./files";

export const uploadRoutes = new OpenAPIHono<ApiEnv>();

const UploadIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, example: "upl_01JZ8Q4W4G6V1Y2Q3R4S5T6U7V" }),
});

uploadRoutes.openapi(
  createRoute({
    method: "post",
    path: "/uploads",
    tags: ["Uploads"],
    summary: "Upload an image (PNG, JPEG or WebP)",
    description:
      "multipart/form-data with the image in the field `file`. Read as it streams: past MAX_UPLOAD_BYTES " +
      "(default 10 MiB) reading stops and the answer is image_too_large with `max_bytes` and the `bytes` " +
      "seen; bytes that do not decode as PNG/JPEG/WebP → invalid_image. The `url` in the answer is stable " +
      "and can be given to a job as source_image_url / start_image_url. An upload no job uses is deleted " +
      "UPLOAD_RETENTION_HOURS (default 24) after it was stored. A customer's uploads may hold " +
      "UPLOAD_QUOTA_BYTES (default 1 GiB): past it, image_too_large with details.reason storage_quota. " +
      "With an Idempotency-Key, a retry of the same file replays the first upload.",
    security: SECURITY,
    middleware: [requireAuth("any", { body: "multipart" })] as const,
    request: {
      headers: idempotencyHeaders("the same file replays the first upload"),
      // A plain OpenAPI schema, not zod: the body is parsed by the streaming reader, never buffered whole.
      body: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              properties: { file: { type: "string", format: "binary" } },
              required: ["file"],
            },
          },
        },
      },
    },
    responses: {
      201: jsonContent(UploadSchema, "The stored upload"),
      ...errorResponses(
        ...AUTH_ERRORS.any,
        "invalid_request",
        "invalid_image",
        "image_too_large",
        "idempotency_conflict",
      ),
    },
  }),
  async (c) => {
    const customerId = customerIdOf(c);
    const boundary = boundaryOf(c.req.header("content-type"));
    const file = await readMultipartFile(c.req.raw.body, boundary, "file", env().MAX_UPLOAD_BYTES);
    const origin = appOrigin(c.req.raw);
    // The file's digest stands for the body: the same bytes under the same key replay, other bytes conflict.
    const digest = createHash("sha256").update(file.bytes).digest("hex");
    const upload = await idempotent(c, idempotencyClaim(c, { file_sha256: digest }), 201, async (tx) =>
      toUploadDto(await storeUpload(customerId, file.bytes, "file", tx), origin),
    );
    return c.json(upload, 201);
  },
);

uploadRoutes.openapi(
  createRoute({
    method: "get",
    path: "/uploads/{id}",
    tags: ["Uploads"],
    summary: "An upload's metadata",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { params: UploadIdParams },
    responses: {
      200: jsonContent(UploadSchema, "The upload"),
      ...errorResponses(...AUTH_ERRORS.any, "not_found"),
    },
  }),
  async (c) => {
    const row = await getUploadOrThrow(customerIdOf(c), c.req.valid("param").id);
    return c.json(toUploadDto(row, appOrigin(c.req.raw)), 200);
  },
);

uploadRoutes.openapi(
  createRoute({
    method: "get",
    path: "/uploads/{id}/content",
    tags: ["Uploads"],
    summary: "An upload's bytes",
    description: "The stable `url` of an upload, served with its real (decoded) content type.",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    request: { params: UploadIdParams },
    responses: {
      200: binaryContent("The image"),
      ...errorResponses(...AUTH_ERRORS.any, "not_found"),
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const row = await getUploadOrThrow(customerIdOf(c), id);
    const bytes = await getStore().get(row.storageKey);
    if (!bytes) throw new DomainError("not_found", { message: `No upload ${id}.` });
    return fileResponse(c, bytes, row.contentType, `${id}.${row.storageKey.split(".").pop()}`);
  },
);
