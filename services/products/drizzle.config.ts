import { defineConfig } from "drizzle-kit";

// The products service's own D1 migrations (services shape, ADR 0040): the shared tables of src/db and
// the products module's. Run from the repository root:
//   npx drizzle-kit generate --config services/products/drizzle.config.ts
// Hand-written SQL (a trigger, a virtual table) goes in with `--custom`, as in migrations/.
export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/db/*.table.ts", "./src/modules/products/infrastructure/*.table.ts"],
  out: "./services/products/migrations",
});
