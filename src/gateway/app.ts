import type { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { H, RouterRoute } from "hono/types";
import { buildOrdersRoutes } from "../modules/orders";
import { buildProductsRoutes } from "../modules/products";
import { buildAdminRoutes, buildAuthRoutes, buildUsersRoutes } from "../modules/users";
import type { AppEnv } from "./app-env";
import { handleError, notFoundOrMethodNotAllowed } from "./error-handler";
import { healthRoutes } from "./health.routes";
import { LazyMountRouter } from "./lazy-mount-router";
import { corsFromEnv } from "./middleware/cors.middleware";
import { jsonOnly } from "./middleware/json-only.middleware";
import { noStoreForCredentials } from "./middleware/no-store.middleware";
import { requestId } from "./middleware/request-id.middleware";
import { requestLog } from "./middleware/request-log.middleware";
import { mountApiDocs } from "./openapi";
import { HttpProblem } from "./problem";
import { createRouter } from "./router";

export const BODY_LIMIT_BYTES = 64 * 1024;

/** Every module's router, under its prefix, in the order they are mounted. */
const MODULE_ROUTES: readonly [prefix: string, build: () => OpenAPIHono<AppEnv>][] = [
  ["/api/users", buildUsersRoutes],
  ["/api/auth", buildAuthRoutes],
  ["/api/admin", buildAdminRoutes],
  ["/api/products", buildProductsRoutes],
  ["/api/orders", buildOrdersRoutes],
];

export interface AppOptions {
  /**
   * When each module's router is built: on the first request under its prefix (the default,
   * so that start-up builds none: ADR 0032), or now, for the OpenAPI document, which needs
   * every route registered.
   */
  modules?: "on-first-request" | "now";
}

/** The gateway: cross-cutting middleware, then every module's router under /api/<module>. */
export function createApp({ modules = "on-first-request" }: AppOptions = {}) {
  const router = modules === "now" ? undefined : new LazyMountRouter<[H, RouterRoute]>();
  const app = createRouter(router ? { router } : {});
  app.use("*", requestId(), requestLog(), noStoreForCredentials(), secureHeaders(), corsFromEnv());
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
  );

  app.route("/", healthRoutes);
  for (const [prefix, build] of MODULE_ROUTES) {
    if (router) router.mountLazily(prefix, () => app.route(prefix, build()));
    else app.route(prefix, build());
  }
  mountApiDocs(app);

  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
  app.onError(handleError);
  return app;
}
