// What `npm run deploy` and `npm run deploy:services` do with wrangler (from node_modules/.bin,
// which npm puts on PATH): read the account, carry out the steps lib/deploy-plan.mjs decides,
// with generated secrets in an owner-only scratch file, and stop wrangler when asked to stop.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BOOTSTRAP_TOKEN,
  BOOTSTRAP_TOKEN_FILE,
  commandLine,
  configArgs,
  isWorkerNotFound,
  parseDatabaseList,
  parseSecretList,
  planDeploy,
  stepFailed,
} from "./deploy-plan.mjs";
import { onStop } from "./on-stop.mjs";
import { randomSecret } from "./random-secret.mjs";

const LOGIN_HINT =
  "Logged in? Run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID " +
  "when you can reach more than one account).";

/** The runner of one deploy, named by its npm command (in its messages). */
export function deployRunner(command) {
  // Owner-only (mkdtemp makes it 0700): the deploys' secrets files and wrangler's output files.
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
    exit(1, `${command} was stopped.`);
  });

  /**
   * Runs `wrangler ...args`. `quiet` keeps its output, to show only on failure; otherwise it
   * goes to the terminal. Only an `interactive` run gets the terminal's input: without it
   * wrangler never waits for an answer and takes its non-interactive default.
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
    `${stdout}${stderr}\n✘ ${command} could not read the account: \`wrangler ${args.join(" ")}\` ` +
    `exited with ${code}. Nothing was changed.\n${LOGIN_HINT}`;

  /** The account's D1 databases (`wrangler d1 list`). */
  async function readAccountDatabases() {
    const args = ["d1", "list", "--json"];
    const result = await wrangler(args, { quiet: true });
    if (result.code !== 0) exit(1, couldNotRead(args, result));
    return parseDatabaseList(result.stdout);
  }

  /**
   * The plan of one Worker: its config (`config`, or ./wrangler.toml) in `environment`, the
   * secrets it reads, and what the account holds for it (its secrets, read with wrangler).
   */
  async function readPlan({ environment, config, secrets, accountDatabases }) {
    // Loaded here, not at the top: wrangler's module is large, and a bad argument needs none of it.
    const { unstable_readConfig } = await import("wrangler");
    const read = unstable_readConfig({ config: config ?? "wrangler.toml", env: environment });
    const secretArgs = ["secret", "list", ...configArgs({ config }), "--env", environment];
    const listed = await wrangler(secretArgs, { quiet: true });
    if (listed.code !== 0 && !isWorkerNotFound(listed.stderr, read.name)) {
      exit(1, couldNotRead(secretArgs, listed));
    }
    return planDeploy({
      environment,
      workerName: read.name,
      config,
      secrets,
      databases: read.d1_databases,
      accountDatabases,
      secretNames: listed.code === 0 ? parseSecretList(listed.stdout) : undefined,
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

  /**
   * Runs `steps` in order, numbered; stops the run at the first that fails. A step's
   * `outputFile` (a scratch file's name) is where its `wrangler deploy` writes its targets.
   */
  async function runSteps(steps) {
    for (const [index, step] of steps.entries()) {
      console.log(`\n[${index + 1}/${steps.length}] ${step.title}: ${commandLine(step)}`);
      const result = await wrangler([...step.args, ...secretsFlags(step)], {
        quiet: step.quiet,
        interactive: step.interactive,
        env: step.outputFile ? { WRANGLER_OUTPUT_FILE_PATH: scratchFile(step.outputFile) } : {},
      });
      if (result.code !== 0) {
        exit(
          1,
          `${result.stdout}${result.stderr}\n${stepFailed(steps, index, result.code, command)}`,
        );
      }
    }
  }

  return { exit, scratchFile, readAccountDatabases, readPlan, runSteps };
}
