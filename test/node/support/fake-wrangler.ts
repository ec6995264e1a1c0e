// A stand-in for the `wrangler` CLI, for the tests of `npm run deploy`: an account kept in a
// JSON file (FAKE_WRANGLER_ACCOUNT), every call recorded in it, and answers shaped like
// wrangler 4.155's: the same JSON on stdout, the same error lines on stderr, the same exit
// codes. Run by Node (type stripping) through the `wrangler` that fakeWranglerOnPath() writes.
import { randomUUID } from "node:crypto";
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";

export interface FakeDatabase {
  uuid: string;
  name: string;
  /** The migration files applied, in order. */
  migrations: string[];
}

export interface FakeCall {
  args: string[];
  /** The --secrets-file's content and permissions, when the call had one. */
  secretsFile?: { content: Record<string, string>; mode: number };
}

export interface FakeWorker {
  secrets: Record<string, string>;
  versions: number;
}

/** A wrangler config other than ./wrangler.toml, as a call names it with --config. */
export interface FakeConfig {
  workerName: string;
  bindings: Record<string, string>;
  /** Its migrations_dir, from the project's root. */
  migrationsDir: string;
}

export interface FakeAccount {
  /** The Worker wrangler.toml names, and its D1 bindings' database names. */
  workerName: string;
  bindings: Record<string, string>;
  databases: FakeDatabase[];
  /** Absent until the Worker is on the account. */
  worker?: FakeWorker;
  /** The configs of the services shape by path, and their Workers by name once deployed. */
  configs?: Record<string, FakeConfig>;
  workers?: Record<string, FakeWorker>;
  calls: FakeCall[];
  /** A command (its first words, e.g. "d1 migrations apply") that fails as the API might. */
  failOn?: string;
}

const ERROR = "✘ [ERROR]";

type Answer = { out?: string; err?: string; code?: number };

