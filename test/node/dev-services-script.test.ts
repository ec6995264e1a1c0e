import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDevServicesArguments } from "../../scripts/lib/dev-services-plan.mjs";
import { runScript } from "./support/run-script";
import { freePort } from "./support/wrangler-dev";

// `npm run dev:services` (scripts/dev-services.mjs), in this checkout. The migrations run with
// the real wrangler; `wrangler dev` is a stand-in that records its arguments and the .dev.vars
// each Worker would read, so these tests need no entry file. The last one starts the four
// Workers for real once the services' entry files exist.

const SCRIPT = resolve("scripts/dev-services.mjs");
const WRANGLER = resolve("node_modules/.bin/wrangler");
// The gateway first (served on --port), then the services in deploy order.
const CONFIGS = ["gateway", "products", "orders", "users"].map(
  (service) => `services/${service}/wrangler.toml`,
);
const devVarsOf = (service: string) => `services/${service}/.dev.vars`;
const SERVICES = ["gateway", "users", "products", "orders"] as const;
const { scripts } = JSON.parse(readFileSync("package.json", "utf8"));

const cleanUps: (() => void)[] = [];
afterEach(() => {
  for (const cleanUp of cleanUps.splice(0)) cleanUp();
});

/** A scratch directory, and the project's .dev.vars left as it was (the script may make one). */
function scratch() {
  const root = mkdtempSync(join(tmpdir(), "dev-services-"));
  const hadDevVars = existsSync(".dev.vars");
  cleanUps.push(() => {
    rmSync(root, { recursive: true, force: true });
    if (!hadDevVars) rmSync(".dev.vars", { force: true });
  });
  return root;
}

/**
 * A `wrangler` first on PATH: `d1 …` runs the real one; `dev …` writes its arguments and the
 * Workers' .dev.vars, as they are while it runs, to `record` and exits.
 */
function recordingWrangler(root: string) {
  const bin = join(root, "bin");
  const record = join(root, "dev-call.json");
  mkdirSync(bin);
  const recorder = join(root, "record-dev.mjs");
  writeFileSync(
    recorder,
    `import { existsSync, readFileSync, writeFileSync } from "node:fs";
const devVars = {};
for (const service of ${JSON.stringify(SERVICES)}) {
  const path = "services/" + service + "/.dev.vars";
  devVars[service] = existsSync(path) ? readFileSync(path, "utf8") : null;
}
writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args: process.argv.slice(2), devVars }));
`,
  );
  writeFileSync(
    join(bin, "wrangler"),
    `#!/bin/sh\nif [ "$1" = "d1" ]; then exec "${WRANGLER}" "$@"; fi\nexec "${process.execPath}" "${recorder}" "$@"\n`,
  );
  chmodSync(join(bin, "wrangler"), 0o755);
  const env = {
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    HOME: root,
    XDG_CONFIG_HOME: root,
    WRANGLER_SEND_METRICS: "false",
  };
  return {
    env,
    devCall: (): { args: string[]; devVars: Record<string, string | null> } =>
      JSON.parse(readFileSync(record, "utf8")),
  };
}

/** The tables in a service's local D1 under `persistTo`, read with the real wrangler. */
function tablesOf(service: string, persistTo: string, env: Record<string, string>) {
  const query = spawnSync(
    WRANGLER,
    [
      "d1",
      "execute",
      "DB",
      "--local",
      "--config",
      `services/${service}/wrangler.toml`,
      "--persist-to",
      persistTo,
      "--json",
      "--command",
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    ],
    { encoding: "utf8", env: { ...process.env, ...env } },
  );
  expect(query.status, query.stderr).toBe(0);
  const [{ results }] = JSON.parse(query.stdout.slice(query.stdout.indexOf("[")));
  return (results as { name: string }[]).map(({ name }) => name);
}

