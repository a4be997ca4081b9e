import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const FEATURES = [
  "keys",
  "billing",
  "jobs",
  "requests",
  "support",
  "overview",
  "auth",
  "playground",
  "webhooks",
];
/** Everything under components/ but the shared layer (ui primitives and common views). */
const FEATURE_CODE = [...FEATURES, "errors", "shell", "providers", "theme"].map((f) => `./components/${f}`);

/** The layer rules of ARCHITECTURE.md: client code never reaches server code. */
const noServerImports = {
  group: ["@/lib/server", "@/lib/server/*", "**/lib/server/**", "server-only"],
  message: "Client-safe code (components, lib/api) must not import lib/server (ARCHITECTURE.md layer rules).",
};

const noServerOnly = {
  name: "server-only",
  message:
    "lib/server runs under tsx too (npm run api / worker), where server-only throws. The lint rule on components and lib/api already keeps server code out of the client.",
};

const noConsoleErrorUi = {
  name: "@/lib/api/error-ui",
  message: "That is the console's UI-state table. Shared wording lives in lib/api/contract/error-wording.ts.",
};

const noApiImports = {
  message:
    "Only lib/server/api speaks HTTP: domain modules take and return plain values (DTOs, catalog errors) and never import lib/server/api.",
};

/**
 * Forbids importing lib/server/api from `files` (with `relative`, how lib/server/api is spelled from
 * there). no-restricted-imports takes its options from the last block that matches a file, so each
 * block repeats the server-only path (except for the one file allowed to import it).
 */
function noApiZone(files, relative, ignores = [], serverOnly = true) {
  return {
    files,
    ignores: ["lib/server/api/**", "lib/server/console/in-process.ts", ...ignores],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: serverOnly ? [noServerOnly, noConsoleErrorUi] : [noConsoleErrorUi],
          patterns: [
            { group: ["**/server/api", "**/server/api/**", relative, `${relative}/**`], ...noApiImports },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      "node_modules/**",
      ".data/**",
      ".data-*/**",
      "drizzle/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "sdk/dist/**",
      "sdk/src/generated/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  // Import graph rules: no cycles anywhere, and the shared layer (bulletproof-react's shared →
  // features → app) imports nothing above it.
  {
    files: ["**/*.{ts,tsx,mts,js,mjs}"],
    plugins: { "import-x": importX },
    settings: {
      // TypeScript's extensions and parser (from import-x's typescript preset), our resolver.
      "import-x/extensions": importX.flatConfigs.typescript.settings["import-x/extensions"],
      "import-x/external-module-folders":
        importX.flatConfigs.typescript.settings["import-x/external-module-folders"],
      "import-x/parsers": importX.flatConfigs.typescript.settings["import-x/parsers"],
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: ["./lib/format", "./components/common", "./components/ui"],
              from: [...FEATURE_CODE, "./app"],
              message:
                "The shared layer (lib/format, components/common, components/ui) imports no feature code.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["components/**", "lib/api/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [noServerImports] }] },
  },
  // A value imported from a contract schema file brings zod into the route's first-load JavaScript
  // (an auto-recharge banner in the shell did: +36 kB gzip on every console route, over the bundle
  // gate). Components take types from the schema files and values from lib/api/contract/constants.ts;
  // lib/api/queries loads the schemas lazily.
  {
    files: ["components/**"],
    ignores: ["components/**/*.test.{ts,tsx}"],
    // typescript-eslint's own rule (it knows type imports), so the feature blocks' no-restricted-imports
    // below do not replace it.
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/api/contract/*.schema", "**/contract/*.schema"],
              allowTypeImports: true,
              message:
                "Only types from a schema file in components (zod would join the first-load bundle): values live in lib/api/contract/constants.ts.",
            },
          ],
        },
      ],
    },
  },
  // lib/server also runs outside Next (npm run api, npm run worker, tests) where `server-only` throws:
  // only Next-only entry files (app/ routes, lib/server/auth/current.ts) may import it.
  {
    files: ["lib/server/**"],
    ignores: ["lib/server/auth/current.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [noServerOnly, noConsoleErrorUi] }] },
  },
  // The domain speaks plain values, not HTTP (ARCHITECTURE.md): no file in a folder of lib/server other
  // than api/ imports lib/server/api. One exception: the console's in-process transport, which calls
  // the API app as app/api/v1/[[...path]]/route.ts does. A relative import names lib/server/api as
  // `../api/…` one folder down and `../../api/…` two down (one folder up, `../../api` is lib/api).
  noApiZone(["lib/server/*/*"], "../api", ["lib/server/auth/current.ts"]),
  noApiZone(["lib/server/auth/current.ts"], "../api", [], false),
  noApiZone(["lib/server/*/*/**"], "../../api"),
  // Playwright fixtures call their `use` argument: not React's hook.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
  // Browser specs take `test` from e2e/support/test.ts: it fails a test on an unexpected console error
  // or failed request.
  {
    files: ["e2e/console*/**", "e2e/setup/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@playwright/test",
              importNames: ["test"],
              message:
                "Import `test` from e2e/support/test.ts (it checks console errors and failed requests).",
            },
          ],
        },
      ],
    },
  },
  // One feature's components never import another's; compose them in app/.
  ...FEATURES.map((feature) => ({
    files: [`components/${feature}/**`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            noServerImports,
            {
              group: FEATURES.filter((f) => f !== feature).flatMap((f) => [
                `@/components/${f}`,
                `@/components/${f}/*`,
                `../${f}/*`,
              ]),
              message: "No cross-feature component imports: compose features in app/.",
            },
          ],
        },
      ],
    },
  })),
);
