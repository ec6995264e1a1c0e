// The services shape's gateway (ADR 0039): every cross-cutting concern (request ids, logs,
// metrics, errors, CORS, limits, authentication, OpenAPI, /docs, health), then each module's
// prefix handed to the Worker that runs it, over a service binding with RPC. It holds no data.
import { type Authenticator, createGateway, type MountedRouters } from "../../src/gateway/app";
import { callService } from "../../src/gateway/dependency-unavailable";
import { forwardingRouter, type RequestHandlingService } from "../../src/gateway/forwarding";
import { buildHealthRoutes, type Check, probed } from "../../src/gateway/health.routes";
import type { GatewayEnv, ServiceRpc } from "../contracts";

const SERVICES = {
  users: (env: Env) => (env as GatewayEnv).USERS,
  products: (env: Env) => (env as GatewayEnv).PRODUCTS,
  orders: (env: Env) => (env as GatewayEnv).ORDERS,
} satisfies Record<string, (env: Env) => ServiceRpc>;

/** Who the caller is: the users service reads their account at its primary. */
const askUsers: Authenticator = (c) =>
  callService("users", () =>
    SERVICES.users(c.env).authenticate(c.req.header("authorization"), c.get("requestId")),
  );

/** A service's checks, each named `<service>.<check>`; one `<service>` check if it did not answer. */
async function checksOf(name: string, service: ServiceRpc): Promise<[string, Check][]> {
  const [check, checks] = await probed(name, () => service.ready());
  if (checks === undefined) return [[name, check]];
  return Object.entries(checks).map(([own, result]) => [`${name}.${own}`, result]);
}

/**
 * Every service's own checks, and the documented names (`d1`, `eventLog`, `jwtSecret`,
 * `piiMasterKey`) as in the monolith: each fails when it fails in any service, with the slowest
 * latency.
 */
async function servicesReadiness(env: Env): Promise<Record<string, Check>> {
  const checks = (
    await Promise.all(Object.entries(SERVICES).map(([name, of]) => checksOf(name, of(env))))
  ).flat();
  const overall: Record<string, Check> = {};
  for (const [qualified, check] of checks) {
    const dot = qualified.indexOf(".");
    if (dot < 0) continue;
    const name = qualified.slice(dot + 1);
    const seen = overall[name];
    overall[name] = {
      status: seen?.status === "fail" || check.status === "fail" ? "fail" : "ok",
      durationMs: Math.max(seen?.durationMs ?? 0, check.durationMs),
    };
  }
  return { ...overall, ...Object.fromEntries(checks) };
}

const forwardTo = (
  name: keyof typeof SERVICES,
  authenticateFirst: boolean,
): (() => ReturnType<typeof forwardingRouter>) => {
  const service: (env: Env) => RequestHandlingService = SERVICES[name];
  return () => forwardingRouter({ name, service, authenticateFirst });
};

const ROUTERS: MountedRouters = [
  ["/health", () => buildHealthRoutes((c) => servicesReadiness(c.env))],
  // The users service answers who the caller is itself, in process.
  ["/api/users", forwardTo("users", false)],
  ["/api/auth", forwardTo("users", false)],
  ["/api/admin", forwardTo("users", false)],
  ["/api/products", forwardTo("products", true)],
  ["/api/orders", forwardTo("orders", true)],
];

const app = createGateway(ROUTERS, { authenticator: askUsers, holdsData: false });

export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
