import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeAccount } from "./support/fake-wrangler";
import { runScript } from "./support/run-script";

// `npm run deploy` as a process, against a fake `wrangler` first on PATH that keeps an account
// in a file, records every call and answers as wrangler 4.155 does. The script runs in a
// sandbox holding the project's wrangler.toml and migrations/, so what it writes there (the
// admin bootstrap token's file) stays out of the checkout.

const SCRIPT = resolve("scripts/deploy.mjs");
const FAKE = resolve("test/node/support/fake-wrangler.ts");
const MIGRATIONS = readdirSync("migrations").filter((file) => file.endsWith(".sql"));
const WORKER = "edge-commerce-api";
const URL = `https://${WORKER}.example-account.workers.dev`;
const { scripts } = JSON.parse(readFileSync("package.json", "utf8"));

const sandboxes: string[] = [];
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) rmSync(sandbox, { recursive: true, force: true });
});

/** A project directory and an account; `deploy(args)` runs the script there against it. */
function sandbox(account: Partial<FakeAccount> = {}) {
  const root = mkdtempSync(join(tmpdir(), "deploy-script-"));
  sandboxes.push(root);
  const project = join(root, "project");
  const bin = join(root, "bin");
  mkdirSync(project);
  mkdirSync(bin);
  writeFileSync(join(project, "wrangler.toml"), readFileSync("wrangler.toml"));
  symlinkSync(resolve("migrations"), join(project, "migrations"));
  writeFileSync(join(bin, "wrangler"), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`);
  chmodSync(join(bin, "wrangler"), 0o755);

  const accountFile = join(root, "account.json");
  const initial: FakeAccount = {
    workerName: WORKER,
    bindings: { DB: "edge-commerce" },
    databases: [],
    calls: [],
    ...account,
  };
  writeFileSync(accountFile, JSON.stringify(initial));
  const read = (): FakeAccount => JSON.parse(readFileSync(accountFile, "utf8"));
  return {
    project,
    account: read,
    /** Changes the account between runs, and forgets the calls so far. */
    update(change: Partial<FakeAccount>) {
      writeFileSync(accountFile, JSON.stringify({ ...read(), ...change, calls: [] }));
    },
    deploy: (args: string[] = []) =>
      runScript(
        SCRIPT,
        args,
        { PATH: `${bin}:${process.env.PATH ?? ""}`, FAKE_WRANGLER_ACCOUNT: accountFile },
        project,
      ),
  };
}

const commands = (account: FakeAccount) => account.calls.map((call) => call.args.join(" "));

const READS = ["d1 list --json", "secret list --env production"];
const MIGRATE = "d1 migrations apply DB --remote --env production";

/** An account where a deploy already happened: the database migrated, every secret set. */
const deployedAccount = (): Partial<FakeAccount> => ({
  databases: [
    { uuid: "4d1c0ffe-0000-4000-8000-000000000001", name: "edge-commerce", migrations: MIGRATIONS },
  ],
  worker: {
    secrets: {
      JWT_SECRET: "an-existing-jwt-secret",
      ADMIN_BOOTSTRAP_TOKEN: "an-existing-token",
      PII_MASTER_KEY: "an-existing-pii-master-key",
    },
    versions: 1,
  },
});

describe("npm run deploy -- --dry-run", () => {
  it("plans a first deploy on an empty account from two reads, and changes nothing", async () => {
    const { deploy, account, project } = sandbox();
    const { code, stdout, stderr } = await deploy(["--dry-run"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(commands(account())).toEqual(READS);
    expect(stdout).toContain(
      `Deploying the Worker "${WORKER}" (environment "production", not on the account yet):`,
    );
    expect(stdout).toContain(
      '- D1 database "edge-commerce" (DB): not on the account, to be created',
    );
    expect(stdout).toContain(
      "- secrets to generate (32 random bytes each, never printed) and set with the deploy: JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN and PII_MASTER_KEY",
    );
    expect(stdout).toContain(
      [
        "Steps:",
        "  1. wrangler d1 create edge-commerce",
        `  2. wrangler ${MIGRATE}`,
        "  3. wrangler deploy --env production --secrets-file <temporary file>",
      ].join("\n"),
    );
    expect(stdout).toMatch(/\nDry run: nothing was changed \(the account was only read\)\.\n$/);
    expect(account().databases).toEqual([]);
    expect(account().worker).toBeUndefined();
    expect(existsSync(join(project, ".admin-bootstrap-token"))).toBe(false);
  });

  it("plans only the migrations and the deploy when everything is present", async () => {
    const { deploy, account } = sandbox(deployedAccount());
    const { code, stdout } = await deploy(["--dry-run"]);
    expect(code).toBe(0);
    expect(commands(account())).toEqual(READS);
    expect(stdout).toContain(
      '- D1 database "edge-commerce" (DB): found, 4d1c0ffe-0000-4000-8000-000000000001',
    );
    expect(stdout).toContain(
      "- secrets already set, kept: JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN and PII_MASTER_KEY",
    );
    expect(stdout).toContain(
      ["Steps:", `  1. wrangler ${MIGRATE}`, "  2. wrangler deploy --env production"].join("\n"),
    );
    expect(stdout).not.toContain("to generate");
  });

  it("refuses an unknown argument before reading anything: exit code 2 and the usage", async () => {
    const { deploy, account } = sandbox();
    const { code, stderr } = await deploy(["--dry-rum"]);
    expect(code).toBe(2);
    expect(stderr).toBe("unknown argument --dry-rum\nusage: npm run deploy [-- --dry-run]\n");
    expect(account().calls).toEqual([]);
  });
});

describe("npm run deploy", () => {
  it("is this script", () => {
    expect(scripts.deploy).toBe("node scripts/deploy.mjs");
  });

  it("deploys to an empty account: the database, its migrations, the Worker with new secrets", async () => {
    const { deploy, account, project } = sandbox();
    const { code, stdout, stderr } = await deploy();
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });

    const after = account();
    expect(commands(after)).toEqual([
      ...READS,
      "d1 create edge-commerce",
      MIGRATE,
      expect.stringMatching(/^deploy --env production --secrets-file \/.+\/secrets\.json$/),
    ]);
    // The same command as `npm run db:migrate:remote`.
    expect(`wrangler ${MIGRATE}`).toBe(scripts["db:migrate:remote"]);
    expect(after.databases).toEqual([
      { uuid: expect.any(String), name: "edge-commerce", migrations: MIGRATIONS },
    ]);

    // Every secret went with the deploy, random, from an owner-only file that is gone now.
    const deployCall = after.calls.at(-1);
    expect(deployCall?.secretsFile?.mode).toBe(0o600);
    const { JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN, PII_MASTER_KEY } = after.worker?.secrets ?? {};
    for (const value of [JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN, PII_MASTER_KEY]) {
      expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(`${stdout}${stderr}`).not.toContain(value);
    }
    expect(new Set([JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN, PII_MASTER_KEY]).size).toBe(3);
    expect(existsSync(deployCall?.args.at(-1) ?? "")).toBe(false);

    // The bootstrap token is kept for admin:promote, readable by its owner only.
    const tokenFile = join(project, ".admin-bootstrap-token");
    expect(readFileSync(tokenFile, "utf8")).toBe(`${ADMIN_BOOTSTRAP_TOKEN}\n`);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

    expect(stdout).toContain(`\nDeployed: ${URL}\n`);
    expect(stdout).toContain(
      `  ADMIN_BOOTSTRAP_TOKEN="$(cat .admin-bootstrap-token)" npm run admin:promote -- you@example.com --url ${URL}\n`,
    );
    expect(stdout).not.toContain("database_id");
  });

  it("run again, changes nothing but the deploy", async () => {
    const { deploy, account, update } = sandbox();
    expect((await deploy()).code).toBe(0);
    const first = account();
    update({});

    const { code, stdout } = await deploy();
    expect(code).toBe(0);
    const second = account();
    expect(commands(second)).toEqual([...READS, MIGRATE, "deploy --env production"]);
    expect(second.databases).toEqual(first.databases);
    expect(second.worker).toEqual({ ...first.worker, versions: 2 });
    expect(stdout).toContain(
      "- secrets already set, kept: JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN and PII_MASTER_KEY",
    );
    expect(stdout).toContain("npm run admin:promote -- you@example.com");
  });

  it("generates a missing JWT_SECRET and PII_MASTER_KEY but leaves a deleted ADMIN_BOOTSTRAP_TOKEN unset", async () => {
    const { deploy, account, project } = sandbox({
      ...deployedAccount(),
      worker: { secrets: {}, versions: 3 },
    });
    const { code, stdout } = await deploy();
    expect(code).toBe(0);
    const after = account();
    expect(Object.keys(after.worker?.secrets ?? {}).sort()).toEqual([
      "JWT_SECRET",
      "PII_MASTER_KEY",
    ]);
    expect(after.calls.at(-1)?.secretsFile?.content).toEqual({
      JWT_SECRET: expect.any(String),
      PII_MASTER_KEY: expect.any(String),
    });
    expect(existsSync(join(project, ".admin-bootstrap-token"))).toBe(false);
    expect(stdout).toContain(
      '- ADMIN_BOOTSTRAP_TOKEN is not set: left so, the admin bootstrap stays closed (README, "Lost the last admin?")',
    );
    expect(stdout).toContain("the bootstrap is closed (no ADMIN_BOOTSTRAP_TOKEN)");
    expect(stdout).not.toContain("admin:promote");
  });

  it("stops at a failing step, says which and what did not run, and a rerun finishes", async () => {
    const { deploy, account, update } = sandbox({ failOn: "d1 migrations apply" });
    const failed = await deploy();
    expect(failed.code).toBe(1);
    expect(commands(account())).toEqual([...READS, "d1 create edge-commerce", MIGRATE]);
    expect(failed.stderr).toContain("✘ [ERROR] A request to the Cloudflare API failed.");
    expect(failed.stderr).toContain(
      `✘ npm run deploy stopped at step 2 of 3 (apply the migrations "edge-commerce" lacks): ` +
        `\`wrangler ${MIGRATE}\` exited with 1. Step 3 did not run.\n` +
        "Fix the cause above and run `npm run deploy` again: what is done is found and skipped.",
    );
    expect(account().worker).toBeUndefined();

    update({ failOn: undefined });
    const rerun = await deploy();
    expect(rerun.code).toBe(0);
    const after = account();
    expect(commands(after)).toEqual([
      ...READS,
      MIGRATE,
      expect.stringMatching(/^deploy --env production --secrets-file /),
    ]);
    expect(after.databases).toHaveLength(1);
  });

  it("changes nothing when it cannot read the account, and says how to log in", async () => {
    const { deploy, account } = sandbox({ failOn: "d1 list" });
    const { code, stdout, stderr } = await deploy();
    expect(code).toBe(1);
    expect(commands(account())).toEqual(["d1 list --json"]);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      "✘ npm run deploy could not read the account: `wrangler d1 list --json` exited with 1. " +
        "Nothing was changed.\nLogged in? Run `npx wrangler login`",
    );
  });
});
