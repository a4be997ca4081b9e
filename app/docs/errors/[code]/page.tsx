import type { Metadata } from "next";
import Link from "next/link";
import { DocSection } from "../../doc-section";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { ERROR_CODES, ERROR_CODE_LIST, isErrorCode } from "@/lib/api/contract/error-codes";
import { ERROR_WORDING } from "@/lib/api/contract/error-wording";
import { ERROR_DOCS, type ErrorDoc, exampleEnvelope, sdkSnippet, statusLabel } from "@/lib/docs/error-docs";

/** Every code is built at build time; any other path segment is the not-found page. */
export const dynamicParams = false;

export function generateStaticParams() {
  return ERROR_CODE_LIST.map((code) => ({ code }));
}

type Props = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { code } = await params;
  if (!isErrorCode(code)) return {};
  return { title: `${code} · Error codes`, description: ERROR_CODES[code].message };
}

const RETRY_LABEL: Record<ErrorDoc["retry"], string> = {
  automatic: "Yes, with backoff",
  once: "Once, yourself",
  "after-fix": "After fixing the cause",
  never: "No",
};

function Code({ children, label }: { children: string; label: string }) {
  return (
    // Focusable so a keyboard can scroll a long line; named so a screen reader says what it is.
    <pre
      tabIndex={0}
      aria-label={label}
      className="overflow-x-auto rounded-lg border bg-muted p-4 font-mono text-xs leading-relaxed"
    >
      <code>{children}</code>
    </pre>
  );
}

export default async function ErrorCodePage({ params }: Props) {
  const { code } = await params;
  if (!isErrorCode(code)) notFound();
  const doc: ErrorDoc = ERROR_DOCS[code];
  const wording = ERROR_WORDING[code];
  return (
    <article className="flex flex-col gap-8">
      <div className="flex flex-col gap-3">
        <Link
          href="/docs/errors"
          className="flex w-fit items-center gap-1 text-sm text-muted-foreground underline-offset-4 hover:underline"
        >
          <ArrowLeft className="size-4" aria-hidden />
          All error codes
        </Link>
        <h1 className="font-mono text-2xl font-semibold tracking-tight break-all">{code}</h1>
        <p className="text-lg">{wording.title}</p>
        <dl className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
          <div className="flex items-center gap-2">
            <dt className="text-muted-foreground">HTTP status</dt>
            <dd>
              <Badge variant="outline" className="font-mono" data-testid="error-status">
                {statusLabel(code)}
              </Badge>
            </dd>
          </div>
          <div className="flex items-center gap-2">
            <dt className="text-muted-foreground">Retry</dt>
            <dd>{RETRY_LABEL[doc.retry]}</dd>
          </div>
        </dl>
      </div>

      <DocSection id="meaning" title="Meaning">
        <p>{ERROR_CODES[code].message}</p>
      </DocSection>

      <DocSection id="causes" title="Typical causes">
        <ul className="list-disc space-y-1 pl-5">
          {doc.causes.map((cause) => (
            <li key={cause}>{cause}</li>
          ))}
        </ul>
      </DocSection>

      <DocSection id="fix" title="How to fix it">
        <p>{doc.fix}</p>
      </DocSection>

      <DocSection id="retry" title="Retrying">
        <p>{doc.retryHow}</p>
      </DocSection>

      <DocSection id="envelope" title="Example answer">
        <Code label={`Example ${code} error envelope`}>{JSON.stringify(exampleEnvelope(code), null, 2)}</Code>
      </DocSection>

      <DocSection id="sdk" title="Handling it with the SDK">
        <p className="text-sm text-muted-foreground">
          <code className="font-mono text-foreground">@genmedia/sdk</code> throws every error answer as a{" "}
          <code className="font-mono text-foreground">GenmediaError</code>; branch on its{" "}
          <code className="font-mono text-foreground">code</code>.
        </p>
        <Code label={`SDK handling of ${code}`}>{sdkSnippet(code)}</Code>
      </DocSection>
    </article>
  );
}
