import { toJobDto } from "./dto";
import { type JobFilter, listJobRows } from "./list";

const COLUMNS = [
  "id",
  "created_at",
  "status",
  "product",
  "prompt",
  "cost_credits",
  "refunded",
  "key_id",
  "request_id",
  "attempts",
  "started_at",
  "finished_at",
  "output_url",
  "error_code",
  "error_message",
] as const;

const PAGE = 500;

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (leading = + - @, or a tab/CR that
 * hides one, also after leading spaces, which spreadsheets skip) is prefixed with ' . A `;` is
 * quoted like a comma: a spreadsheet that splits on `;` would otherwise start a new cell, and a
 * formula, after it. Then RFC 4180 quoting.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^\s*[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole filtered set as CSV, newest first, read page by page as the client consumes it. */
export function exportJobsCsv(
  customerId: string,
  filter: JobFilter,
  origin: string,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: string | undefined;
  let headerSent = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${COLUMNS.join(",")}\r\n`));
        return;
      }
      if (done) return controller.close();
      const { rows, more } = await listJobRows(customerId, filter, { limit: PAGE, after });
      after = rows[rows.length - 1]?.id;
      done = !more;
      const lines = rows.map((row) => {
        const job = toJobDto(row, origin);
        const cells: Record<(typeof COLUMNS)[number], string | number | boolean | null> = {
          id: job.id,
          created_at: job.created_at,
          status: job.status,
          product: job.product,
          prompt: job.prompt,
          cost_credits: job.cost_credits,
          refunded: job.refunded,
          key_id: job.key_id,
          request_id: job.request_id,
          attempts: job.attempts,
          started_at: job.started_at,
          finished_at: job.finished_at,
          output_url: job.output?.url ?? null,
          error_code: job.error?.code ?? null,
          error_message: job.error?.message ?? null,
        };
        return `${COLUMNS.map((c) => csvCell(cells[c])).join(",")}\r\n`;
      });
      if (lines.length) controller.enqueue(encoder.encode(lines.join("")));
      if (done) controller.close();
    },
  });
}
