// `npm run admin:promote -- <email> [--url URL]`: makes an existing user an admin through
// POST /api/admin/bootstrap. The token comes from ADMIN_BOOTSTRAP_TOKEN in the environment, or
// for a local server (the default URL) from .dev.vars, which `npm run dev` fills.
import { existsSync, readFileSync } from "node:fs";
import {
  bootstrapRequest,
  bootstrapTokenFor,
  parsePromoteArguments,
  USAGE,
} from "./lib/admin-promote.mjs";

const parsed = parsePromoteArguments(process.argv.slice(2));
if (!parsed.ok) {
  console.error(`${parsed.problem}\n${USAGE}`);
  process.exit(2);
}
const devVars = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : undefined;
const token = bootstrapTokenFor(parsed.url, process.env, devVars);
if (!token) {
  console.error(
    "ADMIN_BOOTSTRAP_TOKEN is not set: export it (the deployed Worker's secret), or run " +
      "`npm run dev` once to put a local one in .dev.vars.",
  );
  process.exit(2);
}

const response = await fetch(bootstrapRequest({ url: parsed.url, email: parsed.email, token }));
const body = await response.text();
if (!response.ok) {
  console.error(`${response.status} ${response.statusText}\n${body}`);
  process.exit(1);
}
const user = JSON.parse(body);
console.log(`${user.email} (${user.id}) is an admin.`);
