import { DomainError } from "./errors";

/** The opaque cursor of a list ordered by id (newest first): base64url of the last id on the page. */
export function idCursor(id: string): string {
  return Buffer.from(id).toString("base64url");
}

/**
 * The id a cursor of that list names. `pattern` is the list's id shape (`/^key_[0-9A-Z]{26}$/`): what
 * decodes to anything else was not given out by the list, and is refused as the `cursor` field's error.
 */
export function idFromCursor(cursor: string, pattern: RegExp): string {
  const id = Buffer.from(cursor, "base64url").toString();
  if (!pattern.test(id)) {
    throw new DomainError("invalid_request", {
      message: "That cursor is not one this list gave out.",
      details: { fields: [{ path: "cursor", message: "Not a cursor from this list." }] },
    });
  }
  return id;
}
