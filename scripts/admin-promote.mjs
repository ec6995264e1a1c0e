// `npm run admin:promote -- <email> [--url URL]`: makes an existing user an admin through
// POST /api/admin/bootstrap. The token comes from ADMIN_BOOTSTRAP_TOKEN in the environment, or
// for a local server (the default URL) from .dev.vars, which `npm run dev` fills. It is sent
// only over https:, or over http: to this machine (scripts/lib/admin-promote.mjs).
import { existsSync, readFileSync } from "node:fs";
import { promoteAdmin } from "./lib/admin-promote.mjs";

process.exitCode = await promoteAdmin({
  args: process.argv.slice(2),
  environment: process.env,
  devVarsText: existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : undefined,
  send: fetch,
  print: console.log,
  fail: console.error,
});
