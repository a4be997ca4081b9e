import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata } from "next";
import { ThemeProvider } from "@/components/theme/theme-provider";
import { Toaster } from "@/components/ui/sonner";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Genmedia Console", template: "%s · Genmedia Console" },
  description: "API keys, credits, jobs and the request log of the generative-media platform.",
};

/**
 * The page's first Intl formatter costs ICU's data loading: 35 ms on this machine's Chromium, over
 * 100 ms under load (bench/trace-load.ts). Paid by lib/format's formatters, it lands in the console
 * shell's hydration, the longest task of every page load. Paid here, right after the first paint, it is
 * a short task of its own while the page's scripts download; the formatters made later cost ~1 ms.
 */
const WARM_UP_INTL = `requestAnimationFrame(function(){setTimeout(function(){try{new Intl.NumberFormat("en-US").format(1);new Intl.DateTimeFormat("en-US",{month:"short",hour:"2-digit",hourCycle:"h23"}).format(0);new Intl.RelativeTimeFormat("en").format(1,"day")}catch(e){}})})`;

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`} suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: WARM_UP_INTL }} />
      </head>
      <body className="min-h-dvh bg-background font-sans text-foreground antialiased">
        <ThemeProvider>
          {children}
          <Toaster />
        </ThemeProvider>
      </body>
    </html>
  );
}
