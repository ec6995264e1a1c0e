// The services shape in the test runtime (issue 16): the gateway is the test runner, and the
// users, products and orders services run beside it as auxiliary Workers of the same Miniflare
// instance, each built once, as `wrangler deploy` builds it, from services/<service>/wrangler.toml.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

/** The services, in the names the tests' `dbOf` takes (test/support/shape.ts). */
export const SERVICES = ["users", "products", "orders"];

/** The runner's Worker configuration. */
export const GATEWAY_CONFIG = "./services/gateway/wrangler.toml";

const configOf = (service) => `./services/${service}/wrangler.toml`;

/**
 * The services a test can make fail (test/services/failures.test.ts), by the RPC entrypoint the
 * others bind to: every service binding to one of them goes through a switch Worker
 * (test/services/service-switch.worker.js) that passes calls on to the real service until a test
 * flips it. The runner reaches each switch as <SERVICE>_SWITCH.
 */
const SWITCHED = { users: "UsersService", products: "ProductsService" };
const SWITCH_SCRIPT = "./test/services/service-switch.worker.js";
const switchName = (workerName) => `${workerName}-switch`;

/** Where a service's test bundle is built: in the project (.wrangler/ is ignored), afresh each run. */
function bundleDir(service) {
  const dir = resolve(".wrangler", "services-shape", service);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs `wrangler deploy --dry-run` for one config into `outdir`: the bundle a deploy ships. */
function buildBundle(configPath, outdir) {
  return new Promise((done, fail) => {
    // Not minified: a failing test's stack should name the service's own functions.
    const build = spawn(
      "wrangler",
      ["deploy", "--dry-run", "--no-minify", "--outdir", outdir, "-c", configPath],
      { stdio: ["ignore", "pipe", "pipe"], shell: process.platform === "win32" },
    );
    let output = "";
    build.stdout.on("data", (chunk) => {
      output += chunk;
    });
    build.stderr.on("data", (chunk) => {
      output += chunk;
    });
    build.on("error", fail);
    build.on("close", (code) =>
      code === 0
        ? done(outdir)
        : fail(new Error(`wrangler deploy --dry-run -c ${configPath} failed:\n${output}`)),
    );
  });
}

/** The JavaScript modules of a bundle directory, its main module (index.js) first. */
function modulesOf(outdir) {
  const names = readdirSync(outdir)
    .filter((name) => /\.m?js$/.test(name))
    .sort((a, b) => Number(b === "index.js") - Number(a === "index.js") || a.localeCompare(b));
  if (names[0] !== "index.js") throw new Error(`No index.js in ${outdir}`);
  return names.map((name) => ({ type: "ESModule", path: join(outdir, name) }));
}

/** One service as an auxiliary Worker, with its D1 database's id and its migrations. */
async function serviceWorker(service, testBindings) {
  const configPath = configOf(service);
  const config = unstable_readConfig({ config: configPath });
  const database = config.d1_databases.find((entry) => entry.binding === "DB");
  if (!config.name || !database?.database_id) {
    throw new Error(`${configPath} needs a name and a D1 database bound as DB with an id`);
  }
  const outdir = await buildBundle(configPath, bundleDir(service));
  // The bindings, compatibility settings, Durable Objects and service bindings of the config,
  // as `wrangler dev` would give them to Miniflare; the source is the prebuilt bundle.
  const { workerOptions } = unstable_getMiniflareWorkerOptions(configPath);
  const migrationsDir = resolve(configPath, "..", database.migrations_dir ?? "migrations");
  return {
    service,
    name: config.name,
    databaseId: database.database_id,
    migrations: await readD1Migrations(migrationsDir),
    worker: {
      ...workerOptions,
      name: config.name,
      modulesRoot: outdir,
      modules: modulesOf(outdir),
      bindings: { ...workerOptions.bindings, ...testBindings },
    },
  };
}

/**
 * Everything the "services" vitest project adds to its Miniflare options: the three services as
 * auxiliary Workers (each also given `testBindings`: the test secrets and settings) and the
 * switches in front of the users and products services; the runner's (the gateway's) service
 * bindings, through those switches; and its test-only bindings: TEST_SHAPE, each service's D1
 * database (the same id as the service's, so the same database) and migrations, each service's
 * event-log class, and USERS_SWITCH / PRODUCTS_SWITCH.
 */
export async function servicesShape(testBindings) {
  const services = await Promise.all(
    SERVICES.map((service) => serviceWorker(service, testBindings)),
  );
  const upper = (service) => service.toUpperCase();
  const switched = services.filter(({ service }) => service in SWITCHED);
  const switchedNames = new Set(switched.map(({ name }) => name));
  // A binding to a switched service's entrypoint binds to its switch instead.
  const throughSwitches = (serviceBindings = {}) =>
    Object.fromEntries(
      Object.entries(serviceBindings).map(([binding, target]) => [
        binding,
        switchedNames.has(target?.name) ? { ...target, name: switchName(target.name) } : target,
      ]),
    );
  const switches = switched.map(({ service, name, worker }) => ({
    name: switchName(name),
    modules: true,
    scriptPath: SWITCH_SCRIPT,
    compatibilityDate: worker.compatibilityDate,
    compatibilityFlags: worker.compatibilityFlags,
    serviceBindings: { REAL: { name, entrypoint: SWITCHED[service] } },
  }));
  const gateway = unstable_getMiniflareWorkerOptions(GATEWAY_CONFIG).workerOptions;
  return {
    workers: [
      ...services.map(({ worker }) => ({
        ...worker,
        serviceBindings: throughSwitches(worker.serviceBindings),
      })),
      ...switches,
    ],
    serviceBindings: {
      ...throughSwitches(gateway.serviceBindings),
      ...Object.fromEntries(
        switched.map(({ service, name }) => [
          `${upper(service)}_SWITCH`,
          { name: switchName(name), entrypoint: "Switch" },
        ]),
      ),
    },
    bindings: {
      TEST_SHAPE: "services",
      ...Object.fromEntries(
        services.map(({ service, migrations }) => [
          `TEST_MIGRATIONS_${upper(service)}`,
          migrations,
        ]),
      ),
    },
    d1Databases: Object.fromEntries(
      services.map(({ service, databaseId }) => [`${upper(service)}_DB`, { id: databaseId }]),
    ),
    durableObjects: Object.fromEntries(
      services.map(({ service, name }) => [
        `${upper(service)}_EVENT_LOG`,
        { className: "EventLog", scriptName: name, useSQLite: true },
      ]),
    ),
  };
}
