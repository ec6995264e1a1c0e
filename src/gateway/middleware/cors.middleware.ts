import { cors } from "hono/cors";

const originsOf = (env: Env): string[] =>
  (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);

/** CORS for the origins listed in `CORS_ORIGINS`; with none listed, no origin is allowed. */
export const corsFromEnv = () =>
  cors({
    origin: (origin, c) => (originsOf(c.env as Env).includes(origin) ? origin : null),
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: [
      "authorization",
      "content-type",
      "idempotency-key",
      "if-match",
      "if-none-match",
      "x-request-id",
    ],
    exposeHeaders: ["etag", "idempotent-replayed", "location", "retry-after", "x-request-id"],
    maxAge: 600,
  });
