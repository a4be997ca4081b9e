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
  hasDescription: boolean;
  hasError: boolean;
  register: (part: "description" | "error") => () => void;
};

const FieldContext = React.createContext<FieldContextValue | null>(null);

function useField(part: string): FieldContextValue {
  const field = React.use(FieldContext);
  if (!field) throw new Error(`<${part}> must be inside a <Field>`);
  return field;
}

/** Counts the mounted parts of one kind (a description, an error): present while at least one is. */
function usePartCount() {
  const [count, setCount] = React.useState(0);
  const add = React.useCallback(() => {
    setCount((n) => n + 1);
    return () => setCount((n) => n - 1);
  }, []);
  return [count > 0, add] as const;
}

/**
 * One form field in the shape of shadcn's v4 Field: a label, a control, a description and an error,
 * wired to each other. The control (`<FieldControl>` around an input, a select trigger, a textarea)
 * gets the id the label points at, `aria-describedby` listing the description and error that are
 * on screen, and `aria-invalid` — so no form writes ids by hand.
 *
 * `id`: the control's id (default: a generated one). `invalid`: the control's state (default:
 * whether a `<FieldError>` with a message is shown).
 */
function Field({
  id,
  invalid,
  className,
  children,
  ...props
}: React.ComponentProps<"div"> & { invalid?: boolean }) {
  const generated = React.useId();
  const controlId = id ?? generated;
  const [hasDescription, addDescription] = usePartCount();
  const [hasError, addError] = usePartCount();
  const register = React.useCallback(
    (part: "description" | "error") => (part === "description" ? addDescription() : addError()),
    [addDescription, addError],
  );
  const value = React.useMemo<FieldContextValue>(
    () => ({
      controlId,
      descriptionId: `${controlId}-description`,
      errorId: `${controlId}-error`,
      invalid: invalid ?? hasError,
      hasDescription,
      hasError,
      register,
    }),
    [controlId, invalid, hasDescription, hasError, register],
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
 * The control itself (its one child): gets `id`, `aria-describedby` (the description and the error on
 * screen, after any the child names itself) and `aria-invalid`.
 */
function FieldControl({ children, ...props }: React.ComponentProps<typeof Slot.Root>) {
  const field = useField("FieldControl");
  const own = (props as { "aria-describedby"?: string })["aria-describedby"];
  const describedBy = [
    own,
    field.hasDescription ? field.descriptionId : null,
    field.hasError ? field.errorId : null,
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

function useRegister(part: "description" | "error", present: boolean) {
  const { register } = useField(part === "description" ? "FieldDescription" : "FieldError");
  React.useLayoutEffect(() => (present ? register(part) : undefined), [register, part, present]);
}

/** A hint under the control; the control's `aria-describedby` names it. */
function FieldDescription({ className, ...props }: React.ComponentProps<"p">) {
  const field = useField("FieldDescription");
  useRegister("description", true);
  return (
    <p
      id={field.descriptionId}
      data-slot="field-description"
      className={cn("text-xs text-muted-foreground", className)}
      {...props}
    />
  );
}

/**
 * The field's error, or nothing when there is none (`children` empty). While it shows, the control
 * is described by it and, unless the Field says otherwise, invalid. Extra content (a request id to
 * copy) goes in `footer`, outside the text the control is described by.
 */
function FieldError({
  className,
  children,
  footer,
  ...props
}: React.ComponentProps<"p"> & { footer?: React.ReactNode }) {
  const field = useField("FieldError");
  const present = children !== null && children !== undefined && children !== false && children !== "";
  useRegister("error", present);
  if (!present) return null;
  const message = (
    <p
      id={field.errorId}
      data-slot="field-error"
      className={cn("text-sm text-destructive", className)}
      {...props}
    >
      {children}
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
