/**
 * `npx tsx bench/webhooks-latency.ts`: two numbers of issue 16, in one process.
 *  1. Delivery latency: from the commit of a state change (an event recorded in its transaction) to a
 *     local node:http receiver having the signed POST, through the real WebhookDeliverer (woken by
 *     LISTEN/NOTIFY, real clock). Sequential, BENCH_EVENTS of them.
 *  2. SSE fan-out: BENCH_CLIENTS streams of GET /events/stream open on one customer (the API app
 *     in-process, the same handler the server mounts); from the commit of an event to the last stream
 *     having it, BENCH_ROUNDS times.
 * On the embedded database by default, on Postgres with DATABASE_URL (a fresh database beside it).
 * A report, not a gate: the machine is shared.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { freshDatabase } from "../tests/support/fresh-database";
import { percentile, table, writeResult } from "./lib";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) process.env.DATABASE_URL = await freshDatabase(adminUrl, "webhooks_bench");
  else process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "webhooks-bench-"));
  Object.assign(process.env, {
    SEED_DEMO: "1",
    WEBHOOK_ALLOW_LOOPBACK: "1",
    BETTER_AUTH_SECRET: "bench-only-secret-0123456789abcdef",
  });
  const { getDb } = await import("../lib/server/db/client");
  const { shutdown } = await import("../lib/server/lifecycle");
  const { users } = await import("../lib/server/db/schema");
  const { eq } = await import("drizzle-orm");
  const { recordEvent } = await import("../lib/server/webhooks/events");
  const { createEndpoint } = await import("../lib/server/webhooks/endpoints");
  const { WebhookDeliverer } = await import("../lib/server/webhooks/worker");
  const { getApiApp } = await import("../lib/server/api/app");
  const { signIn, ORIGIN } = await import("../tests/support/api");

  const db = await getDb();
  const [demo] = await db.select().from(users).where(eq(users.email, "demo@example.com"));
  const customerId = demo!.customerId!;

  // 1. Delivery latency.
  const waiting = new Map<string, (at: number) => void>();
  const receiver = http.createServer((req, res) => {
    const at = performance.now();
    req.resume();
    req.on("end", () => {
      waiting.get(String(req.headers["webhook-id"]))?.(at);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const actor = { userId: demo!.id, email: demo!.email, role: "owner" };
  await createEndpoint(
    { customerId, actor, requestId: null },
    {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      events: ["top_up.succeeded"],
    },
  );
  const deliverer = new WebhookDeliverer({ name: "bench" });
  await deliverer.start();
  const latencies: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    let committed = 0;
    let id = "";
    const arrived = new Promise<number>((resolve) => {
      void db
        .transaction((tx) => recordEvent(tx, { customerId, type: "top_up.succeeded", data: { n: i } }))
        .then((eventId) => {
          committed = performance.now();
          id = eventId;
          waiting.set(id, resolve);
        });
    });
    latencies.push((await arrived) - committed);
    waiting.delete(id);
  }
  await deliverer.stop();
  receiver.close();

  // 2. SSE fan-out.
  const cookie = await signIn("demo@example.com", "demo-password-1");
  const app = getApiApp();
  const readers = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const res = await app.fetch(
        new Request(`${ORIGIN}/api/v1/events/stream`, { headers: { cookie, origin: ORIGIN } }),
      );
      if (res.status !== 200) throw new Error(`stream: ${res.status}`);
      return res.body!.getReader();
    }),
  );
  const decoder = new TextDecoder();
  const waitFor = async (reader: ReadableStreamDefaultReader<Uint8Array>, needle: string) => {
    let text = "";
    while (!text.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended");
      text += decoder.decode(value, { stream: true });
    }
    return performance.now();
  };
  await Promise.all(readers.map((r) => waitFor(r, "event: ready")));
  const fanout: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const id = await db.transaction((tx) =>
      recordEvent(tx, {
        customerId,
        type: "balance.low",
        data: { credits: round, low_balance_credits: 100 },
      }),
    );
    const committed = performance.now();
    const times = await Promise.all(readers.map((r) => waitFor(r, id)));
    fanout.push(Math.max(...times) - committed);
  }
  await Promise.all(readers.map((r) => r.cancel()));

  const result = {
    database: adminUrl ? "postgres" : "pglite",
    delivery_ms: { events: EVENTS, p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    sse_fanout_ms: {
      clients: CLIENTS,
      rounds: ROUNDS,
      p50: percentile(fanout, 50),
      p99: percentile(fanout, 99),
    },
    load: os.loadavg().map((l) => Math.round(l * 10) / 10),
  };
  console.log(
    table([
      ["measure", "n", "p50 ms", "p99 ms"],
      ["commit → receiver", EVENTS, result.delivery_ms.p50, result.delivery_ms.p99],
      [`commit → all ${CLIENTS} SSE clients`, ROUNDS, result.sse_fanout_ms.p50, result.sse_fanout_ms.p99],
    ]),
  );
  console.log(`database ${result.database}, load ${result.load.join(" ")}`);
  writeResult(`webhooks-latency-${result.database}`, result);
  await shutdown();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
