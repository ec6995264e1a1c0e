// The users service (ADR 0039): accounts, sessions and personal data, in a Worker of its own with
// its own D1 database and the secrets (JWT_SECRET, PII_MASTER_KEY, ADMIN_BOOTSTRAP_TOKEN). The
// gateway forwards /api/users, /api/auth and /api/admin to it, and asks it who each caller of the
// other services is; a customer's orders for an export come from the orders service.
import { primarySession } from "../../src/db/d1-session";
import { EventLogObject } from "../../src/eventlog/event-log.do";
import { callService } from "../../src/gateway/dependency-unavailable";
import { createServiceApp } from "../../src/gateway/service-app";
import {
  authenticateCaller,
  buildAdminRoutes,
  buildAuthRoutes,
  buildUsersRoutes,
  purgeEndedSessionsJob,
  userAggregate,
  usersAuthenticator,
  usersSecretProbes,
} from "../../src/modules/users";
import type { UsersEnv, UsersRpc } from "../contracts";
import { ServiceEntrypoint, serviceWorker } from "../service-worker";

export { StreamRegistry } from "../../src/eventlog/stream-registry.do";

/** The user logs, and only them. */
export class EventLog extends EventLogObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, { [userAggregate.type]: userAggregate });
  }
}

const app = createServiceApp(
  [
    [
      "/api/users",
      () =>
        buildUsersRoutes((env, _d1, customerId) =>
          callService("orders", () => (env as UsersEnv).ORDERS.customerOrders(customerId)),
        ),
    ],
    ["/api/auth", buildAuthRoutes],
    ["/api/admin", buildAdminRoutes],
  ],
  { authenticator: usersAuthenticator },
);

export class UsersService extends ServiceEntrypoint implements UsersRpc {
  protected readonly app = app;
  protected override readonly secretProbes = usersSecretProbes;

  authenticate(authorization: string | undefined, requestId: string) {
    return authenticateCaller(this.env, primarySession(this.env.DB), authorization, requestId);
  }
}

export default serviceWorker([purgeEndedSessionsJob]);
