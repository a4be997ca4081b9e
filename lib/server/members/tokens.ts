import { createHash, randomBytes } from "node:crypto";

/** An invitation's token: `gmi_` + 32 random bytes (base64url). Only its SHA-256 hash is stored. */
export function generateInvitationToken(): string {
  return `gmi_${randomBytes(32).toString("base64url")}`;
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The console's accept page for a token. */
export function invitationUrl(origin: string, token: string): string {
  return `${origin}/join?token=${encodeURIComponent(token)}`;
}
