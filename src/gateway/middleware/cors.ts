import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";

const originsOf = (env: Env): string[] =>
  (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);

const corsForOrigins = cors({
  origin: (origin, c) => (originsOf(c.env as Env).includes(origin) ? origin : null),
  allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
  allowHeaders: [
    "authorization",
    "content-type",
    "idempotency-key",
    "if-match",
    "if-none-match",
    "x-d1-bookmark",
    "x-request-id",
  ],
  exposeHeaders: [
    "etag",
    "idempotent-replayed",
    "location",
    "retry-after",
    "x-d1-bookmark",
    "x-request-id",
  ],
  maxAge: 600,
});

/**
 * CORS for the origins listed in `CORS_ORIGINS`; with none listed, no origin is allowed. Only a
 * request with an `Origin` (a browser's, cross-origin) needs CORS headers. The others (servers,
 * curl, the typed client in Node) skip the middleware, which sets its headers before the
 * handler runs and so makes every response be copied once more; they still get `Vary: Origin`,
 * so a cache never serves their answer to a browser.
 */
export const corsFromEnv = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.header("origin") !== undefined) return corsForOrigins(c, next);
    await next();
    c.res.headers.append("Vary", "Origin");
  });
