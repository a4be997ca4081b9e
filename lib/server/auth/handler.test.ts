// @vitest-environment node
import { afterEach, describe, expect, it, vi } from "vitest";

const state = vi.hoisted(() => ({
  handler: async (_request: Request): Promise<Response> => new Response(null, { status: 200 }),
  ping: async (): Promise<void> => {},
}));
vi.mock("./auth", () => ({ getAuth: async () => ({ handler: (r: Request) => state.handler(r) }) }));
vi.mock("../db/client", () => ({ pingDb: () => state.ping() }));
vi.mock("../ratelimit/limiter", () => ({ takeSignInAttempt: async () => async () => {} }));

const { handleAuthRequest } = await import("./handler");
const { redactedError } = await import("./log");
const { CLIENT_IP_HEADER } = await import("../net/client-ip");

const signIn = () =>
  new Request("http://localhost:3000/api/auth/sign-in/email", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "a@example.com", password: "secret-password" }),
  });

/** What drizzle throws when the pool cannot connect: the query and its parameters in the message. */
const driverError = () =>
  Object.assign(
    new Error('Failed query: select * from "sessions" where "token" = $1\nparams: tok_SECRET_123'),
    {
      name: "DrizzleQueryError",
      params: ["tok_SECRET_123"],
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    },
  );

async function expectEnvelope(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; request_id: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.request_id).toMatch(/^req_/);
  expect(res.headers.get("x-request-id")).toBe(body.error.request_id);
}

afterEach(() => {
  state.handler = async () => new Response(null, { status: 200 });
  state.ping = async () => {};
  vi.restoreAllMocks();
});

describe("auth endpoints while the database is down", () => {
  it("a driver error better-auth rethrows → 503 service_unavailable in the envelope, with Retry-After", async () => {
    state.handler = async () => {
      throw driverError();
    };
    const res = await handleAuthRequest(signIn(), "127.0.0.1");
    expect(res.headers.get("retry-after")).toBe("2");
    await expectEnvelope(res, 503, "service_unavailable");
  });

  it("better-auth's own 500 (it caught the error itself) → 503 when the database does not answer", async () => {
    state.handler = async () => Response.json({ code: "FAILED_TO_GET_SESSION" }, { status: 500 });
    state.ping = async () => {
      throw driverError();
    };
    await expectEnvelope(await handleAuthRequest(signIn(), "127.0.0.1"), 503, "service_unavailable");
  });

  it("anything else → 500 internal_error in the envelope, logged without the query's parameters", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    state.handler = async () => {
      throw Object.assign(new Error('Failed query: insert into "sessions"\nparams: tok_SECRET_123'), {
        cause: new Error("boom"),
      });
    };
    await expectEnvelope(await handleAuthRequest(signIn(), "127.0.0.1"), 500, "internal_error");
    const lines = log.mock.calls.map((c) => c.join(" ")).join("\n");
    expect(lines).toContain("unhandled auth error");
    expect(lines).not.toContain("tok_SECRET_123");
  });
});

describe("redactedError", () => {
  it("keeps the failed query and the causes' codes, never the parameters", () => {
    const text = redactedError(driverError());
    expect(text).toContain('Failed query: select * from "sessions"');
    expect(text).toContain("[ECONNREFUSED]");
    expect(text).not.toContain("tok_SECRET_123");
  });
});

describe("the client-IP header better-auth reads", () => {
  const spoofed = () => {
    const request = signIn();
    request.headers.set(CLIENT_IP_HEADER, "6.6.6.6");
    return request;
  };
  const seen = () => {
    const headers: (string | null)[] = [];
    state.handler = async (request) => {
      headers.push(request.headers.get(CLIENT_IP_HEADER));
      return new Response(null, { status: 200 });
    };
    return headers;
  };

  it("is replaced by the socket's address on the standalone API server", async () => {
    const headers = seen();
    await handleAuthRequest(spoofed(), "203.0.113.7");
    expect(headers).toEqual(["203.0.113.7"]);
  });

  it("is dropped when the socket's address is unknown", async () => {
    const headers = seen();
    await handleAuthRequest(spoofed(), null);
    expect(headers).toEqual([null]);
  });
});
