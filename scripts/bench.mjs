// `npm run bench`: the API's throughput and latency against a bare Worker doing the same storage
// work, plus the scenarios that only the event log's design decides and a 3-line order with D1
// far away (see docs/benchmarks.md).
//
// It builds the deploy bundle (`wrangler deploy --dry-run --outdir`), runs it in workerd through
// Miniflare with a migrated local D1 and SQLite-backed Durable Objects, and drives it from this
// process. Rounds alternate API, bare, API, bare..., so a noisy neighbour hurts both sides alike;
// the ratio API/bare (the median of the rounds' ratios) is the figure to compare across commits
// and machines, not the raw req/s.
//
//   npm run bench -- --rounds 5 --seconds 2 --clients 32 --products 100 --latency-ms 50 \
//     --hot-commands 200 --cold-events 10000 --cold-repeats 9 --startup-runs 7
//
// Last, the start-up CPU of the deploy bundle beside a hello-world of the same stack
// (bench/startup.mjs); `npm run bench -- --only startup` measures only that.
//
// `--shape services` runs only both shapes side by side (bench/shapes.mjs, issue 16): a read, a
// command and a 3-line order in the monolith and through the services shape's gateway, and the
// RPC calls between its Workers (with --samples, --latency-ms, --latency-samples).
//
// `--scale` runs only the reads as the data grows (bench/scale.mjs); `--capacity` only D1's write
// ceiling and its growth per order (bench/capacity.mjs, with --rounds, --seconds, --clients).
//
// It never fails on a missed target (the summary says met / not met); it exits non-zero only
// when it cannot run or when a scenario's result is wrong (stock not exact, a gap in a log).
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ADMIN_BINDINGS, createAdmin } from "../bench/admin.mjs";
import { d1WriteRate, orderGrowth, printCapacity } from "../bench/capacity.mjs";
import { get, json, post } from "../bench/http.mjs";
import { merge, runCount, runFor, summarize } from "../bench/load.mjs";
import { attribute, loadSourceMaps, printProfiles, profileWhile } from "../bench/profile.mjs";
import { migrateLocalD1, randomSecret, startRuntime } from "../bench/runtime.mjs";
import { printScale, scaleBench } from "../bench/scale.mjs";
import {
  compareShapes,
  orderUnderLatency,
  printOrderUnderLatency,
  printShapes,
} from "../bench/shapes.mjs";
import { buildShapes, migrateShapes, startShapes } from "../bench/shapes-runtime.mjs";
import { measureStartup, printStartup, startupTarget } from "../bench/startup.mjs";
import { withWorkerdCpu } from "../bench/workerd-cpu.mjs";
import { buildDeployBundle } from "./build-bundle.mjs";

const { values: options } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "2" },
    clients: { type: "string", default: "32" },
    products: { type: "string", default: "100" },
    "latency-ms": { type: "string", default: "50" },
    "hot-commands": { type: "string", default: "200" },
    "cold-events": { type: "string", default: "10000" },
    "cold-repeats": { type: "string", default: "9" },
    "startup-runs": { type: "string", default: "7" },
    // Only the reads at growing data sizes (bench/scale.mjs, issue 18).
    scale: { type: "boolean", default: false },
    "scale-sizes": { type: "string", default: "10000,100000,1000000" },
    "scale-samples": { type: "string", default: "200" },
    // "services": both shapes side by side instead (bench/shapes.mjs, issue 16): a read, a
    // command and a 3-line order, `--samples` of each, one at a time; the services shape's RPC
    // calls between Workers; the monolith's 3-line order at `--latency-ms` of D1 latency,
    // `--latency-samples` of them.
    shape: { type: "string", default: "monolith" },
    samples: { type: "string", default: "200" },
    "latency-samples": { type: "string", default: "50" },
    // Only D1's write ceiling and its growth per order (bench/capacity.mjs, docs/scaling.md).
    capacity: { type: "boolean", default: false },
    "capacity-customers": { type: "string", default: "40" },
    // "startup": only the start-up comparison, without the load runs; "load": only the four
    // API/bare comparisons, without the latency, cold-load and start-up sections.
    only: { type: "string" },
    // CPU profiles of the read and command paths, per step (bench/profile.mjs), instead of the
    // comparisons; `--seconds` long each.
    profile: { type: "boolean", default: false },
    // Where to keep the raw profiles (.cpuprofile, for Chrome DevTools), if anywhere.
    "profile-dir": { type: "string" },
  },
});
if (options.shape !== "monolith" && options.shape !== "services") {
  console.error(`--shape takes "monolith" or "services", not "${options.shape}"`);
  process.exit(2);
}
if (options.only !== undefined && options.only !== "startup" && options.only !== "load") {
  console.error(`--only takes "startup" or "load", not "${options.only}"`);
  process.exit(2);
}
const ROUNDS = Number(options.rounds);
const SECONDS = Number(options.seconds);
const CLIENTS = Number(options.clients);
const PRODUCTS = Number(options.products);
const LATENCY_MS = Number(options["latency-ms"]);
const HOT_COMMANDS = Number(options["hot-commands"]);
const COLD_EVENTS = Number(options["cold-events"]);
const COLD_REPEATS = Number(options["cold-repeats"]);
const STARTUP_RUNS = Number(options["startup-runs"]);

