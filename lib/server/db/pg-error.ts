/** The Postgres SQLSTATE of an error, looking through wrappers (drizzle wraps driver errors in `cause`). */
export function pgErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = "23505";
export const LOCK_NOT_AVAILABLE = "55P03";
export const CHECK_VIOLATION = "23514";
export const NOT_NULL_VIOLATION = "23502";
