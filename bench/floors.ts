/**
 * The physical floors of bench/api-throughput.ts, one per process: `json` answers every request with a
 * small JSON body on bare node:http; `pg` does one `SELECT 1` on a pg Pool (as wide as the API's) first.
 *
 *   FLOOR=json|pg FLOOR_PORT=… [DATABASE_URL=…] node --import tsx bench/floors.ts
 */
import http from "node:http";
import { Pool } from "pg";

const mode = process.env.FLOOR ?? "json";
const port = Number(process.env.FLOOR_PORT ?? 3260);
const pool = mode === "pg" ? new Pool({ connectionString: process.env.DATABASE_URL, max: 20 }) : null;
const body = JSON.stringify({ ok: true });

const server = http.createServer((req, res) => {
  const send = (status: number, text: string) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };
  if (!pool) return send(200, body);
  pool.query("select 1 as one").then(
    (r) => send(200, JSON.stringify({ ok: r.rows[0].one === 1 })),
    (error: unknown) => send(503, JSON.stringify({ error: String(error) })),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  void pool?.end();
  process.exit(0);
});
