"use client";

import * as React from "react";
import { Slot } from "radix-ui";

import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

type FieldContextValue = {
  controlId: string;
  descriptionId: string;
  errorId: string;
  invalid: boolean;
  description: React.ReactNode;
  error: React.ReactNode;
};

const FieldContext = React.createContext<FieldContextValue | null>(null);

function useField(part: string): FieldContextValue {
  const field = React.use(FieldContext);
  if (!field) throw new Error(`<${part}> must be inside a <Field>`);
  return field;
}

/** Whether a description or error is there to show (`null`, `undefined`, `false` and `""` are not). */
function present(node: React.ReactNode): boolean {
  return node !== null && node !== undefined && node !== false && node !== "";
}

/**
 * One form field in the shape of shadcn's v4 Field: a label, a control, a description and an error,
 * wired to each other. The Field holds the description and the error (props), so the wiring is
 * known during render — in the server's HTML too, not only after hydration: the control
 * (`<FieldControl>` around an input, a select trigger, a textarea) gets the id the label points at,
 * `aria-describedby` listing the description and error there are, and `aria-invalid`.
 * `<FieldDescription />` and `<FieldError />` place them in the layout; place each one the Field
 * is given, or the control names an id that is not on the page.
 *
 * `id`: the control's id (default: a generated one, stable from server to client). `description`:
 * the hint. `error`: the error message, or nothing. `invalid`: the control's state (default:
 * whether there is an error).
 */
function Field({
  id,
  invalid,
  description,
  error,
  className,
  children,
  ...props
}: Omit<React.ComponentProps<"div">, "id"> & {
  id?: string;
  invalid?: boolean;
  description?: React.ReactNode;
  error?: React.ReactNode;
}) {
  const generated = React.useId();
  const controlId = id ?? generated;
  const hasError = present(error);
  const value = React.useMemo<FieldContextValue>(
    () => ({
      controlId,
      descriptionId: `${controlId}-description`,
      errorId: `${controlId}-error`,
      invalid: invalid ?? hasError,
      description: present(description) ? description : null,
      error: hasError ? error : null,
    }),
    [controlId, invalid, hasError, description, error],
  );
  return (
    <FieldContext value={value}>
      <div
        data-slot="field"
        data-invalid={value.invalid || undefined}
        className={cn("group/field flex min-w-0 flex-col gap-2", className)}
        {...props}
      >
        {children}
      </div>
    </FieldContext>
  );
}

/** The field's label, pointing at its control. */
function FieldLabel({ className, ...props }: React.ComponentProps<typeof Label>) {
  const field = useField("FieldLabel");
  return (
    <Label
      data-slot="field-label"
      htmlFor={field.controlId}
      className={cn("group-data-[invalid=true]/field:text-destructive", className)}
      {...props}
    />
  );
}

/**
 * The control itself (its one child): gets `id`, `aria-describedby` (the Field's description and
 * error, after any the child names itself) and `aria-invalid`.
 */
function FieldControl({ children, ...props }: React.ComponentProps<typeof Slot.Root>) {
  const field = useField("FieldControl");
  const own = (props as { "aria-describedby"?: string })["aria-describedby"];
  const describedBy = [
    own,
    field.description !== null ? field.descriptionId : null,
    field.error !== null ? field.errorId : null,
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <Slot.Root
      {...props}
      id={field.controlId}
      aria-describedby={describedBy || undefined}
      aria-invalid={field.invalid || undefined}
    >
      {children}
    </Slot.Root>
  );
}

/** Where the Field's `description` shows (nothing when it has none); the control is described by it. */
function FieldDescription({ className, ...props }: Omit<React.ComponentProps<"p">, "children">) {
  const field = useField("FieldDescription");
  if (field.description === null) return null;
  return (
    <p
      id={field.descriptionId}
      data-slot="field-description"
      className={cn("text-xs text-muted-foreground", className)}
      {...props}
    >
      {field.description}
    </p>
  );
}

/**
 * Where the Field's `error` shows, or nothing when there is none. While it shows, the control is
 * described by it and, unless the Field says otherwise, invalid. Extra content (a request id to
 * copy, a docs link) goes in `footer`, outside the text the control is described by.
 */
function FieldError({
  className,
  footer,
  ...props
}: Omit<React.ComponentProps<"p">, "children"> & { footer?: React.ReactNode }) {
  const field = useField("FieldError");
  if (field.error === null) return null;
  const message = (
    <p
      id={field.errorId}
      data-slot="field-error"
      className={cn("text-sm text-destructive", className)}
      {...props}
    >
      {field.error}
    </p>
  );
  return footer ? (
    <div className="flex flex-col gap-1">
      {message}
      {footer}
    </div>
  ) : (
    message
  );
}

export { Field, FieldControl, FieldDescription, FieldError, FieldLabel };
