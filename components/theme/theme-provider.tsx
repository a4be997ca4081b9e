"use client";

import * as React from "react";
import { ThemeProvider as NextThemesProvider } from "next-themes";

/**
 * Class-based theming (`.dark` on <html>) that follows the OS until the user picks a theme. Without
 * next-themes' `disableTransitionOnChange`: it applies the theme again when the provider mounts, and with
 * that option it adds a no-transition stylesheet and forces a style recalculation of the whole document
 * (then another when it removes it) — ~8 ms of every page load's longest task (/requests, a profiling
 * build's trace), to spare the 150 ms colour transitions of the rare moment someone switches themes.
 */
function ThemeProvider({ children, ...props }: React.ComponentProps<typeof NextThemesProvider>) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem {...props}>
      {children}
    </NextThemesProvider>
  );
}

export { ThemeProvider };
