import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../src/gateway/app-env";
import { handleError } from "../../src/gateway/error-handler";
import { responseEnvelope } from "../../src/gateway/middleware/response-envelope.middleware";
import { API_SECURITY_HEADERS } from "../../src/gateway/middleware/security-headers";
import { createRouter } from "../../src/gateway/router";
import { api, PASSWORD, problemOf, registerUser, uniqueEmail } from "../support/api";

const JSON_TYPE = { "content-type": "application/json" };

describe("gateway errors", () => {
  it("answers an unknown route with a 404 problem naming the request", async () => {
    const response = await api("/api/nothing-here", { headers: { "x-request-id": "trace-1" } });
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      instance: "/api/nothing-here",
      requestId: "trace-1",
    });
  });

  it("answers a trailing slash with 404, not a 405 that allows the method used", async () => {
    expect((await api("/api/users/")).status).toBe(404);
    expect((await api("/health/")).status).toBe(404);
  });

  it("answers a known route asked with the wrong method with 405 and Allow", async () => {
    const collection = await api("/api/users", { method: "DELETE" });
    expect(collection.status).toBe(405);
    expect(collection.headers.get("allow")).toBe("GET, HEAD, POST");
    await problemOf(collection);

    const item = await api("/api/users/0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70", { method: "POST" });
    expect(item.status).toBe(405);
    expect(item.headers.get("allow")).toBe("DELETE, GET, HEAD, PATCH, PUT");
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const response = await api("/api/users", {
      method: "POST",
      json: { email: uniqueEmail(), name: "x".repeat(65 * 1024) },
    });
    expect(response.status).toBe(413);
    await problemOf(response);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const response = await api("/api/users", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "email=ada@example.com",
    });
    expect(response.status).toBe(415);
    expect(await problemOf(response)).toMatchObject({ status: 415 });
  });

  it("accepts a JSON media type with parameters", async () => {
    const response = await api("/api/users", {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ email: uniqueEmail(), name: "Ada", password: PASSWORD }),
    });
    expect(response.status).toBe(201);
  });

  it("answers malformed JSON with 400", async () => {
    const response = await api("/api/users", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email": ',
    });
    expect(response.status).toBe(400);
    await problemOf(response);
  });

  it("answers a missing body with 400", async () => {
    const response = await api("/api/users", { method: "POST" });
    expect(response.status).toBe(400);
  });

  it("turns an unexpected exception into a 500 without internals, logged with the request id", async () => {
    const app = createRouter();
    app.use("*", responseEnvelope());
    app.get("/boom", () => {
      throw new Error("secret database password in a stack");
    });
    app.onError(handleError);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});

    const response = await app.request("/boom", { headers: { "x-request-id": "boom-1" } });

    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/secret|stack/);
    expect(JSON.parse(text)).toMatchObject({ status: 500, requestId: "boom-1" });
    const logLine = String(logged.mock.calls[0]?.[0]);
    expect(JSON.parse(logLine)).toMatchObject({
      level: "error",
      requestId: "boom-1",
      path: "/boom",
      errorClass: "Error",
    });
    // The message may carry anything (bound SQL values, a request body): it is never logged.
    expect(logLine).not.toMatch(/secret/);
    logged.mockRestore();
  });
});

describe("request ids", () => {
  it("echoes a sane client id", async () => {
    const response = await api("/health", { headers: { "x-request-id": "Abc.123_-x" } });
    expect(response.headers.get("x-request-id")).toBe("Abc.123_-x");
  });

  it.each(["a".repeat(65), "has space", "semi;colon", "<script>"])(
    "replaces an unsafe client id %j",
    async (offered) => {
      const response = await api("/health", { headers: { "x-request-id": offered } });
      const id = response.headers.get("x-request-id");
      expect(id).not.toBe(offered);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it("gives every response an id, errors included", async () => {
    const response = await api("/nowhere");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("cross-cutting headers and logs", () => {
  it("sets secure headers", async () => {
    const response = await api("/health");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });

  it("sets the security headers that act on an API response, errors included (ADR 0042)", async () => {
    const answers = [
      await api("/health"),
      await api("/api/products/not-a-product"),
      await api("/api/users", { method: "POST", body: "{", headers: JSON_TYPE }),
    ];
    for (const response of answers) {
      for (const [name, value] of API_SECURITY_HEADERS) {
        expect(response.headers.get(name), name).toBe(value);
      }
      // Those that act only on a page a browser renders are left to /docs.
      expect(response.headers.get("x-xss-protection")).toBeNull();
      expect(response.headers.get("cross-origin-opener-policy")).toBeNull();
    }
  });

  it("decorates a response whose headers are immutable instead of failing it", async () => {
    const app = new Hono<AppEnv>();
    app.use(responseEnvelope());
    app.get("/away", () => Response.redirect("https://example.com/elsewhere", 302));
    app.onError(handleError);
    vi.spyOn(console, "log").mockImplementation(() => {});

    const response = await app.request("/away", { headers: { "x-request-id": "away-1" } });

    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://example.com/elsewhere");
    expect(response.headers.get("x-request-id")).toBe("away-1");
    for (const [name, value] of API_SECURITY_HEADERS) {
      expect(response.headers.get(name), name).toBe(value);
    }
  });

  it("sets each API security header as hono/secure-headers would", async () => {
    const reference = new Hono();
    reference.use(secureHeaders());
    reference.get("/", (c) => c.json({}));
    const expected = (await reference.request("/")).headers;
    for (const [name, value] of API_SECURITY_HEADERS) expect(value, name).toBe(expected.get(name));
  });

  it("gives the HTML page hono's whole set of security headers and its policy", async () => {
    const response = await api("/docs");
    expect(response.headers.get("x-xss-protection")).toBe("0");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(response.headers.get("origin-agent-cluster")).toBe("?1");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    for (const [name, value] of API_SECURITY_HEADERS) {
      expect(response.headers.get(name), name).toBe(value);
    }
  });

  it("writes one structured log line per request", async () => {
    const logged = vi.spyOn(console, "log").mockImplementation(() => {});
    const user = await registerUser();
    const lines = logged.mock.calls.map((call) => JSON.parse(String(call[0])));
    logged.mockRestore();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      message: "request",
      method: "POST",
      route: "/api/users",
      path: "/api/users",
      status: 201,
    });
    expect(typeof lines[0].durationMs).toBe("number");
    expect(lines[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.id).toBeTruthy();
  });
});
