"use client";

import { X } from "lucide-react";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ChoiceSelect } from "@/components/ui/choice-select";
import { JOB_STATUSES } from "@/lib/api/contract/constants";
import { jobStatusLabel } from "./job-status-badge";
import type { JobSearch } from "./job-search";
import { dayValue } from "./use-job-filters";

const ALL = "all";

type Option = { value: string; label: string };

/** Status, product, key and a date range; every change lands in the URL (a new history entry). */
export function JobsFilterBar({
  search,
  onChange,
  products,
  keys,
  active,
}: {
  search: JobSearch;
  onChange: (patch: Partial<JobSearch>) => void;
  products: Option[];
  keys: Option[];
  active: boolean;
}) {
  const id = React.useId();
  return (
    <div role="group" aria-label="Filters" className="flex flex-wrap items-end gap-3">
      <FilterSelect
        id={`${id}-status`}
        label="Status"
        value={search.status ?? ALL}
        options={JOB_STATUSES.map((s) => ({ value: s, label: jobStatusLabel(s) }))}
        allLabel="All statuses"
        onChange={(v) => onChange({ status: v === ALL ? null : (v as JobSearch["status"]) })}
      />
      <FilterSelect
        id={`${id}-product`}
        label="Product"
        value={search.product ?? ALL}
        options={withCurrent(products, search.product)}
        allLabel="All products"
        onChange={(v) => onChange({ product: v === ALL ? null : v })}
      />
      <FilterSelect
        id={`${id}-key`}
        label="Key"
        value={search.key ?? ALL}
        options={withCurrent(keys, search.key)}
        allLabel="All keys"
        onChange={(v) => onChange({ key: v === ALL ? null : v })}
      />
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${id}-from`}>From (UTC)</Label>
        <Input
          id={`${id}-from`}
          type="date"
          className="w-40"
          value={dayValue(search.from)}
          max={dayValue(search.to) || undefined}
          onChange={(e) => onChange({ from: e.target.valueAsDate })}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${id}-to`}>To (UTC)</Label>
        <Input
          id={`${id}-to`}
          type="date"
          className="w-40"
          value={dayValue(search.to)}
          min={dayValue(search.from) || undefined}
          onChange={(e) => onChange({ to: e.target.valueAsDate })}
        />
      </div>
      {active ? (
        <Button
          type="button"
          variant="ghost"
          onClick={() => onChange({ status: null, product: null, key: null, from: null, to: null })}
        >
          <X aria-hidden />
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}

/** A value from a shared link that is not (or no longer) in the list still shows as selected. */
function withCurrent(options: Option[], current: string | null): Option[] {
  return current && !options.some((o) => o.value === current)
    ? [...options, { value: current, label: current }]
    : options;
}

function FilterSelect({
  id,
  label,
  value,
  options,
  allLabel,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: Option[];
  allLabel: string;
  onChange: (value: string) => void;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <ChoiceSelect
        id={id}
        className="w-44"
        value={value}
        onValueChange={onChange}
        choices={[{ value: ALL, label: allLabel }, ...options]}
      />
    </div>
  );
}