// The ratio goals are issue 15's; the latency and cold-load targets are issue 7's.
const TARGETS = {
  gatewayRatio: 0.85,
  readRatio: 0.9,
  commandRatio: 0.75,
  hotCommandRatio: 1,
  hotSeconds: 1,
  coldMs: 50,
};

const ADJUST = { delta: -1, reason: "bench" };

// The catalogue cache off: the reads measure the code around a D1 read, which a cache hit skips
// (docs/benchmarks.md).
const CACHE_OFF = { CATALOG_CACHE_SECONDS: "0" };

const productFields = (label, index, stock) => ({
  sku: `${label}-${index}`,
  name: `Bench tea ${index}`,
  description: `A blend for benchmarks, batch ${index % 7}`,
  price: { amount: 100 + (index % 40) * 50, currency: "EUR" },
  stock,
});

/** Creates `count` products through the API; returns their ids. */
async function createApiProducts(baseUrl, admin, label, count, stock) {
  const ids = [];
  const run = await runCount({
    total: count,
    clients: 8,
    request: async (index) => {
      const response = await post(
        `${baseUrl}/api/products`,
        productFields(label, index, stock),
        admin,
      );
      if (response.ok) ids.push(response.json().id);
      return response;
    },
  });
  if (ids.length !== count) throw new Error(`Creating products: ${summarize(run).failed}`);
  return ids;
}

