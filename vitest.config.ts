import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { copyDocsAssets, writeApiDocumentAsset } from "./scripts/docs-assets.mjs";
import { GATEWAY_CONFIG, servicesShape } from "./scripts/lib/services-shape.mjs";

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

// Test-only secrets and settings, for the monolith and for every Worker of the services shape;
// production reads the secrets from `wrangler secret put`.
const TEST_BINDINGS = {
  JWT_SECRET: "test-only-jwt-secret-0123456789-abcdefghij",
  ADMIN_BOOTSTRAP_TOKEN: "test-only-admin-bootstrap-token-0123456789",
  PII_MASTER_KEY: "test-only-pii-master-key-0123456789-abcdefgh",
  // The suites read what D1 holds right after a change (stock after an order);
  // the catalogue cache's own tests turn it on (catalog-cache.test.ts).
  CATALOG_CACHE_SECONDS: "0",
};

// As in the deploy bundle ([alias] in wrangler.toml): the Worker runs without the OpenAPI
// generator, and serves the document built above (ADR 0029).
const DEPLOY_ALIASES = {
  "@asteasolutions/zod-to-openapi": fileURLToPath(
    new URL("./src/zod-to-openapi-stub.ts", import.meta.url),
  ),
};

// A timeout, not a speed target (those live in benchmarks): on a shared two-core machine the
// heaviest files (250 products paged under every sort) take 3 s alone and over 5 s, vitest's
// default, while other suites run.
const WORKERS_TEST_TIMEOUT = 20_000;

// The suites that run against both shapes (issue 16): every HTTP suite and the concurrency
// tests. Where one of their tests needs what only the monolith's runner reaches, it says so and
// skips in the services shape (test/support/shape.ts).
const BOTH_SHAPES_SUITES = [
  "test/modules/**/http/**/*.test.ts",
  "test/eventlog/concurrency.test.ts",
  "test/eventlog/stock-concurrency.test.ts",
  "test/modules/orders/saga.test.ts",
  "test/modules/**/*-race.test.ts",
  "test/modules/**/*-races.test.ts",
];

// What only the services shape can test: failures between its Workers, and the bookmark of each
// service's database (ADR 0041). test/services/migrations.test.ts compares each service's schema
// with the monolith's, so it runs in the monolith's project.
const SERVICES_ONLY_SUITES = [
  "test/services/failures.test.ts",
  "test/services/d1-bookmarks.test.ts",
];

/**
 * The services shape as a vitest project: the gateway (services/gateway/wrangler.toml) is the
 * runner, and the users, products and orders services run beside it as auxiliary Workers, each
 * built once from its own wrangler.toml (scripts/lib/services-shape.mjs). The runner gets
 * test-only bindings to the services' D1 databases and event logs, and TEST_SHAPE = "services".
 */
function servicesProject() {
  return {
    plugins: [
      // Options as a function: the services are built only when this project runs.
      cloudflareTest(async () => {
        const shape = await servicesShape(TEST_BINDINGS);
        return {
          wrangler: { configPath: GATEWAY_CONFIG },
          miniflare: {
            bindings: { ...TEST_BINDINGS, ...shape.bindings },
            serviceBindings: shape.serviceBindings,
            d1Databases: shape.d1Databases,
            durableObjects: shape.durableObjects,
            workers: shape.workers,
          },
        };
      }),
    ],
    resolve: { alias: DEPLOY_ALIASES },
    test: {
      name: "services",
      include: [...BOTH_SHAPES_SUITES, ...SERVICES_ONLY_SUITES],
      // After the monolith's suites, never beside them: two Miniflare instances on two cores
      // would slow the heavy suites past their timeouts.
      sequence: { groupOrder: 2 },
      setupFiles: ["./test/apply-migrations.ts"],
      testTimeout: WORKERS_TEST_TIMEOUT,
    },
  };
}

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
                ...TEST_BINDINGS,
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
        resolve: { alias: DEPLOY_ALIASES },
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          sequence: { groupOrder: 1 },
          exclude: [NODE_TESTS, ...SERVICES_ONLY_SUITES],
          setupFiles: ["./test/apply-migrations.ts"],
          testTimeout: WORKERS_TEST_TIMEOUT,
        },
      },
      servicesProject(),
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
