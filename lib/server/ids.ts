import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulid";

// ulid's own PRNG asks the OS for one byte per character (16 calls per id, a few % of a request's
// CPU): the same bytes are drawn here from a pooled buffer, refilled 4 KiB at a time.
const pool = Buffer.alloc(4096);
let used = pool.length;
function pooledByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++]! / 256;
}

const next = monotonicFactory(pooledByte);

export type IdPrefix =
  | "req"
  | "job"
  | "key"
  | "cus"
  | "upl"
  | "top"
  | "led"
  | "aud"
  | "evt"
  | "we"
  | "msg"
  | "wa"
  | "sal"
  | "usr"
  | "inv";

/** Prefixed, time-sortable ids: `req_01J…`. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${next()}`;
}
