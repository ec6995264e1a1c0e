import type { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { H, RouterRoute } from "hono/types";
import type { AppEnv, Authenticator } from "./app-env";

export type { Authenticator };

import { handleError, notFoundOrMethodNotAllowed } from "./error-handler";
import { bookmarkHeaderChecked } from "./forwarded-bookmarks";
import { LazyMountRouter } from "./lazy-mount-router";
import { d1Sessions } from "./middleware/d1-session.middleware";
import { jsonOnly } from "./middleware/json-only.middleware";
import { responseEnvelope } from "./middleware/response-envelope.middleware";
import { mountApiDocs } from "./openapi";
import { HttpProblem } from "./problem";
import { createRouter } from "./router";

export const BODY_LIMIT_BYTES = 64 * 1024;

/** Routers under their prefixes, in mounting order; the entry file chooses them (ADR 0038). */
export type MountedRouters = readonly [prefix: string, build: () => OpenAPIHono<AppEnv>][];

export interface AppOptions {
  /** Who a request's caller is: the users module's answer, in process or over RPC (ADR 0039). */
  authenticator: Authenticator;
  /**
   * When the health probes' router and each module's are built: on the first request under its
   * prefix (the default, so that start-up builds none: ADR 0032), or now, for the OpenAPI
   * document, which needs every route registered.
   */
  routers?: "on-first-request" | "now";
  /**
   * Whether this Worker holds the data (the monolith, the default): then each request gets a D1
   * session. The services shape's gateway holds none; each service opens its own (ADR 0039).
   */
  holdsData?: boolean;
}

/** The gateway: cross-cutting middleware, then the given routers (each module's, the probes). */
export function createGateway(
  mounted: MountedRouters,
  { authenticator, routers = "on-first-request", holdsData = true }: AppOptions,
) {
  const router = routers === "now" ? undefined : new LazyMountRouter<[H, RouterRoute]>();
  const app = createRouter(router ? { router } : {});
  app.use("*", responseEnvelope());
  // Where D1 is read or written (liveness and the docs never do, and ignore the header).
  if (holdsData) {
    app.use("/api/*", d1Sessions());
    app.use("/health/ready", d1Sessions());
  } else {
    // Each service's database has its own bookmark in the header (ADR 0041): checked here
    // where the monolith checks it, and split by the forwarders.
    app.use("/api/*", bookmarkHeaderChecked());
    app.use("/health/ready", bookmarkHeaderChecked());
  }
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      onError: () => {
        throw new HttpProblem({
          status: 413,
          detail: `Request bodies are limited to ${BODY_LIMIT_BYTES} bytes.`,
        });
      },
    }),
    jsonOnly(),
    createMiddleware<AppEnv>((c, next) => {
      c.set("authenticator", authenticator);
      return next();
    }),
  );

  for (const [prefix, build] of mounted) {
    if (router) router.mountLazily(prefix, () => app.route(prefix, build()));
    else app.route(prefix, build());
  }
  mountApiDocs(app);

  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
  app.onError(handleError);
  return app;
}
