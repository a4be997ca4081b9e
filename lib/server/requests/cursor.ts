import { DomainError } from "../errors";
import { isStorableMs } from "../query-time";

/** An opaque keyset cursor over (time, id), newest first. */
export type Keyset = { at: Date; id: string };

export function encodeKeyset(at: Date, id: string): string {
  return Buffer.from(`${at.getTime()}.${id}`).toString("base64url");
}

export function decodeKeyset(cursor: string, idPrefix: string): Keyset {
  const raw = Buffer.from(cursor, "base64url").toString();
  const dot = raw.indexOf(".");
  const ms = Number(raw.slice(0, dot));
  const id = raw.slice(dot + 1);
  if (dot < 1 || !isStorableMs(ms) || !new RegExp(`^${idPrefix}_[0-9A-Z]{26}$`).test(id)) {
    throw new DomainError("invalid_request", {
      message: "That cursor is not one this list gave out.",
      details: { fields: [{ path: "cursor", message: "Not a cursor from this list." }] },
    });
  }
  return { at: new Date(ms), id };
}
