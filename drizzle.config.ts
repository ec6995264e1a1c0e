import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL here; wrangler applies it (`npm run db:migrate:*`).
export default defineConfig({
  dialect: "sqlite",
  // Every table file, each beside the code that owns it: a module's tables stay inside its
  // infrastructure/ (ADR 0038), so no file in src/ lists them all.
  schema: ["./src/db/*.table.ts", "./src/modules/*/infrastructure/*.table.ts"],
  out: "./migrations",
});
