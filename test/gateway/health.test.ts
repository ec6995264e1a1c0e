import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("health", () => {
  it("answers liveness without touching any binding", async () => {
    const response = await exports.default.fetch("http://api.test/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("reports D1 and the event log as ready", async () => {
    const response = await exports.default.fetch("http://api.test/health/ready");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: Record<string, { status: string }> };
    expect(body.checks.d1?.status).toBe("ok");
    expect(body.checks.eventLog?.status).toBe("ok");
  });
});
