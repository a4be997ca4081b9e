import { clsx, type ClassValue } from "clsx";
import { mergeClasses } from "./class-merge";

/** Joins class names and resolves Tailwind conflicts so the last utility wins. */
export function cn(...inputs: ClassValue[]) {
  return mergeClasses(clsx(inputs));
}
