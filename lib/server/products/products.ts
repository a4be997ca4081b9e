import { asc } from "drizzle-orm";
import type { Product } from "@/lib/api/contract/products.schema";
import { getDb } from "../db/client";
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
