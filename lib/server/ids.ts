import { monotonicFactory } from "ulid";

const next = monotonicFactory();

export type IdPrefix = "req" | "job" | "key" | "cus" | "upl" | "top" | "led" | "aud";

/** Prefixed, time-sortable ids: `req_01J…`. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${next()}`;
}
