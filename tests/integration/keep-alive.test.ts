import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A client that uploads a too-large file and then does anything else on the same keep-alive
// connection must get an answer, not ECONNRESET / "socket hang up": the refusal goes out with
// `Connection: close` and the connection is closed cleanly (lib/server/net/keep-alive.ts). Against a
// real `npm run api` process: only a socket shows it. server.ts (Next) wraps its handler the same way.

type Answer = { status: number; connection?: string; body: string; socket: net.Socket };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function send(
  agent: http.Agent,
  url: string,
  method: string,
  headers: http.OutgoingHttpHeaders,
  body?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          connection: res.headers.connection,
          body: Buffer.concat(chunks).toString(),
          socket: req.socket!,
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("keep-alive after a refused upload (npm run api)", () => {
  let child: ChildProcess | undefined;
  let base = "";
  let secret = "";
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "genmedia-keepalive-"));

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ["--import", "tsx", "lib/server/api/server.ts"], {
      env: {
        ...process.env,
        API_PORT: String(port),
        APP_URL: base,
        // Its own embedded database (never the one this test process holds open), or the shared Postgres.
        DATA_DIR: dataDir,
        SEED_DEMO: "1",
        IN_PROCESS_WORKER: "0",
        MAX_UPLOAD_BYTES: "100000",
      },
      stdio: "ignore",
    });
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm run api exited with ${child.exitCode}`);
      const up = await fetch(`${base}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error("npm run api did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: "demo@example.com", password: "demo-password-1" }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const key = await fetch(`${base}/api/v1/keys`, {
      method: "POST",
      headers: { cookie, origin: base, "content-type": "application/json" },
      body: JSON.stringify({ name: "keep-alive test" }),
    });
    expect(key.status).toBe(201);
    secret = ((await key.json()) as { secret: string }).secret;
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function multipart(bytes: number): { body: Buffer; type: string } {
    const boundary = "----keep-alive-test";
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.alloc(bytes, 1),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { body, type: `multipart/form-data; boundary=${boundary}` };
  }

  // @code:image_too_large
  it("image_too_large is answered with Connection: close, and the client's next request is answered", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const auth = { authorization: `Bearer ${secret}` };
    try {
      for (const size of [150_000, 3_000_000]) {
        const { body, type } = multipart(size);
        const refused = await send(
          agent,
          `${base}/api/v1/uploads`,
          "POST",
          { ...auth, "content-type": type, "content-length": body.length },
          body,
        );
        expect(refused.status).toBe(400);
        expect(JSON.parse(refused.body).error.code).toBe("image_too_large");
        expect(refused.connection).toBe("close");
        // The same client, straight after: a new connection, answered.
        const next = await send(agent, `${base}/api/v1/balance`, "GET", auth);
        expect(next.status).toBe(200);
        expect(next.socket).not.toBe(refused.socket);
      }
      // A request whose body was read whole keeps its connection.
      const first = await send(agent, `${base}/api/v1/balance`, "GET", auth);
      const second = await send(agent, `${base}/api/v1/balance`, "GET", auth);
      expect(first.connection).toBe("keep-alive");
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });
});
