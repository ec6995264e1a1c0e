import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The same SQL that `wrangler d1 migrations apply` runs; test/apply-migrations.ts applies it.
const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: migrations,
          // Test-only secrets; production reads them from `wrangler secret put`.
          JWT_SECRET: "test-only-jwt-secret-0123456789-abcdefghij",
          ADMIN_BOOTSTRAP_TOKEN: "test-only-admin-bootstrap-token-0123456789",
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
