import type { Context } from "hono";
import { routePath } from "hono/route";
import { recordRequest } from "../../metrics/metrics";
import type { AppEnv } from "../app-env";

/**
 * One structured JSON line (for Workers Logs) and one metrics data point for a finished request,
 * which started at `started` (`performance.now()`).
 */
export function logRequest(c: Context<AppEnv>, started: number, status: number): void {
  const route = c.get("route") ?? routePath(c);
  // Workers timers only advance across I/O, so this is coarse by design.
  const durationMs = Math.round(performance.now() - started);
  const method = c.req.method;
  console.log(
    JSON.stringify({
      level: status >= 500 ? "error" : "info",
      message: "request",
      requestId: c.get("requestId"),
      method,
      route,
      path: c.req.path,
      status,
      durationMs,
    }),
  );
  const cf = c.req.raw.cf as IncomingRequestCfProperties | undefined;
  recordRequest(c, { route, method, status, durationMs, colo: cf?.colo, country: cf?.country });
}
