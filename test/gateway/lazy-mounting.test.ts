import type { H, RouterRoute } from "hono/types";
import { describe, expect, it } from "vitest";
import { handleError, notFoundOrMethodNotAllowed } from "../../src/gateway/error-handler";
import { LazyMountRouter } from "../../src/gateway/lazy-mount-router";
import { REQUEST_ID_HEADER } from "../../src/gateway/middleware/request-id";
import { responseEnvelope } from "../../src/gateway/middleware/response-envelope.middleware";
import { createRouter } from "../../src/gateway/router";
import { api, apiWith, problemOf } from "../support/api";
import { consoleOutputOf } from "../support/console-output";

// Each `apiWith` call runs a new app: its request is the first, which builds its module's router.

/** A gateway in miniature: middleware, a module mounted lazily, a route after it; what ran. */
function miniatureGateway() {
  const ran: string[] = [];
  const builds: string[] = [];
  const router = new LazyMountRouter<[H, RouterRoute]>();
  const app = createRouter({ router });
  app.use("*", responseEnvelope(), async (_c, next) => {
    ran.push("gateway middleware");
    await next();
  });
  const mount = (prefix: string) =>
    router.mountLazily(prefix, () => {
      builds.push(prefix);
      const module = createRouter();
      module.use("*", async (_c, next) => {
        ran.push(`${prefix} middleware`);
        await next();
      });
      module.get("/", (c) => c.text(`${prefix} list`));
      module.get("/:id", (c) => c.text(`${prefix} item ${c.req.param("id")}`));
      module.get("/:id/broken", () => {
        throw new Error("a bug in a lazily built route");
      });
      app.route(prefix, module);
    });
  mount("/api/things");
  mount("/api/others");
  app.get("/health", (c) => c.text("ok"));
  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
  app.onError(handleError);
  return { app, ran, builds };
}

describe("modules' routers built on their first request", () => {
  it("builds no module for a request outside every module", async () => {
    const { app, builds } = miniatureGateway();
    expect(await (await app.request("/health")).text()).toBe("ok");
    expect((await app.request("/api/thingsX")).status).toBe(404);
    expect(builds).toEqual([]);
  });

  it("builds only the module a request is under, once", async () => {
    const { app, builds } = miniatureGateway();
    expect(await (await app.request("/api/things")).text()).toBe("/api/things list");
    expect(await (await app.request("/api/things/7")).text()).toBe("/api/things item 7");
    expect(builds).toEqual(["/api/things"]);
    expect(await (await app.request("/api/others/8")).text()).toBe("/api/others item 8");
    expect(builds).toEqual(["/api/things", "/api/others"]);
  });

  it("runs the gateway's middleware, then the module's, as if mounted at start-up", async () => {
    const { app, ran } = miniatureGateway();
    await app.request("/api/things/1");
    expect(ran).toEqual(["gateway middleware", "/api/things middleware"]);
  });

  it("answers 405 with Allow on the first request under a module, and 404 beside it", async () => {
    const { app } = miniatureGateway();
    const wrongMethod = await app.request("/api/others/1", { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD");
    expect((await app.request("/api/others/1/nothing")).status).toBe(404);
  });

  it("gives an error inside a lazily built route the gateway's problem document", async () => {
    const { app } = miniatureGateway();
    let response = new Response();
    await consoleOutputOf(async () => {
      response = await app.request("/api/things/1/broken", {
        headers: { [REQUEST_ID_HEADER]: "lazy-1" },
      });
    });
    expect(response.status).toBe(500);
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe("lazy-1");
    expect(await response.json()).toMatchObject({ status: 500, requestId: "lazy-1" });
  });

  it("builds a router afresh on the next request after its build failed", () => {
    const router = new LazyMountRouter<string>();
    let attempts = 0;
    router.mountLazily("/api/things", () => {
      router.add("GET", "/api/things", "list");
      attempts++;
      if (attempts === 1) throw new Error("a bug while building");
    });
    expect(() => router.match("GET", "/api/things")).toThrow("a bug while building");
    const [handlers] = router.match("GET", "/api/things");
    expect(handlers.map(([handler]) => handler)).toEqual(["list"]);
  });

  it("refuses a route added outside its module's prefix, or after the first request", async () => {
    const router = new LazyMountRouter<string>();
    router.mountLazily("/api/things", () => router.add("GET", "/api/elsewhere", "handler"));
    expect(() => router.match("GET", "/api/things")).toThrow(/not under \/api\/things/);
    expect(() => router.add("GET", "/late", "handler")).toThrow(/after the first request/);
    expect(() => router.mountLazily("/api/things/inner", () => {})).toThrow(/overlaps/);
  });
});

describe("the API's first request under each prefix", () => {
  it.each([
    ["GET", "/health"],
    ["GET", "/health/ready"],
    ["GET", "/docs"],
    ["GET", "/api/users"],
    ["POST", "/api/auth/logout"],
    ["POST", "/api/admin/bootstrap"],
    ["GET", "/api/products"],
    ["GET", "/api/orders"],
  ])("%s %s answers as the warmed Worker does", async (method, path) => {
    const first = await apiWith({}, path, { method, json: method === "POST" ? {} : undefined });
    const warmed = await api(path, { method, json: method === "POST" ? {} : undefined });
    expect(first.status).toBe(warmed.status);
    expect(first.headers.get("content-type")).toBe(warmed.headers.get("content-type"));
  });

  it("answers 405 with Allow on the first request under a module", async () => {
    const response = await apiWith({}, "/api/products", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
    await problemOf(response);
  });

  it("answers 404 under a module's prefix on its first request", async () => {
    const response = await apiWith({}, "/api/orders/nothing/here");
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ instance: "/api/orders/nothing/here" });
  });

  it("turns a validation failure in a lazily built router into a problem with the request id", async () => {
    const response = await apiWith({}, "/api/products?limit=0", {
      headers: { [REQUEST_ID_HEADER]: "first-1" },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe("first-1");
    expect(await problemOf(response)).toMatchObject({
      code: "VALIDATION_FAILED",
      requestId: "first-1",
    });
  });

  it("logs the first request with the module's route, not its prefix", async () => {
    const lines = await consoleOutputOf(() =>
      apiWith({}, "/api/products/0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70"),
    );
    const log = lines.map((line) => JSON.parse(line)).find((line) => line.message === "request");
    expect(log).toMatchObject({ route: "/api/products/:id", status: 404 });
  });
});
