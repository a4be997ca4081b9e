"use client";

import { X } from "lucide-react";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { type Choice, ChoiceSelect } from "@/components/ui/choice-select";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  AUDIT_ACTION_LABELS,
  AUDIT_CATEGORIES,
  AUDIT_CATEGORY_LIST,
  type AuditCategory,
  auditCategoryOf,
} from "@/lib/api/contract/audit-actions";
import { dayValue, useAuditFilters } from "./use-audit-filters";

const ALL = "all";
const CATEGORY_CHOICES: Choice[] = [
  { value: ALL, label: "Everything" },
  ...AUDIT_CATEGORY_LIST.map((c) => ({ value: c, label: AUDIT_CATEGORIES[c].label })),
];

function actionChoices(category: AuditCategory | null, current: string | null): Choice[] {
  const actions = Object.keys(AUDIT_ACTION_LABELS).filter(
    (a) => !category || auditCategoryOf(a) === category,
  );
  // An action from a shared URL that this console has no words for still shows as chosen.
  if (current && !actions.includes(current)) actions.unshift(current);
  return [
    { value: ALL, label: "Any action" },
    ...actions.map((a) => ({ value: a, label: AUDIT_ACTION_LABELS[a] ?? a })),
  ];
}

/** A text filter applied on Enter or when it loses focus; follows the URL (Back, Clear filters). */
function TextFilter({
  id,
  label,
  value,
  placeholder,
  onCommit,
  className,
}: {
  id: string;
  label: string;
  value: string | null;
  placeholder: string;
  onCommit: (value: string | null) => void;
  className?: string;
}) {
  const [text, setText] = React.useState(value ?? "");
  const [seen, setSeen] = React.useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value ?? "");
  }
  const commit = () => {
    const next = text.trim() || null;
    if (next !== value) onCommit(next);
  };
  return (
    <form
      className="flex flex-col gap-1.5"
      onSubmit={(event) => {
        event.preventDefault();
        commit();
      }}
    >
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        className={className}
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        autoComplete="off"
        spellCheck={false}
      />
    </form>
  );
}

/** Category, action, who, what and a date range; every change lands in the URL (a history entry). */
export function AuditFilters() {
  const { state, setState, active, clear } = useAuditFilters();
  return (
    <div className="grid grid-cols-1 gap-3 rounded-lg border p-3 sm:grid-cols-2 md:flex md:flex-wrap md:items-end">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-category">Category</Label>
        <ChoiceSelect
          id="audit-category"
          className="w-full md:w-48"
          value={state.category ?? ALL}
          onValueChange={(v) => {
            const category = v === ALL ? null : (v as AuditCategory);
            // An action of another category would match nothing: drop it with the change.
            const keep = state.action && category && auditCategoryOf(state.action) !== category;
            void setState({ category, ...(keep ? { action: null } : {}) });
          }}
          choices={CATEGORY_CHOICES}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-action">Action</Label>
        <ChoiceSelect
          id="audit-action"
          className="w-full md:w-60"
          value={state.action ?? ALL}
          onValueChange={(v) => void setState({ action: v === ALL ? null : v })}
          choices={actionChoices(state.category, state.action)}
        />
      </div>
      <TextFilter
        id="audit-actor"
        label="Who (email)"
        value={state.actor}
        placeholder="name@example.com"
        className="w-full md:w-56"
        onCommit={(actor) => void setState({ actor })}
      />
      <TextFilter
        id="audit-target"
        label="Target ID"
        value={state.target}
        placeholder="key_…, we_…, top_…"
        className="w-full font-mono md:w-56"
        onCommit={(target) => void setState({ target })}
      />
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-from">From (UTC)</Label>
        <Input
          id="audit-from"
          type="date"
          className="w-full md:w-40"
          value={dayValue(state.from)}
          max={dayValue(state.to) || undefined}
          onChange={(e) => void setState({ from: e.target.valueAsDate })}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-to">To (UTC)</Label>
        <Input
          id="audit-to"
          type="date"
          className="w-full md:w-40"
          value={dayValue(state.to)}
          min={dayValue(state.from) || undefined}
          onChange={(e) => void setState({ to: e.target.valueAsDate })}
        />
      </div>
      {active ? (
        <Button type="button" variant="ghost" onClick={clear} className="sm:col-span-2 md:ml-auto">
          <X aria-hidden />
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
