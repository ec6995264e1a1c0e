import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { copyDocsAssets } from "./scripts/docs-assets.mjs";

// wrangler's [build] command fills the static assets directory for dev and deploy; the test
// runtime serves the same directory but runs no build.
copyDocsAssets();

// The same SQL that `wrangler d1 migrations apply` runs; test/apply-migrations.ts applies it.
const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          // Test-only values; production reads JWT_SECRET from `wrangler secret put`.
          JWT_SECRET: "test-only-jwt-secret-0123456789-abcdefghij",
          ADMIN_EMAILS: "admin@example.com",
        },
      },
    }),
  ],
  test: {
    setupFiles: ["./test/apply-migrations.ts"],
    // Request logs are one line per request: show them only for a failing test.
    silent: "passed-only",
    coverage: {
      provider: "istanbul",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 85 },
    },
  },
});
