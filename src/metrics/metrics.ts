import type { Context } from "hono";
import { routePath } from "hono/route";
import type { RecordedEvent } from "../kernel/events";

// Data points of the METRICS Analytics Engine dataset. blob1 names the kind of point; the
// layout of each kind, and the SQL that reads it, are in docs/operations.md.

/** What the gateway knows of a finished request. */
export interface RequestMeasurement {
  /** The matched route pattern (`/api/users/:id`), never the raw path. */
  readonly route: string;
  readonly method: string;
  readonly status: number;
  readonly durationMs: number;
  /** Cloudflare's data centre and the client's country, when the request came through it. */
  readonly colo?: string | undefined;
  readonly country?: string | undefined;
}

export type SecurityOutcome = "login_failed" | "rate_limited" | "server_error";

/** blobs: kind, route, method, status, status class, colo, country; doubles: status, ms. */
const requestPoint = (request: RequestMeasurement): AnalyticsEngineDataPoint => ({
  indexes: [request.route],
  blobs: [
    "request",
    request.route,
    request.method,
    String(request.status),
    `${Math.floor(request.status / 100)}xx`,
    request.colo ?? "",
    request.country ?? "",
  ],
  doubles: [request.status, request.durationMs],
});

/** blobs: kind, event type, aggregate type; doubles: 1 (an event). */
const eventPoint = (aggregateType: string, eventType: string): AnalyticsEngineDataPoint => ({
  indexes: [aggregateType],
  blobs: ["event", eventType, aggregateType],
  doubles: [1],
});

/** blobs: kind, outcome, route, problem code; doubles: status. */
const securityPoint = (
  outcome: SecurityOutcome,
  route: string,
  status: number,
  code = "",
): AnalyticsEngineDataPoint => ({
  indexes: [outcome],
  blobs: ["security", outcome, route, code],
  doubles: [status],
});

/** Writes points; a metrics failure is logged and never fails the request that caused it. */
function write(dataset: AnalyticsEngineDataset | undefined, points: AnalyticsEngineDataPoint[]) {
  try {
    for (const point of points) dataset?.writeDataPoint(point);
  } catch (error) {
    console.error(
      JSON.stringify({ level: "error", message: "metrics write failed", error: `${error}` }),
    );
  }
}

/**
 * Writes the request's points. `writeDataPoint` returns at once (the runtime sends the points
 * after the response), so nothing waits on it and nothing needs `waitUntil` (ADR 0042).
 */
const writeFor = (c: Context, points: AnalyticsEngineDataPoint[]): void =>
  write((c.env as Env | undefined)?.METRICS, points);

/** Whether a finished request is also a security outcome: a rate-limit hit or a 5xx. */
const outcomeOfStatus = (status: number): SecurityOutcome | undefined =>
  status === 429 ? "rate_limited" : status >= 500 ? "server_error" : undefined;

/** One request point per request, plus a security point when its status is one. */
export function recordRequest(c: Context, request: RequestMeasurement): void {
  const outcome = outcomeOfStatus(request.status);
  writeFor(c, [
    requestPoint(request),
    ...(outcome ? [securityPoint(outcome, request.route, request.status)] : []),
  ]);
}

/** A security outcome that only the handler knows of, e.g. a failed login. */
export function recordSecurityOutcome(
  c: Context,
  outcome: SecurityOutcome,
  status: number,
  code?: string,
): void {
  writeFor(c, [securityPoint(outcome, routePath(c), status, code)]);
}

/** One point per event a command appended. */
export function recordEvents(
  dataset: AnalyticsEngineDataset | undefined,
  aggregateType: string,
  events: readonly RecordedEvent[],
): void {
  write(
    dataset,
    events.map((event) => eventPoint(aggregateType, event.type)),
  );
}
