import type { PGlite } from "@electric-sql/pglite";
import type { Client } from "pg";

/** What a LISTEN reports to whoever relies on it. */
export type ListenHandlers = {
  /** A notification on the channel: its payload, and the pid of the backend that sent it (Postgres). */
  notify: (payload: string, sender?: number) => void;
  /**
   * The listener is up (true) or down (false). From a `false` until the next `true`, notifications
   * may be lost: whoever relies on them must not trust what they cached.
   */
  state: (live: boolean) => void;
};

export type Listening = {
  /** NOTIFYs on the channel through the listener's own connection, if it is up (never waits, never throws). */
  send: (payload: string) => void;
  close: () => Promise<void>;
};

/** The application_name of a process's listener connection: `${listenerName(channel)}<pid>`. */
export const listenerName = (channel: string) => `genmedia listen ${channel} `;

/** Backoff between reconnection attempts: doubling from the first, capped, with jitter. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;
/** How long an attempt may take to connect, and a close may wait for a goodbye, before giving up. */
const CONNECT_TIMEOUT_MS = 5_000;
const CLOSE_TIMEOUT_MS = 1_000;

const warn = (msg: string, error?: unknown) =>
  console.error(
    JSON.stringify({ level: "warn", msg, ...(error === undefined ? {} : { error: String(error) }) }),
  );

/**
 * LISTENs on a dedicated connection of its own (never one of the pool's: it is held for good), off
 * every request's path. When the connection fails or Postgres goes away it reports `state(false)` at
 * once and reconnects in the background with backoff (timers unref'd: it never keeps a process alive
 * nor delays a request); `state(true)` only once LISTEN is in force again. `close()` never waits on a
 * dead server for more than a second.
 */
export function listenPostgres(url: string, channel: string, on: ListenHandlers): Listening {
  let closed = false;
  let live: Client | null = null;
  let connecting: Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;

  const schedule = () => {
    if (closed || retry) return;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures) * (0.5 + Math.random() / 2);
    failures++;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
    retry.unref();
  };

  const lost = (client: Client, error?: unknown) => {
    if (live !== client) return;
    live = null;
    on.state(false);
    warn(`listener on ${channel} lost; reconnecting`, error);
    void end(client);
    schedule();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const { Client } = await import("pg");
    if (closed) return;
    const client = new Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      application_name: `${listenerName(channel)}${process.pid}`,
    });
    connecting = client;
    // An unhandled 'error' would kill the process; a lost connection also ends.
    client.on("error", (error) => lost(client, error));
    client.on("end", () => lost(client));
    client.on("notification", (message) => {
      if (message.channel === channel) on.notify(message.payload ?? "", message.processId);
    });
    try {
      await client.connect();
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      connecting = null;
      void end(client);
      if (failures === 0) warn(`listener on ${channel} could not connect; retrying`, error);
      schedule();
      return;
    }
    connecting = null;
    if (closed) return void end(client);
    live = client;
    failures = 0;
    on.state(true);
  }

  void connect();
  return {
    send: (payload) => {
      live?.query("select pg_notify($1, $2)", [channel, payload]).catch(() => {});
    },
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const clients = [live, connecting].filter((c): c is Client => c !== null);
      live = connecting = null;
      on.state(false);
      await Promise.all(clients.map(end));
    },
  };
}

/** Ends a client, destroying its socket if the server does not answer the goodbye in time. */
async function end(client: Client): Promise<void> {
  client.removeAllListeners("notification");
  let timer: NodeJS.Timeout | undefined;
  const ended = client.end().then(
    () => true,
    () => true,
  );
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS);
    timer.unref();
  });
  const clean = await Promise.race([ended, late]);
  clearTimeout(timer);
  if (!clean)
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** The embedded database is in this process: its LISTEN is up from the moment it is registered until close. */
export async function listenPglite(client: PGlite, channel: string, on: ListenHandlers): Promise<Listening> {
  const unlisten = await client.listen(channel, (payload) => on.notify(payload));
  on.state(true);
  return {
    // One process: nobody else to tell.
    send: () => {},
    close: async () => {
      on.state(false);
      await unlisten().catch(() => {});
    },
  };
}