describe("npm run dev:services", () => {
  it("is this script", () => {
    expect(scripts["dev:services"]).toBe("node scripts/dev-services.mjs");
  });

  it("migrates every service's D1 in an empty folder, then starts the four with the flags", async () => {
    const root = scratch();
    const { env, devCall } = recordingWrangler(root);
    const persistTo = join(root, "empty", "state");
    const { code, stdout, stderr } = await runScript(
      SCRIPT,
      [
        "--port",
        "8799",
        "--ip",
        "127.0.0.1",
        "--persist-to",
        persistTo,
        "--var",
        "CORS_ORIGINS:http://app.example:5173",
        "--var=ORDER_PAYMENT_TIMEOUT:60",
        "--show-interactive-dev-session=false",
      ],
      env,
      process.cwd(),
    );
    expect(code, `${stdout}\n${stderr}`).toBe(0);

    // One `wrangler dev`, the gateway's config first, every flag but --var passed on.
    expect(devCall().args).toEqual([
      "dev",
      ...CONFIGS.flatMap((config) => ["--config", config]),
      "--persist-to",
      persistTo,
      "--port",
      "8799",
      "--ip",
      "127.0.0.1",
      "--show-interactive-dev-session=false",
    ]);

    // Each --var reaches every Worker; the secrets only the Worker that reads them.
    const { devVars } = devCall();
    for (const service of SERVICES) {
      expect(devVars[service], service).toContain("\nCORS_ORIGINS='http://app.example:5173'\n");
      expect(devVars[service], service).toContain("\nORDER_PAYMENT_TIMEOUT='60'\n");
      const secrets = ["JWT_SECRET", "ADMIN_BOOTSTRAP_TOKEN", "PII_MASTER_KEY"].filter((name) =>
        new RegExp(`^${name}=.+`, "m").test(devVars[service] ?? ""),
      );
      expect(secrets, service).toEqual(
        service === "users" ? ["JWT_SECRET", "ADMIN_BOOTSTRAP_TOKEN", "PII_MASTER_KEY"] : [],
      );
    }
    // The copies are gone once it ends.
    for (const service of SERVICES) expect(existsSync(devVarsOf(service))).toBe(false);

    // Every service's tables, and only its own and the shared ones, in the folder it was given.
    const shared = ["domain_events", "maintenance_cursors", "unique_claims"];
    const users = tablesOf("users", persistTo, env);
    const products = tablesOf("products", persistTo, env);
    const orders = tablesOf("orders", persistTo, env);
    expect(users).toEqual(expect.arrayContaining([...shared, "users", "refresh_tokens"]));
    expect(products).toEqual(expect.arrayContaining([...shared, "products", "products_fts"]));
    expect(orders).toEqual(expect.arrayContaining([...shared, "orders", "order_holds"]));
    expect([...products, ...orders]).not.toContain("users");
    expect([...users, ...orders]).not.toContain("products");
    expect([...users, ...products]).not.toContain("orders");
  });

  it("refuses --config before doing anything: exit code 2 and the usage", async () => {
    const root = scratch();
    const { env } = recordingWrangler(root);
    const { code, stderr } = await runScript(SCRIPT, ["-c", "wrangler.toml"], env, process.cwd());
    expect(code).toBe(2);
    expect(stderr).toMatch(/^-c is not taken: the four services' configs are fixed\nusage: /);
    expect(existsSync(join(root, "dev-call.json"))).toBe(false);
  });

  it("reads --var as wrangler does, and sends --env to the migrations too", () => {
    const parsed = parseDevServicesArguments(
      ["--var", "A:1", "B:x:y", "--var=C:", "--env", "staging", "--port=9000"],
      "/project",
    );
    expect(parsed).toEqual({
      ok: true,
      persistTo: "/project/.wrangler/state",
      vars: [
        { name: "A", value: "1" },
        { name: "B", value: "x:y" },
        { name: "C", value: "" },
      ],
      devArgs: ["--env", "staging", "--port=9000"],
      sharedArgs: ["--env", "staging"],
    });
    expect(parseDevServicesArguments(["--var", "NOVALUE"])).toEqual({
      ok: false,
      problem: "--var NOVALUE: expected NAME:VALUE",
    });
  });
});

const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));
const hasEntryFiles = SERVICES.every((service) => existsSync(`services/${service}/index.ts`));

// The entry files are the services' code; without them there is nothing to start.
describe.skipIf(!hasEntryFiles)("npm run dev:services, started", () => {
  it("serves the gateway on --port from an empty folder, and stops with its Workers", async () => {
    const root = scratch();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const npm = spawn(
      "npm",
      [
        "run",
        "dev:services",
        "--",
        "--port",
        String(port),
        "--ip",
        "127.0.0.1",
        "--persist-to",
        join(root, "state"),
        "--show-interactive-dev-session=false",
      ],
      {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: root },
      },
    );
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    npm.stdout?.on("data", keep);
    npm.stderr?.on("data", keep);
    const group = npm.pid ?? 0;
    cleanUps.push(() => {
      try {
        process.kill(-group, "SIGKILL");
      } catch {}
    });

    let healthy = false;
    const deadline = Date.now() + 150_000;
    while (!healthy && Date.now() < deadline && npm.exitCode === null) {
      healthy = await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (!healthy) await sleep(250);
    }
    expect(healthy, output).toBe(true);

    process.kill(npm.pid ?? 0, "SIGTERM");
    const stopped = Date.now() + 30_000;
    while (Date.now() < stopped && existsSync(devVarsOf("users"))) await sleep(250);
    for (const service of SERVICES) expect(existsSync(devVarsOf(service)), output).toBe(false);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
