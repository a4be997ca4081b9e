/** @type {import('next').NextConfig} */
const nextConfig = {
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
