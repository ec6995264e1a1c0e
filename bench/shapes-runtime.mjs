// Both shapes of the API in one workerd, through Miniflare's Node API (as bench/runtime.mjs):
// - the monolith's deploy bundle, twice: `monolith` as built, and `monolith-latency` behind
//   bench/instrumented-api.worker.js, whose D1 waits before each call and records it;
// - the services shape's four deploy bundles (services/*/wrangler.toml), each behind a bench-only
//   wrapper that records every RPC call it makes to another Worker (bench/counted-rpc.js). The
//   gateway reaches the three services through its service bindings, as deployed; each service
//   has its own D1, migrated from its own migrations, and its own Durable Objects. Then the same
//   four again, named with LATENCY_SUFFIX, whose D1 waits `latencyMs` before each call and
//   records it (bench/delayed-d1.js).
// Every Worker the bench talks to has a socket of its own; the services' sockets only answer
// /__bench/rpc-calls (their own fetch answers 404, as deployed).
import { join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { buildDeployBundle, DEPLOY_ENV } from "../scripts/build-bundle.mjs";
import { SERVICES } from "../scripts/lib/services.mjs";
import { directSocket, esModule, migrateLocalD1 } from "./runtime.mjs";

const BENCH_DIR = import.meta.dirname;

/** The RPC entrypoint class each service's entry file exports; the gateway has none. */
const ENTRYPOINTS = { users: "UsersService", products: "ProductsService", orders: "OrdersService" };

/** The Worker's name, as its wrangler.toml and the service bindings name it. */
export const workerName = (service) => `edge-commerce-${service}`;

/** After a Worker's name: the same Worker with D1 `latencyMs` away. */
export const LATENCY_SUFFIX = "-latency";

/**
 * The bench-only main module of a services-shape Worker: the deploy bundle (./index.js) with its
 * entrypoint, its EventLog and its fetch handed an env whose service bindings count each call and
 * whose D1 waits BENCH_D1_LATENCY_MS before each call (none: as it is), and routes that hand the
 * recorded calls over. An object's calls made in its alarm are its alarm's, no request's.
 */
function countingWrapper({ entrypoint, serviceBindings, eventLog }) {
  const entrypointClass = `export class ${entrypoint} extends bundle.${entrypoint} {
  constructor(ctx, env) {
    super(ctx, workerEnv(env));
  }
}
`;
  const eventLogClass = `export class EventLog extends bundle.EventLog {
  constructor(ctx, env) {
    const alarms = { running: 0 };
    super(ctx, benchEnv(env, () => (alarms.running > 0 ? "alarm" : "object")));
    this.benchAlarms = alarms;
  }

  async alarm(...args) {
    this.benchAlarms.running++;
    try {
      return await super.alarm(...args);
    } finally {
      this.benchAlarms.running--;
    }
  }
}
`;
  return `import app, * as bundle from "./index.js";
import { countedEnv, recordRequest, takeRpcCalls } from "./counted-rpc.js";
import { delayedD1, takeD1Calls } from "./delayed-d1.js";

export * from "./index.js";

const BINDINGS = ${JSON.stringify(serviceBindings)};

function benchEnv(env, source) {
  const wrapped = countedEnv(env, BINDINGS, source);
  const latency = Number(env.BENCH_D1_LATENCY_MS ?? 0);
  if (latency > 0 && env.DB) wrapped.DB = delayedD1(env.DB, latency, source);
  return wrapped;
}

const workerEnvs = new WeakMap();
function workerEnv(env) {
  let wrapped = workerEnvs.get(env);
  if (!wrapped) {
    wrapped = benchEnv(env, () => "worker");
    workerEnvs.set(env, wrapped);
  }
  return wrapped;
}

${entrypoint ? entrypointClass : ""}
${eventLog ? eventLogClass : ""}
export default {
  ...app,
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/rpc-calls") return Response.json(takeRpcCalls());
    if (pathname === "/__bench/d1-calls") return Response.json({ calls: takeD1Calls() });
    return recordRequest(request, () => app.fetch(request, workerEnv(env), ctx));
  },
};
`;
}

/** Builds the monolith's deploy bundle and each service's, under `work`. */
export function buildShapes(work) {
  return {
    monolith: buildDeployBundle(join(work, "bundle-monolith")),
    services: SERVICES.map((service) => ({
      ...service,
      bundle: buildDeployBundle(join(work, `bundle-${service.name}`), ["--config", service.config]),
    })),
  };
}

/**
 * Migrates the monolith's D1 and each service's into `stateDir`. Locally a database is kept by its
 * id, and production's configs name theirs without one (every one would be "DB"): the services'
 * databases are the top-level configs', each with a placeholder id of its own.
 */
export function migrateShapes(stateDir) {
  migrateLocalD1(stateDir);
  for (const service of SERVICES.filter((each) => each.database)) {
    migrateLocalD1(stateDir, { config: service.config, env: null });
  }
}

const bundleDirOf = (bundle) => join(bundle[0].path, "..");

/** Bench modules copied beside a bundle's index.js, so that they import it as "./index.js". */
const besideBundle = (bundle, names) =>
  names.map((name) => ({
    ...esModule(join(BENCH_DIR, name)),
    path: join(bundleDirOf(bundle), name),
  }));

function monolithWorkers(bundle, { latencyMs, bindings }) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml", DEPLOY_ENV);
  const bundleModules = bundle.map((module) => esModule(module.path, module.contents));
  const worker = (name, modules, extra) => ({
    ...workerOptions,
    name,
    modules,
    modulesRoot: bundleDirOf(bundle),
    bindings: { ...workerOptions.bindings, ...bindings, ...extra },
    unsafeDirectSockets: directSocket,
  });
  const instrumented = besideBundle(bundle, [
    "instrumented-api.worker.js",
    "delayed-d1.js",
    "timed-rpc.js",
  ]);
  return [
    worker("monolith", bundleModules, {}),
    worker("monolith-latency", [...instrumented, ...bundleModules], {
      BENCH_D1_LATENCY_MS: String(latencyMs),
    }),
  ];
}

