import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { BASE, checked, fetchWorker, PASSWORD, uniqueEmail } from "../support/api";

// Miniflare's local Analytics Engine binding drops every write unless remote bindings are on
// (miniflare's analytics-engine.worker.js forwards only to `env.remote`), so nothing written to
// the real METRICS binding can be read back in a test. The first test spies on that binding's
// method (the call still goes through); the others hand the Worker the same env with METRICS
// swapped for a recorder of it, and a context whose waitUntil they can await. D1 and the
// Durable Objects stay real.

type Written = { point: AnalyticsEngineDataPoint; deferredSoFar: number };

function observedWorker() {
  const written: Written[] = [];
  const deferred: Promise<unknown>[] = [];
  const metrics: AnalyticsEngineDataset = {
    writeDataPoint: (point = {}) => {
      written.push({ point, deferredSoFar: deferred.length });
    },
  };
  const ctx = {
    waitUntil: (promise: Promise<unknown>) => void deferred.push(promise),
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;

  return {
    async fetch(path: string, init: RequestInit = {}, bindings: Partial<Env> = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("cf-connecting-ip")) {
        headers.set("cf-connecting-ip", `198.51.100.${Math.floor(Math.random() * 250)}`);
      }
      const request = new Request(`${BASE}${path}`, {
        ...init,
        headers,
        cf: { colo: "AMS", country: "NL" },
      } as RequestInit);
      const response = await checked(
        request,
        await worker.fetch(
          request as Request<unknown, IncomingRequestCfProperties>,
          { ...env, ...bindings, METRICS: metrics },
          ctx,
        ),
      );
      await response.arrayBuffer();
      await Promise.all(deferred);
      return response;
    },
    points: (kind: string) =>
      written.filter(({ point }) => point.blobs?.[0] === kind).map(({ point }) => point),
    written,
  };
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe("the METRICS binding", () => {
  it("receives each request's data point from the deployed entry, field by field", async () => {
    // The binding of wrangler.toml, as the Worker's entry gets it (the same object as this env):
    // spied on, not replaced, so the point really goes to the dataset miniflare simulates.
    const writeDataPoint = vi.spyOn(env.METRICS, "writeDataPoint");
    try {
      const response = await fetchWorker(`${BASE}/health`, {
        headers: { "cf-connecting-ip": "198.51.100.7" },
        cf: { colo: "AMS", country: "NL" },
      } as RequestInit);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      // Written as the request ends (ADR 0042): every call is in by now.
      expect(writeDataPoint.mock.calls).toEqual([
        [
          {
            indexes: ["/health"],
            blobs: ["request", "/health", "GET", "200", "2xx", "AMS", "NL"],
            doubles: [200, expect.any(Number)],
          },
        ],
      ]);
    } finally {
      writeDataPoint.mockRestore();
    }
  });
});

describe("a data point per request", () => {
  it("records a 2xx with route, method, status, class, duration, colo and country", async () => {
    const worker = observedWorker();
    expect((await worker.fetch("/health")).status).toBe(200);
    expect(worker.points("request")).toEqual([
      {
        indexes: ["/health"],
        blobs: ["request", "/health", "GET", "200", "2xx", "AMS", "NL"],
        doubles: [200, expect.any(Number)],
      },
    ]);
    expect(worker.points("security")).toEqual([]);
  });

  it("records a 4xx under its route pattern, never the raw path", async () => {
    const worker = observedWorker();
    const id = crypto.randomUUID();
    expect((await worker.fetch(`/api/products/${id}`)).status).toBe(404);
    const [point] = worker.points("request");
    expect(point).toMatchObject({
      indexes: ["/api/products/:id"],
      blobs: ["request", "/api/products/:id", "GET", "404", "4xx", "AMS", "NL"],
      doubles: [404, expect.any(Number)],
    });
    expect(JSON.stringify(worker.written)).not.toContain(id);
  });

  it("records an unknown path under the catch-all pattern", async () => {
    const worker = observedWorker();
    expect((await worker.fetch("/no/such/page-4711")).status).toBe(404);
    expect(worker.points("request")[0]?.blobs?.slice(1, 4)).toEqual(["/*", "GET", "404"]);
    expect(JSON.stringify(worker.written)).not.toContain("4711");
  });

  it("records a 5xx, and a server_error security point beside it", async () => {
    const worker = observedWorker();
    // A deployment without its D1 binding: readiness fails for real.
    const response = await worker.fetch("/health/ready", {}, { DB: undefined });
    expect(response.status).toBe(503);
    expect(worker.points("request")).toMatchObject([
      { blobs: ["request", "/health/ready", "GET", "503", "5xx", "AMS", "NL"] },
    ]);
    expect(worker.points("security")).toEqual([
      {
        indexes: ["server_error"],
        blobs: ["security", "server_error", "/health/ready", ""],
        doubles: [503],
      },
    ]);
  });

  it("writes the request point with the response, waiting on nothing (ADR 0042)", async () => {
    const worker = observedWorker();
    await worker.fetch("/health");
    expect(worker.written).toHaveLength(1);
    // writeDataPoint returns at once and sends later: no waitUntil is needed for it.
    expect(worker.written[0]?.deferredSoFar).toBe(0);
  });
});

describe("domain events and security outcomes", () => {
  it("records each event a command appends, with its type and aggregate type", async () => {
    const worker = observedWorker();
    const body = { email: uniqueEmail(), name: "Ada Lovelace", password: PASSWORD };
    expect((await worker.fetch("/api/users", json(body))).status).toBe(201);
    expect(worker.points("event")).toEqual([
      { indexes: ["user"], blobs: ["event", "UserRegistered", "user"], doubles: [1] },
    ]);
  });

  it("records no event for a command that fails", async () => {
    const worker = observedWorker();
    const body = { email: uniqueEmail(), name: "Ada Lovelace", password: PASSWORD };
    await worker.fetch("/api/users", json(body));
    const again = observedWorker();
    expect((await again.fetch("/api/users", json(body))).status).toBe(409);
    expect(again.points("event")).toEqual([]);
  });

  it("records a failed login with its problem code", async () => {
    const worker = observedWorker();
    const login = { email: uniqueEmail(), password: "not the password at all" };
    expect((await worker.fetch("/api/auth/login", json(login))).status).toBe(401);
    expect(worker.points("security")).toEqual([
      {
        indexes: ["login_failed"],
        blobs: ["security", "login_failed", "/api/auth/login", "AUTH.INVALID_CREDENTIALS"],
        doubles: [401],
      },
    ]);
  });

  it("records a rate-limit hit", async () => {
    const worker = observedWorker();
    const headers = { "cf-connecting-ip": "203.0.113.250", "content-type": "application/json" };
    const register = () => worker.fetch("/api/users", { ...json({}), headers });
    let status = 0;
    for (let attempt = 0; attempt < 6 && status !== 429; attempt++) {
      status = (await register()).status;
    }
    expect(status).toBe(429);
    expect(worker.points("security")).toContainEqual({
      indexes: ["rate_limited"],
      blobs: ["security", "rate_limited", "/api/users", ""],
      doubles: [429],
    });
  });
});
