// The decisions of `npm run deploy`, apart from running wrangler, so that tests can run them:
// what the arguments ask, what the account holds (read from wrangler's answers), what to do
// about it, and how to say so. scripts/deploy.mjs runs the steps (ADR 0031), and
// scripts/deploy-services.mjs the steps of each Worker of the services shape, each with its
// own config and the secrets it reads.

export const USAGE = "usage: npm run deploy [-- --dry-run]";

/** The secrets the Worker needs and `npm run deploy` generates when they are missing. */
export const JWT_SECRET = "JWT_SECRET";
export const BOOTSTRAP_TOKEN = "ADMIN_BOOTSTRAP_TOKEN";
export const PII_MASTER_KEY = "PII_MASTER_KEY";
export const GENERATED_SECRETS = [JWT_SECRET, BOOTSTRAP_TOKEN, PII_MASTER_KEY];

/**
 * Where a generated ADMIN_BOOTSTRAP_TOKEN is kept for `npm run admin:promote`: owner-only and
 * git-ignored, since the value is never printed and cannot be read back from Cloudflare.
 */
export const BOOTSTRAP_TOKEN_FILE = ".admin-bootstrap-token";

/** `[--dry-run]`, else a problem to print with the usage. */
export function parseDeployArguments(args) {
  const unknown = args.find((arg) => arg !== "--dry-run");
  if (unknown !== undefined) return { ok: false, problem: `unknown argument ${unknown}` };
  return { ok: true, dryRun: args.length > 0 };
}

/**
 * The JSON document in a wrangler command's standard output. Wrangler may print a line before
 * or after it (an update notice, say), so it is read from the first line that opens a JSON
 * value to the last bracket.
 */
