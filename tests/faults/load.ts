/**
 * The mixed load: virtual users acting for several customers at once — creating jobs (some failing on
 * purpose through the test triggers), listing and paging, reading jobs, balance and ledger, topping up
 * in test mode, retrying failed jobs, cancelling, replaying Idempotency-Keys — and idempotent clients
 * that retry one request through any outage until it converges.
 */
import { randomUUID } from "node:crypto";
import { generateSecret } from "@/lib/server/keys/secret";
import { type Client, type Sample, sleep } from "./lib";

export type Customer = {
  email: string;
  cookie: string;
  key: string;
  jobs: string[];
  failed: string[];
  cursors: string[];
  /** Idempotency-Keys this customer sent, with the job ids their 2xx answers named. */
  idempotent: Map<string, { body: CreateBody; jobIds: Set<string>; replays: number; stored: number[] }>;
};

type CreateBody = {
  product: string;
  prompt: string;
  params: { width: number; height: number; seed: number };
};

export function newCustomer(email: string, cookie: string, key: string): Customer {
  return { email, cookie, key, jobs: [], failed: [], cursors: [], idempotent: new Map() };
}

const pick = <T>(items: T[]): T | undefined => items[Math.floor(Math.random() * items.length)];

/** A prompt: mostly plain, some failing on purpose (docs/test-triggers.md). */
function prompt(): { prompt: string; trigger: string } {
  const r = Math.random();
  const trigger = r < 0.1 ? "!fail" : r < 0.2 ? "!fail-once" : r < 0.23 ? "!unavailable" : "";
  return { prompt: `load ${randomUUID().slice(0, 8)} ${trigger}`.trim(), trigger: trigger || "none" };
}

function createBody(text: string): CreateBody {
  // Small images: the load measures the API, not the demo renderer.
  return {
    product: "text-to-image",
    prompt: text,
    params: { width: 64, height: 64, seed: Math.floor(Math.random() * 1e6) },
  };
}

type Op = { name: string; weight: number; run: (c: Client, cu: Customer) => Promise<Sample> };

function remember(cu: Customer, s: Sample) {
  const id = (s.body as { id?: string } | null)?.id;
  if (s.status === 201 && id?.startsWith("job_")) {
    cu.jobs.push(id);
    if (cu.jobs.length > 200) cu.jobs.shift();
  }
}

