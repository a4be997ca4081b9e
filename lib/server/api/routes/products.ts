import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { ProductListSchema } from "@/lib/api/contract/products.schema";
import { listProducts } from "../../products/products";
import { AUTH_ERRORS, requireAuth } from "../middleware/auth";
import { errorResponses, jsonContent, SECURITY } from "../openapi-helpers";
import type { ApiEnv } from "../types";

export const productRoutes = new OpenAPIHono<ApiEnv>();

productRoutes.openapi(
  createRoute({
    method: "get",
    path: "/products",
    tags: ["Products"],
    summary: "The product catalog",
    security: SECURITY,
    middleware: [requireAuth("any")] as const,
    responses: {
      200: jsonContent(ProductListSchema, "All products, paused ones included"),
      ...errorResponses(...AUTH_ERRORS.any),
    },
  }),
  async (c) => c.json({ data: await listProducts(), next_cursor: null }, 200),
);
