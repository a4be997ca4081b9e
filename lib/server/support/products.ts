import { asc } from "drizzle-orm";
import type { SupportProduct } from "@/lib/api/contract/support.schema";
import { getDb } from "../db/client";
import { products } from "../db/schema";
import { toSupportProduct } from "./pause";

/** Every product with its pause state (who paused it, when, why). */
export async function listSupportProducts(): Promise<SupportProduct[]> {
  const db = await getDb();
  const rows = await db.select().from(products).orderBy(asc(products.sortOrder), asc(products.id));
  return rows.map(toSupportProduct);
}
