import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { dbOf, type Service, SHAPE } from "./support/shape";

// Storage is isolated per test file, so each file starts from freshly migrated D1 databases: the
// monolith's one, or each service's own with that service's migrations (services/<svc>/migrations).
if (SHAPE === "monolith") {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
} else {
  const migrationsOf = {
    users: env.TEST_MIGRATIONS_USERS,
    products: env.TEST_MIGRATIONS_PRODUCTS,
    orders: env.TEST_MIGRATIONS_ORDERS,
  } satisfies Record<Service, unknown>;
  for (const service of ["users", "products", "orders"] as const) {
    const migrations = migrationsOf[service];
    if (!migrations) throw new Error(`the services-shape project binds no ${service} migrations`);
    await applyD1Migrations(dbOf(service), migrations);
  }
}