function flag(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function d1List(account: FakeAccount): Answer {
  const list = account.databases.map(({ uuid, name }) => ({
    uuid,
    name,
    created_at: "2026-11-28T10:00:00.000Z",
    version: "production",
    num_tables: 0,
    file_size: 0,
  }));
  return { out: JSON.stringify(list, null, 2) };
}

function d1Create(account: FakeAccount, name: string): Answer {
  if (account.databases.some((database) => database.name === name)) {
    return { err: `${ERROR} A database with that name already exists`, code: 1 };
  }
  const uuid = randomUUID();
  account.databases.push({ uuid, name, migrations: [] });
  return {
    out:
      `✅ Successfully created DB '${name}' in region WEUR\nCreated your new D1 database.\n\n` +
      "To access your new D1 Database in your Worker, add the following snippet to your " +
      `configuration file:\n[[d1_databases]]\nbinding = "${name}"\ndatabase_name = "${name}"\n` +
      `database_id = "${uuid}"`,
  };
}

/** The Worker a call is about: its config's (--config), else wrangler.toml's. */
interface Target extends FakeConfig {
  worker: FakeWorker | undefined;
  setWorker(worker: FakeWorker): void;
}

function targetOf(account: FakeAccount, args: string[]): Target {
  const path = flag(args, "--config");
  if (path === undefined) {
    return {
      workerName: account.workerName,
      bindings: account.bindings,
      migrationsDir: "migrations",
      worker: account.worker,
      setWorker: (worker) => {
        account.worker = worker;
      },
    };
  }
  const config = account.configs?.[path];
  if (!config) throw new Error(`fake wrangler: no config ${path} in the account file`);
  return {
    ...config,
    worker: account.workers?.[config.workerName],
    setWorker: (worker) => {
      account.workers = { ...account.workers, [config.workerName]: worker };
    },
  };
}

function d1MigrationsApply(account: FakeAccount, target: Target, binding: string): Answer {
  const name = target.bindings[binding];
  const database = account.databases.find((candidate) => candidate.name === name);
  if (!database) {
    return {
      err:
        `${ERROR} Couldn't find a D1 DB named '${name}' (bound as '${binding}') in the API. ` +
        `Run 'wrangler d1 create ${name}' to create it.`,
      code: 1,
    };
  }
  const files = readdirSync(target.migrationsDir).filter((file) => file.endsWith(".sql"));
  const pending = files.filter((file) => !database.migrations.includes(file));
  if (pending.length === 0) return { out: "✅ No migrations to apply!" };
  database.migrations.push(...pending);
  return { out: `Migrations to be applied:\n${pending.join("\n")}\n✅ Applied.` };
}

function secretList(target: Target, env: string | undefined): Answer {
  if (!target.worker) {
    return {
      err:
        `${ERROR} Worker "${target.workerName}"${env ? ` (env: ${env})` : ""} not found.\n\n` +
        "If this is a new Worker, run `wrangler deploy` first to create it.",
      code: 1,
    };
  }
  const list = Object.keys(target.worker.secrets).map((name) => ({ name, type: "secret_text" }));
  return { out: JSON.stringify(list, null, "  ") };
}

function deploy(account: FakeAccount, target: Target, call: FakeCall): Answer {
  for (const [binding, name] of Object.entries(target.bindings)) {
    if (!account.databases.some((database) => database.name === name)) {
      // The real one would provision it; `npm run deploy` must have made it before.
      return { err: `fake wrangler: no D1 database "${name}" for ${binding}`, code: 1 };
    }
  }
  const file = flag(call.args, "--secrets-file");
  if (file !== undefined) {
    call.secretsFile = {
      content: JSON.parse(readFileSync(file, "utf8")),
      mode: statSync(file).mode & 0o777,
    };
  }
  const worker = target.worker ?? { secrets: {}, versions: 0 };
  target.setWorker({
    secrets: { ...worker.secrets, ...call.secretsFile?.content },
    versions: worker.versions + 1,
  });
  const url = `https://${target.workerName}.example-account.workers.dev`;
  const output = process.env.WRANGLER_OUTPUT_FILE_PATH;
  if (output) {
    const targets = [url, "schedule: */15 * * * *"];
    appendFileSync(output, `${JSON.stringify({ type: "deploy", version: 1, targets })}\n`);
  }
  return {
    out: `Uploaded ${target.workerName}\nDeployed ${target.workerName} triggers\n  ${url}`,
  };
}

function answer(account: FakeAccount, call: FakeCall): Answer {
  const { args } = call;
  // The words before the first flag: "d1 migrations apply DB", "secret list", "deploy".
  const firstFlag = args.findIndex((arg) => arg.startsWith("-"));
  const command = (firstFlag === -1 ? args : args.slice(0, firstFlag)).join(" ");
  const target = targetOf(account, args);
  if (account.failOn && command.startsWith(account.failOn)) {
    return { err: `${ERROR} A request to the Cloudflare API failed. [code: 10000]`, code: 1 };
  }
  if (command === "d1 list" && args.includes("--json")) return d1List(account);
  if (args[0] === "d1" && args[1] === "create" && args[2]) return d1Create(account, args[2]);
  if (command.startsWith("d1 migrations apply") && args.includes("--remote") && args[3]) {
    return d1MigrationsApply(account, target, args[3]);
  }
  if (args[0] === "secret" && args[1] === "list") return secretList(target, flag(args, "--env"));
  if (args[0] === "deploy" && !args.includes("--dry-run")) return deploy(account, target, call);
  return { err: `fake wrangler: unexpected command: wrangler ${args.join(" ")}`, code: 1 };
}

const accountFile = process.env.FAKE_WRANGLER_ACCOUNT;
if (accountFile) {
  const account: FakeAccount = JSON.parse(readFileSync(accountFile, "utf8"));
  const call: FakeCall = { args: process.argv.slice(2) };
  account.calls.push(call);
  const { out, err, code = 0 } = answer(account, call);
  writeFileSync(accountFile, JSON.stringify(account, null, 2));
  if (out) process.stdout.write(`${out}\n`);
  if (err) process.stderr.write(`${err}\n`);
  process.exitCode = code;
}
