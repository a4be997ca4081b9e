import { z } from "@hono/zod-openapi";
import type { ZodType } from "zod";
import { ErrorEnvelopeSchema } from "@/lib/api/contract/common.schema";
import { ERROR_CODES, type ErrorCode } from "@/lib/api/contract/error-codes";

export const jsonContent = <T extends ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/** OpenAPI response entries for the catalog codes a route can answer with. */
export function errorResponses(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CODES[code].status;
    if (status) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [status, jsonContent(ErrorEnvelopeSchema, list.join(", "))]),
  );
}

export const idParam = (name: string, example: string) =>
  z.object({
    [name]: z
      .string()
      .min(1)
      .max(100)
      .openapi({ param: { name, in: "path" }, example }),
  });

export const SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

/** The optional `Idempotency-Key` header of a POST; `replays` says what a retry with it gets back. */
export const idempotencyHeaders = (replays: string) =>
  z.object({
    "idempotency-key": z
      .string()
      .optional()
      .openapi({
        param: { name: "idempotency-key", in: "header" },
        description: `1–255 printable characters; a retry with the same key and ${replays}.`,
      }),
  });
