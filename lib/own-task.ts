/**
 * Runs `fn` in a task of its own, after the current one; returns a cancel. For what an effect starts
 * that need not run in the task that finishes hydration — the page's longest: React runs the page's
 * effects right after its commit, and Total Blocking Time counts what any one task runs over 50 ms.
 * /requests in a profiling build's trace: that task's effects were 42 ms, 17 of them starting the
 * live-events chunk's load and 13 the time-zone worker (on a first visit).
 */
export function inOwnTask(fn: () => void): () => void {
  const timer = setTimeout(fn, 0);
  return () => clearTimeout(timer);
}
