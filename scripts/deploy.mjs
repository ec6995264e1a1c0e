// `npm run deploy [-- --dry-run]`: the production Worker in one command, on an account that has
// nothing yet or everything already. It reads what the account holds (`wrangler d1 list`,
// `wrangler secret list`), prints the plan, and, unless --dry-run, carries it out: creates the
// D1 database if missing, applies the migrations it lacks, deploys with any missing secret
// generated, and prints the URL and the next step. scripts/lib/deploy-plan.mjs decides;
// scripts/lib/deploy-runner.mjs runs wrangler. ADR 0031 says why.
import { existsSync, readFileSync } from "node:fs";
import { DEPLOY_ENV } from "./build-bundle.mjs";
import {
  BOOTSTRAP_TOKEN_FILE,
  bootstrapState,
  deployedUrl,
  deploySteps,
  describePlan,
  nextSteps,
  parseDeployArguments,
  USAGE,
} from "./lib/deploy-plan.mjs";
import { deployRunner } from "./lib/deploy-runner.mjs";

const { exit, scratchFile, readAccountDatabases, readPlan, runSteps } =
  deployRunner("npm run deploy");

const parsed = parseDeployArguments(process.argv.slice(2));
if (!parsed.ok) exit(2, `${parsed.problem}\n${USAGE}`);

const accountDatabases = await readAccountDatabases();
const plan = await readPlan({ environment: DEPLOY_ENV, accountDatabases });
console.log(describePlan(plan).join("\n"));
if (parsed.dryRun) {
  console.log("Dry run: nothing was changed (the account was only read).");
  exit(0);
}

// Where `wrangler deploy` writes its targets as JSON lines, the URL among them.
const OUTPUT = "wrangler-output.jsonl";
await runSteps(
  deploySteps(plan).map((step) =>
    step.args[0] === "deploy" ? { ...step, outputFile: OUTPUT } : step,
  ),
);

const bootstrap = bootstrapState(plan.secrets, existsSync(BOOTSTRAP_TOKEN_FILE));
const outputFile = scratchFile(OUTPUT);
const url = existsSync(outputFile) ? deployedUrl(readFileSync(outputFile, "utf8")) : undefined;
console.log(`\n${nextSteps({ url, environment: DEPLOY_ENV, bootstrap }).join("\n")}`);
exit(0);
