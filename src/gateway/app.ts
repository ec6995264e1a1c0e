import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { ordersRoutes } from "../modules/orders";
import { productsRoutes } from "../modules/products";
import { adminRoutes, authRoutes, usersRoutes } from "../modules/users";
import { handleError, notFoundOrMethodNotAllowed } from "./error-handler";
import { healthRoutes } from "./health.routes";
import { corsFromEnv } from "./middleware/cors.middleware";
import { jsonOnly } from "./middleware/json-only.middleware";
import { noStoreForCredentials } from "./middleware/no-store.middleware";
import { requestId } from "./middleware/request-id.middleware";
import { requestLog } from "./middleware/request-log.middleware";
import { mountApiDocs } from "./openapi";
import { HttpProblem } from "./problem";
import { createRouter } from "./router";

export const BODY_LIMIT_BYTES = 64 * 1024;

/** The gateway: cross-cutting middleware, then every module's router under /api/<module>. */
export function createApp() {
  const app = createRouter();
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
  app.route("/api/users", usersRoutes);
  app.route("/api/auth", authRoutes);
  app.route("/api/admin", adminRoutes);
  app.route("/api/products", productsRoutes);
  app.route("/api/orders", ordersRoutes);
  mountApiDocs(app);

  app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
  app.onError(handleError);
  return app;
}
