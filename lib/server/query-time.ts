/**
 * Times a client may put in a filter or a cursor, clamped to what the database and our ids can hold.
 * Every stored time lies in [1970, 9999], so clamping a filter there changes no answer; outside it,
 * Postgres refuses year 0 and negative years, and ulid refuses times before 1970 (each was a 500).
 */
export const MIN_QUERY_MS = 0;
export const MAX_QUERY_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function clampQueryMs(ms: number): number {
  return Math.min(MAX_QUERY_MS, Math.max(MIN_QUERY_MS, ms));
}

/** An RFC 3339 time (already validated by the schema) as a Date inside the storable range. */
export function clampQueryTime(iso: string): Date {
  return new Date(clampQueryMs(Date.parse(iso)));
}

export function isStorableMs(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms >= MIN_QUERY_MS && ms <= MAX_QUERY_MS;
}
