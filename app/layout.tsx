import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata } from "next";
import { ThemeProvider } from "@/components/theme/theme-provider";
import { Toaster } from "@/components/ui/sonner";
import { HydratedProvider } from "@/lib/use-hydrated";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Genmedia Console", template: "%s · Genmedia Console" },
  description: "API keys, credits, jobs and the request log of the generative-media platform.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`} suppressHydrationWarning>
      <body className="min-h-dvh bg-background font-sans text-foreground antialiased">
        <HydratedProvider>
          <ThemeProvider>
            {children}
            <Toaster />
          </ThemeProvider>
        </HydratedProvider>
      </body>
    </html>
  );
}
