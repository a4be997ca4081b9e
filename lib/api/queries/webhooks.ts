import { queryOptions } from "@tanstack/react-query";
import type { WebhookDeliveryStatus } from "../contract/constants";
import type {
  CreateWebhookEndpointBody,
  UpdateWebhookEndpointBody,
} from "../contract/webhook-endpoints.schema";
import { apiFetch, lazySchema } from "../client";

const schemas = () => import("../contract/webhook-endpoints.schema");
const EndpointListSchema = lazySchema(schemas, (m) => m.WebhookEndpointListSchema);
const EndpointSchema = lazySchema(schemas, (m) => m.WebhookEndpointSchema);
const EndpointWithSecretSchema = lazySchema(schemas, (m) => m.WebhookEndpointWithSecretSchema);
const DeliveryListSchema = lazySchema(schemas, (m) => m.WebhookDeliveryListSchema);
const DeliverySchema = lazySchema(schemas, (m) => m.WebhookDeliverySchema);
const DeliveryDetailSchema = lazySchema(schemas, (m) => m.WebhookDeliveryDetailSchema);

const endpointPath = (id: string) => `/webhook-endpoints/${encodeURIComponent(id)}`;
const deliveryPath = (id: string) => `/webhook-deliveries/${encodeURIComponent(id)}`;

export type DeliveryFilters = { endpoint_id?: string; status?: WebhookDeliveryStatus; event_type?: string };

function deliveriesUrl(filters: DeliveryFilters): string {
  const params = new URLSearchParams({ limit: "50" });
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  return `/webhook-deliveries?${params}`;
}

export const webhookQueries = {
  all: () => ["webhooks"] as const,
  endpoints: () =>
    queryOptions({
      queryKey: [...webhookQueries.all(), "endpoints"] as const,
      queryFn: ({ signal }) => apiFetch("/webhook-endpoints?limit=100", EndpointListSchema, { signal }),
    }),
  deliveryLists: () => [...webhookQueries.all(), "deliveries"] as const,
  /** The newest 50 deliveries matching the filters (an open one refreshes while it is pending). */
  deliveries: (filters: DeliveryFilters) =>
    queryOptions({
      queryKey: [...webhookQueries.deliveryLists(), filters] as const,
      queryFn: ({ signal }) => apiFetch(deliveriesUrl(filters), DeliveryListSchema, { signal }),
      refetchInterval: (query) =>
        query.state.data?.data.some((d) => d.status === "pending" || d.status === "delivering")
          ? 2_000
          : false,
    }),
  delivery: (id: string) =>
    queryOptions({
      queryKey: [...webhookQueries.all(), "delivery", id] as const,
      queryFn: ({ signal }) => apiFetch(deliveryPath(id), DeliveryDetailSchema, { signal }),
      refetchInterval: (query) =>
        query.state.data &&
        (query.state.data.status === "pending" || query.state.data.status === "delivering")
          ? 2_000
          : false,
    }),
};

export const webhookApi = {
  create: (vars: CreateWebhookEndpointBody) =>
    apiFetch("/webhook-endpoints", EndpointWithSecretSchema, { method: "POST", json: vars }),
  update: (vars: { id: string } & UpdateWebhookEndpointBody) => {
    const { id, ...body } = vars;
    return apiFetch(endpointPath(id), EndpointSchema, { method: "PATCH", json: body });
  },
  remove: (vars: { id: string }) =>
    apiFetch(endpointPath(vars.id), EndpointSchema, { method: "DELETE", json: {} }),
  rollSecret: (vars: { id: string }) =>
    apiFetch(`${endpointPath(vars.id)}/roll-secret`, EndpointWithSecretSchema, { method: "POST", json: {} }),
  sendTest: (vars: { id: string }) =>
    apiFetch(`${endpointPath(vars.id)}/test`, DeliverySchema, { method: "POST", json: {} }),
  resend: (vars: { id: string }) =>
    apiFetch(`${deliveryPath(vars.id)}/resend`, DeliverySchema, { method: "POST", json: {} }),
};
