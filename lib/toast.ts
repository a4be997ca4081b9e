import type { ReactNode } from "react";
import type * as SonnerModule from "sonner";

/**
 * `toast.success` / `toast.error` with sonner's signature, without sonner in the first-load bundle: the
 * library and its <Toaster> load on the first toast (or when the browser is idle), and sonner shows
 * toasts raised before its Toaster mounted as soon as it does.
 */
type Sonner = typeof SonnerModule;
type ToastOptions = { description?: ReactNode; id?: string };

let sonner: Promise<Sonner> | null = null;
let wanted = false;
const listeners = new Set<() => void>();

/** Loads sonner and asks the <Toaster> to mount. */
export function loadToaster(): Promise<Sonner> {
  if (!wanted) {
    wanted = true;
    listeners.forEach((listener) => listener());
  }
  return (sonner ??= import("sonner"));
}

export function subscribeToaster(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function toasterWanted(): boolean {
  return wanted;
}

function show(kind: "success" | "error", message: string, options?: ToastOptions) {
  loadToaster()
    .then((s) => s.toast[kind](message, options))
    .catch(() => {
      /* the chunk did not load (offline): the state the toast reports is on the page anyway */
    });
}

export const toast = {
  success: (message: string, options?: ToastOptions) => show("success", message, options),
  error: (message: string, options?: ToastOptions) => show("error", message, options),
};