const OPS: Op[] = [
  {
    name: "POST /jobs",
    weight: 22,
    run: async (c, cu) => {
      const { prompt: text, trigger } = prompt();
      const s = await c.call(
        `POST /jobs (${trigger})`,
        "POST",
        "/api/v1/jobs",
        { key: cu.key },
        {
          json: createBody(text),
        },
      );
      remember(cu, s);
      return s;
    },
  },
  {
    name: "POST /jobs (Idempotency-Key, new or replayed)",
    weight: 6,
    run: async (c, cu) => {
      const reuse = cu.idempotent.size > 0 && Math.random() < 0.5;
      const key = reuse ? pick([...cu.idempotent.keys()])! : `load-${randomUUID()}`;
      const entry = cu.idempotent.get(key) ?? {
        body: createBody(`idem ${key}`),
        jobIds: new Set<string>(),
        replays: 0,
        stored: [],
      };
      cu.idempotent.set(key, entry);
      const s = await c.call(
        "POST /jobs (idempotent)",
        "POST",
        "/api/v1/jobs",
        { key: cu.key },
        {
          json: entry.body,
          headers: { "idempotency-key": key },
        },
      );
      recordIdempotent(entry, s);
      remember(cu, s);
      return s;
    },
  },
  {
    name: "GET /jobs",
    weight: 18,
    run: async (c, cu) => {
      const r = Math.random();
      const query =
        r < 0.15
          ? "?status=failed&limit=20"
          : r < 0.25
            ? "?status=succeeded&limit=10"
            : r < 0.45 && cu.cursors.length
              ? `?cursor=${encodeURIComponent(pick(cu.cursors)!)}&limit=20`
              : "?limit=20";
      const s = await c.call("GET /jobs", "GET", `/api/v1/jobs${query}`, { key: cu.key });
      const body = s.body as { data?: { id: string; status: string }[]; next_cursor?: string | null } | null;
      if (s.status === 200 && body?.data) {
        for (const job of body.data) if (job.status === "failed") cu.failed.push(job.id);
        if (cu.failed.length > 50) cu.failed.splice(0, cu.failed.length - 50);
        if (body.next_cursor) cu.cursors.push(body.next_cursor);
        if (cu.cursors.length > 20) cu.cursors.shift();
      }
      return s;
    },
  },
  {
    name: "GET /jobs (console session)",
    weight: 4,
    run: (c, cu) => c.call("GET /jobs (session)", "GET", "/api/v1/jobs?limit=20", { cookie: cu.cookie }),
  },
  {
    name: "GET /jobs/{id}",
    weight: 12,
    run: async (c, cu) => {
      const id = pick(cu.jobs);
      if (!id) return c.call("GET /balance", "GET", "/api/v1/balance", { key: cu.key });
      return c.call("GET /jobs/{id}", "GET", `/api/v1/jobs/${id}`, { key: cu.key });
    },
  },
  {
    name: "GET /balance",
    weight: 10,
    run: (c, cu) => c.call("GET /balance", "GET", "/api/v1/balance", { key: cu.key }),
  },
  {
    name: "GET /ledger",
    weight: 5,
    run: (c, cu) => c.call("GET /ledger", "GET", "/api/v1/ledger?limit=20", { key: cu.key }),
  },
  {
    name: "GET /products",
    weight: 3,
    run: (c, cu) => c.call("GET /products", "GET", "/api/v1/products", { key: cu.key }),
  },
  {
    name: "POST /top-ups",
    weight: 4,
    run: (c, cu) =>
      c.call("POST /top-ups", "POST", "/api/v1/top-ups", { key: cu.key }, { json: { pack: "pack_growth" } }),
  },
  {
    name: "POST /top-ups (console session)",
    weight: 1,
    run: (c, cu) =>
      c.call(
        "POST /top-ups (session)",
        "POST",
        "/api/v1/top-ups",
        { cookie: cu.cookie },
        {
          json: { pack: "pack_starter" },
        },
      ),
  },
  {
    name: "POST /jobs/{id}/retry",
    weight: 4,
    run: async (c, cu) => {
      const id = cu.failed.shift() ?? pick(cu.jobs);
      if (!id) return c.call("GET /balance", "GET", "/api/v1/balance", { key: cu.key });
      return c.call("POST /jobs/{id}/retry", "POST", `/api/v1/jobs/${id}/retry`, { key: cu.key });
    },
  },
  {
    name: "POST /jobs/{id}/cancel",
    weight: 4,
    run: async (c, cu) => {
      const id = cu.jobs[cu.jobs.length - 1];
      if (!id) return c.call("GET /balance", "GET", "/api/v1/balance", { key: cu.key });
      return c.call("POST /jobs/{id}/cancel", "POST", `/api/v1/jobs/${id}/cancel`, { key: cu.key });
    },
  },
  {
    name: "GET /requests",
    weight: 3,
    run: (c, cu) => c.call("GET /requests", "GET", "/api/v1/requests?limit=20", { key: cu.key }),
  },
  {
    // Well-formed (valid checksum) but unknown: it takes a database look-up, so an outage shows.
    name: "unknown key (401)",
    weight: 1,
    run: (c) => c.call("GET /balance (unknown key)", "GET", "/api/v1/balance", { key: generateSecret() }),
  },
];

const TOTAL_WEIGHT = OPS.reduce((n, op) => n + op.weight, 0);

function chooseOp(): Op {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const op of OPS) {
    r -= op.weight;
    if (r < 0) return op;
  }
  return OPS[0]!;
}

