// `npm run dev`: applies the D1 migrations to the local database, then runs `wrangler dev`.
// Every argument goes to `wrangler dev` (`npm run dev -- --port 9000`); the ones that choose
// which local database to use (--persist-to, --env, --config) go to the migration step too, so
// the server always starts on a migrated database. However it is stopped (a signal to npm or to
// this script, or npm ending), wrangler and its workerd stop with it.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { readDevVar, withDevSecrets } from "./lib/dev-vars.mjs";
import { onStop } from "./lib/on-stop.mjs";
import { randomSecret } from "./lib/random-secret.mjs";

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
  generate: randomSecret,
});
if (existing === undefined || added.length > 0) {
  writeFileSync(".dev.vars", text);
  const what = added.length > 0 ? ` with a random ${added.join(" and ")}` : "";
  console.log(`${existing === undefined ? "Created" : "Updated"} .dev.vars${what}.`);
}

// The wrangler running now. Asked to stop, this script sends it SIGTERM whatever the request
// was: wrangler's launcher passes SIGTERM (not SIGHUP) on to wrangler, which stops workerd.
let running;
let stopping = false;
onStop(() => {
  stopping = true;
  if (running) running.kill("SIGTERM");
  else process.exit(1);
});

/** Runs wrangler with `args`; resolves with its exit code, or 1 when a signal ended it. */
function wranglerRun(args, env = process.env) {
  return new Promise((done) => {
    running = spawn(wrangler, args, { ...options, env });
    running.on("exit", (code, signal) => {
      running = undefined;
      done(signal ? 1 : (code ?? 1));
    });
  });
}

const migrated = await wranglerRun(
  ["d1", "migrations", "apply", "DB", "--local", ...sharedArgs],
  // Non-interactive, so wrangler applies without asking "continue? (Y/n)".
  { ...process.env, CI: "true" },
);
if (stopping || migrated !== 0) process.exit(stopping ? 1 : migrated);
process.exit(await wranglerRun(["dev", ...args]));
