/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder per parallel checkout/run (NEXT_DIST_DIR), `.next` by default.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Native or WASM packages that must be loaded by Node at run time, not bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pg",
    "sharp",
    "ioredis",
    "rate-limiter-flexible",
    "stripe",
  ],
  typedRoutes: false,
};

export default nextConfig;