/** Creates `count` products in the bare Worker; returns their ids. */
async function createBareProducts(baseUrl, count, stock) {
  const ids = Array.from({ length: count }, () => crypto.randomUUID());
  await runCount({
    total: count,
    clients: 8,
    request: (index) =>
      post(`${baseUrl}/products/${ids[index]}`, productFields("BARE", index, stock)),
  });
  return ids;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Alternating rounds of the two sides of one path, after a short warm-up of each. */
async function compare(path, sides) {
  for (const request of [sides.api, sides.bare]) {
    await runFor({ seconds: 1, clients: CLIENTS, request });
  }
  const api = [];
  const bare = [];
  const round = (request) =>
    withWorkerdCpu(() => runFor({ seconds: SECONDS, clients: CLIENTS, request }));
  for (let index = 0; index < ROUNDS; index++) {
    api.push(await round(sides.api));
    bare.push(await round(sides.bare));
  }
  const roundRatios = api.map(
    (run, index) => summarize(run).perSecond / summarize(bare[index]).perSecond,
  );
  return {
    path,
    apiLabel: sides.apiLabel,
    bareLabel: sides.bareLabel,
    api: summarize(merge(api)),
    bare: summarize(merge(bare)),
    // Each round's ratio sets API against the bare round right after it, under nearly the same
    // load from the rest of the machine; the median shrugs off a round a neighbour spoiled.
    ratio: median(roundRatios),
    lowest: Math.min(...roundRatios),
    highest: Math.max(...roundRatios),
    cpu: cpuPerRequest(api, bare),
  };
}

/**
 * workerd's CPU per request on each side, over all rounds (µs), and the bare side's over the
 * API's: the throughput ratio as it would be if workerd had a core of its own and nothing else
 * ran. Undefined where /proc cannot tell (not Linux).
 */
function cpuPerRequest(api, bare) {
  const perRequest = (runs) => {
    if (runs.some((run) => run.cpuSeconds === undefined)) return undefined;
    const requests = runs.reduce((sum, run) => sum + run.latencies.length, 0);
    return (runs.reduce((sum, run) => sum + run.cpuSeconds, 0) * 1e6) / requests;
  };
  const apiUs = perRequest(api);
  const bareUs = perRequest(bare);
  if (apiUs === undefined || bareUs === undefined) return undefined;
  return { apiUs, bareUs, ratio: bareUs / apiUs };
}

/** 200 concurrent -1 adjustments of one product with D1 `LATENCY_MS` away; checks the outcome. */
async function hotAggregateUnderLatency(baseUrl) {
  const { headers: admin } = await createAdmin(baseUrl, "bench-latency@example.com");
  const initial = 1000;
  const [id] = await createApiProducts(baseUrl, admin, "LATENCY", 1, initial);
  const started = performance.now();
  const run = await runCount({
    total: HOT_COMMANDS,
    clients: HOT_COMMANDS,
    request: () => post(`${baseUrl}/api/products/${id}/stock`, ADJUST, admin),
  });
  const seconds = (performance.now() - started) / 1000;
  const product = json(await get(`${baseUrl}/api/products/${id}`), "reading the product");
  const versions = [];
  let cursor;
  do {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = json(
      await get(`${baseUrl}/api/products/${id}/events?${query}`, admin),
      "reading the product's events",
    );
    versions.push(...page.items.map((event) => event.version));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const gapless = versions.every((version, index) => version === index + 1);
  const succeeded = run.statuses.get(200) ?? 0;
  return {
    seconds,
    perSecond: succeeded / seconds,
    succeeded,
    failed: summarize(run).failed,
    stock: product.stock,
    expectedStock: initial - HOT_COMMANDS,
    events: versions.length,
    expectedEvents: HOT_COMMANDS + 1,
    gapless,
  };
}

/**
 * Builds a log of `COLD_EVENTS` events, then times, from the Worker's side of the RPC, the first
 * command after the object is evicted (a cold load) and the one after it (warm).
 */
async function coldLoad(baseUrl) {
  const { headers: admin } = await createAdmin(baseUrl, "bench-cold@example.com");
  const [id] = await createApiProducts(baseUrl, admin, "COLD", 1, 1_000_000);
  const adjust = () => post(`${baseUrl}/api/products/${id}/stock`, ADJUST, admin);
  const seeding = summarize(
    await runCount({ total: COLD_EVENTS - 1, clients: CLIENTS, request: adjust }),
  );
  const product = json(await get(`${baseUrl}/api/products/${id}`), "reading the product");
  if (product.version !== COLD_EVENTS) {
    throw new Error(`The cold-load log has ${product.version} events, not ${COLD_EVENTS}`);
  }
  const cold = [];
  const warm = [];
  // The object time of one command: its RPCs to the object (more than one if the client retried).
  const timedCommand = async () => {
    const response = await adjust();
    if (!response.ok) throw new Error(`A cold-load command failed: ${response.status}`);
    const times = json(await get(`${baseUrl}/__bench/rpc-times`), "reading RPC times");
    if (times.length === 0) throw new Error("The command made no timed RPC");
    return times.reduce((sum, call) => sum + call.ms, 0);
  };
  for (let repeat = 0; repeat < COLD_REPEATS; repeat++) {
    await post(`${baseUrl}/__bench/evict?name=${encodeURIComponent(`product:${id}`)}`, {});
    await get(`${baseUrl}/__bench/rpc-times`);
    cold.push(await timedCommand());
    warm.push(await timedCommand());
  }
  const loadMs = median(cold.map((ms, repeat) => ms - warm[repeat]));
  return { seeding, cold, coldMs: median(cold), warmMs: median(warm), loadMs };
}

// Report --------------------------------------------------------------------------------------

const number = (value, digits = 0) =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printComparisons(results) {
  console.log(
    `\n| path | side | req/s | p50 ms | p95 ms | p99 ms | not 2xx | API/bare: median of rounds (range) | workerd CPU µs/request | API/bare by CPU |`,
  );
  console.log("| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |");
  for (const result of results) {
    for (const side of ["api", "bare"]) {
      const s = result[side];
      const ratio =
        side === "api"
          ? `**${number(result.ratio, 2)}** (${number(result.lowest, 2)}–${number(result.highest, 2)})`
          : "";
      const cpu = result.cpu ? number(result.cpu[`${side}Us`]) : "n/a";
      const cpuRatio = side === "api" && result.cpu ? number(result.cpu.ratio, 2) : "";
      console.log(
        `| ${side === "api" ? result.path : ""} | ${side === "api" ? result.apiLabel : result.bareLabel} | ` +
          `${number(s.perSecond)} | ${number(s.p50, 1)} | ${number(s.p95, 1)} | ${number(s.p99, 1)} | ` +
          `${s.failed.join(", ") || "0"} | ${ratio} | ${cpu} | ${cpuRatio} |`,
      );
    }
  }
}

function printTargets(results, latency, cold) {
  const byPath = Object.fromEntries(results.map((result) => [result.path, result]));
  const mark = (met) => (met ? "met    " : "NOT MET");
  const ratioLine = (path, target, label) => [
    byPath[path].ratio >= target,
    `${label} ratio ≥ ${target}: ${number(byPath[path].ratio, 2)} ` +
      `(${number(byPath[path].lowest, 2)}–${number(byPath[path].highest, 2)})` +
      (byPath[path].cpu ? `; by workerd CPU per request ${number(byPath[path].cpu.ratio, 2)}` : ""),
  ];
  console.log("\nTargets (issue 15):");
  for (const [met, text] of [
    ratioLine("gateway", TARGETS.gatewayRatio, "gateway"),
    ratioLine("read", TARGETS.readRatio, "read"),
    ratioLine("command", TARGETS.commandRatio, "command, many products,"),
    ratioLine("hot command", TARGETS.hotCommandRatio, "command, one hot product,"),
  ]) {
    console.log(`  ${mark(met)}  ${text}`);
  }
  if (!latency || !cold) return;
  const lines = [
    [
      latency.seconds < TARGETS.hotSeconds && latency.correct,
      `${HOT_COMMANDS} concurrent -1 adjustments of one product at ${LATENCY_MS} ms D1 latency ` +
        `< ${TARGETS.hotSeconds} s: ${number(latency.seconds, 2)} s ` +
        `(${number(latency.perSecond, 1)} commands/s); stock ${latency.stock} ` +
        `(expected ${latency.expectedStock}), ${latency.events} events ` +
        `(expected ${latency.expectedEvents}), ${latency.gapless ? "gapless" : "WITH GAPS"}`,
    ],
    [
      cold.coldMs < TARGETS.coldMs,
      `cold load of a ${number(COLD_EVENTS)}-event log < ${TARGETS.coldMs} ms of object time: ` +
        `${cold.coldMs} ms (median of ${cold.cold.join(", ")}; a warm command ${cold.warmMs} ms, ` +
        `so the load itself ≈ ${cold.loadMs} ms)`,
    ],
  ];
  console.log("\nTargets (issue 7):");
  for (const [met, text] of lines) console.log(`  ${mark(met)}  ${text}`);
}

/** CPU per request and step of the read and command paths, and of the bare Worker's. */
async function profilePaths({
  runtime,
  bundle,
  admin,
  adminId,
  product,
  bareProduct,
  hot,
  bareHot,
}) {
  const { api, bare } = runtime.urls;
  const sourceMaps = loadSourceMaps(bundle);
  const paths = [
    ["gateway", "api", () => get(`${api}/health`)],
    ["gateway", "bare", () => get(`${bare}/health`)],
    ["read", "api", (i) => get(`${api}/api/products/${product(i)}`)],
    ["read", "bare", (i) => get(`${bare}/products/${bareProduct(i)}`)],
    ["command", "api", (i) => post(`${api}/api/products/${product(i)}/stock`, ADJUST, admin)],
    [
      "command",
      "bare",
      (i) => post(`${bare}/products/${bareProduct(i)}/stock?caller=${adminId}`, ADJUST),
    ],
    ["hot command", "api", () => post(`${api}/api/products/${hot}/stock`, ADJUST, admin)],
    [
      "hot command",
      "bare",
      () => post(`${bare}/products/${bareHot}/stock?caller=${adminId}`, ADJUST),
    ],
  ];
  const profiles = [];
  for (const [path, side, request] of paths) {
    process.stdout.write(`${path} (${side})… `);
    await runFor({ seconds: 1, clients: CLIENTS, request });
    const { profile, result } = await profileWhile({
      inspectorUrl: runtime.inspectorUrl,
      workerName: side,
      load: () => runFor({ seconds: SECONDS * ROUNDS, clients: CLIENTS, request }),
    });
    if (options["profile-dir"]) {
      mkdirSync(options["profile-dir"], { recursive: true });
      const file = `${path.replace(" ", "-")}-${side}.cpuprofile`;
      writeFileSync(join(options["profile-dir"], file), JSON.stringify(profile));
    }
    const run = summarize(result);
    if (run.failed.length > 0) throw new Error(`${path} (${side}) failed: ${run.failed}`);
    profiles.push({
      path: `${path} ${side}`,
      ms: attribute(profile, sourceMaps),
      requests: result.latencies.length,
      perSecond: run.perSecond,
    });
  }
  console.log("done");
  printProfiles(profiles);
}

// Run -----------------------------------------------------------------------------------------

const revision = execSync("git describe --always --dirty", { encoding: "utf8" }).trim();
console.log(
  `npm run bench on ${revision}: ${ROUNDS} rounds × ${SECONDS} s per side, ${CLIENTS} clients, ` +
    `${cpus().length} CPUs, load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")}`,
);

// Storage in memory where the system offers it (Linux): a disk busy with other work stalls the
// SQLite commits of D1 and the objects for seconds, which says nothing about the code.
const work = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "bench-"));

