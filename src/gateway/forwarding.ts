import type { Context } from "hono";
import type { AppEnv, Authentication } from "./app-env";
import { callService } from "./dependency-unavailable";
import { createRouter } from "./router";

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
  /** Who the caller is, when the request sent an `Authorization` header and the gateway asked. */
  readonly authentication?: Authentication;
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
   * Whether the gateway asks who the caller is before it forwards: for services that do not run
   * authentication themselves (all but the users service, which answers it in process).
   */
  readonly authenticateFirst: boolean;
}

async function authenticationOf(c: Context<AppEnv>, authenticateFirst: boolean) {
  if (!authenticateFirst || c.req.header("authorization") === undefined) return undefined;
  return c.var.authenticator(c);
}

/** A router that hands every request under its prefix to one service. */
export function forwardingRouter({ name, service, authenticateFirst }: ForwardingOptions) {
  const router = createRouter();
  router.all("*", async (c) => {
    const authentication = await authenticationOf(c, authenticateFirst);
    const forwarded: ForwardedRequest = {
      requestId: c.get("requestId"),
      ...(authentication === undefined ? {} : { authentication }),
    };
    const answer = await callService(name, () => service(c.env).handle(c.req.raw, forwarded));
    // A copy: the gateway's middleware sets headers on it, and an RPC answer's are immutable.
    const response = new Response(answer.body, answer);
    const route = response.headers.get(SERVICE_ROUTE_HEADER);
    if (route !== null) {
      c.set("route", route);
      response.headers.delete(SERVICE_ROUTE_HEADER);
    }
    return response;
  });
  return router;
}
