import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { HttpProblem } from "../problem";

/** The Rate Limiting bindings' window; they only offer 10 or 60 seconds. */
const PERIOD_SECONDS = 60;

/**
 * Limits a route per client address with a Workers Rate Limiting binding: 429 with
 * `Retry-After` once the binding says no. `cf-connecting-ip` is set by Cloudflare on every
 * request it serves; without it (local tools) all callers share one bucket.
 */
export const rateLimit = (limiter: (env: Env) => RateLimit, action: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const client = c.req.header("cf-connecting-ip") ?? "unknown";
    const { success } = await limiter(c.env).limit({ key: `${action}:${client}` });
    if (!success) {
      throw new HttpProblem(
        {
          status: 429,
          code: "RATE_LIMITED",
          detail: `Too many ${action} attempts from this address; try again in a minute.`,
        },
        { "retry-after": String(PERIOD_SECONDS) },
      );
    }
    await next();
  });
