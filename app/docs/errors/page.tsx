import type { Metadata } from "next";
import Link from "next/link";
import { DocSection } from "../doc-section";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { CATALOG_CODES, ERROR_CODES } from "@/lib/api/contract/error-codes";
import { statusLabel } from "@/lib/docs/error-docs";

export const metadata: Metadata = {
  title: "Error codes",
  description: "Every error code of the Genmedia API: its HTTP status, what it means and what to do.",
};

export default function ErrorCatalogPage() {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Error codes</h1>
        <p className="text-muted-foreground">
          Every error answer carries a stable <code className="font-mono text-foreground">code</code>, a
          message and the <code className="font-mono text-foreground">request_id</code> support looks the
          request up by. Branch on the code, never on the message.
        </p>
      </div>
      <DocSection id="catalog" title="Catalog" className="gap-3">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead scope="col">Code</TableHead>
              <TableHead scope="col">HTTP</TableHead>
              <TableHead scope="col">Meaning</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {[...CATALOG_CODES, "internal_error" as const].map((code) => (
              <TableRow key={code}>
                <TableCell>
                  <Link
                    href={`/docs/errors/${code}`}
                    className="font-mono text-sm font-medium underline underline-offset-4"
                  >
                    {code}
                  </Link>
                </TableCell>
                <TableCell className="font-mono text-sm whitespace-nowrap">{statusLabel(code)}</TableCell>
                <TableCell className="text-sm whitespace-normal">{ERROR_CODES[code].message}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DocSection>
      <DocSection id="retries" title="Retries">
        <p className="text-sm text-muted-foreground">
          Retry 429 and 503 with exponential backoff and jitter, never sooner than the{" "}
          <code className="font-mono text-foreground">Retry-After</code> header. Always send the same{" "}
          <code className="font-mono text-foreground">Idempotency-Key</code> on a retry, so the call cannot
          run or charge twice. The SDK does both by itself.
        </p>
      </DocSection>
    </div>
  );
}
