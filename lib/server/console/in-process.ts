import { headers } from "next/headers";
import { setServerTransport } from "@/lib/api/client";
import { getApiApp } from "../api/app";
import { appOrigin } from "../auth/origin";
import { CLIENT_IP_HEADER } from "../net/client-ip";

/** What a page request lends the API call it makes for itself: who is signed in, and from where. */
const LENT_HEADERS = ["cookie", CLIENT_IP_HEADER, "user-agent"];

/**
 * A console query run while the server renders a page: the same request the browser would send,
 * answered by the API app in this process (same routes, same DTOs, same error envelopes, logged in the
 * request log like any other call), with the page request's cookie and client address.
 */
export async function inProcessFetch(url: string, init: RequestInit): Promise<Response> {
  const incoming = await headers();
  const lent = new Headers(init.headers);
  for (const name of LENT_HEADERS) {
    const value = incoming.get(name);
    if (value) lent.set(name, value);
  }
  const target = new URL(url, "http://console.internal");
  // The caller is the console itself, so its reads sent as POST (the support lookup keeps a pasted
  // secret out of URLs) carry the console's own origin, as the browser's would.
  if (init.method && init.method !== "GET") lent.set("origin", appOrigin(new Request(target)));
  return getApiApp().fetch(new Request(target, { ...init, headers: lent }));
}

setServerTransport(inProcessFetch);
