/**
 * Shutdown hooks shared by every copy of this module in the process (Next bundles its own copy of
 * lib/server next to the one server.ts loads), so one SIGTERM closes everything exactly once.
 */
type Hook = { name: string; run: () => Promise<void> | void };
type Registry = { hooks: Hook[]; stopping?: Promise<void> };

const KEY = Symbol.for("genmedia.lifecycle");
const g = globalThis as typeof globalThis & { [KEY]?: Registry };

function registry(): Registry {
  return (g[KEY] ??= { hooks: [] });
}

export function onShutdown(name: string, run: Hook["run"]) {
  const r = registry();
  r.hooks = r.hooks.filter((h) => h.name !== name);
  r.hooks.push({ name, run });
}

/** Runs hooks in reverse order of registration (the request log flushes before the database closes). */
export function shutdown(): Promise<void> {
  const r = registry();
  r.stopping ??= (async () => {
    for (const hook of [...r.hooks].reverse()) {
      try {
        await hook.run();
      } catch (error) {
        console.error(
          JSON.stringify({
            level: "error",
            msg: "shutdown hook failed",
            hook: hook.name,
            error: String(error),
          }),
        );
      }
    }
  })();
  return r.stopping;
}
