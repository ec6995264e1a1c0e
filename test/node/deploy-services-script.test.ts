import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeAccount, FakeConfig } from "./support/fake-wrangler";
import { runScript } from "./support/run-script";

// `npm run deploy:services` as a process, against the fake `wrangler` of the deploy tests
// (test/node/support/fake-wrangler.ts), which tells the four Workers apart by --config. The
// script runs in a sandbox holding the services' configs and migrations.

const SCRIPT = resolve("scripts/deploy-services.mjs");
const FAKE = resolve("test/node/support/fake-wrangler.ts");
const ORDER = ["products", "orders", "users", "gateway"] as const;
const configOf = (service: string) => `services/${service}/wrangler.toml`;
const migrationsOf = (service: string) =>
  readdirSync(`services/${service}/migrations`).filter((file) => file.endsWith(".sql"));
const GATEWAY_URL = "https://edge-commerce-gateway.example-account.workers.dev";
const { scripts } = JSON.parse(readFileSync("package.json", "utf8"));

/** What the fake knows of each service's config: its Worker, its database, its migrations. */
function fakeConfigOf(service: string): FakeConfig {
  const bindings: Record<string, string> =
    service === "gateway" ? {} : { DB: `edge-commerce-${service}` };
  return {
    workerName: `edge-commerce-${service}`,
    bindings,
    migrationsDir: `services/${service}/migrations`,
  };
}
const CONFIGS = Object.fromEntries(
  ORDER.map((service) => [configOf(service), fakeConfigOf(service)]),
);

const sandboxes: string[] = [];
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) rmSync(sandbox, { recursive: true, force: true });
});

