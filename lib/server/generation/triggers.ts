/**
 * Test triggers of the demo backend, like Stripe's test card numbers: a prompt containing one makes
 * the job behave a known way. Documented in docs/test-triggers.md; keep the two in step.
 */
export const TRIGGERS = {
  /** Every attempt fails: the job ends `failed` with generation_failed and is refunded. */
  fail: /!fail(?![-\w])/i,
  /** Only the first attempt fails: the job succeeds on attempt 2. */
  failOnce: /!fail-once(?![-\w])/i,
  /** The backend reports itself unavailable: POST /jobs answers 502 service_unavailable, nothing charged. */
  unavailable: /!unavailable(?![-\w])/i,
} as const;

export type Trigger = keyof typeof TRIGGERS;

export function hasTrigger(prompt: string, trigger: Trigger): boolean {
  return TRIGGERS[trigger].test(prompt);
}
