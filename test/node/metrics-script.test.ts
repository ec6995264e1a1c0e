import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";

// `npm run metrics` against a stand-in for Cloudflare's SQL API on loopback.

function runScript(env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ["scripts/metrics.mjs"], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}

const bodyOf = (request: IncomingMessage) =>
  new Promise<string>((done) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => done(body));
  });

describe("npm run metrics", () => {
  it("says it queried nothing when the account and token are not set", async () => {
    const { code, stderr } = await runScript({});
    expect(code).toBe(2);
    expect(stderr).toContain("set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN");
    expect(stderr).toContain("Nothing was queried");
  });

  it("posts every query of docs/operations.md to the account's SQL API with the token", async () => {
    const received: { url?: string; auth?: string; sql: string }[] = [];
    const server = createServer(async (request, response) => {
      received.push({
        url: request.url,
        auth: request.headers.authorization,
        sql: await bodyOf(request),
      });
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ data: [{ route: "/health", requests: 42 }] }));
    });
    await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
    const { port } = server.address() as AddressInfo;
    try {
      const { code, stdout } = await runScript({
        CLOUDFLARE_ACCOUNT_ID: "account-1",
        CLOUDFLARE_API_TOKEN: "token-1",
        CLOUDFLARE_API_BASE_URL: `http://127.0.0.1:${port}/client/v4`,
      });
      expect(code).toBe(0);
      const documented = readFileSync("docs/operations.md", "utf8").match(/```sql/g) ?? [];
      expect(received).toHaveLength(documented.length);
      for (const { url, auth, sql } of received) {
        expect(url).toBe("/client/v4/accounts/account-1/analytics_engine/sql");
        expect(auth).toBe("Bearer token-1");
        expect(sql).toMatch(/^SELECT\s[\s\S]+\sFROM edge_commerce_metrics\s[\s\S]+\sFORMAT JSON$/);
      }
      expect(stdout).toContain("## Latency percentiles per route, last hour");
      expect(stdout).toContain("42");
    } finally {
      server.close();
    }
  });
});
