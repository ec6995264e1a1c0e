// The monolith's composition root for HTTP (ADR 0038): which routers the gateway mounts, and
// the ports between modules. It lives beside the entry file, not in the gateway, so that the
// gateway, which every module uses, imports no module.
import { type AppOptions, createGateway, type MountedRouters } from "./gateway/app";
import { buildHealthRoutes, runProbes, storageProbes } from "./gateway/health.routes";
import { buildOrdersRoutes, customerOrders } from "./modules/orders";
import { buildProductsRoutes, catalogCurrencies } from "./modules/products";
import {
  buildAdminRoutes,
  buildAuthRoutes,
  buildUsersRoutes,
  usersAuthenticator,
  usersSecretProbes,
} from "./modules/users";

/** The health probes' router and every module's, under their prefixes, in mounting order. */
const ROUTERS: MountedRouters = [
  [
    "/health",
    () =>
      buildHealthRoutes((c) =>
        runProbes({ ...storageProbes(c.env, c.var.d1), ...usersSecretProbes(c.env) }),
      ),
  ],
  ["/api/users", () => buildUsersRoutes(customerOrders)],
  ["/api/auth", buildAuthRoutes],
  ["/api/admin", buildAdminRoutes],
  ["/api/products", buildProductsRoutes],
  [
    "/api/orders",
    () =>
      buildOrdersRoutes({ catalogCurrencies: (c, ids) => catalogCurrencies(c.var.d1.db(), ids) }),
  ],
];

/** The API: the gateway's middleware, then every module's router under /api/<module>. */
export const createApp = (options?: Pick<AppOptions, "routers">) =>
  createGateway(ROUTERS, { authenticator: usersAuthenticator, ...options });
