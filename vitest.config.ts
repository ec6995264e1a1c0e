import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { copyDocsAssets, writeApiDocumentAsset } from "./scripts/docs-assets.mjs";

// The same SQL that `wrangler d1 migrations apply` runs; test/apply-migrations.ts applies it.
const migrations = await readD1Migrations("./migrations");
// Each service's own migrations (services shape, ADR 0040), checked against the monolith's by
// test/services/migrations.test.ts.
const usersMigrations = await readD1Migrations("./services/users/migrations");
const productsMigrations = await readD1Migrations("./services/products/migrations");
const ordersMigrations = await readD1Migrations("./services/orders/migrations");

// wrangler's [build] command fills the static assets directory for dev and deploy (Swagger UI
// and the OpenAPI document, built from the code); the test runtime serves the same directory
// but runs no build.
copyDocsAssets();
await writeApiDocumentAsset();

// Tests that drive the Worker from outside (a browser, the typed client, the scripts) run in
// Node; they live in test/node/ and start their own `wrangler dev` where they need one.
const NODE_TESTS = "test/node/**/*.test.ts";

export default defineConfig({
  test: {
    // Request logs are one line per request: show them only for a failing test.
    silent: "passed-only",
    coverage: {
      provider: "istanbul",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 85 },
    },
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: migrations,
                TEST_MIGRATIONS_USERS: usersMigrations,
                TEST_MIGRATIONS_PRODUCTS: productsMigrations,
                TEST_MIGRATIONS_ORDERS: ordersMigrations,
                // Test-only secrets; production reads them from `wrangler secret put`.
                JWT_SECRET: "test-only-jwt-secret-0123456789-abcdefghij",
                ADMIN_BOOTSTRAP_TOKEN: "test-only-admin-bootstrap-token-0123456789",
                PII_MASTER_KEY: "test-only-pii-master-key-0123456789-abcdefgh",
                // The suites read what D1 holds right after a change (stock after an order);
                // the catalogue cache's own tests turn it on (catalog-cache.test.ts).
                CATALOG_CACHE_SECONDS: "0",
              },
              // Empty databases beside DB (merged with wrangler.toml's), one per service.
              d1Databases: {
                USERS_SCHEMA_DB: "test-users-schema",
                PRODUCTS_SCHEMA_DB: "test-products-schema",
                ORDERS_SCHEMA_DB: "test-orders-schema",
              },
            },
          }),
        ],
        // As in the deploy bundle ([alias] in wrangler.toml): the Worker runs without the
        // OpenAPI generator, and serves the document built above (ADR 0029).
        resolve: {
          alias: {
            "@asteasolutions/zod-to-openapi": fileURLToPath(
              new URL("./src/zod-to-openapi-stub.ts", import.meta.url),
            ),
          },
        },
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          sequence: { groupOrder: 1 },
          exclude: [NODE_TESTS],
          setupFiles: ["./test/apply-migrations.ts"],
          // A timeout, not a speed target (those live in benchmarks): on a shared two-core
          // machine the heaviest files (250 products paged under every sort) take 3 s alone and
          // over 5 s, vitest's default, while other suites run.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "node",
          include: [NODE_TESTS],
          globalSetup: ["./test/node/support/dev-server.setup.ts"],
          // First, then the workerd suite: never beside it, since two wrangler dev servers and a
          // browser on a two-core machine would slow its heavier tests past their timeouts.
          sequence: { groupOrder: 0 },
          environment: "node",
          // These start `wrangler dev` and a browser: minutes on a busy machine, not seconds.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
