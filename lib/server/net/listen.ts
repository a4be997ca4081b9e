/**
 * Where the web server listens: HOST when set; otherwise loopback in development, where the seeded
 * accounts' passwords (support staff included) are in the README, and every interface in production.
 */
export function listenHost(host: string | undefined, dev: boolean): string | undefined {
  if (host) return host;
  return dev ? "127.0.0.1" : undefined;
}
