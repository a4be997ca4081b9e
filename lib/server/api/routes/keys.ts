import { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiEnv } from "../types";

/** /keys routes (the keys feature). */
export const keyRoutes = new OpenAPIHono<ApiEnv>();
