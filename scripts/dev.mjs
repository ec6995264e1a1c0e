// `npm run dev`: applies the D1 migrations to the local database, then runs `wrangler dev`.
// Every argument goes to `wrangler dev` (`npm run dev -- --port 9000`); the ones that choose
// which local database to use (--persist-to, --env, --config) go to the migration step too, so
// the server always starts on a migrated database. However it is stopped (a signal to npm or to
// this script, or npm ending), wrangler and its workerd stop with it.
import { ensureDevVars } from "./lib/ensure-dev-vars.mjs";
import { wranglerRunner } from "./lib/wrangler-runner.mjs";

const args = process.argv.slice(2);
const SHARED_FLAGS = new Set(["--persist-to", "--env", "-e", "--config", "-c"]);

const sharedArgs = [];
args.forEach((arg, index) => {
  const [flag] = arg.split("=");
  if (!SHARED_FLAGS.has(flag)) return;
  sharedArgs.push(arg);
  const value = args[index + 1];
  if (!arg.includes("=") && value !== undefined) sharedArgs.push(value);
});

ensureDevVars();
const wrangler = wranglerRunner();

const migrated = await wrangler.run(
  ["d1", "migrations", "apply", "DB", "--local", ...sharedArgs],
  // Non-interactive, so wrangler applies without asking "continue? (Y/n)".
  { ...process.env, CI: "true" },
);
if (wrangler.stopping || migrated !== 0) process.exit(wrangler.stopping ? 1 : migrated);
process.exit(await wrangler.run(["dev", ...args]));
