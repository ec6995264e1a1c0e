// `npm run dev`: applies the D1 migrations to the local database, then runs `wrangler dev`.
// Every argument goes to `wrangler dev` (`npm run dev -- --port 9000`); the ones that choose
// which local database to use (--persist-to, --env, --config) go to the migration step too, so
// the server always starts on a migrated database.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readDevVar, withDevSecrets } from "./lib/dev-vars.mjs";

// npm puts node_modules/.bin (wrangler, and Node 22 from the `node` devDependency) on PATH.
const wrangler = "wrangler";
const options = { stdio: "inherit", shell: process.platform === "win32" };
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

// A first run has no .dev.vars: make one from the example. Fill in random secrets (a first run's
// JWT_SECRET and ADMIN_BOOTSTRAP_TOKEN, or the token an older .dev.vars lacks), so that
// `npm install && npm run dev` gives a working login and `npm run admin:promote` at once.
const example = readFileSync(".dev.vars.example", "utf8");
const existing = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : undefined;
const { text, added } = withDevSecrets(existing ?? example, {
  placeholder: readDevVar(example, "JWT_SECRET"),
  generate: () => randomBytes(32).toString("base64url"),
});
if (existing === undefined || added.length > 0) {
  writeFileSync(".dev.vars", text);
  const what = added.length > 0 ? ` with a random ${added.join(" and ")}` : "";
  console.log(`${existing === undefined ? "Created" : "Updated"} .dev.vars${what}.`);
}

const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", ...sharedArgs], {
  ...options,
  // Non-interactive, so wrangler applies without asking "continue? (Y/n)".
  env: { ...process.env, CI: "true" },
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn(wrangler, ["dev", ...args], options);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
