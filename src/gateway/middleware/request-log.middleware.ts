import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppEnv } from "../app-env";

/** One structured JSON line per request, for Workers Logs to index. */
export const requestLog = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    console.log(
      JSON.stringify({
        level: status >= 500 ? "error" : "info",
        message: "request",
        requestId: c.get("requestId"),
        method: c.req.method,
        route: routePath(c),
        path: new URL(c.req.url).pathname,
        status,
        // Workers timers only advance across I/O, so this is coarse by design.
        durationMs: Math.round(performance.now() - started),
      }),
    );
  });
