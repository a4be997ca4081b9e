import type { GenerationBackend } from "./backend";
import { DemoBackend } from "./demo";

// Shared across module copies (Next's bundle and tsx) so a test or an override reaches every caller.
const KEY = Symbol.for("genmedia.generation-backend");
const g = globalThis as typeof globalThis & { [KEY]?: GenerationBackend };

/**
 * The backend that runs a product. Every product runs on the demo backend today; a real provider is
 * chosen here per product (e.g. by an id prefix or a products column) once one exists.
 */
export function backendFor(_productId: string): GenerationBackend {
  return (g[KEY] ??= new DemoBackend());
}

/** Replaces the backend for every product (tests; `undefined` restores the default). */
export function setBackend(backend: GenerationBackend | undefined): void {
  g[KEY] = backend;
}
