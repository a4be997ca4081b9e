import { infiniteQueryOptions, mutationOptions, type QueryClient, queryOptions } from "@tanstack/react-query";
import type {
  AllowlistPreviewBody,
  CheckKeyBody,
  CreateKeyBody,
  Key,
  StartShadowBody,
  UpdateKeyBody,
} from "../contract/keys.schema";
import { apiFetch, lazySchema } from "../client";
import { idempotencyKeyFor } from "../query-client";

const schemas = () => import("../contract/keys.schema");
const AllowlistPreviewSchema = lazySchema(schemas, (m) => m.AllowlistPreviewSchema);
const KeyCheckSchema = lazySchema(schemas, (m) => m.KeyCheckSchema);
const KeyListSchema = lazySchema(schemas, (m) => m.KeyListSchema);
export const KeySchema = lazySchema(schemas, (m) => m.KeySchema);
const KeyWithSecretSchema = lazySchema(schemas, (m) => m.KeyWithSecretSchema);
const SecretTrafficSchema = lazySchema(schemas, (m) => m.SecretTrafficSchema);

const path = (id: string) => `/keys/${encodeURIComponent(id)}`;

export const keyQueries = {
  all: () => ["keys"] as const,
  lists: () => [...keyQueries.all(), "list"] as const,
  /** The first 100 keys (names for pickers and labels). */
  list: () =>
    queryOptions({
      queryKey: [...keyQueries.lists()] as const,
      queryFn: ({ signal }) => apiFetch("/keys?limit=100", KeyListSchema, { signal }),
    }),
  /** Every key, page by page (the /keys table). */
  pages: () =>
    infiniteQueryOptions({
      queryKey: [...keyQueries.lists(), "pages"] as const,
      queryFn: ({ signal, pageParam }) =>
        apiFetch(
          `/keys?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""}`,
          KeyListSchema,
          {
            signal,
          },
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next_cursor,
    }),
  details: () => [...keyQueries.all(), "detail"] as const,
  detail: (id: string) =>
    queryOptions({
      queryKey: [...keyQueries.details(), id] as const,
      queryFn: ({ signal }) => apiFetch(path(id), KeySchema, { signal }),
    }),
  /**
   * What candidate lists would have refused of the key's last 7 days (a POST that changes nothing, so a
   * query: keyed by the lists, cached while the person toggles between them).
   */
  allowlistPreview: (id: string, lists: AllowlistPreviewBody) =>
    queryOptions({
      queryKey: [...keyQueries.details(), id, "allowlist-preview", lists] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${path(id)}/allowlist-preview`, AllowlistPreviewSchema, {
          method: "POST",
          json: lists,
          signal,
        }),
      staleTime: 30_000,
    }),
  /**
   * The rotation assistant: the key's traffic per secret during a roll's grace, and whether the old
   * secret has been quiet for `quietSeconds`. Polled while on screen: traffic keeps arriving.
   */
  secretTraffic: (id: string, quietSeconds: number) =>
    queryOptions({
      queryKey: [...keyQueries.details(), id, "secret-traffic", quietSeconds] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${path(id)}/secret-traffic?quiet_seconds=${quietSeconds}`, SecretTrafficSchema, { signal }),
      refetchInterval: 15_000,
    }),
};

// Mutation calls. Each takes one variables object, so idempotencyKeyFor keeps one key across retries.
export const keyApi = {
  create: (vars: CreateKeyBody) =>
    apiFetch("/keys", KeyWithSecretSchema, {
      method: "POST",
      json: vars,
      idempotencyKey: idempotencyKeyFor(vars),
    }),
  update: (vars: { id: string } & UpdateKeyBody) => {
    const { id, ...body } = vars;
    return apiFetch(path(id), KeySchema, { method: "PATCH", json: body });
  },
  roll: (vars: { id: string; expire_old_in_seconds: number }) =>
    apiFetch(`${path(vars.id)}/roll`, KeyWithSecretSchema, {
      method: "POST",
      json: { expire_old_in_seconds: vars.expire_old_in_seconds },
      idempotencyKey: idempotencyKeyFor(vars),
    }),
  // A cookie mutation must be JSON (CSRF rule), even without a body.
  revoke: (vars: { id: string }) =>
    apiFetch(path(vars.id), KeySchema, { method: "DELETE", headers: { "content-type": "application/json" } }),
  startShadow: (vars: { id: string } & StartShadowBody) => {
    const { id, ...body } = vars;
    return apiFetch(`${path(id)}/shadow`, KeySchema, {
      method: "POST",
      json: body,
      idempotencyKey: idempotencyKeyFor(vars),
    });
  },
  /** Enforce (the shadow lists replace the key's) or discard (the key's lists stay) the shadow. */
  endShadow: (vars: { id: string; action: "enforce" | "discard" }) =>
    apiFetch(`${path(vars.id)}/shadow/${vars.action}`, KeySchema, {
      method: "POST",
      json: {},
      idempotencyKey: idempotencyKeyFor(vars),
    }),
  /** Ends a roll's grace now: the old secret stops working (audited). */
  expireOldSecret: (vars: { id: string }) =>
    apiFetch(`${path(vars.id)}/expire-old-secret`, KeySchema, {
      method: "POST",
      json: {},
      idempotencyKey: idempotencyKeyFor(vars),
    }),
  check: (vars: { id: string } & CheckKeyBody) => {
    const { id, ...body } = vars;
    return apiFetch(`${path(id)}/check`, KeyCheckSchema, { method: "POST", json: body });
  },
};

/** After any change to a key: the detail gets the server's copy, every list refetches. */
export function storeKey(queryClient: QueryClient, key: Key) {
  queryClient.setQueryData(keyQueries.detail(key.id).queryKey, key);
  void queryClient.invalidateQueries({ queryKey: keyQueries.lists() });
}

export type AllowVariables = { keyId: string; code: "origin_not_allowed" | "ip_not_allowed"; value: string };

/**
 * "Allow": adds an observed origin or IP to a key's list (the server audits it). Used by the denial
 * explainer wherever an origin_not_allowed / ip_not_allowed shows up. Reads the key fresh, so an entry
 * added elsewhere in the meantime is kept.
 */
export function allowOnKeyMutation(queryClient: QueryClient) {
  return mutationOptions({
    mutationKey: [...keyQueries.all(), "allow"] as const,
    mutationFn: async (vars: AllowVariables) => {
      const key = await apiFetch(path(vars.keyId), KeySchema);
      const field = vars.code === "origin_not_allowed" ? "allowed_origins" : "allowed_ips";
      if (key[field].includes(vars.value)) return key;
      return keyApi.update({ id: vars.keyId, [field]: [...key[field], vars.value] });
    },
    onSuccess: (key) => storeKey(queryClient, key),
  });
}
