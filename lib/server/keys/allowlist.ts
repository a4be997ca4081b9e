import type { AllowlistCheck } from "@/lib/api/contract/keys.schema";
import { canonicalIp, matchIp } from "./ips";
import { matchOrigin, normalizeRequestOrigin } from "./origins";

export type Lists = { allowedIps: readonly string[]; allowedOrigins: readonly string[] };

/**
 * The one allowlist matcher, used by the bearer middleware and by POST /keys/{id}/check alike.
 * IP first, then origin (API.md's order). `ip: undefined` skips the IP check (the tester may omit it);
 * an absent or `null` Origin is refused by a key that lists origins.
 */
export function evaluateAllowlists(
  lists: Lists,
  request: { ip: string | null | undefined; origin: string | null | undefined },
): AllowlistCheck {
  const ip: AllowlistCheck["ip"] =
    request.ip === undefined
      ? { value: null, result: "not_checked", matched: null }
      : lists.allowedIps.length === 0
        ? { value: canonicalIp(request.ip) ?? request.ip, result: "unrestricted", matched: null }
        : (() => {
            const matched = matchIp(request.ip, lists.allowedIps);
            return {
              value: canonicalIp(request.ip) ?? request.ip,
              result: matched ? "allowed" : "denied",
              matched,
            };
          })();

  const sent = request.origin ?? null;
  const origin: AllowlistCheck["origin"] =
    lists.allowedOrigins.length === 0
      ? { value: sent, result: "unrestricted", matched: null }
      : (() => {
          const matched = matchOrigin(normalizeRequestOrigin(sent), lists.allowedOrigins);
          return { value: sent, result: matched ? "allowed" : "denied", matched };
        })();

  const code =
    ip.result === "denied" ? "ip_not_allowed" : origin.result === "denied" ? "origin_not_allowed" : null;
  return { allowed: code === null, code, ip, origin };
}

/** A key's candidate lists in shadow: evaluated until `endsAt`, never enforced. */
export type ShadowLists = {
  shadowAllowedIps: readonly string[] | null;
  shadowAllowedOrigins: readonly string[] | null;
  shadowEndsAt: Date | null;
};

/** Whether the key has a shadow list being tried at `now`. */
export function shadowActive(key: ShadowLists, now: Date): boolean {
  return (
    key.shadowEndsAt !== null &&
    key.shadowEndsAt > now &&
    key.shadowAllowedIps !== null &&
    key.shadowAllowedOrigins !== null
  );
}

/**
 * The enforced verdict, and what a shadow list would have answered (evaluateAllowlists, the same
 * matcher): `wouldRefuse` is the code the shadow list would give a request the enforced lists let
 * through, while the shadow is active; null otherwise (a request already refused is refused, not
 * "would be").
 */
export function evaluateWithShadow(
  key: Lists & ShadowLists,
  request: { ip: string | null | undefined; origin: string | null | undefined },
  now: Date,
): { verdict: AllowlistCheck; wouldRefuse: AllowlistCheck["code"] } {
  const verdict = evaluateAllowlists(key, request);
  if (!verdict.allowed || !shadowActive(key, now)) return { verdict, wouldRefuse: null };
  const shadow = evaluateAllowlists(
    { allowedIps: key.shadowAllowedIps!, allowedOrigins: key.shadowAllowedOrigins! },
    request,
  );
  return { verdict, wouldRefuse: shadow.code };
}
