import type { Context } from "hono";
import { DomainError } from "../../errors";
import type { ApiEnv } from "../types";

/** Bearer key authentication. Keys arrive with the keys feature; until then every key is unknown. */
export async function authenticateKey(_c: Context<ApiEnv>, _authorization: string): Promise<never> {
  throw new DomainError("authentication_failed", { message: "Unknown API key." });
}
