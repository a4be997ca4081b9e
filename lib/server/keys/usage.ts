import { eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { apiKeys } from "../db/schema";

const EVERY_MS = 60_000;
const KEY = Symbol.for("genmedia.key-usage");
const g = globalThis as typeof globalThis & { [KEY]?: Map<string, number> };
const lastWrite = (g[KEY] ??= new Map());

/**
 * Records a key's last use (time, IP, origin) at most once a minute per key, off the request's path:
 * the request never waits for it, and a failed write is logged, never surfaced.
 */
export function touchKeyUsage(
  keyId: string,
  ip: string | null,
  origin: string | null,
  now = Date.now(),
): void {
  const last = lastWrite.get(keyId);
  if (last !== undefined && now - last < EVERY_MS) return;
  if (lastWrite.size > 50_000) {
    for (const [id, at] of lastWrite) if (now - at >= EVERY_MS) lastWrite.delete(id);
  }
  lastWrite.set(keyId, now);
  void (async () => {
    const db = await getDb();
    await db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now), lastUsedIp: ip, lastUsedOrigin: origin?.slice(0, 500) ?? null })
      .where(eq(apiKeys.id, keyId));
  })().catch((error: unknown) => {
    console.error(
      JSON.stringify({ level: "warn", msg: "key_usage_unwritten", key_id: keyId, error: String(error) }),
    );
  });
}

/** Tests: forget the throttle so the next use writes at once. */
export function resetKeyUsageThrottle(): void {
  lastWrite.clear();
}
