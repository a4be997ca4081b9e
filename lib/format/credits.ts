/**
 * Numbers in en-US, without Intl for the ones a console page shows as it loads: a page's first Intl
 * formatter costs ICU tens of milliseconds in one main-thread task (see date-time.ts). Integers and
 * dollars are written here; anything else goes to Intl. format.test.ts checks both ways agree.
 */

/** A whole number (of credits, requests…), grouped as `Intl.NumberFormat("en-US")` does: `1,500`, `-1,500`. */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return new Intl.NumberFormat("en-US").format(n);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? `-${digits}` : digits;
}

/** `1,500 credits`, `1 credit`. */
export function formatCredits(n: number): string {
  return `${formatCount(n)} ${Math.abs(n) === 1 ? "credit" : "credits"}`;
}

/**
 * A credit movement with its direction: `+500`, `−10` (a true minus sign, U+2212), `0`.
 * `unit` appends the word: `−10 credits`.
 */
export function formatSignedCredits(n: number, { unit = false }: { unit?: boolean } = {}): string {
  const abs = unit ? formatCredits(Math.abs(n)) : formatCount(Math.abs(n));
  return n > 0 ? `+${abs}` : n < 0 ? `−${abs}` : abs;
}

/**
 * `$5.00` from 500 cents. `per` divides first and `digits` sets the decimals: a price per credit is
 * `formatMoney(price_cents, currency, { per: credits, digits: 4 })`. Dollars are written here (rounded
 * half away from zero, as Intl does); other currencies go to Intl.
 */
export function formatMoney(
  cents: number,
  currency: string,
  { per = 1, digits = 2 }: { per?: number; digits?: number } = {},
): string {
  if (currency.toLowerCase() !== "usd" || !Number.isSafeInteger(cents) || !Number.isSafeInteger(per)) {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(cents / 100 / per);
  }
  // The amount in units of the last digit shown, rounded once from a ratio of integers.
  const scale = 10 ** digits;
  const units = Math.round((Math.abs(cents) * scale) / (100 * per));
  const whole = formatCount(Math.floor(units / scale));
  const fraction = digits ? `.${String(units % scale).padStart(digits, "0")}` : "";
  return `${cents < 0 ? "-" : ""}$${whole}${fraction}`;
}
