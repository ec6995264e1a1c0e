import { defineConfig } from "drizzle-kit";

// The users service's own D1 migrations (services shape, ADR 0040): the shared tables of src/db and
// the users module's. Run from the repository root:
//   npx drizzle-kit generate --config services/users/drizzle.config.ts
// Hand-written SQL (a trigger, a virtual table) goes in with `--custom`, as in migrations/.
export default defineConfig({
  dialect: "sqlite",
  schema: ["./src/db/*.table.ts", "./src/modules/users/infrastructure/*.table.ts"],
  out: "./services/users/migrations",
});
