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

/**
 * The checks each service's `ready()` runs (services/<name>/index.ts), so that one that does not
 * answer fails each of them, and the documented names with them.
 */
const CHECKS_OF: Record<keyof typeof SERVICES, readonly string[]> = {
  users: ["d1", "eventLog", "jwtSecret", "piiMasterKey"],
  products: ["d1", "eventLog"],
  orders: ["d1", "eventLog"],
};

/** A service's checks, each named `<service>.<check>`. */
async function checksOf(name: keyof typeof SERVICES, env: Env): Promise<[string, Check][]> {
  const [check, checks] = await probed(name, () => SERVICES[name](env).ready());
  const named = checks ?? Object.fromEntries(CHECKS_OF[name].map((own) => [own, check]));
  return Object.entries(named).map(([own, result]) => [`${name}.${own}`, result]);
}

/**
 * Every service's own checks, and the documented names (`d1`, `eventLog`, `jwtSecret`,
 * `piiMasterKey`) as in the monolith: each fails when it fails in any service, with the slowest
 * latency.
 */
async function servicesReadiness(env: Env): Promise<Record<string, Check>> {
  const checks = (
    await Promise.all(
      (Object.keys(SERVICES) as (keyof typeof SERVICES)[]).map((name) => checksOf(name, env)),
    )
  ).flat();
  const overall: Record<string, Check> = {};
  for (const [qualified, check] of checks) {
    const name = qualified.slice(qualified.indexOf(".") + 1);
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
  answersWhoCalls: boolean,
): (() => ReturnType<typeof forwardingRouter>) => {
  const service: (env: Env) => RequestHandlingService = SERVICES[name];
  return () => forwardingRouter({ name, service, answersWhoCalls });
};

const ROUTERS: MountedRouters = [
  ["/health", () => buildHealthRoutes((c) => servicesReadiness(c.env))],
  // The users service answers who the caller is itself, in process; the others ask the gateway.
  ["/api/users", forwardTo("users", true)],
  ["/api/auth", forwardTo("users", true)],
  ["/api/admin", forwardTo("users", true)],
  ["/api/products", forwardTo("products", false)],
  ["/api/orders", forwardTo("orders", false)],
];

const app = createGateway(ROUTERS, { authenticator: askUsers, holdsData: false });

export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
