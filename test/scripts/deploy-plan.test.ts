import { describe, expect, it } from "vitest";
import {
  deployedUrl,
  deploySteps,
  isWorkerNotFound,
  nextSteps,
  parseDatabaseList,
  parseDeployArguments,
  planDeploy,
  stepFailed,
} from "../../scripts/lib/deploy-plan.mjs";

// The decisions of `npm run deploy` that need no wrangler; test/node/deploy-script.test.ts runs
// the whole script against a fake wrangler.

const DB = { binding: "DB", database_name: "edge-commerce" };
const plan = (overrides: Partial<Parameters<typeof planDeploy>[0]> = {}) =>
  planDeploy({
    environment: "production",
    workerName: "edge-commerce-api",
    databases: [DB],
    accountDatabases: [],
    secretNames: undefined,
    ...overrides,
  });

describe("npm run deploy's plan", () => {
  it("takes --dry-run and nothing else", () => {
    expect(parseDeployArguments([])).toEqual({ ok: true, dryRun: false });
    expect(parseDeployArguments(["--dry-run"])).toEqual({ ok: true, dryRun: true });
    expect(parseDeployArguments(["--dry-run", "--env", "staging"])).toEqual({
      ok: false,
      problem: "unknown argument --env",
    });
  });

  it("tells a Worker that does not exist from any other failure of `wrangler secret list`", () => {
    const notFound =
      '✘ [ERROR] Worker "edge-commerce-api" (env: production) not found.\n\n' +
      "If this is a new Worker, run `wrangler deploy` first to create it.";
    expect(isWorkerNotFound(notFound, "edge-commerce-api")).toBe(true);
    expect(
      isWorkerNotFound('✘ [ERROR] Worker "edge-commerce-api" not found.', "edge-commerce-api"),
    ).toBe(true);
    for (const other of [
      '✘ [ERROR] Worker "another-api" (env: production) not found.',
      "✘ [ERROR] A request to the Cloudflare API failed. Authentication error [code: 10000]",
      "✘ [ERROR] More than one account available but unable to select one in non-interactive mode.",
    ]) {
      expect(isWorkerNotFound(other, "edge-commerce-api")).toBe(false);
    }
  });

  it("reads `wrangler d1 list --json` between any lines wrangler prints, and refuses no JSON", () => {
    const printed = `A newer wrangler is available\n${JSON.stringify(
      [{ uuid: "u1", name: "edge-commerce", version: "production", num_tables: 12 }],
      null,
      2,
    )}\nSee the changelog.\n`;
    expect(parseDatabaseList(printed)).toEqual([{ uuid: "u1", name: "edge-commerce" }]);
    expect(() => parseDatabaseList("Not logged in.")).toThrow(/could not read the D1 databases/);
  });

  it("finds the database by name, or uses an id wrangler.toml gives, and creates it otherwise", () => {
    const found = plan({
      accountDatabases: [
        { uuid: "u1", name: "edge-commerce" },
        { uuid: "u2", name: "other" },
      ],
    });
    expect(found.databases).toEqual([
      { binding: "DB", name: "edge-commerce", id: "u1", create: false },
    ]);
    const pinned = plan({ databases: [{ ...DB, database_id: "u9" }] });
    expect(pinned.databases).toEqual([
      { binding: "DB", name: "edge-commerce", id: "u9", create: false },
    ]);
    const missing = plan({ accountDatabases: [{ uuid: "u2", name: "other" }] });
    expect(deploySteps(missing).map((step) => step.args.join(" "))).toEqual([
      "d1 create edge-commerce",
      "d1 migrations apply DB --remote --env production",
      "deploy --env production",
    ]);
  });

  it("generates every secret for a new Worker, and on an existing one a missing JWT_SECRET or PII_MASTER_KEY", () => {
    expect(plan().secrets).toEqual({
      generate: ["JWT_SECRET", "ADMIN_BOOTSTRAP_TOKEN", "PII_MASTER_KEY"],
      kept: [],
      bootstrapClosed: false,
    });
    expect(plan({ secretNames: ["JWT_SECRET_PREVIOUS"] }).secrets).toEqual({
      generate: ["JWT_SECRET", "PII_MASTER_KEY"],
      kept: [],
      bootstrapClosed: true,
    });
    expect(
      plan({ secretNames: ["ADMIN_BOOTSTRAP_TOKEN", "JWT_SECRET", "PII_MASTER_KEY"] }).secrets,
    ).toEqual({
      generate: [],
      kept: ["JWT_SECRET", "ADMIN_BOOTSTRAP_TOKEN", "PII_MASTER_KEY"],
      bootstrapClosed: false,
    });
  });

  it("says which step failed and which did not run", () => {
    const steps = deploySteps(plan());
    expect(stepFailed(steps, 0, 1)).toContain(
      'stopped at step 1 of 3 (create the D1 database "edge-commerce"): ' +
        "`wrangler d1 create edge-commerce` exited with 1. Steps 2-3 did not run.\n",
    );
    expect(stepFailed(steps, 2, 7)).toContain(
      "`wrangler deploy --env production --secrets-file <temporary file>` exited with 7.\n",
    );
  });

  it("takes the URL from the deploy's targets, and makes do without one", () => {
    const output = [
      JSON.stringify({ type: "wrangler-session", version: 1 }),
      JSON.stringify({
        type: "deploy",
        targets: ["api.example.com/*", "https://w.acct.workers.dev", "schedule: */15 * * * *"],
      }),
      "",
    ].join("\n");
    expect(deployedUrl(output)).toBe("https://w.acct.workers.dev");
    expect(
      deployedUrl(JSON.stringify({ type: "deploy", targets: ["api.example.com/*"] })),
    ).toBeUndefined();
    expect(nextSteps({ url: undefined, environment: "production", bootstrap: "unknown" })).toEqual([
      "Deployed: see wrangler's targets above.",
      "Next, make yourself the first admin: register (POST /api/users, as in the README's tour), then",
      "  ADMIN_BOOTSTRAP_TOKEN=... npm run admin:promote -- you@example.com --url https://<your worker>",
      "  (the token was set by an earlier deploy; without its value, put a new one with",
      "  npx wrangler secret put ADMIN_BOOTSTRAP_TOKEN --env production)",
      "Then close the bootstrap: npx wrangler secret delete ADMIN_BOOTSTRAP_TOKEN --env production",
    ]);
  });
});
