import { cors } from "hono/cors";

const originsOf = (env: Env): string[] =>
  (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);

/**
 * CORS for the origins listed in `CORS_ORIGINS`; with none listed, no origin is allowed. Only a
 * request with an `Origin` (a browser's, cross-origin) needs it: the response envelope calls it
 * for those alone, since it sets its headers before the handler runs and so makes every response
 * be copied once more.
 */
export const corsForOrigins = cors({
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
