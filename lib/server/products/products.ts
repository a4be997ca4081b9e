import { asc, eq } from "drizzle-orm";
import type { Product } from "@/lib/api/contract/products.schema";
import { getDb, type Db, type Tx } from "../db/client";
import { products } from "../db/schema";

export function toProductDto(row: typeof products.$inferSelect): Product {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    price_credits: row.priceCredits,
    needs: row.needs,
    status: row.status,
  };
}

export async function listProducts(): Promise<Product[]> {
  const db = await getDb();
  const rows = await db.select().from(products).orderBy(asc(products.sortOrder), asc(products.id));
  return rows.map(toProductDto);
}

export type ProductRow = typeof products.$inferSelect;

/** How long a process trusts its copy of the catalog for job creation (it is a handful of rows). */
const PRODUCT_CACHE_MS = 1_000;
const KEY = Symbol.for("genmedia.product-cache");
const g = globalThis as typeof globalThis & {
  [KEY]?: { at: number; rows: Promise<Map<string, ProductRow>> };
};

/**
 * The product a job names, for the checks before its charge (exists, active, fields, backend), without
 * a round trip per request: the catalog is read at most once a second per process. Only an active
 * product is served from that copy — a product missing or paused in it is read again, so a product
 * just created or unpaused is never refused from a stale copy. A product just paused elsewhere may
 * still pass these checks for up to a second; the charge itself (chargeNewJob) reads the product's
 * status and price in its own statement and refuses it then, so no job is created and nothing is
 * charged at a stale price. This process's own pauses forget the copy at once (forgetProducts).
 */
export async function productForJob(id: string, tx?: Db | Tx): Promise<ProductRow | undefined> {
  const now = Date.now();
  let cache = g[KEY];
  // Inside a transaction, its own connection reads (another from the pool could wait forever on a
  // pool its callers have exhausted).
  const db = tx ?? (await getDb());
  if (!cache || now - cache.at > PRODUCT_CACHE_MS) {
    const rows = loadCatalog(db);
    cache = g[KEY] = { at: now, rows };
    // A failed read (database down) is not kept: the next request tries again.
    rows.catch(() => {
      if (g[KEY]?.rows === rows) g[KEY] = undefined;
    });
  }
  const cached = (await cache.rows).get(id);
  if (cached?.status === "active") return cached;
  const [fresh] = await db.select().from(products).where(eq(products.id, id));
  return fresh;
}

async function loadCatalog(db: Db | Tx): Promise<Map<string, ProductRow>> {
  const rows = await db.select().from(products);
  return new Map(rows.map((row) => [row.id, row]));
}

/** Drops this process's copy of the catalog (after a product is paused or unpaused here). */
export function forgetProducts(): void {
  g[KEY] = undefined;
}
