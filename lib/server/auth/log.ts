/**
 * better-auth's log lines, as one JSON line each and without a failed query's parameters: drizzle puts
 * them in the error's message and `params` (a session token, an email, a password hash…), and the
 * server's output must never carry a secret.
 */
export function redactedError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== "object") {
      parts.push(String(e));
      break;
    }
    const err = e as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
    const code = typeof err.code === "string" ? ` [${err.code}]` : "";
    parts.push(`${String(err.name ?? "Error")}${code}: ${String(err.message ?? "").split("\nparams:")[0]}`);
    e = err.cause;
  }
  return parts.join(" ← ");
}

/** The stack's frames only: its first lines repeat the message, a failed query's parameters included. */
export function stackFrames(error: unknown): string | undefined {
  if (!(error instanceof Error) || !error.stack) return undefined;
  const frames = error.stack.split("\n").filter((line) => /^\s+at /.test(line));
  return frames.length ? frames.map((f) => f.trim()).join("\n") : undefined;
}

export function logAuth(
  level: "debug" | "info" | "warn" | "error",
  message: string,
  ...args: unknown[]
): void {
  const line = JSON.stringify({
    level,
    msg: `better-auth: ${message}`,
    ...(args.length ? { error: args.map(redactedError).join("; ") } : {}),
  });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}
