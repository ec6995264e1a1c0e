import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { H, RouterRoute } from "hono/types";
import type { MountedRouters } from "./app";
import type { AppEnv, Authenticator } from "./app-env";
import { NO_BEARER_TOKEN } from "./authentication";
import { handleError, notFoundOrMethodNotAllowed } from "./error-handler";
import { type ForwardedRequest, SERVICE_ROUTE_HEADER } from "./forwarding";
import { LazyMountRouter } from "./lazy-mount-router";
import { d1Sessions } from "./middleware/d1-session.middleware";
import { createRouter } from "./router";

// A service Worker's app in the services shape (ADR 0039): its modules' routers, as the
// monolith mounts them, behind what only a Worker that holds data does (the D1 session and its
// bookmark) and the error handler. The gateway did the rest before it forwarded the request.

// What the gateway said of each request this Worker is handling (a request is one object from
// `handle` to the app, so it keys what travelled beside it over RPC).
const forwardedRequests = new WeakMap<Request, ForwardedRequest>();

/**
 * The caller, asked of the gateway (which asks the users service) when a route needs them; no
 * header, no caller. As in the
 * monolith, an authenticated request without a bookmark then reads this service's primary
 * (ADR 0035): the caller's account was read at the users service's.
 */
const forwardedAuthenticator: Authenticator = async (c) => {
  const ask = forwardedRequests.get(c.req.raw)?.authenticate;
  const authentication = ask ? await ask() : NO_BEARER_TOKEN;
  if (authentication.ok) c.var.d1.atPrimary();
  return authentication;
};

export interface ServiceAppOptions {
  /**
   * Who the caller is: the users service answers it in process; the others take what the
   * gateway forwarded (the default).
   */
  readonly authenticator?: Authenticator;
}

/** The app a service Worker runs for the requests the gateway forwards to it. */
export function createServiceApp(mounted: MountedRouters, options: ServiceAppOptions = {}) {
  const authenticator = options.authenticator ?? forwardedAuthenticator;
  const router = new LazyMountRouter<[H, RouterRoute]>();
  const app = createRouter({ router });
  app.use(
    "*",
    createMiddleware<AppEnv>(async (c, next) => {
      c.set("requestId", forwardedRequests.get(c.req.raw)?.requestId ?? crypto.randomUUID());
      c.set("authenticator", authenticator);
      await next();
      c.res.headers.set(SERVICE_ROUTE_HEADER, routePath(c));
    }),
    d1Sessions(),
  );
  for (const [prefix, build] of mounted) {
    router.mountLazily(prefix, () => app.route(prefix, build()));
  }
  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
  app.onError(handleError);

  return {
    /** Answers a request the gateway forwarded, with what it said of it. */
    handle(
      request: Request,
      forwarded: ForwardedRequest,
      env: Env,
      ctx: ExecutionContext,
    ): Promise<Response> {
      forwardedRequests.set(request, forwarded);
      return Promise.resolve(app.fetch(request, env, ctx));
    },
  };
}
