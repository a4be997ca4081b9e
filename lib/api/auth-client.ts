/**
 * The three better-auth calls the console makes, as plain same-origin fetches: better-auth's browser
 * client (and its fetch and store libraries) would be ~12 kB of first-load JavaScript for them.
 */
export type AuthResult = { error: null } | { error: { code: string; message: string; status: number } };

async function post(path: string, body: Record<string, unknown>): Promise<AuthResult> {
  let res: Response;
  try {
    res = await fetch(`/api/auth${path}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    return {
      error: {
        code: "NETWORK_ERROR",
        message: "Could not reach the server. Check your connection.",
        status: 0,
      },
    };
  }
  if (res.ok) return { error: null };
  const data = (await res.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
  return {
    error: {
      code: typeof data?.code === "string" ? data.code : "",
      message: typeof data?.message === "string" ? data.message : res.statusText || `HTTP ${res.status}`,
      status: res.status,
    },
  };
}

export const authClient = {
  signIn: {
    email: (body: { email: string; password: string }) => post("/sign-in/email", body),
  },
  signUp: {
    email: (body: { email: string; password: string; name: string }) => post("/sign-up/email", body),
  },
  signOut: () => post("/sign-out", {}),
};
