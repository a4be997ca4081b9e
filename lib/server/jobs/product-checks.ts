import type { JobParams } from "@/lib/api/contract/jobs.schema";
import type { products } from "../db/schema";
import { DomainError } from "../errors";
import { backendFor } from "../generation/registry";

type ProductRow = typeof products.$inferSelect;

/** A paused product takes no new work: 409 product_paused. */
export function assertProductActive(product: ProductRow): void {
  if (product.status === "active") return;
  throw new DomainError("product_paused", {
    message: `${product.name} is paused${product.pausedReason ? `: ${product.pausedReason}` : "."}`,
    details: { product: product.id },
  });
}

/** The product's backend must be able to take the job now, else 502 service_unavailable (nothing charged). */
export function assertBackendAvailable(product: ProductRow, prompt: string, params: JobParams): void {
  const availability = backendFor(product.id).availability({ product, prompt, params });
  if (availability.available) return;
  throw new DomainError("service_unavailable", { message: availability.reason, status: 502, retryAfter: 5 });
}
