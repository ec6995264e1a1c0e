import { describe, expect, it } from "vitest";
import { runScript, standInServer } from "./support/run-script";

// `npm run admin:promote` as a process: its exit code and output, against a stand-in API.

const TOKEN = "a-bootstrap-token-that-must-stay-secret";
const promote = (args: string[]) =>
  runScript("scripts/admin-promote.mjs", args, { ADMIN_BOOTSTRAP_TOKEN: TOKEN });

describe("npm run admin:promote", () => {
  it("refuses a clear-text URL to another machine: exit code 2, and why", async () => {
    const { code, stdout, stderr } = await promote([
      "ops@example.com",
      "--url",
      "http://api.example.com",
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(
      "refusing to send ADMIN_BOOTSTRAP_TOKEN in clear text to http://api.example.com",
    );
    expect(stderr).not.toContain(TOKEN);
  });

  it("sends the token over http: to a server on this machine, and says who is an admin", async () => {
    const server = await standInServer(() => ({ id: "u1", email: "ops@example.com" }));
    try {
      const { code, stdout } = await promote(["ops@example.com", "--url", server.url]);
      expect(code).toBe(0);
      expect(stdout).toBe("ops@example.com (u1) is an admin.\n");
      expect(server.received).toEqual([
        {
          method: "POST",
          url: "/api/admin/bootstrap",
          auth: `Bearer ${TOKEN}`,
          body: JSON.stringify({ email: "ops@example.com" }),
        },
      ]);
    } finally {
      await server.close();
    }
  });
});
