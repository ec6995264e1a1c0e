import { defineConfig } from "drizzle-kit";

// The products service's own D1 migrations (services shape, ADR 0040): the shared tables of
// src/db and the products module's. After a schema change `npm run db:generate:services`
// generates all three (test/services/migrations.test.ts fails until they match migrations/).
// Hand-written SQL (a trigger, a virtual table) goes in with `--custom`, as in migrations/:
//   npx drizzle-kit generate --config services/products/drizzle.config.ts --custom --name <what>
export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/db/*.table.ts", "./src/modules/products/infrastructure/*.table.ts"],
  out: "./services/products/migrations",
});
