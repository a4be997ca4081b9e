import net from "node:net";

/**
 * A TCP proxy on 127.0.0.1:`port` to `target` (e.g. the run's Redis) that a test cuts — no new
 * connections, and the open ones drop, as if the service stopped — and opens again.
 */
export function tcpProxy(target: URL, port: number, defaultPort = 6379) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  return {
    open: () =>
      new Promise<void>((resolve) => {
        if (server) return resolve();
        server = net.createServer((client) => {
          const upstream = net.connect(Number(target.port || defaultPort), target.hostname);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on("close", () => sockets.delete(s));
            s.on("error", () => s.destroy());
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, "127.0.0.1", resolve);
      }),
    cut: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server = null;
        for (const s of sockets) s.destroy();
      }),
  };
}
