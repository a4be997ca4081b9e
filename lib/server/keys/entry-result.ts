/** One allowlist entry, validated: its canonical text, or why it was refused. */
export type EntryResult = { ok: true; value: string } | { ok: false; message: string };
