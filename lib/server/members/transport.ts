/**
 * How an invitation reaches the person. There is no email service to depend on: by default the link is
 * shown once in the console and the inviter shares it ("link"). An SMTP (or any) transport plugs in
 * here with setInvitationTransport() at start; none is configured by default.
 */
export type InvitationMessage = {
  to: string;
  customerName: string;
  role: string;
  invitedBy: string | null;
  url: string;
  expiresAt: Date;
};

export interface InvitationTransport {
  /** "link": nothing was sent, the console shows the link; "email": the transport sent it. */
  readonly kind: "link" | "email";
  send(message: InvitationMessage): Promise<void>;
}

/** The default: sends nothing; the console shows the link to copy. */
export const copyLinkTransport: InvitationTransport = { kind: "link", send: async () => {} };

const KEY = Symbol.for("genmedia.invitationTransport");
const g = globalThis as typeof globalThis & { [KEY]?: InvitationTransport };

export function invitationTransport(): InvitationTransport {
  return g[KEY] ?? copyLinkTransport;
}

export function setInvitationTransport(transport: InvitationTransport | undefined): void {
  g[KEY] = transport;
}
