"use client";

import { Check, Copy } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { snippet, SNIPPET_LANGUAGES, type SnippetLanguage, type SnippetRequest } from "@/lib/api/snippets";
import { toast } from "@/lib/toast";
import { useHydrated } from "@/lib/use-hydrated";
import { useCopy } from "./use-copy";

const NAMES: Record<SnippetLanguage, string> = { curl: "curl", sdk: "TypeScript SDK", python: "Python" };

/**
 * One API call as curl, the TypeScript SDK and Python `requests` (lib/api/snippets.ts), each with a
 * copy button. The URL is this console's origin; the key is named by its prefix only, its secret
 * read from GENMEDIA_API_KEY.
 */
export function CodeSnippets({ request }: { request: Omit<SnippetRequest, "baseUrl"> }) {
  // The origin is the browser's: the server render leaves it out, the first client render fills it.
  const baseUrl = useHydrated() ? window.location.origin : "";
  return (
    <Tabs defaultValue="curl">
      <TabsList aria-label="Language">
        {SNIPPET_LANGUAGES.map((language) => (
          <TabsTrigger key={language} value={language}>
            {NAMES[language]}
          </TabsTrigger>
        ))}
      </TabsList>
      {SNIPPET_LANGUAGES.map((language) => (
        <TabsContent key={language} value={language}>
          <Snippet language={language} text={snippet(language, { ...request, baseUrl })} />
        </TabsContent>
      ))}
    </Tabs>
  );
}

function Snippet({ language, text }: { language: SnippetLanguage; text: string }) {
  const name = `${NAMES[language]} snippet`;
  const { copied, copy } = useCopy({
    done: () => toast.success(`${name} copied`),
    byHand: "Select the code and copy it by hand.",
  });
  return (
    <div className="relative">
      <pre
        aria-label={name}
        className="max-h-96 overflow-auto rounded-md border bg-muted/50 p-3 pr-12 font-mono text-xs leading-relaxed whitespace-pre"
        // Scrollable, so reachable by keyboard.
        tabIndex={0}
      >
        {text}
      </pre>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="absolute top-1.5 right-1.5 size-8"
        aria-label={`Copy ${name}`}
        onClick={() => void copy(text)}
      >
        {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      </Button>
    </div>
  );
}
