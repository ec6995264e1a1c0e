// `npm run dev:services -- [flags]`: the services shape locally (issue 16, ADR 0039). Applies
// each service's D1 migrations to the local state, then runs the four Workers in one
// `wrangler dev`, the gateway served on --port. It takes `npm run dev`'s flags: --port, --ip,
// --persist-to (one directory for every Worker's D1 and Durable Objects, so an empty folder
// works) and --var NAME:VALUE, which reaches every Worker. `wrangler dev -c … -c …` gives the
// configs after the first neither --var nor a .dev.vars from the working directory: each Worker
// reads the .dev.vars beside its config, so this script writes one there (git-ignored) from the
// project's .dev.vars and the --var flags, and removes them when it stops. However it is
// stopped, wrangler and its workerd stop with it, as with `npm run dev`.
import { rmSync, writeFileSync } from "node:fs";
import {
  devCommand,
  devVarsPath,
  migrationCommands,
  parseDevServicesArguments,
  serviceDevVars,
  USAGE,
} from "./lib/dev-services-plan.mjs";
import { ensureDevVars } from "./lib/ensure-dev-vars.mjs";
import { DEV_ORDER } from "./lib/services.mjs";
import { wranglerRunner } from "./lib/wrangler-runner.mjs";

const parsed = parseDevServicesArguments(process.argv.slice(2));
if (!parsed.ok) {
  console.error(`${parsed.problem}\n${USAGE}`);
  process.exit(2);
}

const rootDevVars = ensureDevVars();
const written = DEV_ORDER.map(devVarsPath);
const removeDevVars = () => {
  for (const path of written) rmSync(path, { force: true });
};
for (const service of DEV_ORDER) {
  writeFileSync(devVarsPath(service), serviceDevVars(rootDevVars, service, parsed.vars), {
    mode: 0o600,
  });
}

const wrangler = wranglerRunner({ cleanUp: removeDevVars });
/** Removes the Workers' .dev.vars copies and exits with `code`. */
const exit = (code) => {
  removeDevVars();
  process.exit(code);
};

for (const { service, args } of migrationCommands(parsed)) {
  console.log(`Applying the ${service} service's D1 migrations.`);
  // Non-interactive, so wrangler applies without asking "continue? (Y/n)".
  const migrated = await wrangler.run(args, { ...process.env, CI: "true" });
  if (wrangler.stopping || migrated !== 0) exit(wrangler.stopping ? 1 : migrated);
}
exit(await wrangler.run(devCommand(parsed)));
