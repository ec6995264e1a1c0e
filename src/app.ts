// The monolith's composition root for HTTP (ADR 0038): which routers the gateway mounts, and
// the ports between modules. It lives beside the entry file, not in the gateway, so that the
// gateway, which every module uses, imports no module.
import { type AppOptions, createGateway, type MountedRouters } from "./gateway/app";
import { buildHealthRoutes } from "./gateway/health.routes";
import { buildOrdersRoutes, customerOrders } from "./modules/orders";
import { buildProductsRoutes } from "./modules/products";
import {
  buildAdminRoutes,
  buildAuthRoutes,
  buildUsersRoutes,
  personalDataKeyProblem,
  readJwtConfig,
} from "./modules/users";

/** The health probes' router and every module's, under their prefixes, in mounting order. */
const ROUTERS: MountedRouters = [
  [
    "/health",
    () =>
      buildHealthRoutes({
        jwtSecret: (env) => {
          const jwt = readJwtConfig(env);
          return jwt.ok ? undefined : jwt.problem;
        },
        piiMasterKey: personalDataKeyProblem,
      }),
  ],
  ["/api/users", () => buildUsersRoutes(customerOrders)],
  ["/api/auth", buildAuthRoutes],
  ["/api/admin", buildAdminRoutes],
  ["/api/products", buildProductsRoutes],
  ["/api/orders", buildOrdersRoutes],
];

/** The API: the gateway's middleware, then every module's router under /api/<module>. */
export const createApp = (options?: AppOptions) => createGateway(ROUTERS, options);
