import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it, vi } from "vitest";
import { handleError } from "../../src/gateway/error-handler";
import { createRouter } from "../../src/gateway/router";
import { isUnavailable } from "../../src/gateway/unavailability";

// The shapes the runtime gives: Durable Object errors carry `.overloaded` / `.retryable`; D1's
// are plain errors with a D1_ERROR message, which Drizzle wraps in a DrizzleQueryError.
const objectError = (message: string, flags: { overloaded?: boolean; retryable?: boolean }) =>
  Object.assign(new Error(message), flags);
const d1Error = (message: string) => new Error(`D1_ERROR: ${message}`);
const viaDrizzle = (cause: Error, params: unknown[] = []) =>
  new DrizzleQueryError("select * from products where id = ?", params, cause);

describe("which errors mean overloaded or unavailable", () => {
  it.each([
    [
      "an overloaded object",
      objectError("Durable Object is overloaded. Too many requests queued.", { overloaded: true }),
    ],
    [
      "a reset object, after our retries",
      objectError("Durable Object reset because its code was updated.", { retryable: true }),
    ],
    ["an overloaded D1", viaDrizzle(d1Error("D1 DB is overloaded. Too many requests queued."))],
    [
      "a D1 with requests queued too long",
      viaDrizzle(d1Error("D1 DB is overloaded. Requests queued for too long.")),
    ],
    ["a lost connection to D1", viaDrizzle(d1Error("Network connection lost."))],
    ["a D1 restarting after an update", d1Error("D1 DB reset because its code was updated.")],
    [
      "a D1 whose storage timed out",
      d1Error("D1 DB storage operation exceeded timeout which caused object to be reset."),
    ],
    [
      "D1 overload raised inside our object",
      new Error("D1_ERROR: D1 DB is overloaded. Too many requests queued."),
    ],
  ])("%s", (_name, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ["a bug", new TypeError("Cannot read properties of undefined")],
    ["a bad query", viaDrizzle(d1Error("no such table: products: SQLITE_ERROR"))],
    [
      "a bad query whose values mention overload",
      viaDrizzle(d1Error("no such column: x"), ["is overloaded"]),
    ],
    ["a non-error", "is overloaded"],
  ])("not %s", (_name, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});

describe("the error handler", () => {
  const appThrowing = (error: unknown) => {
    const app = createRouter();
    app.use("*", async (c, next) => {
      c.set("requestId", "req-1");
      await next();
    });
    app.get("/", () => {
      throw error;
    });
    app.onError(handleError);
    return app;
  };

  it("answers overload with 503 and Retry-After, logged as a warning, not a 500", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await appThrowing(
      viaDrizzle(d1Error("D1 DB is overloaded. Too many requests queued.")),
    ).request("/");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({
      status: 503,
      code: "SERVICE_UNAVAILABLE",
      requestId: "req-1",
    });
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it("still answers a bug with 500", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const response = await appThrowing(new TypeError("boom")).request("/");
    expect(response.status).toBe(500);
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});
