import { describe, expect, it } from "vitest";
import { apiWith, fetchWorker } from "../support/api";

describe("health", () => {
  it("answers liveness without touching any binding", async () => {
    const response = await fetchWorker("http://api.test/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("reports D1 and the event log as ready", async () => {
    const response = await fetchWorker("http://api.test/health/ready");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: Record<string, { status: string }> };
    expect(body.checks.d1?.status).toBe("ok");
    expect(body.checks.eventLog?.status).toBe("ok");
  });

  it("reports each dependency's latency in its check", async () => {
    const response = await fetchWorker("http://api.test/health/ready");
    const { checks } = (await response.json()) as {
      checks: Record<string, { status: string; durationMs: unknown }>;
    };
    expect(Object.keys(checks).sort()).toEqual(["d1", "eventLog", "jwtSecret", "piiMasterKey"]);
    for (const check of Object.values(checks)) {
      expect(check.durationMs).toEqual(expect.any(Number));
      expect(check.durationMs).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("readiness when a dependency is missing", () => {
  it("answers 503 with a problem document naming the failed check", async () => {
    // A deployment whose D1 binding is missing: a real misconfiguration, not a fake database.
    const response = await apiWith({ DB: undefined }, "/health/ready");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { checks: Record<string, { status: string }> };
    expect(body.checks.d1?.status).toBe("fail");
    expect(body.checks.eventLog?.status).toBe("ok");
  });
});
