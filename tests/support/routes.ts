import { getApiApp } from "@/lib/server/api/app";
import { routeKey } from "@/lib/server/api/permissions";

/** Every route the API app serves, as `METHOD /path/{param}` (the base path dropped), sorted. */
export function appRoutes(): string[] {
  const out = new Set<string>();
  for (const route of getApiApp().routes) {
    if (route.method === "ALL") continue; // middleware (request context), not a route
    out.add(routeKey(route.method, route.path));
  }
  return [...out].sort();
}
