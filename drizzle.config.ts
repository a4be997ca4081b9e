import { defineConfig } from "drizzle-kit";

// Only for `npm run db:generate` (writes SQL from the schema). Migrations are applied by the app at start.
export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/server/db/schema/index.ts",
  out: "./drizzle",
});
