// `npm run deploy [-- --dry-run]`: the production Worker in one command, on an account that has
// nothing yet or everything already. It reads what the account holds (`wrangler d1 list`,
// `wrangler secret list`), prints the plan, and, unless --dry-run, carries it out: creates the
// D1 database if missing, applies the migrations it lacks, deploys with any missing secret
// generated, and prints the URL and the next step. scripts/lib/deploy-plan.mjs decides; this
// file runs wrangler (from node_modules/.bin, which npm puts on PATH). ADR 0031 says why.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEPLOY_ENV } from "./build-bundle.mjs";
import {
  BOOTSTRAP_TOKEN,
  BOOTSTRAP_TOKEN_FILE,
  commandLine,
  deployedUrl,
  deploySteps,
  describePlan,
  isWorkerNotFound,
  nextSteps,
  parseDatabaseList,
  parseDeployArguments,
  parseSecretList,
  planDeploy,
  stepFailed,
  USAGE,
} from "./lib/deploy-plan.mjs";
import { onStop } from "./lib/on-stop.mjs";
import { randomSecret } from "./lib/random-secret.mjs";

const LOGIN_HINT =
  "Logged in? Run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID " +
  "when you can reach more than one account).";

// Owner-only (mkdtemp makes it 0700): the deploy's secrets file and wrangler's output file.
let scratch;
const scratchFile = (name) => {
  scratch ??= mkdtempSync(join(tmpdir(), "edge-commerce-deploy-"));
  return join(scratch, name);
};

/** Ends the run, printing `message` to stderr, and removes the scratch directory. */
function exit(code, message) {
  if (message) console.error(message);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
}

let running;
onStop(() => {
  running?.kill("SIGTERM");
  exit(1, "npm run deploy was stopped.");
});

/**
 * Runs `wrangler ...args`. `quiet` keeps its output, to show only on failure; otherwise it goes
 * to the terminal. Only an `interactive` run gets the terminal's input: without it wrangler
 * never waits for an answer and takes its non-interactive default.
 */
function wrangler(args, { quiet = false, interactive = false, env = {} } = {}) {
  return new Promise((done) => {
    const output = quiet ? "pipe" : "inherit";
    const child = spawn("wrangler", args, {
      stdio: [interactive ? "inherit" : "ignore", output, output],
      env: { ...process.env, ...env },
      shell: process.platform === "win32",
    });
    running = child;
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", (error) => {
      stderr += `${error}\n`;
    });
    child.on("close", (code) => {
      running = undefined;
      done({ code: code ?? 1, stdout, stderr });
    });
  });
}

const couldNotRead = (args, { code, stdout, stderr }) =>
  `${stdout}${stderr}\n✘ npm run deploy could not read the account: \`wrangler ${args.join(" ")}\` ` +
  `exited with ${code}. Nothing was changed.\n${LOGIN_HINT}`;

/** What the account holds for the deploy environment, read with wrangler: the plan. */
async function readPlan() {
  // Loaded here, not at the top: wrangler's module is large, and a bad argument needs none of it.
  const { unstable_readConfig } = await import("wrangler");
  const config = unstable_readConfig({ config: "wrangler.toml", env: DEPLOY_ENV });

  const listArgs = ["d1", "list", "--json"];
  const databases = await wrangler(listArgs, { quiet: true });
  if (databases.code !== 0) exit(1, couldNotRead(listArgs, databases));
  const secretArgs = ["secret", "list", "--env", DEPLOY_ENV];
  const secrets = await wrangler(secretArgs, { quiet: true });
  if (secrets.code !== 0 && !isWorkerNotFound(secrets.stderr, config.name)) {
    exit(1, couldNotRead(secretArgs, secrets));
  }
  return planDeploy({
    environment: DEPLOY_ENV,
    workerName: config.name,
    databases: config.d1_databases,
    accountDatabases: parseDatabaseList(databases.stdout),
    secretNames: secrets.code === 0 ? parseSecretList(secrets.stdout) : undefined,
  });
}

/**
 * The flags that give `step` its generated secrets: an owner-only file, removed at the end. A
 * new ADMIN_BOOTSTRAP_TOKEN is also kept in BOOTSTRAP_TOKEN_FILE for `npm run admin:promote`,
 * written before the deploy so that no token is set without the file holding it.
 */
function secretsFlags(step) {
  if (!step.secrets?.length) return [];
  const values = Object.fromEntries(step.secrets.map((name) => [name, randomSecret()]));
  if (values[BOOTSTRAP_TOKEN]) {
    writeFileSync(BOOTSTRAP_TOKEN_FILE, `${values[BOOTSTRAP_TOKEN]}\n`, { mode: 0o600 });
    chmodSync(BOOTSTRAP_TOKEN_FILE, 0o600);
  }
  const file = scratchFile("secrets.json");
  writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
  return ["--secrets-file", file];
}

const parsed = parseDeployArguments(process.argv.slice(2));
if (!parsed.ok) exit(2, `${parsed.problem}\n${USAGE}`);

const plan = await readPlan();
console.log(describePlan(plan).join("\n"));
if (parsed.dryRun) {
  console.log("Dry run: nothing was changed (the account was only read).");
  exit(0);
}

const steps = deploySteps(plan);
// Where `wrangler deploy` writes its targets as JSON lines, the URL among them.
const outputFile = scratchFile("wrangler-output.jsonl");
for (const [index, step] of steps.entries()) {
  console.log(`\n[${index + 1}/${steps.length}] ${step.title}: ${commandLine(step)}`);
  const result = await wrangler([...step.args, ...secretsFlags(step)], {
    quiet: step.quiet,
    interactive: step.interactive,
    env: { WRANGLER_OUTPUT_FILE_PATH: outputFile },
  });
  if (result.code !== 0) {
    exit(1, `${result.stdout}${result.stderr}\n${stepFailed(steps, index, result.code)}`);
  }
}

const bootstrap = plan.secrets.generate.includes(BOOTSTRAP_TOKEN)
  ? "file"
  : plan.secrets.bootstrapClosed
    ? "closed"
    : existsSync(BOOTSTRAP_TOKEN_FILE)
      ? "file"
      : "unknown";
const url = existsSync(outputFile) ? deployedUrl(readFileSync(outputFile, "utf8")) : undefined;
console.log(`\n${nextSteps({ url, environment: DEPLOY_ENV, bootstrap }).join("\n")}`);
exit(0);
