/**
 * "A job became runnable": wakes this process's worker at once instead of at its next poll. Shared on
 * globalThis because Next's bundle and the tsx-loaded server hold separate module copies.
 */
type Listener = () => void;
const KEY = Symbol.for("genmedia.job-signal");
const g = globalThis as typeof globalThis & { [KEY]?: Set<Listener> };

const listeners = () => (g[KEY] ??= new Set());

export function notifyJobQueued(): void {
  for (const listener of listeners()) listener();
}

export function onJobQueued(listener: Listener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}
