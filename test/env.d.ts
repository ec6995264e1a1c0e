/// <reference types="vite/client" />
import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** The migrations in migrations/, read by vitest.config.ts for the setup file. */
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
