import { env } from "../env";

/** The console's own origin: APP_URL when set, else the scheme and Host the request came to. */
export function appOrigin(request: Request): string {
  const configured = env().APP_URL;
  if (configured) return new URL(configured).origin;
  const url = new URL(request.url);
  const host = request.headers.get("host") ?? url.host;
  return `${url.protocol}//${host}`;
}
