import type { Context } from "hono";
import { loggableError } from "../kernel/loggable-error";
import type { AppEnv, Authentication } from "./app-env";
import { callService } from "./dependency-unavailable";
import { answerWithComposite, offeredBookmarks, requestForService } from "./forwarded-bookmarks";
import { createRouter } from "./router";
import { isUnavailable, UNAVAILABLE_RETRY_AFTER_SECONDS } from "./unavailability";

// The services shape (ADR 0039): the gateway hands each request under a module's prefix to the
// Worker that runs that module, over a service binding with RPC, never over public HTTP. The
// service answers as the monolith would; the gateway's middleware (request id, logs, metrics,
// CORS, security headers, limits) wraps that answer as it wraps its own.

/**
 * The header a service's answer names its matched route in (`/api/products/:id`), for the
 * gateway's request log and metrics; the gateway takes it off before answering the client.
 */
export const SERVICE_ROUTE_HEADER = "x-service-route";

/** What the gateway tells a service of a request besides the request itself. */
export interface ForwardedRequest {
  readonly requestId: string;
  /**
   * Asks who the caller is, when the request sent an `Authorization` header to a service that does
   * not answer that itself: a function the service calls back over RPC, only from a route that
   * needs the caller and after the route's own limits, as the monolith asks (ADR 0039).
   */
  readonly authenticate?: () => Promise<Authentication>;
}

/** The RPC method every service's entrypoint has for the requests the gateway forwards. */
export interface RequestHandlingService {
  handle(request: Request, forwarded: ForwardedRequest): Promise<Response>;
}

export interface ForwardingOptions {
  /** The service's name, for errors and logs. */
  readonly name: string;
  /** The binding that reaches it. */
  readonly service: (env: Env) => RequestHandlingService;
  /**
   * Whether the service may ask the gateway who the caller is: for services that do not run
   * authentication themselves (all but the users service, which answers it in process).
   */
  readonly answersWhoCalls: boolean;
}

/** The answer for a route that needs the caller while the users service does not answer. */
const USERS_UNAVAILABLE: Authentication = {
  ok: false,
  problem: {
    status: 503,
    code: "SERVICE_UNAVAILABLE",
    detail: "A dependency is overloaded or briefly unavailable; retry after a few seconds.",
  },
  headers: { "retry-after": String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
};

/**
 * Who the caller is, asked when the service calls back: a users service that does not answer
 * fails only the routes that need the caller (a 503), so public reads that carry a token work.
 */
const whoCalls = (c: Context<AppEnv>) => async (): Promise<Authentication> => {
  try {
    return await c.var.authenticator(c);
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    console.warn(
      JSON.stringify({
        level: "warn",
        message: "a dependency is overloaded or unavailable",
        requestId: c.get("requestId"),
        ...loggableError(error),
      }),
    );
    return USERS_UNAVAILABLE;
  }
};

/** A router that hands every request under its prefix to one service. */
export function forwardingRouter({ name, service, answersWhoCalls }: ForwardingOptions) {
  const router = createRouter();
  router.all("*", async (c) => {
    // Before anything runs, as the monolith's D1 session middleware checks it (ADR 0041).
    const bookmarks = offeredBookmarks(c);
    const asks = !answersWhoCalls && c.req.header("authorization") !== undefined;
    const forwarded: ForwardedRequest = {
      requestId: c.get("requestId"),
      ...(asks ? { authenticate: whoCalls(c) } : {}),
    };
    const request = requestForService(c.req.raw, bookmarks, name);
    const answer = await callService(name, () => service(c.env).handle(request, forwarded));
    // A copy: the gateway's middleware sets headers on it, and an RPC answer's are immutable.
    const response = new Response(answer.body, answer);
    const route = response.headers.get(SERVICE_ROUTE_HEADER);
    if (route !== null) {
      c.set("route", route);
      response.headers.delete(SERVICE_ROUTE_HEADER);
    }
    answerWithComposite(response, bookmarks, name);
    return response;
  });
  return router;
}
