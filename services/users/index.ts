// The users service (ADR 0039): accounts, sessions and personal data, in a Worker of its own with
// its own D1 database and the secrets (JWT_SECRET, PII_MASTER_KEY, ADMIN_BOOTSTRAP_TOKEN). The
// gateway forwards /api/users, /api/auth and /api/admin to it, and asks it who each caller of the
// other services is; a customer's orders for an export come from the orders service.
import { WorkerEntrypoint } from "cloudflare:workers";
import { primarySession } from "../../src/db/d1-session";
import { EventLogObject } from "../../src/eventlog/event-log.do";
import { callService } from "../../src/gateway/dependency-unavailable";
import type { ForwardedRequest } from "../../src/gateway/forwarding";
import { runProbes, storageProbes } from "../../src/gateway/health.routes";
import { createServiceApp } from "../../src/gateway/service-app";
import { healReadModelsJob } from "../../src/maintenance/heal-read-models.job";
import { listStreamsFromD1Job } from "../../src/maintenance/list-streams-from-d1.job";
import { runMaintenance } from "../../src/maintenance/scheduled";
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

export class UsersService extends WorkerEntrypoint<Env> implements UsersRpc {
  handle(request: Request, forwarded: ForwardedRequest): Promise<Response> {
    return app.handle(request, forwarded, this.env, this.ctx);
  }

  ready() {
    return runProbes({
      ...storageProbes(this.env, primarySession(this.env.DB)),
      ...usersSecretProbes(this.env),
    });
  }

  authenticate(authorization: string | undefined, requestId: string) {
    return authenticateCaller(this.env, primarySession(this.env.DB), authorization, requestId);
  }
}

export default {
  // Only the gateway reaches this Worker, over RPC.
  fetch: () => new Response(null, { status: 404 }),
  scheduled: (_controller, env) =>
    runMaintenance(env, [healReadModelsJob, listStreamsFromD1Job, purgeEndedSessionsJob]),
} satisfies ExportedHandler<Env>;