/**
 * A services-shape Worker, named with `suffix` after its deployed name; its service bindings
 * reach the Workers of the same suffix.
 */
function serviceWorker(service, { bindings, suffix, latencyMs }) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(service.config, DEPLOY_ENV);
  // Its own local database, as migrateShapes() migrated it (production's id is "DB" for all).
  const { d1Databases } = unstable_getMiniflareWorkerOptions(service.config).workerOptions;
  const serviceBindings = Object.fromEntries(
    Object.entries(workerOptions.serviceBindings ?? {}).map(([binding, target]) => [
      binding,
      { ...target, name: `${target.name}${suffix}` },
    ]),
  );
  const bundleDir = bundleDirOf(service.bundle);
  const wrapper = {
    type: "ESModule",
    path: join(bundleDir, "bench-counting-wrapper.js"),
    contents: countingWrapper({
      entrypoint: ENTRYPOINTS[service.name],
      serviceBindings: Object.keys(serviceBindings),
      eventLog: service.database,
    }),
  };
  return {
    ...workerOptions,
    name: `${workerName(service.name)}${suffix}`,
    modules: [
      wrapper,
      ...besideBundle(service.bundle, ["counted-rpc.js", "delayed-d1.js"]),
      ...service.bundle.map((module) => esModule(module.path, module.contents)),
    ],
    modulesRoot: bundleDir,
    d1Databases,
    serviceBindings,
    bindings: {
      ...workerOptions.bindings,
      ...bindings,
      BENCH_D1_LATENCY_MS: String(latencyMs),
    },
    unsafeDirectSockets: directSocket,
  };
}

/**
 * Starts both shapes on the D1s migrated under `stateDir`. `bindings` go to every Worker (the
 * secrets, the bench's settings). Returns each Worker's base URL by name, the errors logged, and
 * `dispose()`.
 */
export async function startShapes({ bundles, stateDir, latencyMs, bindings }) {
  const errors = [];
  const workers = [
    ...monolithWorkers(bundles.monolith, { latencyMs, bindings }),
    ...bundles.services.map((service) =>
      serviceWorker(service, { bindings, suffix: "", latencyMs: 0 }),
    ),
    // The same four again with D1 latencyMs away, on the same databases (objects of their own).
    ...bundles.services.map((service) =>
      serviceWorker(service, { bindings, suffix: LATENCY_SUFFIX, latencyMs }),
    ),
  ];
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      log: new Log(LogLevel.WARN),
      resourcePersistencePath: join(stateDir, "v3"),
      handleStructuredLogs: ({ level, message }) => {
        if (level === "error") errors.push(message);
      },
      workers,
    }),
  );
  await mf.ready;
  const urls = {};
  for (const { name } of workers) urls[name] = (await mf.unsafeGetDirectURL(name)).origin;
  return { urls, errors, dispose: () => mf.dispose() };
}
