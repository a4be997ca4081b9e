"use client";

import { X } from "lucide-react";
import * as React from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { type Choice, ChoiceSelect } from "@/components/ui/choice-select";
import { ERROR_CODE_LIST, ERROR_CODES } from "@/lib/api/contract/error-codes";
import { type REQUEST_SOURCES, STATUS_CLASSES } from "@/lib/api/contract/constants";
import { TIME_RANGES, type TimeRange } from "@/lib/api/queries/requests";
import { useRequestFilters } from "./use-request-filters";

const HTTP_CODES = ERROR_CODE_LIST.filter((c) => ERROR_CODES[c].status !== null);
const ALL = "all";
const RANGE_CHOICES: Choice<TimeRange>[] = Object.entries(TIME_RANGES).map(([key, r]) => ({
  value: key as TimeRange,
  label: r.label,
}));
const SOURCE_CHOICES: Choice[] = [
  { value: ALL, label: "Anyone" },
  { value: "key", label: "API keys" },
  { value: "console", label: "The console" },
];
const STATUS_CHOICES: Choice[] = [
  { value: ALL, label: "Any status" },
  ...STATUS_CLASSES.map((c) => ({ value: c, label: c })),
];
const CODE_CHOICES: Choice[] = [
  { value: ALL, label: "Any code" },
  ...HTTP_CODES.map((c) => ({ value: c, label: c })),
];

/** The request log's filters (time range, sender, status, code, path, key), kept in the URL. */
export function FilterBar() {
  const { state, setState, active, clear } = useRequestFilters();
  const [path, setPath] = React.useState(state.path ?? "");
  // The URL can change under us (Back, Clear filters): the text box follows it.
  const [seenPath, setSeenPath] = React.useState(state.path);
  if (seenPath !== state.path) {
    setSeenPath(state.path);
    setPath(state.path ?? "");
  }
  const commitPath = () => void setState({ path: path.trim() || null });

  return (
    <div className="grid grid-cols-2 gap-3 rounded-lg border p-3 md:flex md:flex-wrap md:items-end">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-range">Time range</Label>
        <ChoiceSelect
          id="filter-range"
          className="w-full md:w-40"
          value={state.range}
          onValueChange={(range) => void setState({ range })}
          choices={RANGE_CHOICES}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-source">Sent by</Label>
        <ChoiceSelect
          id="filter-source"
          className="w-full md:w-36"
          value={state.source ?? ALL}
          onValueChange={(v) =>
            void setState({ source: v === ALL ? null : (v as (typeof REQUEST_SOURCES)[number]) })
          }
          choices={SOURCE_CHOICES}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-status">Status</Label>
        <ChoiceSelect
          id="filter-status"
          className="w-full md:w-32"
          value={state.status ?? ALL}
          onValueChange={(v) =>
            void setState({ status: v === ALL ? null : (v as (typeof STATUS_CLASSES)[number]) })
          }
          choices={STATUS_CHOICES}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-code">Error code</Label>
        <ChoiceSelect
          id="filter-code"
          className="w-full md:w-56"
          value={state.code ?? ALL}
          onValueChange={(v) => void setState({ code: v === ALL ? null : v })}
          choices={CODE_CHOICES}
        />
      </div>
      <form
        className="col-span-2 flex flex-col gap-1.5"
        onSubmit={(event) => {
          event.preventDefault();
          commitPath();
        }}
      >
        <Label htmlFor="filter-path">Path starts with</Label>
        <Input
          id="filter-path"
          className="w-full font-mono md:w-48"
          placeholder="/jobs"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          onBlur={commitPath}
        />
      </form>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-would-refuse">Shadow allowlist</Label>
        <div className="flex h-9 items-center gap-2">
          <Switch
            id="filter-would-refuse"
            checked={Boolean(state.would_refuse)}
            onCheckedChange={(on) => void setState({ would_refuse: on ? true : null })}
            aria-describedby="filter-would-refuse-hint"
          />
          <span id="filter-would-refuse-hint" className="text-sm text-muted-foreground">
            Would refuse only
          </span>
        </div>
      </div>
      {state.key ? (
        <div className="flex flex-col gap-1.5">
          <span className="text-sm font-medium">Key</span>
          <Badge variant="secondary" className="h-9 gap-1 pr-1 font-mono">
            {state.key}
            <Button
              type="button"
              variant="ghost"
              size="icon"
              className="size-6"
              aria-label="Remove the key filter"
              onClick={() => void setState({ key: null })}
            >
              <X aria-hidden />
            </Button>
          </Badge>
        </div>
      ) : null}
      {active ? (
        <Button type="button" variant="ghost" onClick={clear} className="col-span-2 md:ml-auto">
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
