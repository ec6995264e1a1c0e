import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { recordRequest } from "../../metrics/metrics";
import type { AppEnv } from "../app-env";

/** One structured JSON line (for Workers Logs) and one metrics data point per request. */
export const requestLog = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const route = c.get("route") ?? routePath(c);
    // Workers timers only advance across I/O, so this is coarse by design.
    const durationMs = Math.round(performance.now() - started);
    console.log(
      JSON.stringify({
        level: status >= 500 ? "error" : "info",
        message: "request",
        requestId: c.get("requestId"),
        method: c.req.method,
        route,
        path: c.req.path,
        status,
        durationMs,
      }),
    );
    const cf = c.req.raw.cf as IncomingRequestCfProperties | undefined;
    recordRequest(c, {
      route,
      method: c.req.method,
      status,
      durationMs,
      colo: cf?.colo,
      country: cf?.country,
    });
  });
