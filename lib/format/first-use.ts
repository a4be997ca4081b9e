/**
 * `make()` once, on the first call, then the same value. For Intl formatters: making one costs ICU
 * milliseconds (a page's first one far more), so a page pays only for the formats it shows.
 */
export function onFirstUse<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
