// `npm run deploy:services [-- --dry-run]`: the services shape's four Workers (issue 16, ADR
// 0039) in production, as `npm run deploy` does the monolith (ADR 0031), in dependency order:
// products, orders, users, then the gateway, so no Worker is deployed before a service it
// binds to. Per Worker: its D1 database created if missing, its migrations applied, then the
// deploy with any missing secret it reads generated (only the users service reads any). It
// reads the account first and prints the whole plan; --dry-run stops there.
import { existsSync, readFileSync } from "node:fs";
import { DEPLOY_ENV } from "./build-bundle.mjs";
import {
  BOOTSTRAP_TOKEN_FILE,
  bootstrapState,
  commandLine,
  deployedUrl,
  deploySteps,
  describeFindings,
  GENERATED_SECRETS,
  nextSteps,
  parseDeployArguments,
} from "./lib/deploy-plan.mjs";
import { deployRunner } from "./lib/deploy-runner.mjs";
import { SERVICES } from "./lib/services.mjs";

const USAGE = "usage: npm run deploy:services [-- --dry-run]";
const { exit, scratchFile, readAccountDatabases, readPlan, runSteps } =
  deployRunner("npm run deploy:services");

const parsed = parseDeployArguments(process.argv.slice(2));
if (!parsed.ok) exit(2, `${parsed.problem}\n${USAGE}`);

const accountDatabases = await readAccountDatabases();
const plans = [];
for (const service of SERVICES) {
  const plan = await readPlan({
    environment: DEPLOY_ENV,
    config: service.config,
    // The secrets a deploy generates; a rotation's *_PREVIOUS is set by hand.
    secrets: service.secrets.filter((name) => GENERATED_SECRETS.includes(name)),
    accountDatabases,
  });
  plans.push({ service, plan });
}

// Where the gateway's `wrangler deploy` writes its targets as JSON lines, its URL among them.
const GATEWAY_OUTPUT = "gateway-output.jsonl";
const steps = plans.flatMap(({ service, plan }) =>
  deploySteps(plan).map((step) =>
    service.name === "gateway" && step.args[0] === "deploy"
      ? { ...step, outputFile: GATEWAY_OUTPUT }
      : step,
  ),
);

console.log(
  `The services shape, in dependency order (${SERVICES.map(({ name }) => name).join(", ")}):`,
);
for (const { plan } of plans) console.log(describeFindings(plan).join("\n"));
console.log(
  ["Steps:", ...steps.map((step, index) => `  ${index + 1}. ${commandLine(step)}`)].join("\n"),
);
if (parsed.dryRun) {
  console.log("Dry run: nothing was changed (the account was only read).");
  exit(0);
}

await runSteps(steps);

const users = plans.find(({ service }) => service.name === "users");
const bootstrap = bootstrapState(users.plan.secrets, existsSync(BOOTSTRAP_TOKEN_FILE));
const outputFile = scratchFile(GATEWAY_OUTPUT);
const url = existsSync(outputFile) ? deployedUrl(readFileSync(outputFile, "utf8")) : undefined;
console.log(
  `\n${nextSteps({ url, environment: DEPLOY_ENV, bootstrap, secretsConfig: users.service.config }).join("\n")}`,
);
exit(0);
