import { getApiApp } from "@/lib/server/api/app";

export const ORIGIN = "http://localhost:3000";

/**
 * Calls the API: in-process by default, or over HTTP against a running server when API_BASE_URL is
 * set (the same tests then prove `npm run api` and the mounted app alike).
 */
export async function api(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  const base = process.env.API_BASE_URL ?? ORIGIN;
  const request = new Request(new URL(`/api/v1${path}`, base), { ...init, headers, body });
  if (process.env.API_BASE_URL) return fetch(request);
  return getApiApp().fetch(request);
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Signs a seeded or new console user in through better-auth; returns the Cookie header value. */
export async function signIn(email: string, password: string): Promise<string> {
  const res = await authCall("/sign-in/email", { email, password });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookieFrom(res);
}

export async function signUp(email: string, password: string, name = "Test User"): Promise<string> {
  const res = await authCall("/sign-up/email", { email, password, name });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  return cookieFrom(res);
}

export async function authCall(path: string, body: unknown, cookie?: string): Promise<Response> {
  const headers = new Headers({ "content-type": "application/json", origin: ORIGIN });
  if (cookie) headers.set("cookie", cookie);
  const base = process.env.API_BASE_URL ?? ORIGIN;
  const request = new Request(new URL(`/api/auth${path}`, base), {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  if (process.env.API_BASE_URL) return fetch(request);
  const { getAuth } = await import("@/lib/server/auth/auth");
  return (await getAuth()).handler(request);
}

function cookieFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

export function uniqueEmail(tag = "user") {
  return `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
}