function jsonIn(stdout, what) {
  const start = stdout.search(/^[[{]/m);
  const end = Math.max(stdout.lastIndexOf("]"), stdout.lastIndexOf("}")) + 1;
  try {
    if (start === -1 || end <= start) throw new Error("no JSON");
    return JSON.parse(stdout.slice(start, end));
  } catch {
    throw new Error(`could not read ${what} from wrangler's output:\n${stdout}`);
  }
}

/** The account's D1 databases, as `wrangler d1 list --json` prints them: `[{ uuid, name }]`. */
export function parseDatabaseList(stdout) {
  const list = jsonIn(stdout, "the D1 databases");
  if (!Array.isArray(list)) throw new Error(`wrangler d1 list --json printed no list:\n${stdout}`);
  return list.map(({ uuid, name }) => ({ uuid, name }));
}

/** The names in `wrangler secret list`'s JSON: `[{ name, type }]`. */
export function parseSecretList(stdout) {
  const list = jsonIn(stdout, "the Worker's secrets");
  if (!Array.isArray(list)) throw new Error(`wrangler secret list printed no list:\n${stdout}`);
  return list.map(({ name }) => name);
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Whether `wrangler secret list` failed only because the Worker does not exist yet. Wrangler
 * 4.155 says `Worker "<name>" (env: <env>) not found.` and exits with 1, as for any failure.
 */
export function isWorkerNotFound(stderr, workerName) {
  const name = escapeRegExp(workerName);
  return new RegExp(`Worker "${name}"(?: \\(env: [^)]*\\))? not found`).test(stderr);
}

/**
 * The plan for the deploy environment's Worker, given its configuration (`databases` as
 * wrangler.toml binds them), the account's D1 databases, and the Worker's secret names
 * (undefined when the Worker does not exist yet). `config` is the path of a wrangler config
 * other than ./wrangler.toml, given to every command; `secrets` the ones this Worker reads
 * (all of GENERATED_SECRETS by default, none for a service that reads none).
 *
 * A missing JWT_SECRET or PII_MASTER_KEY is always generated (a Worker without a PII_MASTER_KEY
 * has sealed nothing, so a new one loses nothing). A missing ADMIN_BOOTSTRAP_TOKEN is generated only
 * for a Worker that does not exist yet: on one that does, it was deleted after the first admin
 * was made, as the README advises, and a deploy must not open the bootstrap again.
 */
export function planDeploy({
  environment,
  workerName,
  config,
  secrets = GENERATED_SECRETS,
  databases,
  accountDatabases,
  secretNames,
}) {
  const newWorker = secretNames === undefined;
  const present = secretNames ?? [];
  const generate = secrets.filter(
    (name) => !present.includes(name) && (name !== BOOTSTRAP_TOKEN || newWorker),
  );
  return {
    environment,
    workerName,
    ...(config === undefined ? {} : { config }),
    newWorker,
    databases: databases.map(({ binding, database_name: name, database_id: configuredId }) => {
      const found = accountDatabases.find((database) => database.name === name);
      const id = configuredId || found?.uuid;
      return { binding, name, id, create: id === undefined };
    }),
    secrets: {
      generate,
      kept: secrets.filter((name) => present.includes(name)),
      bootstrapClosed:
        secrets.includes(BOOTSTRAP_TOKEN) && !newWorker && !present.includes(BOOTSTRAP_TOKEN),
    },
  };
}

/**
 * The wrangler commands that carry out `plan`, in order: the database before its migrations,
 * the migrations before the code that needs them, and the secrets with the deploy itself
 * (`--secrets-file`), so no version of the Worker ever runs without them and no empty draft
 * Worker is made to hold them. The runner appends that file to a step with `secrets`, keeps a
 * `quiet` step's output to show only if it fails, and gives the terminal's input to an
 * `interactive` one only: the others never wait for an answer and take wrangler's
 * non-interactive default (`d1 migrations apply` applies without asking).
 */
export function deploySteps(plan) {
  const env = [...configArgs(plan), "--env", plan.environment];
  return [
    ...plan.databases
      .filter((database) => database.create)
      .map((database) => ({
        title: `create the D1 database "${database.name}"`,
        args: ["d1", "create", database.name],
        // It prints a snippet with the new id to paste into wrangler.toml, which needs none.
        quiet: true,
      })),
    ...plan.databases.map((database) => ({
      title: `apply the migrations "${database.name}" lacks`,
      args: ["d1", "migrations", "apply", database.binding, "--remote", ...env],
    })),
    {
      title: `deploy the Worker "${plan.workerName}"`,
      args: ["deploy", ...env],
      secrets: plan.secrets.generate,
      // A first deploy may ask to register the account's workers.dev subdomain.
      interactive: true,
    },
  ];
}

/** `--config <path>` when the plan's Worker has a config other than ./wrangler.toml. */
export const configArgs = ({ config }) => (config === undefined ? [] : ["--config", config]);

const listed = (names) =>
  names.length < 3 ? names.join(" and ") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;

/** `wrangler <args>` as a person would type it; a secrets file is shown, never its content. */
export const commandLine = (step) =>
  [
    "wrangler",
    ...step.args,
    ...(step.secrets?.length ? ["--secrets-file <temporary file>"] : []),
  ].join(" ");

/** The plan as lines to print: what was found, then the numbered commands. */
export function describePlan(plan) {
  const lines = describeFindings(plan);
  lines.push("Steps:");
  deploySteps(plan).forEach((step, index) => {
    lines.push(`  ${index + 1}. ${commandLine(step)}`);
  });
  return lines;
}

/** What was found on the account for the plan's Worker, and what will be done about it. */
export function describeFindings(plan) {
  const lines = [
    `Deploying the Worker "${plan.workerName}" (environment "${plan.environment}"${
      plan.newWorker ? ", not on the account yet" : ""
    }):`,
  ];
  for (const database of plan.databases) {
    lines.push(
      database.create
        ? `- D1 database "${database.name}" (${database.binding}): not on the account, to be created`
        : `- D1 database "${database.name}" (${database.binding}): found, ${database.id}`,
    );
  }
  const { generate, kept, bootstrapClosed } = plan.secrets;
  if (kept.length > 0) lines.push(`- secrets already set, kept: ${listed(kept)}`);
  if (generate.length > 0) {
    lines.push(
      `- secrets to generate (32 random bytes each, never printed) and set with the deploy: ${listed(generate)}`,
    );
  }
  if (bootstrapClosed) {
    lines.push(
      `- ${BOOTSTRAP_TOKEN} is not set: left so, the admin bootstrap stays closed (README, "Lost the last admin?")`,
    );
  }
  return lines;
}

/**
 * Why the run stopped at `steps[index]`, which exited with `code`, and what did not run.
 * `command` is the npm script that ran them.
 */
export function stepFailed(steps, index, code, command = "npm run deploy") {
  const step = steps[index];
  const [next, last] = [index + 2, steps.length];
  const skipped =
    next > last
      ? ""
      : next === last
        ? ` Step ${last} did not run.`
        : ` Steps ${next}-${last} did not run.`;
  return (
    `✘ ${command} stopped at step ${index + 1} of ${last} (${step.title}): ` +
    `\`${commandLine(step)}\` exited with ${code}.${skipped}\n` +
    `Fix the cause above and run \`${command}\` again: what is done is found and skipped.`
  );
}

/** The first workers.dev URL among a deploy's targets (`wrangler deploy`'s output file). */
export function deployedUrl(outputFileText) {
  for (const line of outputFileText.split("\n")) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line);
    if (entry.type !== "deploy") continue;
    const url = (entry.targets ?? []).find((target) => target.startsWith("https://"));
    if (url) return url;
  }
  return undefined;
}

/**
 * Where the admin bootstrap's token stands after a deploy that carried out `secrets` (a plan's):
 * "file" when this deploy generated it or an earlier one left it in BOOTSTRAP_TOKEN_FILE,
 * "closed" when it is deliberately not set, else "unknown" (set earlier, its value not here).
 */
export function bootstrapState(secrets, tokenFileExists) {
  if (secrets.generate.includes(BOOTSTRAP_TOKEN)) return "file";
  if (secrets.bootstrapClosed) return "closed";
  return tokenFileExists ? "file" : "unknown";
}

/**
 * What to do after a deploy: make the first admin while the bootstrap is open. `bootstrap` says
 * where its token stands: "file" (kept in BOOTSTRAP_TOKEN_FILE), "unknown" (set earlier, its
 * value not here) or "closed" (not set). `secretsConfig` is the config of the Worker that holds
 * the token, when it is not ./wrangler.toml.
 */
export function nextSteps({ url, environment, bootstrap, secretsConfig }) {
  const worker = [...configArgs({ config: secretsConfig }), "--env", environment].join(" ");
  const target = url ?? "https://<your worker>";
  const lines = [url ? `Deployed: ${url}` : "Deployed: see wrangler's targets above."];
  if (bootstrap === "closed") {
    lines.push("Admins are made by an admin: the bootstrap is closed (no ADMIN_BOOTSTRAP_TOKEN).");
    return lines;
  }
  lines.push(
    "Next, make yourself the first admin: register (POST /api/users, as in the README's tour), then",
  );
  if (bootstrap === "file") {
    lines.push(
      `  ${BOOTSTRAP_TOKEN}="$(cat ${BOOTSTRAP_TOKEN_FILE})" npm run admin:promote -- you@example.com --url ${target}`,
    );
  } else {
    lines.push(
      `  ${BOOTSTRAP_TOKEN}=... npm run admin:promote -- you@example.com --url ${target}`,
      `  (the token was set by an earlier deploy; without its value, put a new one with`,
      `  npx wrangler secret put ${BOOTSTRAP_TOKEN} ${worker})`,
    );
  }
  const forget = bootstrap === "file" ? ` && rm ${BOOTSTRAP_TOKEN_FILE}` : "";
  lines.push(
    `Then close the bootstrap: npx wrangler secret delete ${BOOTSTRAP_TOKEN} ${worker}${forget}`,
  );
  return lines;
}
