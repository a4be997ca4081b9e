/**
 * The API app served alone on node:http (`npm run api`), for scaling the API apart from the console.
 * Same app, same middleware; the client IP comes from the socket (getConnInfo-equivalent).
 */
import { createServer, type IncomingMessage, type RequestListener } from "node:http";
import { serve } from "@hono/node-server";
import { handleAuthRequest } from "../auth/handler";
import { getDb } from "../db/client";
import { assertProductionConfig } from "../env";
import { shutdown } from "../lifecycle";
import { clientIpOf } from "../net/client-ip";
import { closeIfBodyUnread } from "../net/keep-alive";
import { startMaintenance } from "../maintenance";
import { startConfiguredWorker } from "../worker/in-process";
import { getApiApp } from "./app";

const port = Number(process.env.API_PORT ?? process.env.PORT ?? 3001);
const hostname = process.env.HOST ?? "127.0.0.1";

async function main() {
  assertProductionConfig();
  await getDb();
  await startConfiguredWorker({ embeddedOnly: true });
  startMaintenance();
  const app = getApiApp();
  // Console sign-in endpoints too, so a replica can serve a whole session on its own.
  const fetch: typeof app.fetch = (request, env, ctx) => {
    if (!new URL(request.url).pathname.startsWith("/api/auth/")) return app.fetch(request, env, ctx);
    const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
    return handleAuthRequest(request, incoming ? clientIpOf(incoming) : null);
  };
  // Every response whose request body was not all read closes its connection cleanly (net/keep-alive).
  const guarded = ((options: object, listener: RequestListener) =>
    createServer(options, (req, res) => {
      closeIfBodyUnread(req, res);
      listener(req, res);
    })) as unknown as typeof createServer;
  const server = serve({ fetch, port, hostname, createServer: guarded }, (info) => {
    console.log(`> API on http://${hostname}:${info.port}/api/v1`);
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await shutdown();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
