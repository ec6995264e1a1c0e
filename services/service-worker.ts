// What the three services' Workers share (ADR 0039): the entrypoint methods the gateway calls,
// and a Worker that serves nothing over HTTP and runs the event log's upkeep beside its own jobs.
import { WorkerEntrypoint } from "cloudflare:workers";
import { primarySession } from "../src/db/d1-session";
import type { ForwardedRequest } from "../src/gateway/forwarding";
import { type Probe, runProbes, storageProbes } from "../src/gateway/health.routes";
import type { createServiceApp } from "../src/gateway/service-app";
import { healReadModelsJob } from "../src/maintenance/heal-read-models.job";
import { listStreamsFromD1Job } from "../src/maintenance/list-streams-from-d1.job";
import { type MaintenanceJob, runMaintenance } from "../src/maintenance/scheduled";
import type { ServiceRpc } from "./contracts";

/**
 * A service's entrypoint: the requests the gateway forwards, answered by the service's app, and
 * its readiness (its D1 database, its event log, and `secretProbes`). Subclasses add their RPC.
 */
export abstract class ServiceEntrypoint extends WorkerEntrypoint<Env> implements ServiceRpc {
  // Instance fields, not methods: RPC reaches only the prototype's methods.
  protected abstract readonly app: ReturnType<typeof createServiceApp>;
  /** Probes beyond the D1 database and the event log: the secrets the service reads. */
  protected readonly secretProbes?: (env: Env) => Record<string, Probe>;

  handle(request: Request, forwarded: ForwardedRequest): Promise<Response> {
    return this.app.handle(request, forwarded, this.env, this.ctx);
  }

  ready() {
    return runProbes({
      ...storageProbes(this.env, primarySession(this.env.DB)),
      ...this.secretProbes?.(this.env),
    });
  }
}

/**
 * A service Worker's default export: only other Workers reach it, over RPC, so it serves nothing
 * over HTTP; its cron heals its D1 from its logs and runs `jobs`, its module's own upkeep.
 */
export const serviceWorker = (jobs: readonly MaintenanceJob[] = []) =>
  ({
    fetch: () => new Response(null, { status: 404 }),
    scheduled: (_controller, env) =>
      runMaintenance(env, [healReadModelsJob, listStreamsFromD1Job, ...jobs]),
  }) satisfies ExportedHandler<Env>;
