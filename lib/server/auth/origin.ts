import { env } from "../env";

/** The scheme and Host a request came to (the origin a same-origin page of ours has). */
export function ownOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("host") ?? url.host;
  return `${url.protocol}//${host}`;
}

/** The console's own origin: APP_URL when set, else the scheme and Host the request came to. */
export function appOrigin(request: Request): string {
  const configured = env().APP_URL;
  return configured ? new URL(configured).origin : ownOrigin(request);
}
