import { headers } from "next/headers";
import { setServerTransport } from "@/lib/api/client";
import { getApiApp } from "../api/app";
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
  return getApiApp().fetch(new Request(new URL(url, "http://console.internal"), { ...init, headers: lent }));
}

setServerTransport(inProcessFetch);
