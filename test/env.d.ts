/// <reference types="vite/client" />
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** The migrations in migrations/, read by vitest.config.ts for the setup file. */
      TEST_MIGRATIONS: D1Migration[];
      /** Each service's migrations (services/<svc>/migrations), read by vitest.config.ts. */
      TEST_MIGRATIONS_USERS: D1Migration[];
      TEST_MIGRATIONS_PRODUCTS: D1Migration[];
      TEST_MIGRATIONS_ORDERS: D1Migration[];
      /** Empty D1 databases that test/services/migrations.test.ts gives each service's schema. */
      USERS_SCHEMA_DB: D1Database;
      PRODUCTS_SCHEMA_DB: D1Database;
      ORDERS_SCHEMA_DB: D1Database;
      /** Which shape the runner drives, "monolith" (unset) or "services" (test/support/shape.ts). */
      TEST_SHAPE?: string;
      // The services shape only: the runner's test-only bindings to each service's D1 database,
      // its migrations, and its event-log class (test/support/services-shape.config.ts).
      USERS_DB?: D1Database;
      PRODUCTS_DB?: D1Database;
      ORDERS_DB?: D1Database;
      USERS_EVENT_LOG?: Env["EVENT_LOG"];
      PRODUCTS_EVENT_LOG?: Env["EVENT_LOG"];
      ORDERS_EVENT_LOG?: Env["EVENT_LOG"];
    }
  }
}
