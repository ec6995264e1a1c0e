// Starts the benchmark's Workers in one workerd through Miniflare's Node API: no `wrangler dev`,
// no dev proxy in front. Each Worker gets its own socket; they share one local D1 (migrated by
// `wrangler d1 migrations apply`), and each has its own Durable Objects with SQLite storage.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { DEPLOY_ENV } from "../scripts/build-bundle.mjs";

const BENCH_DIR = import.meta.dirname;

/**
 * Applies the migrations of `config`'s D1 (the monolith's migrations/ by default) to the local D1
 * kept under `stateDir`, as `npm run dev` does, for `env` (none: the top-level configuration).
 */
export function migrateLocalD1(stateDir, { config = "wrangler.toml", env = DEPLOY_ENV } = {}) {
  const migrate = spawnSync(
    "wrangler",
    [
      ...["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir],
      ...["--config", config, ...(env ? ["--env", env] : [])],
    ],
    {
      encoding: "utf8",
      shell: process.platform === "win32",
      // Non-interactive, so wrangler applies without asking "continue? (Y/n)".
      env: { ...process.env, CI: "true" },
    },
  );
  if (migrate.status !== 0) {
    throw new Error(`D1 migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  }
}

export const esModule = (path, contents = readFileSync(path)) => ({
  type: "ESModule",
  path,
  contents,
});

/** A socket of its own for the Worker, on a free port: reached directly, not through a proxy. */
export const directSocket = [{ host: "127.0.0.1", port: 0 }];

/**
 * Starts the Workers:
 * - `api`: the deploy bundle exactly as built, with the bindings wrangler.toml declares;
 * - `bare`: bench/bare.worker.js, the baseline;
 * - `api-latency` and `api-probe`: the bundle behind bench/instrumented-api.worker.js, with
 *   `latencyMs` of delay on each D1 call and none.
 * Returns the base URL of each, the D1 binding, and `dispose()`; with `inspector`, also the URL
 * of workerd's inspector (for CPU profiles, bench/profile.mjs).
 */
export async function startRuntime({ bundle, stateDir, latencyMs, bindings, inspector = false }) {
  // The bindings wrangler.toml declares for the deployed environment, so new ones arrive here
  // without a change to the bench.
  const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml", DEPLOY_ENV);
  const bundleDir = join(bundle[0].path, "..");
  const bundleModules = bundle.map((module) => esModule(module.path, module.contents));
  const instrumentedModules = [
    esModule(join(BENCH_DIR, "instrumented-api.worker.js")),
    esModule(join(BENCH_DIR, "delayed-d1.js")),
    esModule(join(BENCH_DIR, "timed-rpc.js")),
  ].map((module) => ({ ...module, path: join(bundleDir, module.path.split("/").pop()) }));

  const apiWorker = (name, modules, extraBindings) => ({
    ...workerOptions,
    name,
    modules,
    modulesRoot: bundleDir,
    bindings: { ...workerOptions.bindings, ...bindings(name), ...extraBindings },
    unsafeDirectSockets: directSocket,
  });

  const errors = [];
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      ...(inspector ? { inspectorPort: 0 } : {}),
      // Placeholder request.cf values: nothing to fetch from Cloudflare.
      cf: false,
      log: new Log(LogLevel.WARN),
      resourcePersistencePath: join(stateDir, "v3"),
      // One JSON line per request from the app: kept out of the output, errors counted.
      handleStructuredLogs: ({ level, message }) => {
        if (level === "error") errors.push(message);
      },
      workers: [
        apiWorker("api", bundleModules, {}),
        {
          name: "bare",
          compatibilityDate: workerOptions.compatibilityDate,
          compatibilityFlags: workerOptions.compatibilityFlags,
          modules: [esModule(join(BENCH_DIR, "bare.worker.js"))],
          modulesRoot: BENCH_DIR,
          d1Databases: workerOptions.d1Databases,
          durableObjects: { BARE_LOG: { className: "BareLog", useSQLite: true } },
          // Deployed like the API, with its static assets: a Worker with assets has every
          // request routed through the assets router first (locally, an extra hop in workerd),
          // which is a cost of the deployment, not of the code the ratio is about.
          assets: workerOptions.assets,
          unsafeDirectSockets: directSocket,
        },
        apiWorker("api-latency", [...instrumentedModules, ...bundleModules], {
          BENCH_D1_LATENCY_MS: String(latencyMs),
        }),
        apiWorker("api-probe", [...instrumentedModules, ...bundleModules], {
          BENCH_D1_LATENCY_MS: "0",
        }),
      ],
    }),
  );
  await mf.ready;
  const url = async (name) => (await mf.unsafeGetDirectURL(name)).origin;
  return {
    urls: {
      api: await url("api"),
      bare: await url("bare"),
      latency: await url("api-latency"),
      probe: await url("api-probe"),
    },
    d1: await mf.getD1Database("DB", "api"),
    inspectorUrl: inspector ? await mf.getInspectorURL() : undefined,
    errors,
    dispose: () => mf.dispose(),
  };
}

/** A fresh secret for the run, as `npm run dev` makes one. */
export const randomSecret = () => randomBytes(32).toString("base64url");
