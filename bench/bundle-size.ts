/**
 * First-load JS per route, gzipped, from Next 16's .next/diagnostics/route-bundle-stats.json, against
 * a 150 kB budget per route (kB = 1024 bytes; each chunk gzip -9, summed, as a browser fetches them).
 * Run after `next build`; NEXT_DIST_DIR reads another build folder. Exits 1 when a route is over.
 *
 *   npm run build && npm run bench
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { table, writeResult } from "./lib";

const BUDGET_KB = 150;
const dist = process.env.NEXT_DIST_DIR || ".next";
const statsFile = path.join(dist, "diagnostics", "route-bundle-stats.json");

type RouteStats = { route: string; firstLoadUncompressedJsBytes: number; firstLoadChunkPaths: string[] };

function main() {
  if (!fs.existsSync(statsFile)) {
    console.error(`${statsFile} not found: run \`next build\` first.`);
    process.exit(1);
  }
  const stats = JSON.parse(fs.readFileSync(statsFile, "utf8")) as RouteStats[];
  const gzipCache = new Map<string, number>();
  const gzipped = (chunk: string) => {
    // Chunk paths are relative to the project and start with the build folder's name.
    const file = chunk.startsWith(`${dist}/`) ? chunk : path.join(dist, chunk.replace(/^\.next[^/]*\//, ""));
    let size = gzipCache.get(file);
    if (size === undefined) {
      size = zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
      gzipCache.set(file, size);
    }
    return size;
  };
  const rows = stats
    .filter((r) => !r.route.startsWith("/api/"))
    .map((r) => {
      const gz = r.firstLoadChunkPaths.reduce((sum, c) => sum + gzipped(c), 0);
      return { route: r.route, raw: r.firstLoadUncompressedJsBytes, gzip: gz, over: gz / 1024 > BUDGET_KB };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
  console.log(`First-load JS per route (gzip -9), budget ${BUDGET_KB} kB\n`);
  console.log(
    table([
      ["route", "raw kB", "gzip kB", "budget"],
      ...rows.map((r) => [
        r.route,
        (r.raw / 1024).toFixed(1),
        (r.gzip / 1024).toFixed(1),
        r.over ? "OVER" : "ok",
      ]),
    ]),
  );
  writeResult("bundle-size", { budget_kb: BUDGET_KB, routes: rows });
  const over = rows.filter((r) => r.over);
  if (over.length) {
    console.log(`\n${over.length} route(s) over budget: ${over.map((r) => r.route).join(", ")}`);
    process.exitCode = 1;
  } else console.log(`\nEvery route is within ${BUDGET_KB} kB.`);
}

main();