function sandbox(account: Partial<FakeAccount> = {}) {
  const root = mkdtempSync(join(tmpdir(), "deploy-services-script-"));
  sandboxes.push(root);
  const project = join(root, "project");
  const bin = join(root, "bin");
  mkdirSync(bin);
  for (const service of ORDER) {
    mkdirSync(join(project, "services", service), { recursive: true });
    writeFileSync(join(project, configOf(service)), readFileSync(configOf(service)));
    if (service !== "gateway") {
      symlinkSync(
        resolve(`services/${service}/migrations`),
        join(project, "services", service, "migrations"),
      );
    }
  }
  writeFileSync(join(bin, "wrangler"), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`);
  chmodSync(join(bin, "wrangler"), 0o755);

  const accountFile = join(root, "account.json");
  const initial: FakeAccount = {
    workerName: "edge-commerce-api",
    bindings: {},
    databases: [],
    calls: [],
    configs: CONFIGS,
    ...account,
  };
  writeFileSync(accountFile, JSON.stringify(initial));
  const read = (): FakeAccount => JSON.parse(readFileSync(accountFile, "utf8"));
  return {
    project,
    account: read,
    forgetCalls() {
      writeFileSync(accountFile, JSON.stringify({ ...read(), calls: [] }));
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
const on = (service: string) => `--config ${configOf(service)} --env production`;
const READS = ["d1 list --json", ...ORDER.map((service) => `secret list ${on(service)}`)];

describe("npm run deploy:services -- --dry-run", () => {
  it("plans the four Workers in dependency order on an empty account, and changes nothing", async () => {
    const { deploy, account } = sandbox();
    const { code, stdout, stderr } = await deploy(["--dry-run"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(commands(account())).toEqual(READS);
    expect(stdout).toContain(
      "The services shape, in dependency order (products, orders, users, gateway):",
    );
    expect(stdout).toContain(
      '- D1 database "edge-commerce-users" (DB): not on the account, to be created',
    );
    expect(stdout).toContain(
      "- secrets to generate (32 random bytes each, never printed) and set with the deploy: JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN and PII_MASTER_KEY",
    );
    expect(stdout).toContain(
      [
        "Steps:",
        "  1. wrangler d1 create edge-commerce-products",
        `  2. wrangler d1 migrations apply DB --remote ${on("products")}`,
        `  3. wrangler deploy ${on("products")}`,
        "  4. wrangler d1 create edge-commerce-orders",
        `  5. wrangler d1 migrations apply DB --remote ${on("orders")}`,
        `  6. wrangler deploy ${on("orders")}`,
        "  7. wrangler d1 create edge-commerce-users",
        `  8. wrangler d1 migrations apply DB --remote ${on("users")}`,
        `  9. wrangler deploy ${on("users")} --secrets-file <temporary file>`,
        `  10. wrangler deploy ${on("gateway")}`,
      ].join("\n"),
    );
    expect(stdout).toMatch(/\nDry run: nothing was changed \(the account was only read\)\.\n$/);
    expect(account().databases).toEqual([]);
    expect(account().workers).toBeUndefined();
  });

  it("refuses an unknown argument before reading anything: exit code 2 and the usage", async () => {
    const { deploy, account } = sandbox();
    const { code, stderr } = await deploy(["--dry-rum"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "unknown argument --dry-rum\nusage: npm run deploy:services [-- --dry-run]\n",
    );
    expect(account().calls).toEqual([]);
  });
});

describe("npm run deploy:services", () => {
  it("is this script", () => {
    expect(scripts["deploy:services"]).toBe("node scripts/deploy-services.mjs");
  });

  it("deploys to an empty account: each database, its migrations, each Worker, the secrets to users only", async () => {
    const { deploy, account, project } = sandbox();
    const { code, stdout, stderr } = await deploy();
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });

    const after = account();
    expect(commands(after)).toEqual([
      ...READS,
      "d1 create edge-commerce-products",
      `d1 migrations apply DB --remote ${on("products")}`,
      `deploy ${on("products")}`,
      "d1 create edge-commerce-orders",
      `d1 migrations apply DB --remote ${on("orders")}`,
      `deploy ${on("orders")}`,
      "d1 create edge-commerce-users",
      `d1 migrations apply DB --remote ${on("users")}`,
      expect.stringMatching(
        new RegExp(`^deploy ${on("users")} --secrets-file /.+/secrets\\.json$`),
      ),
      `deploy ${on("gateway")}`,
    ]);
    expect(after.databases).toEqual(
      ["products", "orders", "users"].map((service) => ({
        uuid: expect.any(String),
        name: `edge-commerce-${service}`,
        migrations: migrationsOf(service),
      })),
    );
    const secretsOf = (service: string) =>
      Object.keys(after.workers?.[`edge-commerce-${service}`]?.secrets ?? {}).sort();
    expect(secretsOf("users")).toEqual(["ADMIN_BOOTSTRAP_TOKEN", "JWT_SECRET", "PII_MASTER_KEY"]);
    for (const service of ["products", "orders", "gateway"]) expect(secretsOf(service)).toEqual([]);
    for (const value of Object.values(after.workers?.["edge-commerce-users"]?.secrets ?? {})) {
      expect(`${stdout}${stderr}`).not.toContain(value);
    }

    // The gateway's URL, and the bootstrap token kept for admin:promote, closed on users.
    const token = readFileSync(join(project, ".admin-bootstrap-token"), "utf8").trim();
    expect(token).toBe(after.workers?.["edge-commerce-users"]?.secrets.ADMIN_BOOTSTRAP_TOKEN);
    expect(stdout).toContain(`\nDeployed: ${GATEWAY_URL}\n`);
    expect(stdout).toContain(`npm run admin:promote -- you@example.com --url ${GATEWAY_URL}\n`);
    expect(stdout).toContain(
      `Then close the bootstrap: npx wrangler secret delete ADMIN_BOOTSTRAP_TOKEN ${on("users")} && rm .admin-bootstrap-token`,
    );
  });

  it("run again, changes nothing but the migrations' check and the deploys", async () => {
    const { deploy, account, forgetCalls } = sandbox();
    expect((await deploy()).code).toBe(0);
    const first = account();
    forgetCalls();

    const { code, stdout } = await deploy();
    expect(code).toBe(0);
    const second = account();
    expect(commands(second)).toEqual([
      ...READS,
      ...ORDER.flatMap((service) => [
        ...(service === "gateway" ? [] : [`d1 migrations apply DB --remote ${on(service)}`]),
        `deploy ${on(service)}`,
      ]),
    ]);
    expect(second.databases).toEqual(first.databases);
    expect(second.workers?.["edge-commerce-users"]).toEqual({
      ...first.workers?.["edge-commerce-users"],
      versions: 2,
    });
    expect(stdout).toContain(
      "- secrets already set, kept: JWT_SECRET, ADMIN_BOOTSTRAP_TOKEN and PII_MASTER_KEY",
    );
  });

  it("stops at a failing step, says which and what did not run", async () => {
    const { deploy, account } = sandbox({ failOn: "deploy" });
    const { code, stderr } = await deploy();
    expect(code).toBe(1);
    expect(commands(account()).at(-1)).toBe(`deploy ${on("products")}`);
    expect(stderr).toContain(
      `✘ npm run deploy:services stopped at step 3 of 10 (deploy the Worker "edge-commerce-products"): ` +
        `\`wrangler deploy ${on("products")}\` exited with 1. Steps 4-10 did not run.\n` +
        "Fix the cause above and run `npm run deploy:services` again: what is done is found and skipped.",
    );
    expect(account().workers).toBeUndefined();
  });
});
