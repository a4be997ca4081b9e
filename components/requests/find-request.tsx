"use client";

import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Field, FieldControl, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

const REQUEST_ID = /^req_[0-9A-Za-z]{26}$/;

/** Paste a request id (from an error, a log line or a support ticket) and open its story. */
export function RequestSearch() {
  const router = useRouter();
  const [value, setValue] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  return (
    <form
      role="search"
      aria-label="Find a request"
      className="flex flex-col gap-1.5"
      onSubmit={(event) => {
        event.preventDefault();
        const id = value.trim();
        if (!REQUEST_ID.test(id)) {
          setError("Request IDs look like req_01J… (30 characters).");
          return;
        }
        setError(null);
        router.push(`/requests/${id.slice(0, 4)}${id.slice(4).toUpperCase()}`);
      }}
    >
      <Field id="request-search" className="gap-1.5" error={error}>
        <FieldLabel>Find a request by ID</FieldLabel>
        <div className="flex gap-2">
          <FieldControl>
            <Input
              className="w-full font-mono md:w-80"
              placeholder="req_…"
              autoComplete="off"
              spellCheck={false}
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          </FieldControl>
          <Button type="submit" variant="secondary">
            <Search aria-hidden />
            Open
          </Button>
        </div>
        <FieldError />
      </Field>
    </form>
  );
}
