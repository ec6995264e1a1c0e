import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScript, standInServer } from "./support/run-script";

// `npm run metrics` against a stand-in for Cloudflare's SQL API on loopback.

const runMetrics = (env: Record<string, string>) => runScript("scripts/metrics.mjs", [], env);

describe("npm run metrics", () => {
  it("says it queried nothing when the account and token are not set", async () => {
    const { code, stderr } = await runMetrics({});
    expect(code).toBe(2);
    expect(stderr).toContain("set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN");
    expect(stderr).toContain("Nothing was queried");
  });

  it("posts every query of docs/operations.md to the account's SQL API with the token", async () => {
    const server = await standInServer(() => ({ data: [{ route: "/health", requests: 42 }] }));
    try {
      const { code, stdout } = await runMetrics({
        CLOUDFLARE_ACCOUNT_ID: "account-1",
        CLOUDFLARE_API_TOKEN: "token-1",
        CLOUDFLARE_API_BASE_URL: `${server.url}/client/v4`,
      });
      expect(code).toBe(0);
      const documented = readFileSync("docs/operations.md", "utf8").match(/```sql/g) ?? [];
      expect(server.received).toHaveLength(documented.length);
      for (const { url, auth, body } of server.received) {
        expect(url).toBe("/client/v4/accounts/account-1/analytics_engine/sql");
        expect(auth).toBe("Bearer token-1");
        expect(body).toMatch(/^SELECT\s[\s\S]+\sFROM edge_commerce_metrics\s[\s\S]+\sFORMAT JSON$/);
      }
      expect(stdout).toContain("## Latency percentiles per route, last hour");
      expect(stdout).toContain("42");
    } finally {
      await server.close();
    }
  });
});
