import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { corsForOrigins } from "./cors";
import { needsNoStore } from "./no-store";
import { REQUEST_ID_HEADER, requestIdFrom } from "./request-id";
import { logRequest } from "./request-log";
import { API_SECURITY_HEADERS } from "./security-headers";

/**
 * What the gateway does around every request, in one middleware and one pass over the finished
 * response (ADR 0042), so that it also covers the problem documents the error handler renders:
 * - an id (the client's `x-request-id` when sane, else a new UUID), echoed back;
 * - CORS, for a request with an `Origin` (a browser's); the others get `Vary: Origin`, so that a
 *   cache never serves their answer to a browser;
 * - the security headers, and `Cache-Control: no-store` where the response may hold a secret;
 * - one log line and one metrics data point.
 */
export const responseEnvelope = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const headers = c.req.raw.headers;
    const id = requestIdFrom(headers.get(REQUEST_ID_HEADER));
    c.set("requestId", id);
    const fromBrowser = headers.has("origin");
    if (fromBrowser) {
      // A preflight's answer is returned, not set: it becomes the response here.
      const preflight = await corsForOrigins(c, next);
      if (preflight) c.res = preflight;
    } else {
      await next();
    }

    const status = c.res.status;
    const noStore = needsNoStore(c, status);
    withHeaders(c, (response) => {
      for (const [name, value] of API_SECURITY_HEADERS) response.set(name, value);
      if (noStore) response.set("cache-control", "no-store");
      if (!fromBrowser) response.append("Vary", "Origin");
      response.set(REQUEST_ID_HEADER, id);
    });
    logRequest(c, started, status);
  });

/**
 * Sets headers on the response. A response whose headers are immutable (one a handler passed on
 * from another server, or made with `Response.redirect`) is copied first, rather than failing the
 * request after its answer was made.
 */
function withHeaders(c: Context<AppEnv>, set: (headers: Headers) => void): void {
  try {
    set(c.res.headers);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    c.res = new Response(c.res.body, c.res);
    set(c.res.headers);
  }
}
