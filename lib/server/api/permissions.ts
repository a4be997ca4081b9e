import type { Permission } from "@/lib/api/contract/roles";

/**
 * The permission each route needs from a console member's role (lib/api/contract/roles.ts), by
 * `METHOD /path/{param}` without the base path. `null`: not a member's route — public, staff only, or
 * authenticated by a signature. An API key acts for its whole customer and is not checked here. A
 * route missing from this table fails every call to it (500) and the authorization matrix test.
 */
export const ROUTE_PERMISSIONS: Record<string, Permission | null> = {
  "GET /health": null,
  "GET /openapi.json": null,
  "POST /webhooks/stripe": null,

  "GET /products": "products.read",
  "GET /balance": "billing.read",
  "GET /top-up-packs": "billing.read",
  "GET /billing/settings": "billing.read",
  "PATCH /billing/settings": "billing.write",
  "POST /top-ups": "billing.write",
  "POST /billing/payment-method": "billing.write",
  "GET /top-ups/{id}": "billing.read",
  "GET /ledger": "billing.read",
  "GET /usage": "billing.read",
  "GET /billing/spend-alerts": "billing.read",

  "GET /keys": "keys.read",
  "POST /keys": "keys.write",
  "GET /keys/{keyId}": "keys.read",
  "PATCH /keys/{keyId}": "keys.write",
  "DELETE /keys/{keyId}": "keys.write",
  "POST /keys/{keyId}/roll": "keys.write",
  // Both answer a question about the key and change nothing.
  "POST /keys/{keyId}/check": "keys.read",
  "POST /keys/{keyId}/allowlist-preview": "keys.read",
  "POST /keys/{keyId}/shadow": "keys.write",
  "POST /keys/{keyId}/shadow/enforce": "keys.write",
  "POST /keys/{keyId}/shadow/discard": "keys.write",
  "GET /keys/{keyId}/secret-traffic": "keys.read",
  "POST /keys/{keyId}/expire-old-secret": "keys.write",

  // Who changed what in the account: owners and admins.
  "GET /audit": "audit.read",

  "GET /requests": "requests.read",
  "GET /requests/summary": "requests.read",
  "GET /requests/{request_id}": "requests.read",

  "POST /jobs": "jobs.write",
  "GET /jobs": "jobs.read",
  "GET /jobs/export.csv": "jobs.read",
  "GET /jobs/{id}": "jobs.read",
  "GET /jobs/{id}/output": "jobs.read",
  "POST /jobs/{id}/retry": "jobs.write",
  "POST /jobs/{id}/cancel": "jobs.write",

  "GET /members": "members.read",
  "PATCH /members/{userId}": "members.write",
  // Any member may leave (remove themselves); removing someone else takes members.write, which
  // removeMember checks with the same refusal (404, details.reason "role").
  "DELETE /members/{userId}": "members.read",
  "GET /members/invitations": "members.read",
  "POST /members/invitations": "members.write",
  "DELETE /members/invitations/{invitationId}": "members.write",
  // The person's own: joining a team, and which of their teams this session acts for.
  "POST /invitations/accept": null,
  "GET /session/customers": null,
  "POST /session/customer": null,

  // The customer's job and balance events: every role reads jobs.
  "GET /events/stream": "jobs.read",

  "GET /webhook-endpoints": "webhooks.read",
  "POST /webhook-endpoints": "webhooks.write",
  "GET /webhook-endpoints/{endpointId}": "webhooks.read",
  "PATCH /webhook-endpoints/{endpointId}": "webhooks.write",
  "DELETE /webhook-endpoints/{endpointId}": "webhooks.write",
  "POST /webhook-endpoints/{endpointId}/roll-secret": "webhooks.write",
  "POST /webhook-endpoints/{endpointId}/test": "webhooks.write",
  "GET /webhook-deliveries": "webhooks.read",
  "GET /webhook-deliveries/{deliveryId}": "webhooks.read",
  "POST /webhook-deliveries/{deliveryId}/resend": "webhooks.write",

  "POST /uploads": "jobs.write",
  "GET /uploads/{id}": "jobs.read",
  "GET /uploads/{id}/content": "jobs.read",

  // Staff only (requireAuth("support")): a customer's member gets 404 before any role is read.
  "GET /support/lookup": null,
  "POST /support/lookup": null,
  "GET /support/requests/{request_id}": null,
  "GET /support/customers/{customer_id}": null,
  "GET /support/products": null,
  "GET /support/audit": null,
  "POST /support/customers/{customer_id}/pause": null,
  "POST /support/customers/{customer_id}/unpause": null,
  "POST /support/keys/{key_id}/pause": null,
  "POST /support/keys/{key_id}/unpause": null,
  "POST /support/products/{product_id}/pause": null,
  "POST /support/products/{product_id}/unpause": null,
};

/** `GET /keys/{keyId}` for Hono's `/api/v1/keys/:keyId`. */
export function routeKey(method: string, routePath: string): string {
  return `${method} ${routePath.replace(/^\/api\/v1/, "").replace(/:([A-Za-z_]+)/g, "{$1}")}`;
}