function recordIdempotent(
  entry: { jobIds: Set<string>; replays: number; stored: number[] },
  s: Sample,
): void {
  const id = (s.body as { id?: string } | null)?.id;
  if (s.status >= 200 && s.status < 300 && id) entry.jobIds.add(id);
  if (s.replayed) entry.replays++;
  if (
    s.status > 0 &&
    s.status !== 503 &&
    s.status !== 429 &&
    !(s.status === 409 && s.code === "idempotency_conflict")
  )
    entry.stored.push(s.status);
}

/** Virtual users, each looping over random operations for random customers until `stop()`. */
export async function mixedLoad(opts: {
  client: Client;
  customers: Customer[];
  vus: number;
  stop: () => boolean;
  onSample: (s: Sample) => void;
  /** Pause between a user's requests (0 = closed loop, as fast as answers come). */
  thinkMs?: number;
}): Promise<void> {
  await Promise.all(
    Array.from({ length: opts.vus }, async (_, vu) => {
      while (!opts.stop()) {
        const cu = opts.customers[vu % opts.customers.length]!;
        const s = await chooseOp().run(opts.client, cu);
        opts.onSample(s);
        // Connection refused etc.: do not spin.
        if (s.status === 0) await sleep(100);
        else if (opts.thinkMs) await sleep(opts.thinkMs);
      }
    }),
  );
}

/** One logical create per Idempotency-Key, retried (same key, same body) through refusals until it lands. */
export type IdempotentOutcome = {
  key: string;
  prompt: string;
  attempts: number;
  statuses: Record<string, number>;
  final: number;
  jobIds: string[];
  replayJobId: string | null;
  replayedHeader: boolean;
};

export async function idempotentClients(opts: {
  client: Client;
  customers: Customer[];
  clients: number;
  stop: () => boolean;
  onSample: (s: Sample) => void;
  deadlineMs?: number;
}): Promise<IdempotentOutcome[]> {
  const outcomes: IdempotentOutcome[] = [];
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, n) => {
      const cu = opts.customers[n % opts.customers.length]!;
      while (!opts.stop()) {
        const key = `converge-${randomUUID()}`;
        const body = createBody(`converge ${key}`);
        const outcome: IdempotentOutcome = {
          key,
          prompt: body.prompt,
          attempts: 0,
          statuses: {},
          final: 0,
          jobIds: [],
          replayJobId: null,
          replayedHeader: false,
        };
        const ids = new Set<string>();
        const t0 = performance.now();
        const send = async (op: string) => {
          for (;;) {
            const s = await opts.client.call(
              op,
              "POST",
              "/api/v1/jobs",
              { key: cu.key },
              {
                json: body,
                headers: { "idempotency-key": key },
              },
            );
            opts.onSample(s);
            outcome.attempts++;
            const label = `${s.status}${s.code ? ` ${s.code}` : ""}`;
            outcome.statuses[label] = (outcome.statuses[label] ?? 0) + 1;
            const id = (s.body as { id?: string } | null)?.id;
            if (s.status === 201 && id) ids.add(id);
            const retryable =
              s.status === 0 ||
              s.status === 503 ||
              s.status === 429 ||
              (s.status === 409 && s.code === "idempotency_conflict");
            if (!retryable) return s;
            if (performance.now() - t0 > (opts.deadlineMs ?? 90_000)) return null;
            await sleep(s.status === 429 ? 1_000 : 250);
          }
        };
        const first = await send("POST /jobs (converging)");
        outcome.final = first?.status ?? -1;
        // Once more with the same key: the stored answer, replayed.
        if (first?.status === 201) {
          const again = await send("POST /jobs (converging replay)");
          outcome.replayJobId = (again?.body as { id?: string } | null)?.id ?? null;
          outcome.replayedHeader = again?.replayed ?? false;
        }
        outcome.jobIds = [...ids];
        outcomes.push(outcome);
      }
    }),
  );
  return outcomes;
}