function startupSection() {
  const result = measureStartup({ work, runs: STARTUP_RUNS });
  printStartup(result);
  const [met, text] = startupTarget(result);
  console.log(`\nTarget (issue 15):\n  ${met ? "met    " : "NOT MET"}  ${text}`);
}

if (options.only === "startup") {
  try {
    startupSection();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit();
}

// One per bench run: the runtime may restart on the same state, whose stored data keys it wraps.
const PII_MASTER_KEY = randomSecret();

/** The local D1 migrated, and the bench's Workers started on it with the deploy `bundle`. */
function startBenchRuntime(bundle, { latencyMs, inspector = false }) {
  migrateLocalD1(join(work, "state"));
  return startRuntime({
    bundle,
    stateDir: join(work, "state"),
    latencyMs,
    bindings: () => ({
      JWT_SECRET: randomSecret(),
      PII_MASTER_KEY,
      ...ADMIN_BINDINGS,
      ...CACHE_OFF,
    }),
    inspector,
  });
}

if (options.shape === "services") {
  let shapes;
  try {
    process.stdout.write("building the five bundles… ");
    const bundles = buildShapes(work);
    migrateShapes(join(work, "state"));
    shapes = await startShapes({
      bundles,
      stateDir: join(work, "state"),
      latencyMs: LATENCY_MS,
      bindings: { JWT_SECRET: randomSecret(), PII_MASTER_KEY, ...ADMIN_BINDINGS, ...CACHE_OFF },
    });
    const results = await compareShapes({
      urls: shapes.urls,
      samples: Number(options.samples),
      latencyMs: LATENCY_MS,
      latencySamples: Number(options["latency-samples"]),
      log: (text) => process.stdout.write(text),
    });
    console.log("done");
    printShapes(results, Number(options.samples));
    if (shapes.errors.length > 0) {
      console.log(`\n${shapes.errors.length} error lines were logged, e.g. ${shapes.errors[0]}`);
    }
  } finally {
    await shapes?.dispose();
    rmSync(work, { recursive: true, force: true });
  }
  process.exit();
}

if (options.scale) {
  const sizes = options["scale-sizes"].split(",").map(Number);
  let scaleRuntime;
  try {
    scaleRuntime = await startBenchRuntime(buildDeployBundle(join(work, "bundle")), {
      latencyMs: 0,
    });
    const results = await scaleBench({
      runtime: scaleRuntime,
      sizes,
      samples: Number(options["scale-samples"]),
      log: (text) => process.stdout.write(text),
    });
    printScale(results, sizes);
  } finally {
    await scaleRuntime?.dispose();
    rmSync(work, { recursive: true, force: true });
  }
  process.exit();
}

if (options.capacity) {
  let capacityRuntime;
  try {
    capacityRuntime = await startBenchRuntime(buildDeployBundle(join(work, "bundle")), {
      latencyMs: 0,
    });
    const { api, bare } = capacityRuntime.urls;
    process.stdout.write("D1 writes… ");
    const writes = await d1WriteRate({
      bareUrl: bare,
      clients: CLIENTS,
      seconds: SECONDS,
      rounds: ROUNDS,
    });
    process.stdout.write("orders… ");
    const growth = await orderGrowth({
      api,
      d1: capacityRuntime.d1,
      customers: Number(options["capacity-customers"]),
      ordersEach: 5,
      lines: 2,
    });
    console.log("done");
    printCapacity({ writes, clients: CLIENTS, seconds: SECONDS, growth });
  } finally {
    await capacityRuntime?.dispose();
    rmSync(work, { recursive: true, force: true });
  }
  process.exit();
}

let runtime;
try {
  const bundle = buildDeployBundle(join(work, "bundle"));
  runtime = await startBenchRuntime(bundle, { latencyMs: LATENCY_MS, inspector: options.profile });
  const { api, bare } = runtime.urls;

  const { headers: admin, id: adminId } = await createAdmin(api, "bench-admin@example.com");
  const [hot, ...ids] = await createApiProducts(api, admin, "BENCH", PRODUCTS + 1, 1_000_000_000);
  const [bareHot, ...bareIds] = await createBareProducts(bare, PRODUCTS + 1, 1_000_000_000);
  const pick = (list) => (index) => list[index % list.length];
  const product = pick(ids);
  const bareProduct = pick(bareIds);

  if (options.profile) {
    await profilePaths({ runtime, bundle, admin, adminId, product, bareProduct, hot, bareHot });
    await runtime.dispose();
    rmSync(work, { recursive: true, force: true });
    process.exit();
  }

  const results = [];
  const step = (label) => process.stdout.write(`${label}… `);
  step("gateway");
  results.push(
    await compare("gateway", {
      apiLabel: "GET /health",
      bareLabel: "constant response",
      api: () => get(`${api}/health`),
      bare: () => get(`${bare}/health`),
    }),
  );
  step("read");
  results.push(
    await compare("read", {
      apiLabel: "GET /api/products/:id",
      bareLabel: "the same D1 read",
      api: (i) => get(`${api}/api/products/${product(i)}`),
      bare: (i) => get(`${bare}/products/${product(i)}`),
    }),
  );
  step("command");
  results.push(
    await compare("command", {
      apiLabel: `POST /api/products/:id/stock, ${PRODUCTS} products`,
      bareLabel: "the same caller read, DO append and D1 write",
      api: (i) => post(`${api}/api/products/${product(i)}/stock`, ADJUST, admin),
      bare: (i) => post(`${bare}/products/${bareProduct(i)}/stock?caller=${adminId}`, ADJUST),
    }),
  );
  step("hot command");
  results.push(
    await compare("hot command", {
      apiLabel: "POST /api/products/:id/stock, one product",
      bareLabel: "the same, one product",
      api: () => post(`${api}/api/products/${hot}/stock`, ADJUST, admin),
      bare: () => post(`${bare}/products/${bareHot}/stock?caller=${adminId}`, ADJUST),
    }),
  );
  if (options.only === "load") {
    console.log("done");
    printComparisons(results);
    if (runtime.errors.length > 0) {
      console.log(`\n${runtime.errors.length} error lines were logged, e.g. ${runtime.errors[0]}`);
    }
    printTargets(results);
  } else {
    step(`${LATENCY_MS} ms D1 latency`);
    const latency = await hotAggregateUnderLatency(runtime.urls.latency);
    latency.correct =
      latency.stock === latency.expectedStock &&
      latency.events === latency.expectedEvents &&
      latency.gapless;
    const order = await orderUnderLatency(
      runtime.urls.latency,
      Number(options["latency-samples"]),
      LATENCY_MS,
      (text) => process.stdout.write(text),
    );
    step("cold load");
    const cold = await coldLoad(runtime.urls.probe);
    console.log("done");

    printComparisons(results);
    console.log(
      `\nA ${number(COLD_EVENTS)}-event log was built by ${CLIENTS} clients at ` +
        `${number(cold.seeding.perSecond)} commands/s (p50 ${number(cold.seeding.p50, 1)} ms).`,
    );
    if (latency.failed.length > 0) console.log(`Latency scenario failures: ${latency.failed}`);
    if (runtime.errors.length > 0) {
      console.log(`\n${runtime.errors.length} error lines were logged, e.g. ${runtime.errors[0]}`);
    }
    printTargets(results, latency, cold);
    printOrderUnderLatency(order);
    await runtime.dispose();
    runtime = undefined;
    startupSection();
    if (!latency.correct) {
      console.error("\nThe latency scenario's outcome is wrong: see above.");
      process.exitCode = 1;
    }
  }
} finally {
  await runtime?.dispose();
  rmSync(work, { recursive: true, force: true });
}
