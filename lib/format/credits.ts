import { onFirstUse } from "./first-use";

const grouped = onFirstUse(() => new Intl.NumberFormat("en-US"));

/** `1,500 credits`, `1 credit`. */
export function formatCredits(n: number): string {
  return `${grouped().format(n)} ${Math.abs(n) === 1 ? "credit" : "credits"}`;
}

/** A whole number of credits, grouped: `1,500`. */
export function formatCount(n: number): string {
  return grouped().format(n);
}

/**
 * A credit movement with its direction: `+500`, `−10` (a true minus sign, U+2212), `0`.
 * `unit` appends the word: `−10 credits`.
 */
export function formatSignedCredits(n: number, { unit = false }: { unit?: boolean } = {}): string {
  const abs = unit ? formatCredits(Math.abs(n)) : grouped().format(Math.abs(n));
  return n > 0 ? `+${abs}` : n < 0 ? `−${abs}` : abs;
}

/** `$5.00` from 500 cents. */
export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(
    cents / 100,
  );
}
