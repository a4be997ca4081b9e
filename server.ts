/**
 * The web process: a small Node server around Next's request handler. It derives the client IP from
 * the socket (X-Forwarded-For only from TRUSTED_PROXIES), replaces any client-sent copy of the internal
 * header with it, and owns SIGTERM (flush the request log, close the embedded database).
 */
import { createServer } from "node:http";
import next from "next";
import { assertProductionConfig } from "./lib/server/env";
import { shutdown } from "./lib/server/lifecycle";
import { CLIENT_IP_HEADER, clientIpOf } from "./lib/server/net/client-ip";
import { closeIfBodyUnread } from "./lib/server/net/keep-alive";
import { listenHost } from "./lib/server/net/listen";

const dev = process.env.NODE_ENV !== "production";
const port = Number(process.env.PORT ?? 3000);
const host = listenHost(process.env.HOST, dev);
const hostname = host ?? "localhost";

async function main() {
  assertProductionConfig();
  const app = next({ dev, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    delete req.headers[CLIENT_IP_HEADER];
    const ip = clientIpOf(req);
    if (ip) req.headers[CLIENT_IP_HEADER] = ip;
    closeIfBodyUnread(req, res);
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  console.log(`> Console and API on http://${hostname}:${port} (${dev ? "development" : "production"})`);

  // Open the database (migrate, seed) and start background work now, not on the first visitor's request.
  fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => {});

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`> ${signal}: shutting down`);
    server.close();
    server.closeIdleConnections();
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await shutdown();
    await app.close().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
