import { describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../../src/gateway/app";
import { api, apiWith, problemOf } from "../support/api";
import type { OpenApiDocument } from "../support/response-contract";

// The statuses the gateway itself sends, before or around any route: asked of every API
// operation through the Worker, so the response validator of support/api.ts fails the test
// wherever an operation does not declare them.

const ID = "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70";

async function apiOperations() {
  const document = (await (await api("/openapi.json")).json()) as OpenApiDocument & {
    paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
  };
  const operations = Object.entries(document.paths)
    .filter(([template]) => template.startsWith("/api/"))
    .flatMap(([template, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: template.replaceAll(/\{[^}]+\}/g, ID),
        bearer: (operation.security ?? []).some((scheme) => "bearerAuth" in scheme),
      })),
    );
  // At least the resources of the three modules, each with reads and writes.
  expect(operations.length).toBeGreaterThan(25);
  return operations;
}

describe("what the gateway answers to any API operation", () => {
  it("413 to a body over the limit, before any route looks at it", async () => {
    const writes = (await apiOperations()).filter(({ method }) => method !== "GET");
    expect(writes.length).toBeGreaterThan(10);
    for (const { method, path } of writes) {
      const response = await api(path, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ padding: "x".repeat(BODY_LIMIT_BYTES) }),
      });
      expect(response.status, `${method} ${path}`).toBe(413);
    }
  });

  it("415 to a body that is not JSON", async () => {
    const writes = (await apiOperations()).filter(({ method }) => method !== "GET");
    for (const { method, path } of writes) {
      const response = await api(path, {
        method,
        headers: { "content-type": "text/plain" },
        body: "hello",
      });
      expect(response.status, `${method} ${path}`).toBe(415);
    }
  });

  it("500 to every operation that takes a bearer token while JWT_SECRET is unusable", async () => {
    const authenticated = (await apiOperations()).filter(({ bearer }) => bearer);
    expect(authenticated.length).toBeGreaterThan(15);
    for (const { method, path } of authenticated) {
      const response = await apiWith({ JWT_SECRET: "too-short" }, path, {
        method,
        token: "any.bearer.token",
        ...(method === "GET" ? {} : { json: {} }),
      });
      expect(response.status, `${method} ${path}`).toBe(500);
      expect((await problemOf(response)).code).toBe("AUTH.MISCONFIGURED");
    }
  });
});
