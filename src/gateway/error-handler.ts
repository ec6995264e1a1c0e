import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { loggableError } from "../kernel/loggable-error";
import type { AppEnv } from "./app-env";
import { rejectedBookmark } from "./middleware/d1-session.middleware";
import {
  DomainFailure,
  domainProblem,
  HttpProblem,
  noResourceAt,
  PROBLEM_CONTENT_TYPE,
  type ProblemInput,
  problemBody,
} from "./problem";
import { isUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "./unavailability";

/** Renders an RFC 9457 problem document that names the request's path and id. */
export function problemResponse(
  c: Context<AppEnv>,
  problem: ProblemInput,
  headers: Record<string, string> = {},
): Response {
  const { status } = problem;
  const body = problemBody(problem, { instance: c.req.path, requestId: c.get("requestId") });
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      // RFC 9110: a 401 names the scheme that would succeed.
      ...(status === 401 ? { "www-authenticate": 'Bearer realm="api"' } : {}),
      ...headers,
      "content-type": PROBLEM_CONTENT_TYPE,
    },
  });
}

/** The single error handler: every error becomes an RFC 9457 problem document. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof DomainFailure) {
    return problemResponse(c, domainProblem(error.error));
  }
  if (error instanceof HttpProblem) {
    return problemResponse(c, error.problem, error.headers);
  }
  if (error instanceof HTTPException && error.status < 500) {
    // Hono's own client errors, e.g. a body that is not valid JSON.
    return problemResponse(c, { status: error.status, detail: error.message });
  }
  const bookmarkProblem = rejectedBookmark(error, c);
  if (bookmarkProblem) return problemResponse(c, bookmarkProblem);
  if (isUnavailable(error)) {
    // Overload is not a bug: logged as a warning, and the client is told when to retry.
    console.warn(
      JSON.stringify({
        level: "warn",
        message: "a dependency is overloaded or unavailable",
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        ...loggableError(error),
      }),
    );
    return problemResponse(
      c,
      {
        status: 503,
        code: "SERVICE_UNAVAILABLE",
        detail: "A dependency is overloaded or briefly unavailable; retry after a few seconds.",
      },
      { "retry-after": String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    );
  }
  console.error(
    JSON.stringify({
      level: "error",
      message: "unhandled error",
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      // Never the message: a failed query's message carries its bound values.
      ...loggableError(error),
    }),
  );
  return problemResponse(c, {
    status: 500,
    detail: "Something went wrong on our side. Quote the request id if you report it.",
  });
};

type RouteLike = { method: string; path: string };

const toPattern = (path: string): RegExp =>
  new RegExp(
    `^${path
      .split("/")
      .map((part) =>
        part.startsWith(":")
          ? "[^/]+"
          : part === "*"
            ? ".*"
            : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
      )
      .join("/")}$`,
  );

/**
 * 404 for an unknown path, 405 with `Allow` for a known path asked with another method. The
 * route table is read on first use, and read again when routes have been added since: a module's
 * routes are added by the first request under its prefix (ADR 0032), which is always before that
 * request can reach this handler, so the table holds every route that can match its path.
 */
export function notFoundOrMethodNotAllowed(
  routes: () => readonly RouteLike[],
): NotFoundHandler<AppEnv> {
  let table: { pattern: RegExp; method: string }[] = [];
  let tableOf = -1;
  return (c) => {
    const current = routes();
    if (current.length !== tableOf) {
      table = current
        .filter((route) => route.method !== "ALL")
        .map((route) => ({ pattern: toPattern(route.path), method: route.method }));
      tableOf = current.length;
    }
    const path = c.req.path;
    const allowed = new Set(table.filter((route) => route.pattern.test(path)).map((r) => r.method));
    if (allowed.size === 0) {
      return problemResponse(c, noResourceAt(path));
    }
    if (allowed.has("GET")) allowed.add("HEAD");
    const allow = [...allowed].sort().join(", ");
    return problemResponse(
      c,
      { status: 405, detail: `${c.req.method} is not allowed here; use ${allow}.` },
      { allow },
    );
  };
}
